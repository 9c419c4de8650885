// Package e2e holds the end-to-end tests: they build the plugin binary, launch it
// through the go-plugin handshake as Grafana does, and compare its answers with
// ground truth from the graphsim command's export.
package e2e
