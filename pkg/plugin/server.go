package plugin

import (
	"context"
	"os"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Server is what the Grafana server's admin allows this plugin, as opposed to
// what a datasource's editor configures. Anything that touches the server —
// its files, the host's Azure identity, requests to hosts other than
// Microsoft's — needs the admin's word, because an editor is not trusted with
// the server: a datasource pointed at a file, or at an authority of the
// editor's own choosing (which would receive the client secret), would hand
// them what only the admin may have.
//
// Grafana passes the keys of the [plugin.signinlens-entra-datasource] section
// of grafana.ini to the plugin process as GF_PLUGIN_<KEY> environment
// variables, and its [azure] settings as GFAZPL_* variables in each request's
// Grafana config for the plugins listed in [azure] forward_settings_to_plugins
// (managed identity also in the environment, the one GFAZPL_ variable the
// catalog's rules let a plugin read there).
type Server struct {
	// AllowCustomEndpoints lets a datasource override the Graph, Log Analytics
	// and authority hosts with others than the three clouds' own
	// (allow_custom_endpoints = true).
	AllowCustomEndpoints bool
	// CacheSecret keys the datasources' values in memcached (cache_secret),
	// so that replicas agree on a key that no datasource setting reveals.
	CacheSecret string
	// MemcachedAddresses is the memcached of every datasource whose
	// memcachedAddresses setting is empty (memcached_addresses): in an HA
	// setup the replicas' memcached is the deployment's, not each datasource's.
	MemcachedAddresses string
	// ManagedIdentity and WorkloadIdentity are Grafana's [azure]
	// managed_identity_enabled and workload_identity_enabled: whether a
	// datasource may authenticate as the host.
	ManagedIdentity  bool
	WorkloadIdentity bool
}

// Environment variables of the server's settings.
const (
	envAllowCustomEndpoints = "GF_PLUGIN_ALLOW_CUSTOM_ENDPOINTS"
	envCacheSecret          = "GF_PLUGIN_CACHE_SECRET" // #nosec G101 -- the name of a setting, not a secret
	envMemcachedAddresses   = "GF_PLUGIN_MEMCACHED_ADDRESSES"
	envQueryMemoryLimitMB   = "GF_PLUGIN_QUERY_MEMORY_LIMIT_MB"
	envManagedIdentity      = "GFAZPL_MANAGED_IDENTITY_ENABLED"
	envWorkloadIdentity     = "GFAZPL_WORKLOAD_IDENTITY_ENABLED"
)

// The grafana.ini names of the server's settings, for messages.
const (
	pluginSection         = "[plugin." + PluginID + "]"
	iniCustomEndpoints    = "allow_custom_endpoints = true in " + pluginSection + " (" + envAllowCustomEndpoints + ")"
	iniCacheSecret        = "cache_secret in " + pluginSection + " (" + envCacheSecret + ")"
	iniMemcachedAddresses = "memcached_addresses in " + pluginSection + " (" + envMemcachedAddresses + ")"
	iniManagedIdentity    = "managed_identity_enabled = true in [azure] of grafana.ini, with " + PluginID + " in [azure] forward_settings_to_plugins"
	iniWorkloadIdentity   = "workload_identity_enabled = true in [azure] of grafana.ini, with " + PluginID + " in [azure] forward_settings_to_plugins"
)

// ServerFromEnv reads the server's settings from the plugin's environment and,
// for the [azure] ones, from the Grafana config of the request, when Grafana
// forwards it.
func ServerFromEnv(ctx context.Context) Server {
	srv := Server{
		AllowCustomEndpoints: isTrue(os.Getenv(envAllowCustomEndpoints)),
		CacheSecret:          os.Getenv(envCacheSecret),
		MemcachedAddresses:   strings.TrimSpace(os.Getenv(envMemcachedAddresses)),
		ManagedIdentity:      isTrue(os.Getenv(envManagedIdentity)),
	}
	if cfg := backend.GrafanaConfigFromContext(ctx); cfg != nil {
		srv.ManagedIdentity = srv.ManagedIdentity || isTrue(cfg.Get(envManagedIdentity))
		srv.WorkloadIdentity = srv.WorkloadIdentity || isTrue(cfg.Get(envWorkloadIdentity))
	}
	return srv
}

func isTrue(s string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	return err == nil && b
}
