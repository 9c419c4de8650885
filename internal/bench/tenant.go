package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// busyHour is a Wednesday afternoon, when Europe and the United States both
// work: the medium tenant's busiest kind of hour.
var busyHour = time.Date(2026, 1, 14, 14, 0, 0, 0, time.UTC)

// graphContext and a skip-token nextLink make the synthetic pages as long as
// Graph's: every page but the last carries both.
const (
	graphContext  = "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns"
	graphNextLink = "https://graph.microsoft.com/beta/auditLogs/signIns?$filter=createdDateTime+ge+2026-01-14T14:00:00Z+and+createdDateTime+lt+2026-01-14T15:00:00Z+and+signInEventTypes/any(t:t+eq+'nonInteractiveUser')&$top=1000&$skiptoken=186ac5626b89ae2a991ff26b674ac381be50b941a40542cb66f8136f2887275b"
)

func newTenant(seed int64, size string) (*synth.Tenant, error) {
	tn, err := synth.New(seed, size)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return tn, nil
}

// graphPage writes records as one Graph collection page, the way the simulator
// serves them: compact JSON without HTML escaping, in Graph's key order.
func graphPage(recs []synth.SignIn, next string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteString(`{"@odata.context":"` + graphContext + `"`)
	if next != "" {
		b.WriteString(`,"@odata.nextLink":`)
		if err := enc.Encode(next); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode ends with a newline
	}
	b.WriteString(`,"value":[`)
	for i := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(&recs[i]); err != nil {
			return nil, fmt.Errorf("bench: marshalling sign-in %s: %w", recs[i].ID, err)
		}
		b.Truncate(b.Len() - 1)
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

// decoded returns records as the Graph client decodes them from a page.
func decoded(lt signin.LogType, recs []synth.SignIn) ([]signin.Event, error) {
	page, err := graphPage(recs, "")
	if err != nil {
		return nil, err
	}
	events, _, err := graph.DecodePage(page)
	if err != nil {
		return nil, fmt.Errorf("bench: decoding synthetic %s sign-ins: %w", lt, err)
	}
	for i := range events {
		events[i].LogType = lt
	}
	return events, nil
}

// eventSet holds sign-ins per log type, each list oldest first (then by id),
// with their strings other than the id interned: a week of the medium tenant
// then fits in about a gigabyte.
type eventSet map[signin.LogType][]signin.Event

func (s eventSet) count() int {
	n := 0
	for _, evs := range s {
		n += len(evs)
	}
	return n
}

// generate returns the sign-ins of every log type created in [from, to) as the
// Graph client decodes them, generating and decoding one hour at a time on
// every core.
func generate(tn *synth.Tenant, from, to time.Time) (eventSet, error) {
	type job struct {
		lt   signin.LogType
		hour time.Time
	}
	var jobs []job
	for _, lt := range signin.LogTypes {
		for h := from.UTC().Truncate(time.Hour); h.Before(to); h = h.Add(time.Hour) {
			jobs = append(jobs, job{lt, h})
		}
	}
	results := make([][]signin.Event, len(jobs))
	errs := make([]error, len(jobs))
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := newInterner()
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= len(jobs) {
					return
				}
				j := jobs[k]
				evs, err := decoded(j.lt, tn.Range(j.lt, later(from, j.hour), earlier(to, j.hour.Add(time.Hour))))
				for e := range evs {
					in.event(&evs[e])
				}
				results[k], errs[k] = evs, err
			}
		}()
	}
	wg.Wait()
	set := make(eventSet)
	for k, j := range jobs {
		if errs[k] != nil {
			return nil, errs[k]
		}
		set[j.lt] = append(set[j.lt], results[k]...)
	}
	for _, evs := range set {
		slices.SortFunc(evs, compareOldest)
	}
	return set, nil
}

func compareOldest(a, b signin.Event) int {
	if c := a.Created.Compare(b.Created); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// eventStrings are the indexes of signin.Event's string fields other than ID:
// the ones a decoder allocates per sign-in and a profile shares.
var eventStrings = func() []int {
	t := reflect.TypeFor[signin.Event]()
	var idx []int
	for i := range t.NumField() {
		if f := t.Field(i); f.Type.Kind() == reflect.String && f.Name != "ID" {
			idx = append(idx, i)
		}
	}
	return idx
}()

// eachString calls fn with a pointer to each string field of e, the id included.
func eachString(e *signin.Event, fn func(*string)) {
	fn(&e.ID)
	v := reflect.ValueOf(e).Elem()
	for _, i := range eventStrings {
		fn(v.Field(i).Addr().Interface().(*string))
	}
}

// cloneStrings gives e its own copy of every string, as decoding a page does:
// a store fed clones holds what it would hold in production, not strings
// shared with the benchmark's data.
func cloneStrings(e *signin.Event) {
	eachString(e, func(s *string) { *s = strings.Clone(*s) })
}

// interner shares equal strings other than ids.
type interner map[string]string

func newInterner() interner { return make(interner) }

func (in interner) event(e *signin.Event) {
	id := e.ID
	eachString(e, func(s *string) {
		if v, ok := in[*s]; ok {
			*s = v
			return
		}
		in[*s] = *s
	})
	e.ID = id
}

// The data sets are built once per process and shared by the runs of a figure:
// generating and decoding a medium week takes about a minute.
var datasets struct {
	mu   sync.Mutex
	sets map[string]eventSet
}

// events returns the sign-ins of the tenant created in [from, to), built once.
func events(o Options, size string, from, to time.Time) (eventSet, error) {
	key := eventsKey(o, size, from, to)
	datasets.mu.Lock()
	defer datasets.mu.Unlock()
	if s, ok := datasets.sets[key]; ok {
		return s, nil
	}
	tn, err := newTenant(o.Seed, size)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	s, err := generate(tn, from, to)
	if err != nil {
		return nil, err
	}
	o.logf("  generated and decoded %d sign-ins of the %s tenant, %s to %s, in %s",
		s.count(), size, from.Format(time.RFC3339), to.Format(time.RFC3339), time.Since(start).Round(time.Millisecond))
	if datasets.sets == nil {
		datasets.sets = make(map[string]eventSet)
	}
	datasets.sets[key] = s
	return s, nil
}

func eventsKey(o Options, size string, from, to time.Time) string {
	return fmt.Sprintf("%s/%d/%d/%d", size, o.Seed, from.Unix(), to.Unix())
}

// forgetEvents drops the sign-ins events generated for these arguments, so
// that the memory they take can return to the system (figure j reads the
// process's RSS without them).
func forgetEvents(o Options, size string, from, to time.Time) {
	datasets.mu.Lock()
	defer datasets.mu.Unlock()
	delete(datasets.sets, eventsKey(o, size, from, to))
}

// FreeStores closes the stores kept between runs of a figure (figure b's ten
// million sign-ins); the command calls it after each figure so one figure's
// store does not weigh on the next one's heap. The generated sign-ins stay:
// figures c and f share them.
func FreeStores() {
	freeAggregation()
	runtime.GC()
}

// FreeData drops everything built so far: stores and generated sign-ins.
func FreeData() {
	datasets.mu.Lock()
	datasets.sets = nil
	datasets.mu.Unlock()
	FreeStores()
}
