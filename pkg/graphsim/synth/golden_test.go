package synth

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The first records of each log type for one hour of seed 7, byte for byte:
// any change to the generator's output shows up here, so that it is made on
// purpose (go test -run Golden -update) and reviewed in the diff.
func TestGolden(t *testing.T) {
	tn := mustNew(t, 7, "small")
	hour := time.Date(2026, 1, 14, 14, 0, 0, 0, time.UTC)
	golden := map[string][]SignIn{}
	for _, lt := range signin.LogTypes {
		golden[lt.String()] = tn.Hour(lt, hour)[:2]
	}
	got, err := json.MarshalIndent(golden, "", "  ")
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	path := filepath.Join("testdata", "small-seed7-2026-01-14T14.json")
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatalf("write golden file: %v", err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if string(want) != string(got)+"\n" {
		t.Fatalf("output differs from %s; if the change is intended, run go test -run Golden -update and review the diff", path)
	}
}
