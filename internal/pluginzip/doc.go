// Package pluginzip writes a plugin's build (dist/) as the zip Grafana's
// catalog and `grafana cli plugins install` take, and checks a zip against the
// rules of Grafana's plugin validator that hold without the network: the
// layout, plugin.json, the backend binaries and their executable bits
// (docs/release.md lists them). The validator itself (github.com/grafana/
// plugin-validator) also scans sources and dependencies and needs the
// network; it is a release step, not a test here.
package pluginzip
