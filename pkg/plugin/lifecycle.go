package plugin

import (
	"context"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
)

// The SDK disposes a datasource instance when its settings change, never when
// Grafana stops the plugin process: without Shutdown, a store would not save
// its cache on the way out, and a restart would refetch every window loaded
// since the last periodic save.

// live are the datasources of this process that hold a store.
var live = struct {
	sync.Mutex
	set map[*processDatasource]struct{}
}{set: make(map[*processDatasource]struct{})}

// processDatasource is a Datasource the process remembers until it is disposed.
type processDatasource struct {
	*Datasource
	once sync.Once
}

// NewProcessDatasource is NewDatasource for the plugin process (main): it
// remembers the instances it makes, so Shutdown can close them.
func NewProcessDatasource(ctx context.Context, is backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	inst, err := NewDatasource(ctx, is)
	ds, ok := inst.(*Datasource)
	if err != nil || !ok {
		return inst, err
	}
	p := &processDatasource{Datasource: ds}
	live.Lock()
	live.set[p] = struct{}{}
	live.Unlock()
	return p, nil
}

// Dispose closes the datasource once, whether the SDK or Shutdown asks first.
func (p *processDatasource) Dispose() {
	live.Lock()
	delete(live.set, p)
	live.Unlock()
	p.once.Do(p.Datasource.Dispose)
}

// Shutdown disposes every live datasource, concurrently: each store stops its
// fetches and saves its cache to disk. main calls it when the plugin is told
// to stop; Grafana waits about two seconds before it kills the process.
func Shutdown() {
	live.Lock()
	all := make([]*processDatasource, 0, len(live.set))
	for p := range live.set {
		all = append(all, p)
	}
	live.Unlock()
	var wg sync.WaitGroup
	for _, p := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.Dispose()
		}()
	}
	wg.Wait()
}
