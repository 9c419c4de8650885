package query

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

func TestParse(t *testing.T) {
	f := func(in string, want Query) {
		t.Helper()
		got, err := Parse([]byte(in))
		if err != nil {
			t.Fatalf("unexpected error for %s: %v", in, err)
		}
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Fatalf("unexpected query for %s;\ngot  %+v\nwant %+v", in, got, want)
		}
	}
	interactive := []signin.LogType{signin.Interactive}
	f(``, Query{LogTypes: interactive, Format: TimeSeries, Metric: Count, Limit: 20})
	f(`{}`, Query{LogTypes: interactive, Format: TimeSeries, Metric: Count, Limit: 20})
	f(`{"logType":"managedIdentity","metric":"failures","timeAggregate":"6h","groupBy":[],"filters":[]}`,
		Query{LogTypes: []signin.LogType{signin.ManagedIdentity}, Format: TimeSeries, Metric: Failures, TimeAggregate: 6 * time.Hour, Limit: 20})
	f(`{"logType":"all","format":"table","metric":"distinctUsers","groupBy":["app","logType"],"limit":5}`,
		Query{LogTypes: signin.LogTypes, Format: Table, Metric: DistinctUsers, GroupBy: []signin.Dimension{signin.DimApp, signin.DimLogType}, Limit: 5})
	f(`{"format":"logs"}`, Query{LogTypes: interactive, Format: Logs, Metric: Count, Limit: 100})
	f(`{"format":"grouped","logType":"nonInteractive","timeAggregate":"24h"}`,
		Query{LogTypes: []signin.LogType{signin.NonInteractive}, Format: Grouped, Metric: Count, TimeAggregate: 24 * time.Hour, Limit: 1000})
}

func TestParseErrors(t *testing.T) {
	f := func(in string, wantErr error, wantText string) {
		t.Helper()
		_, err := Parse([]byte(in))
		if !errors.Is(err, wantErr) || !strings.Contains(err.Error(), wantText) {
			t.Fatalf("unexpected error for %s; got %v; want %v containing %q", in, err, wantErr, wantText)
		}
	}
	f(`{"logType":"batch"}`, ErrInvalidQuery, `unknown logType "batch"`)
	f(`{"metric":"sum"}`, ErrInvalidQuery, `unknown metric "sum"`)
	f(`{"timeAggregate":"2h"}`, ErrInvalidQuery, `timeAggregate "2h"`)
	f(`{"logType":`, ErrInvalidQuery, "query JSON")
	f(`{"format":"chart"}`, ErrInvalidQuery, `format "chart"`)
	f(`{"groupBy":["app","user","ipAddress","os"]}`, ErrInvalidQuery, "at most 3")
	f(`{"groupBy":["app","app"]}`, ErrInvalidQuery, "twice")
	f(`{"groupBy":["password"]}`, ErrInvalidQuery, `groupBy[0]: unknown dimension "password"`)
	f(`{"filters":[{"key":"app","op":"~","value":"x"}]}`, ErrInvalidQuery, `filters[0].op "~"`)
	f(`{"filters":[{"key":"nope","op":"=","value":"x"}]}`, ErrInvalidQuery, `filters[0].key`)
	f(`{"filters":[{"key":"app","op":"=~","value":"(unclosed"}]}`, ErrInvalidQuery, "not a valid RE2")
	f(`{"limit":0.5}`, ErrInvalidQuery, "limit 0.5")
	f(`{"limit":100001}`, ErrInvalidQuery, "limit 100001")
	f(`{"limit":-1}`, ErrInvalidQuery, "limit -1")
	f(`{"format":"grouped","logType":"all"}`, ErrInvalidQuery, "one logType")
	f(`{"timeFrom":"yesterday"}`, ErrInvalidQuery, "timeFrom")
	f(`{"queryType":"variable","key":"nope"}`, ErrInvalidQuery, "key")
}

