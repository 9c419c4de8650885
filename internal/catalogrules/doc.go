// Package catalogrules holds the test that keeps pkg/ — the plugin — within
// the code rules of Grafana's plugin validator (plugincheck2's semgrep rules,
// which scan every non-test Go file under pkg/): no file system, no syscall,
// no printing to standard output, no environment variable outside the names
// Grafana passes a plugin, and nothing under pkg/ that the plugin binary does
// not link. It is a test of the repository, not part of the plugin.
package catalogrules
