package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

// defaultMaxFileMB bounds a replayed file: it is decoded whole.
const defaultMaxFileMB = 256

// loadFile reads a regular file of at most maxBytes for graphsim.FileSource.
// A device, pipe or directory is refused before it is read: /dev/zero never
// ends, and a FIFO would block.
func loadFile(path string, maxBytes int64) (graphsim.Source, error) {
	// Stat before opening: opening a FIFO blocks until it has a writer.
	if err := checkRegular(path, os.Stat, maxBytes); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read sign-in file: %w", err)
	}
	defer f.Close()
	if err := checkRegular(path, func(string) (os.FileInfo, error) { return f.Stat() }, maxBytes); err != nil {
		return nil, err // replaced between the two looks
	}
	// The file may grow after Stat: read one byte past the bound to tell.
	data, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read sign-in file: %w", err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("%s is larger than %d MB (--max-file-mb)", path, maxBytes>>20)
	}
	src, err := graphsim.FileSource(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return src, nil
}

func checkRegular(path string, stat func(string) (os.FileInfo, error), maxBytes int64) error {
	info, err := stat(path)
	if err != nil {
		return fmt.Errorf("read sign-in file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	if info.Size() > maxBytes {
		return fmt.Errorf("%s is %d MB; at most %d MB (--max-file-mb)", path, info.Size()>>20, maxBytes>>20)
	}
	return nil
}
