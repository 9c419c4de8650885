package plugin

import (
	"context"
	"runtime/debug"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/pkg/memguard"
)

// TestSoftLimitCountsTheCaches: the garbage collector's soft limit leaves
// room for what the datasources' caches hold, from when a datasource starts
// until it is disposed; below it, a full cache would keep the collector
// running without pause.
func TestSoftLimitCountsTheCaches(t *testing.T) {
	if got, want := memguard.SoftLimit(1<<30, 2<<30), int64(1<<30+2<<30+512<<20); got != want {
		t.Errorf("SoftLimit(1 GiB, 2 GiB) = %d; want %d", got, want)
	}
	if got, want := memguard.SoftLimit(100<<20, 0), int64(512<<20); got != want {
		t.Errorf("SoftLimit(100 MiB, 0) = %d; want the floor %d", got, want)
	}
	if operatorLimit() > 0 {
		t.Skip("the process started with a memory limit (GOMEMLIMIT): the plugin leaves the limit to it")
	}
	processGuard() // sets the limit for the queries' ceiling, once per process
	before := debug.SetMemoryLimit(-1)
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "softlimit",
		JSONData: unwarmed(`{"source":"demo","demoSize":"small","cacheSizeMB":300}`)})
	if err != nil {
		t.Fatal(err)
	}
	ds := inst.(*Datasource)
	// The store's cache and the engine's plans kept across queries.
	caches := int64(300<<20) + planCacheBytes(300<<20)
	if got, want := debug.SetMemoryLimit(-1)-before, caches+caches/4; got != want {
		t.Errorf("a datasource of cacheSizeMB 300 raised the limit by %d; want %d", got, want)
	}
	ds.Dispose()
	ds.Dispose() // Grafana may dispose twice; the cache is released once
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("the limit after Dispose is %d; want %d as before", got, before)
	}
}
