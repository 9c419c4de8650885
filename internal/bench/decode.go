package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// decodeTarget is the bar: the compact decoder at least 4× encoding/json.
const decodeTarget = 4

// plainPage is what a client without SignInLens' decoder would write: every
// field of every sign-in, with encoding/json.
type plainPage struct {
	Context  string         `json:"@odata.context"`
	NextLink string         `json:"@odata.nextLink"`
	Value    []synth.SignIn `json:"value"`
}

// Sinks keep the compiler from discarding decoded pages.
var (
	sinkEvents []signin.Event
	sinkPlain  plainPage
)

// Decode measures figure a: Graph pages decoded into compact events by
// graph.DecodePage against encoding/json decoding the same pages into a struct
// of every field (synth.SignIn). The pages are one busy hour of the tenant,
// all four logs, cut into pages of 1,000 as Graph serves them. The decoders
// take turns over the whole set, in alternating order, until each has run for
// Options.DecodeMinTime, so both see the same machine load.
func Decode(ctx context.Context, o Options) ([]Result, error) {
	pages, records, err := busyPages(o)
	if err != nil {
		return nil, err
	}
	size := 0
	for _, p := range pages {
		size += len(p)
	}
	compact := func() error {
		for _, p := range pages {
			events, _, err := graph.DecodePage(p)
			if err != nil {
				return err
			}
			sinkEvents = events
		}
		return nil
	}
	plain := func() error {
		for _, p := range pages {
			var pg plainPage
			if err := json.Unmarshal(p, &pg); err != nil {
				return err
			}
			sinkPlain = pg
		}
		return nil
	}
	// One untimed pass each warms caches and grows the heap to its working size.
	if err := compact(); err != nil {
		return nil, fmt.Errorf("bench: graph.DecodePage: %w", err)
	}
	if err := plain(); err != nil {
		return nil, fmt.Errorf("bench: encoding/json: %w", err)
	}
	stop := profile(o, "decode")
	var tCompact, tPlain time.Duration
	rounds := 0
	for tCompact < o.DecodeMinTime || tPlain < o.DecodeMinTime {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		first, second, t1, t2 := compact, plain, &tCompact, &tPlain
		if rounds%2 == 1 {
			first, second, t1, t2 = plain, compact, &tPlain, &tCompact
		}
		start := time.Now()
		if err := first(); err != nil {
			return nil, err
		}
		mid := time.Now()
		if err := second(); err != nil {
			return nil, err
		}
		*t1 += mid.Sub(start)
		*t2 += time.Since(mid)
		rounds++
	}
	stop()
	mb := float64(size) * float64(rounds) / 1e6
	n := float64(records) * float64(rounds)
	cMBs, pMBs := mb/tCompact.Seconds(), mb/tPlain.Seconds()
	ratio := cMBs / pMBs
	set := fmt.Sprintf("%d pages, %d sign-ins, %.1f MB (%.0f B/sign-in), %d rounds", len(pages), records, float64(size)/1e6, float64(size)/float64(records), rounds)
	return []Result{
		info("a. decode: graph.DecodePage → compact events", cMBs, "MB/s",
			fmt.Sprintf("%.0f sign-ins/s; %s", n/tCompact.Seconds(), set)),
		info("a. decode: encoding/json → every field", pMBs, "MB/s",
			fmt.Sprintf("%.0f sign-ins/s; into synth.SignIn (all %d top-level fields)", n/tPlain.Seconds(), countFields())),
		atLeast("a. decode: compact ÷ encoding/json", ratio, "×", decodeTarget,
			"same pages, same run, interleaved; MB = 10⁶ bytes; one goroutine decodes, GC may use the other core"),
	}, nil
}

// busyPages returns the busy hour of every log as Graph pages of 1,000 and the
// sign-ins they hold; Options.DecodePages keeps the first pages only.
func busyPages(o Options) ([][]byte, int, error) {
	tn, err := newTenant(o.Seed, o.Tenant)
	if err != nil {
		return nil, 0, err
	}
	var pages [][]byte
	records := 0
	for _, lt := range signin.LogTypes {
		recs := tn.Hour(lt, busyHour)
		for len(recs) > 0 {
			n := min(pageSize, len(recs))
			next := ""
			if n < len(recs) {
				next = graphNextLink
			}
			p, err := graphPage(recs[:n], next)
			if err != nil {
				return nil, 0, err
			}
			pages, records, recs = append(pages, p), records+n, recs[n:]
			if o.DecodePages > 0 && len(pages) == o.DecodePages {
				return pages, records, nil
			}
		}
	}
	if len(pages) == 0 {
		return nil, 0, fmt.Errorf("bench: the %s tenant has no sign-ins at %s", o.Tenant, busyHour.Format(time.RFC3339))
	}
	return pages, records, nil
}

func countFields() int {
	var s synth.SignIn
	b, _ := json.Marshal(s)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	return len(m)
}
