//go:build mage

// Build targets for the backend, by the SDK's standard mage targets.
// `go tool mage -v` builds gpx_signinlens for every platform Grafana runs on into
// dist/; `go tool mage -v build:backend` builds only this machine's.
package main

import (
	// mage:import
	build "github.com/grafana/grafana-plugin-sdk-go/build"
)

func init() {
	// plugin.json lives at the top level (the SDK looks in src/ by default): the
	// executable's name is read from there.
	_ = build.SetBeforeBuildCallback(func(cfg build.Config) (build.Config, error) {
		cfg.PluginJSONPath = "."
		return cfg, nil
	})
}

// Default builds the backend for all platforms.
var Default = build.BuildAll
