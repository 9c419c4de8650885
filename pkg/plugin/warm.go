package plugin

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Warming: when a datasource starts, the store loads its last warmDays of
// sign-ins in the background, newest day first and every log type of a day
// before the day before, so the dashboards' "last 24 hours" is warm first.
// It goes through the store like any query, so it shares the request budget
// with the panels and every window it loads is cached (and, with a cache
// directory, persisted: a restart finds them on disk and goes on from there).

// warmRetry is how long warming waits after a failed fetch before it tries
// the day again; warmAttempts bounds the tries of one day and log type.
const (
	warmRetry    = 30 * time.Second
	warmAttempts = 5
)

// warmProgress is what the cache status, the stats resource and the metrics
// say of warming.
type warmProgress struct {
	total   atomic.Int64 // windows to load: log types × hours
	loaded  atomic.Int64 // windows loaded so far
	signIns atomic.Int64 // sign-ins in them
	failed  atomic.Int64 // windows given up after warmAttempts
	started time.Time
	done    atomic.Bool

	stop context.CancelFunc
	wg   sync.WaitGroup
}

// secondsLeft estimates the time left from the rate so far; -1 when unknown.
func (p *warmProgress) secondsLeft(now time.Time) int64 {
	loaded, total := p.loaded.Load(), p.total.Load()
	if p.done.Load() || total == 0 {
		return 0
	}
	if loaded == 0 {
		return -1
	}
	perWindow := now.Sub(p.started).Seconds() / float64(loaded)
	return int64(perWindow * float64(total-loaded-p.failed.Load()))
}

// startWarming loads the last WarmDays in the background. A replayed file
// has no "last days" (its span is its own) and is read from disk at once.
func (ds *Datasource) startWarming(now time.Time) {
	ds.warm = &warmProgress{started: now}
	days := ds.settings.WarmDays
	if days <= 0 || ds.span != nil {
		ds.warm.done.Store(true)
		return
	}
	end := now.UTC().Truncate(time.Hour)
	start := end.Add(-time.Duration(days) * 24 * time.Hour)
	ds.warm.total.Store(int64(len(signin.LogTypes)) * int64(end.Sub(start)/time.Hour))
	ds.warm.publish(ds.counters.uid)
	ctx, cancel := context.WithCancel(context.Background())
	ds.warm.stop = cancel
	ds.warm.wg.Add(1)
	go func() {
		defer ds.warm.wg.Done()
		ds.warmRange(ctx, start, end)
	}()
}

// stopWarming ends warming and waits for it, before the store closes.
func (ds *Datasource) stopWarming() {
	if ds.warm != nil && ds.warm.stop != nil {
		ds.warm.stop()
		ds.warm.wg.Wait()
	}
}

func (ds *Datasource) warmRange(ctx context.Context, start, end time.Time) {
	defer ds.warm.done.Store(true)
	logger := log.DefaultLogger.With("datasource", ds.counters.uid)
	for dayEnd := end; dayEnd.After(start); dayEnd = dayEnd.Add(-24 * time.Hour) {
		dayStart := dayEnd.Add(-24 * time.Hour)
		if dayStart.Before(start) {
			dayStart = start
		}
		for _, lt := range signin.LogTypes {
			if err := ds.warmDay(ctx, lt, dayStart, dayEnd); err != nil {
				if ctx.Err() != nil {
					return
				}
				logger.Warn("Warming the cache: giving up a day", "logType", lt.String(), "day", dayStart.Format(time.DateOnly), "error", err)
			}
		}
	}
	logger.Info("Warming the cache: done", "windows", ds.warm.loaded.Load(), "signIns", ds.warm.signIns.Load(),
		"failed", ds.warm.failed.Load(), "took", time.Since(ds.warm.started).Round(time.Second).String())
}

// warmDay loads one day of one log type. A partial answer means the rest is
// still loading: the store goes on in the background and the next Scan waits
// for it. A failed fetch is retried a few times, then the day is given up
// (a later query asks again).
func (ds *Datasource) warmDay(ctx context.Context, lt signin.LogType, from, to time.Time) error {
	windows := int64(to.Sub(from) / time.Hour)
	var err error
	for attempt := 0; attempt < warmAttempts; {
		var n int64
		err = ds.reader().Scan(ctx, lt, from, to, func(_ *block.Block, lo, hi int) { n += int64(hi - lo) })
		switch {
		case err == nil:
			ds.warm.loaded.Add(windows)
			ds.warm.signIns.Add(n)
			ds.warm.publish(ds.counters.uid)
			return nil
		case query.IsPartial(err):
			continue // not a failure: the rest is loading
		case ctx.Err() != nil:
			return ctx.Err()
		}
		attempt++
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(warmRetry):
		}
	}
	ds.warm.failed.Add(windows)
	ds.warm.publish(ds.counters.uid)
	return err
}

// publish sets the warming gauges of the datasource.
func (p *warmProgress) publish(uid string) {
	warmWindows.WithLabelValues(uid, "total").Set(float64(p.total.Load()))
	warmWindows.WithLabelValues(uid, "loaded").Set(float64(p.loaded.Load()))
	warmWindows.WithLabelValues(uid, "failed").Set(float64(p.failed.Load()))
}
