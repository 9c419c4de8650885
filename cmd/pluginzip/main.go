// Command pluginzip packs a plugin build into the zip Grafana's catalog takes
// and checks it (make package):
//
//	pluginzip -dist dist -out artifacts    # writes artifacts/<id>-<version>.zip and checks it
//	pluginzip -check artifacts/x.zip       # checks a zip only
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/internal/pluginzip"
)

func main() {
	dist := flag.String("dist", "dist", "the plugin build to pack")
	out := flag.String("out", "artifacts", "the directory the zip is written to")
	check := flag.String("check", "", "check this zip instead of packing")
	flag.Parse()
	if err := run(*dist, *out, *check); err != nil {
		fmt.Fprintln(os.Stderr, "pluginzip:", err)
		os.Exit(1)
	}
}

func run(dist, outDir, check string) error {
	if check != "" {
		return report(check, "")
	}
	m, err := manifest(filepath.Join(dist, "plugin.json"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	zipPath := filepath.Join(outDir, m.ID+"-"+m.Info.Version+".zip")
	if err := pluginzip.Pack(dist, m.ID, zipPath); err != nil {
		return err
	}
	return report(zipPath, m.Info.Version)
}

func manifest(path string) (pluginzip.Manifest, error) {
	var m pluginzip.Manifest
	raw, err := os.ReadFile(path)
	if err != nil {
		return m, fmt.Errorf("reading the build's plugin.json (run make build-all first): %w", err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	if m.ID == "" || m.Info.Version == "" {
		return m, fmt.Errorf("%s has no id or info.version", path)
	}
	return m, nil
}

// report prints what the checks found; an error when they found anything.
func report(zipPath, version string) error {
	problems, err := pluginzip.Check(zipPath, version)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return errors.New(zipPath + " breaks the catalog's rules:\n  " + strings.Join(problems, "\n  "))
	}
	fmt.Println(zipPath, "passes the layout checks (docs/release.md)")
	return nil
}
