// Package plugin is SignInLens' Grafana face: settings, the instance lifecycle and
// the QueryData, CheckHealth and CallResource handlers. It wires the other packages
// together; nothing depends on it.
package plugin

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pushdown"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// PluginID is the id in plugin.json.
const PluginID = "signinlens-entra-datasource"

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ backend.StreamHandler         = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one configured SignInLens datasource.
type Datasource struct {
	settings Settings
	src      source
	store    *store.Store
	engine   *query.Engine
	demo     *graphsim.Server // nil unless source is demo
	span     *span            // what a replayed file holds (replay.go); nil for other sources
	counters *counters
	live     *liveSlots       // the live tails running (stream.go)
	warm     *warmProgress    // loading the last warmDays at start (warm.go)
	warnings []string         // what the admin should know although the datasource works
	pushdown *pushdown.Runner // answers long ranges in a workspace; nil for other sources (pushdown.go)
	reserved int64            // cache bytes added to the process's soft memory limit (memory.go)
	backend.CallResourceHandler
}

// NewDatasource builds an instance from Grafana's settings and the server's
// (ServerFromEnv). Invalid or unpermitted settings do not fail the instance:
// Grafana would then show a generic error. The instance keeps the error and
// reports it on every query and health check instead.
func NewDatasource(ctx context.Context, is backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	s, err := LoadSettings(is)
	if err == nil {
		err = ServerFromEnv(ctx).permit(s)
	}
	if err != nil {
		return &brokenDatasource{err: err}, nil
	}
	ds, err := newDatasource(ctx, s, ServerFromEnv(ctx), is.UID)
	if err != nil {
		log.DefaultLogger.Error("SignInLens datasource could not start", "uid", is.UID, "error", err)
		return &brokenDatasource{err: err}, nil
	}
	return ds, nil
}

// newDatasource builds a datasource whose settings the server permits.
func newDatasource(ctx context.Context, s Settings, srv Server, uid string) (*Datasource, error) {
	ds := &Datasource{settings: s, counters: &counters{uid: uid}, live: newLiveSlots(s.MaxLiveStreams)}
	ds.CallResourceHandler = httpadapter.New(ds.resources())
	conn, demo := s, ""
	if s.kind().tenant() {
		ds.span = ds.askReplay(ctx, s)
	} else {
		sim, demoConn, err := startDemo(s)
		if err != nil {
			return nil, err
		}
		ds.demo, conn, demo = sim, demoConn, demoDescription(s)
	}
	scfg, err := ds.storeConfig(s, srv, uid)
	if err != nil {
		ds.Dispose()
		return nil, err
	}
	src, err := ds.newSource(s, conn, demo)
	if err != nil {
		ds.Dispose()
		return nil, fmt.Errorf("%w: %v", ErrSettings, err)
	}
	ds.src = src
	ds.store = store.New(src, scfg)
	if ds.span == nil { // a replay is small and clipped to its span: the store answers it
		ds.pushdown = newPushDown(s, src, scfg.L1Bytes, ds.store.SideCache(pushDownSpace))
	}
	ds.reserved = int64(scfg.L1Bytes)
	if ds.pushdown != nil {
		ds.reserved += int64(pushDownCacheBytes(scfg.L1Bytes))
	}
	plans := planCacheBytes(scfg.L1Bytes)
	ds.reserved += plans
	reserveCacheMemory(ds.reserved)
	ds.engine = query.New(ds.reader(), query.WithLimits(s.Limits()), query.WithMemoryGuard(processGuard()),
		query.WithPlanCacheBytes(plans), pushDownRouting(s, ds.pushdown))
	ds.startWarming(time.Now())
	return ds, nil
}

// planCacheBytes bounds the engine's plans kept across queries (query's
// planCache): an eighth of the store's cache. A plan costs about 4 bytes per
// profile of its table, some 0.4 B per sign-in held, against the store's
// 31 B (BENCHMARKS.md, finding 9): an eighth keeps about ten panels' plans of
// every table held. It counts as cache memory, as the store's does.
func planCacheBytes(cacheBytes int) int64 { return int64(max(cacheBytes/8, 16<<20)) }

// newSource builds the client of the API the settings read, connected as
// conn says (the settings themselves, or the demo tenant's), sharing one
// request budget with the store.
func (ds *Datasource) newSource(s, conn Settings, demo string) (source, error) {
	n, window := ds.requestBudget(s)
	return s.kind().api(s).connect(s, conn, ds.counters, n, window, demo)
}

func graphConfig(s Settings) graph.Config {
	return graph.Config{
		Cloud:             s.Cloud,
		TenantID:          s.TenantID,
		ClientID:          s.ClientID,
		AuthType:          s.AuthType,
		ClientSecret:      s.ClientSecret,
		ClientCertificate: []byte(s.ClientCertificate),
		GraphEndpoint:     s.GraphEndpoint,
		AuthorityHost:     s.AuthorityHost,
		TLSCACert:         []byte(s.TLSCACert),
	}
}

// Dispose saves and releases the cache and stops the demo tenant, if any. Grafana
// calls it when the settings change or the datasource is deleted.
func (ds *Datasource) Dispose() {
	ds.stopWarming()
	reserveCacheMemory(-ds.reserved)
	ds.reserved = 0
	ds.counters.forget()
	if ds.store != nil {
		ds.store.Close()
	}
	if ds.demo != nil {
		if err := ds.demo.Close(); err != nil {
			log.DefaultLogger.Warn("stopping the demo tenant", "error", err)
		}
	}
}
