// Command gpx_signinlens is the SignInLens backend, started by Grafana.
package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/signinlens/signinlens-entra-datasource/pkg/plugin"
)

func main() {
	// Grafana stops a plugin over its RPC connection, and Manage returns; a
	// service manager stopping everything sends SIGTERM. Either way the
	// datasources save their caches before the process ends.
	terminated := make(chan os.Signal, 1)
	signal.Notify(terminated, syscall.SIGTERM)
	go func() {
		<-terminated
		plugin.Shutdown()
		os.Exit(0)
	}()
	err := datasource.Manage(plugin.PluginID, plugin.NewProcessDatasource, datasource.ManageOpts{})
	plugin.Shutdown()
	if err != nil {
		log.DefaultLogger.Error("SignInLens stopped", "error", err)
		os.Exit(1)
	}
}