func TestBucketSize(t *testing.T) {
	f := func(agg, interval, want time.Duration) {
		t.Helper()
		if got := (Query{TimeAggregate: agg}).BucketSize(interval); got != want {
			t.Fatalf("unexpected bucket for %v/%v; got %v; want %v", agg, interval, got, want)
		}
	}
	f(time.Hour, 15*time.Second, time.Hour)
	f(0, 15*time.Second, time.Minute)
	f(0, 0, time.Minute)
	f(0, 5*time.Minute, 5*time.Minute)
	f(0, 301*time.Second, 6*time.Minute)
}

// sliceReader serves fixed events through a real store, as one cached source.
type sliceReader []signin.Event

func (r sliceReader) ListSignIns(_ context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	var page []signin.Event
	for _, e := range r {
		if e.LogType == t && !e.Created.Before(from) && e.Created.Before(to) {
			page = append(page, e)
		}
	}
	return fn(page)
}

// engine answers over a store of r's sign-ins, unthrottled, without persistence.
func (r sliceReader) engine() *Engine {
	return New(store.New(r, store.Config{L1Bytes: 32 << 20}))
}

func TestTimeSeries(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	ev := func(minute int, code int32) signin.Event {
		return signin.Event{Created: day.Add(time.Duration(minute) * time.Minute), ErrorCode: code}
	}
	r := sliceReader{ev(5, 0), ev(10, 50126), ev(59, 50140), ev(61, 0), ev(150, 53003), ev(180, 0), {LogType: signin.ServicePrincipal, Created: day}}
	e := r.engine()
	f := func(metric Metric, want []float64) {
		t.Helper()
		q := Query{LogTypes: []signin.LogType{signin.Interactive}, Format: TimeSeries, Metric: metric, TimeAggregate: time.Hour}
		res, err := e.TimeSeries(context.Background(), q, Range{day, day.Add(3 * time.Hour), time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		series := res.Series
		if len(series) != 1 || len(series[0].Values) != len(want) {
			t.Fatalf("unexpected series %+v; want %d points", series, len(want))
		}
		for i, v := range series[0].Values {
			if v != want[i] {
				t.Fatalf("%s: unexpected value at %d; got %v; want %v", metric, i, v, want[i])
			}
			if ts := series[0].Times[i]; !ts.Equal(day.Add(time.Duration(i) * time.Hour)) {
				t.Fatalf("unexpected bucket start %v", ts)
			}
		}
	}
	f(Count, []float64{3, 1, 1})
	f(Successes, []float64{1, 1, 0})
	f(Failures, []float64{1, 0, 1})
	f(Interrupts, []float64{1, 0, 0})
	f(FailureRate, []float64{100.0 / 3, 0, 100})
	f(SuccessRate, []float64{100.0 / 3, 100, 0})
}

func TestTooManyBuckets(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	_, err := sliceReader{}.engine().TimeSeries(context.Background(), Query{Metric: Count}, Range{day, day.Add(365 * 24 * time.Hour), time.Minute})
	if !errors.Is(err, ErrInvalidQuery) {
		t.Fatalf("unexpected error %v; want ErrInvalidQuery", err)
	}
}

// sampleEvent is a varied sign-in for small in-memory tests.
func sampleEvent(day time.Time, i int) signin.Event {
	apps := []string{"Teams", "Outlook", "Azure Portal"}
	codes := []int32{0, 0, 50126, 50140, 53003}
	return signin.Event{
		ID: fmt.Sprintf("id-%04d", i), Created: day.Add(time.Duration(i) * 7 * time.Minute), LogType: signin.LogTypes[i%4],
		UserID: fmt.Sprintf("u%d", i%13), UserPrincipalName: fmt.Sprintf("user%d@contoso.com", i%13), AppDisplayName: apps[i%3],
		AppID: fmt.Sprintf("app-%d", i%3), IPAddress: fmt.Sprintf("203.0.113.%d", i%17), ErrorCode: codes[i%5],
		Browser: "Chrome 120.0", OperatingSystem: "Windows10", CountryOrRegion: []string{"US", "DE"}[i%2],
	}
}
