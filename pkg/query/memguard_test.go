package query

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/memguard"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

var guardDay = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// manyIPs is 5,000 sign-ins over a day, each from its own address.
func manyIPs() sliceReader {
	var r sliceReader
	for i := range 5000 {
		r = append(r, signin.Event{ID: fmt.Sprint(i), Created: guardDay.Add(time.Duration(i) * 17 * time.Second), IPAddress: fmt.Sprintf("10.0.%d.%d", i/250, i%250)})
	}
	return r
}

func mustParse(t *testing.T, s string) Query {
	t.Helper()
	q, err := Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestMemoryGuardRefusesAHeavyQuery: a time series of 1,440 buckets grouped by
// 5,000 addresses would hold about 290 MB of cells; under a 2 MB guard it fails
// with ErrMemory, naming the setting, and gives everything back.
func TestMemoryGuardRefusesAHeavyQuery(t *testing.T) {
	r := manyIPs()
	day := Range{From: guardDay, To: guardDay.Add(24 * time.Hour), Interval: time.Minute}
	for _, tc := range []struct {
		name, query string
		limit       int64
	}{
		{"time series", `{"format":"timeSeries","groupBy":["ipAddress"],"limit":100}`, 2 << 20},
		{"table", `{"format":"table","groupBy":["ipAddress"],"limit":100}`, 512 << 10}, // ~300 B a group
		{"logs", `{"format":"logs","limit":10000}`, 2 << 20},
		{"values", `{"queryType":"variable","key":"ipAddress"}`, 128 << 10}, // 64 B a value
	} {
		q := mustParse(t, tc.query)
		g := memguard.New(tc.limit)
		_, err := New(r.engine().r, WithMemoryGuard(g)).Run(context.Background(), q, day)
		if !errors.Is(err, memguard.ErrMemory) || !strings.Contains(err.Error(), "query_memory_limit_mb") {
			t.Fatalf("%s: err = %v; want ErrMemory naming query_memory_limit_mb", tc.name, err)
		}
		if got := g.InUse(); got != 0 {
			t.Fatalf("%s: %d bytes still reserved after the query failed", tc.name, got)
		}
		if _, err := r.engine().Run(context.Background(), q, day); err != nil {
			t.Fatalf("%s without a guard: %v", tc.name, err)
		}
	}
	// Within the ceiling the guard changes nothing, and gives everything back.
	g := memguard.New(2 << 20)
	res, err := New(r.engine().r, WithMemoryGuard(g)).Run(context.Background(), mustParse(t, `{"groupBy":["ipAddress"]}`), Range{From: guardDay, To: guardDay.Add(time.Hour), Interval: time.Hour})
	if err != nil || len(res.Series) != 21 {
		t.Fatalf("a light query: %d series, err %v", len(res.Series), err)
	}
	if got := g.InUse(); got != 0 {
		t.Fatalf("%d bytes still reserved after the query answered", got)
	}
}

// pausingReader stops the scan that starts at from, once it has been read,
// until resume is closed: a query caught holding its groups.
type pausingReader struct {
	Reader
	from           time.Time
	paused, resume chan struct{}
}

func (p *pausingReader) Scan(ctx context.Context, t signin.LogType, from, to time.Time, fn func(b *block.Block, lo, hi int)) error {
	err := p.Reader.Scan(ctx, t, from, to, fn)
	if from.Equal(p.from) {
		p.paused <- struct{}{} // not close: a test of this package names a func close
		<-p.resume
	}
	return err
}

// TestMemoryGuardSharesTheCeiling: heavy queries reserve what they may need,
// at most half the ceiling, before they start. Two caught holding their
// reservations fill the ceiling; a third waits, holding nothing, until one is
// done, or gives up with its context; a query that outgrows its reservation
// beside another fails fast instead of passing the ceiling.
func TestMemoryGuardSharesTheCeiling(t *testing.T) {
	r := append(sliceReader{}, manyIPs()...)
	src := r.engine().r
	heavyQuery := mustParse(t, `{"groupBy":["ipAddress"],"limit":100}`)
	day := Range{From: guardDay, To: guardDay.Add(24 * time.Hour), Interval: time.Minute} // 1,440 buckets
	const ceiling = 64 << 20
	g := memguard.New(ceiling)

	// run starts a light query (three addresses in the day's first minute)
	// and returns once it holds its reservation.
	light := mustParse(t, `{"groupBy":["ipAddress"],"filters":[{"key":"ipAddress","op":"in","value":"10.0.0.0,10.0.0.1,10.0.0.2"}]}`)
	run := func() (resume func(), done <-chan error) {
		p := &pausingReader{Reader: src, from: day.From, paused: make(chan struct{}, 1), resume: make(chan struct{}, 1)}
		errc := make(chan error, 1)
		go func() {
			_, err := New(p, WithMemoryGuard(g)).Run(context.Background(), light, day)
			errc <- err
		}()
		<-p.paused
		return func() { p.resume <- struct{}{} }, errc
	}
	resumeA, doneA := run()
	if got := g.InUse(); got != ceiling/2 {
		t.Fatalf("a query of a worst case past half the ceiling holds %d; want %d", got, ceiling/2)
	}
	resumeB, doneB := run()
	if got := g.InUse(); got != ceiling {
		t.Fatalf("two queries hold %d; want the ceiling %d", got, ceiling)
	}

	// A third waits, holding nothing, and gives up with its context.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := New(src, WithMemoryGuard(g)).Run(ctx, heavyQuery, day); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a query waiting past its deadline: err = %v", err)
	}
	// Given time, it starts once A is done; its 5,000 groups (about 290 MB)
	// outgrow its reservation beside B and it fails fast.
	errC := make(chan error, 1)
	go func() {
		_, err := New(src, WithMemoryGuard(g)).Run(context.Background(), heavyQuery, day)
		errC <- err
	}()
	select {
	case err := <-errC:
		t.Fatalf("the third query did not wait: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	resumeA()
	if err := <-doneA; err != nil {
		t.Fatalf("A: %v", err)
	}
	if err := <-errC; !errors.Is(err, memguard.ErrMemory) {
		t.Fatalf("a query outgrowing its reservation beside B: err = %v; want ErrMemory", err)
	}
	resumeB()
	if err := <-doneB; err != nil {
		t.Fatalf("B: %v", err)
	}
	if got := g.InUse(); got != 0 {
		t.Fatalf("%d bytes still reserved", got)
	}
}
