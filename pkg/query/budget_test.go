package query

import (
	"context"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/budget"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// stallingSource answers interactive sign-ins at once from its sliceReader and
// holds every other log type until released or the fetch is cancelled. The
// release is a context: package query has a close of its own.
type stallingSource struct {
	sliceReader
	released context.Context
}

func newStallingSource() (stallingSource, context.CancelFunc) {
	released, release := context.WithCancel(context.Background())
	return stallingSource{released: released}, release
}

func (s stallingSource) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	if t != signin.Interactive {
		select {
		case <-s.released.Done():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return s.sliceReader.ListSignIns(ctx, t, from, to, fn)
}

// TestPartialCountsWholeLogTypes: a query over all log types of which only
// interactive loads in the request's budget answers partially, and its notice
// counts interactive's windows as loaded out of those of all four log types.
func TestPartialCountsWholeLogTypes(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	src, release := newStallingSource()
	for i := 0; i < 40; i++ {
		src.sliceReader = append(src.sliceReader, sampleEvent(day, i))
	}
	st := store.New(src, store.Config{L1Bytes: 32 << 20, TimeBudget: 10 * time.Second})
	defer st.Close()
	defer release() // before Close: the stalled fetches finish
	q, err := Parse([]byte(`{"logType":"all","format":"table","metric":"count"}`))
	if err != nil {
		t.Fatal(err)
	}
	r := Range{From: day, To: day.Add(3 * time.Hour), Interval: time.Minute}
	ctx := budget.WithDeadline(context.Background(), time.Now().Add(200*time.Millisecond))
	res, err := New(st).Table(ctx, q, r)
	if err != nil {
		t.Fatal(err)
	}
	windows := st.Windows(r.From, r.To)
	if p := res.Partial; p == nil || p.Loaded != windows || p.Total != 4*windows {
		t.Fatalf("unexpected partial answer %+v; want %d of %d windows", p, windows, 4*windows)
	}
	interactive := 0
	for _, e := range src.sliceReader {
		if e.LogType == signin.Interactive && e.Created.Before(r.To) {
			interactive++
		}
	}
	if rows := res.Table.Rows; len(rows) != 1 || rows[0].Value != float64(interactive) {
		t.Fatalf("unexpected rows %+v; want one row counting the %d interactive sign-ins", rows, interactive)
	}
}

// TestWholeAnswerIsNotPartial: log types that all load in time give no
// partial answer, however many windows they cover.
func TestWholeAnswerIsNotPartial(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	src, release := newStallingSource()
	release()
	st := store.New(src, store.Config{L1Bytes: 32 << 20})
	defer st.Close()
	q, err := Parse([]byte(`{"logType":"all","format":"table","metric":"count"}`))
	if err != nil {
		t.Fatal(err)
	}
	ctx := budget.WithDeadline(context.Background(), time.Now().Add(10*time.Second))
	res, err := New(st).Table(ctx, q, Range{From: day, To: day.Add(3 * time.Hour), Interval: time.Minute})
	if err != nil || res.Partial != nil {
		t.Fatalf("unexpected partial answer %+v, error %v; want a whole answer", res.Partial, err)
	}
}
