package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/signinlens/signinlens-entra-datasource/pkg/budget"
	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// maxValues bounds a values answer: suggestions, not an export.
const maxValues = 1000

// resources serves the CallResource paths:
//
//	GET values?key=<dimension>&logType=..&from=..&to=..&prefix=..&limit=..  → {"values":[...]} most frequent first
//	GET stats                                                               → this datasource's counters
//	GET warnings                                                            → {"warnings":[...]} what keeps the cache from working fully
//	POST validate (body: a query's JSON)                                    → {"error":"..."} what running it would say; "" when valid
//	POST tail (body: a query's JSON)                                        → {"path":"tail/..."} the live tail channel of the query (stream.go)
func (ds *Datasource) resources() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/values", ds.handleValues)
	mux.HandleFunc("/validate", ds.handleValidate)
	mux.HandleFunc("/tail", ds.handleTail)
	mux.HandleFunc("/stats", ds.handleStats)
	mux.HandleFunc("/warnings", ds.handleWarnings)
	return mux
}

func (ds *Datasource) handleValues(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, errors.New("values: use GET"))
		return
	}
	p := r.URL.Query()
	dim, q, rng, err := valuesRequest(p, ds.engine.Limits())
	if err == nil {
		err = ds.checkRange(rng)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	ctx := budget.WithDeadline(r.Context(), time.Now().Add(ds.timeBudget()))
	res, err := ds.engine.Values(ctx, q, rng, dim, p.Get("prefix"))
	if err != nil {
		writeError(w, int(errorResponse(err).Status), err)
		return
	}
	out := struct {
		Values []string `json:"values"`
		Counts []int64  `json:"counts"`
	}{Values: []string{}, Counts: []int64{}}
	for _, v := range res.Values {
		out.Values = append(out.Values, v.Value)
		out.Counts = append(out.Counts, v.Count)
	}
	writeJSON(w, out)
}

// maxValidateBody bounds what validate reads: a query, with room for long filter values.
const maxValidateBody = 1 << 20

// readQueryBody reads a POSTed query, at most maxValidateBody bytes; it
// answers the request itself when it cannot.
func readQueryBody(w http.ResponseWriter, r *http.Request, resource string) ([]byte, bool) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, fmt.Errorf("%s: use POST", resource))
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxValidateBody))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Errorf("%s: the query is larger than %d bytes", resource, maxValidateBody))
		return nil, false
	}
	return body, true
}

// handleValidate parses a query as QueryData would, so the editor's code mode
// shows the backend's own message while the user types; it runs nothing.
func (ds *Datasource) handleValidate(w http.ResponseWriter, r *http.Request) {
	body, ok := readQueryBody(w, r, "validate")
	if !ok {
		return
	}
	out := struct {
		Error string `json:"error"`
	}{}
	if _, err := query.ParseWith(body, ds.engine.Limits()); err != nil {
		out.Error = err.Error()
	}
	writeJSON(w, out)
}

// handleTail names the live tail channel of a query, after checking that it
// can be followed: Explore then subscribes to it with the same query.
func (ds *Datasource) handleTail(w http.ResponseWriter, r *http.Request) {
	body, ok := readQueryBody(w, r, "tail")
	if !ok {
		return
	}
	q, err := ds.tailQuery(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	path, err := tailPath(q)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, map[string]string{"path": path})
}

// valuesRequest validates the values parameters: a known dimension, a known log
// type (default all), a time range (default the last 24 hours; bounded as a
// query's, by checkRange), and a limit from 1 to maxValues.
func valuesRequest(p map[string][]string, lim query.Limits) (signin.Dimension, query.Query, query.Range, error) {
	get := func(k string) string {
		if v := p[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	dim, err := signin.ParseDimension(get("key"))
	if err != nil {
		return 0, query.Query{}, query.Range{}, fmt.Errorf("key: %w", err)
	}
	logType := get("logType")
	if logType == "" {
		logType = "all"
	}
	raw, _ := json.Marshal(map[string]string{"logType": logType, "format": "table"}) // strings always marshal
	q, err := query.ParseWith(raw, lim)
	if err != nil {
		return 0, query.Query{}, query.Range{}, err
	}
	q.Limit = maxValues
	if l := get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxValues {
			return 0, query.Query{}, query.Range{}, fmt.Errorf("limit %s: want a whole number from 1 to %d", clip.Quote(l), maxValues)
		}
		q.Limit = n
	}
	rng, err := timeRange(get("from"), get("to"))
	return dim, q, rng, err
}

// timeRange reads from and to as Unix milliseconds (Grafana's form) or RFC 3339.
func timeRange(from, to string) (query.Range, error) {
	now := time.Now()
	r := query.Range{From: now.Add(-24 * time.Hour), To: now}
	for _, f := range []struct {
		name, raw string
		dst       *time.Time
	}{{"from", from, &r.From}, {"to", to, &r.To}} {
		if f.raw == "" {
			continue
		}
		t, err := parseTime(f.raw)
		if err != nil {
			return r, fmt.Errorf("%s %s: want Unix milliseconds or an RFC 3339 time", f.name, clip.Quote(f.raw))
		}
		*f.dst = t
	}
	if !r.From.Before(r.To) {
		return r, errors.New("from must be before to")
	}
	return r, nil
}

func parseTime(s string) (time.Time, error) {
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms), nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

func (ds *Datasource) handleStats(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, errors.New("stats: use GET"))
		return
	}
	st := ds.store.Stats()
	writeJSON(w, map[string]int64{
		"liveStreams":       int64(ds.live.running()),
		"warmWindowsTotal":  ds.warm.total.Load(),
		"warmWindowsLoaded": ds.warm.loaded.Load(),
		"warmWindowsFailed": ds.warm.failed.Load(),
		"warmSignIns":       ds.warm.signIns.Load(),
		"warmSecondsLeft":   ds.warm.secondsLeft(time.Now()),
		"graphRequests":     ds.counters.requests.Load(),
		"graphThrottled":    ds.counters.throttled.Load(),
		"graphFailed":       ds.counters.failed.Load(),
		"graphRetries":      ds.counters.retries.Load(),
		"eventsDecoded":     ds.counters.events.Load(),
		"bytesDecoded":      ds.counters.bytes.Load(),
		"windowsCached":     st.WindowsCached,
		"eventsCached":      st.EventsCached,
		"bytesCached":       st.BytesCached,
		"windowsPending":    st.WindowsPending,
		"windowsOpen":       st.WindowsOpen,
		"daysCounted":       st.DaysCounted,
		"l1Hits":            st.L1Hits,
		"l1Misses":          st.L1Misses,
		"l2Hits":            st.L2Hits,
		"l2Misses":          st.L2Misses,
		"l2Errors":          st.L2Errors,
		"l2Rejected":        st.L2Rejected,
		"sourceRequests":    st.SourceRequests,
		"abandoned":         st.Abandoned,
		"revalidations":     st.Revalidations,
		"windowsRevised":    st.WindowsRevised,
	})
}

// handleWarnings lists what the admin should know although the datasource
// works (memcached off for want of a secret, a cache that could not be saved).
// Apart from stats, whose counters are all numbers.
func (ds *Datasource) handleWarnings(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, errors.New("warnings: use GET"))
		return
	}
	writeJSON(w, map[string][]string{"warnings": ds.allWarnings()})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.DefaultLogger.Warn("writing a resource response", "error", err)
	}
}

func writeError(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}
