package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
)

// Binaries built once for the whole package.
var (
	pluginBin   string
	graphsimBin string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "signinlens-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	moduleDir, err := filepath.Abs("..")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if pluginBin, err = plugintest.Build(moduleDir, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	graphsimBin = filepath.Join(dir, "graphsim")
	if err := plugintest.GoBuild(moduleDir, "./cmd/graphsim", graphsimBin); err != nil {
		fmt.Fprintf(os.Stderr, "building graphsim: %v\n", err)
		return 1
	}
	return m.Run()
}
