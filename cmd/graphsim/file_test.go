package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadFileRefusesWhatNeverEnds: a device or a directory is refused before
// it is read, and a file past --max-file-mb is refused naming the flag.
func TestLoadFileRefusesWhatNeverEnds(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(big, []byte("["+strings.Repeat(" ", 2<<20)+"]"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, want string
		maxMB      int
	}{
		{"/dev/zero", "is not a regular file", 0},
		{t.TempDir(), "is not a regular file", 0},
		{big, "at most 1 MB (--max-file-mb)", 1},
		{filepath.Join(t.TempDir(), "absent.json"), "no such file", 0},
	} {
		f := sourceFlags{file: c.path, maxFileMB: c.maxMB}
		if _, err := f.source(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--file %s: %v; want an error containing %q", c.path, err, c.want)
		}
	}
	f := sourceFlags{file: big, maxFileMB: 3}
	if _, err := f.source(); err != nil {
		t.Fatalf("a 2 MB file under --max-file-mb 3: %v", err)
	}
}
