package query

import (
	"context"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary query JSON to the parser and runs what parses over a
// small fixed day: no input may panic or hang, and every accepted query answers.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `{"logType":"all","format":"table","metric":"distinctUsers","groupBy":["app","os"],"limit":5}`,
		`{"format":"grouped","logType":"servicePrincipal","timeAggregate":"6h"}`,
		`{"format":"logs","filters":[{"key":"app","op":"=~","value":"(a|b)+"},{"key":"country","op":"in","value":["US","DE"]}]}`,
		`{"queryType":"variable","key":"browser"}`, `{"timeFrom":"2026-03-02T01:00:00Z","timeTo":"2026-03-02T02:00:00Z"}`,
		`{"filters":[{"key":"user","op":"startsWith","value":null}]}`, `{"limit":1e308}`, `{"groupBy":[1,2]}`,
	} {
		f.Add([]byte(seed))
	}
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	e := fuzzReader(day).engine() // one store for every input: stores are not free
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := Parse(data)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r := q.Narrow(Range{From: day, To: day.Add(24 * time.Hour), Interval: time.Minute})
		if !r.From.Before(r.To) {
			return
		}
		if _, err := e.Run(ctx, q, r); err != nil && ctx.Err() != nil {
			t.Fatalf("query %s did not finish: %v", data, err)
		}
	})
}

func fuzzReader(day time.Time) sliceReader {
	var r sliceReader
	for i := 0; i < 200; i++ {
		r = append(r, sampleEvent(day, i))
	}
	return r
}
