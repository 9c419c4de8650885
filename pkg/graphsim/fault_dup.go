package graphsim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
)

// maxDups bounds the duplicates a long-running server keeps for next pages
// that may never be asked for.
const maxDups = 1024

// dupStore keeps, per skip token, a sign-in to serve again at the head of the
// page that token asks for: the same sign-in on two pages, which Graph is
// known to do. A retried next page gets the same duplicate, as it would from a
// consistent server.
type dupStore struct {
	mu      sync.Mutex
	byToken map[string]json.RawMessage
}

func newDupStore() *dupStore { return &dupStore{byToken: make(map[string]json.RawMessage)} }

// serve answers a request that no rule altered, adding the duplicate due on
// its page, if any.
func (d *dupStore) serve(w http.ResponseWriter, r *http.Request, next http.Handler, token string) {
	d.answer(w, r, next, token, false)
}

// remember answers a request on which a duplicate rule fired: the page goes
// out as is (plus any duplicate due on it) and its last sign-in is kept for
// the next page.
func (d *dupStore) remember(w http.ResponseWriter, r *http.Request, next http.Handler, token string) {
	d.answer(w, r, next, token, true)
}

func (d *dupStore) answer(w http.ResponseWriter, r *http.Request, next http.Handler, token string, remember bool) {
	dup, due := d.get(token)
	if !due && !remember {
		next.ServeHTTP(w, r) // the common case stays unbuffered
		return
	}
	b := bufferResponse(w, r, next)
	var p struct {
		Context  string            `json:"@odata.context"`
		NextLink string            `json:"@odata.nextLink"`
		Value    []json.RawMessage `json:"value"`
	}
	if b.status != http.StatusOK || json.Unmarshal(b.body.Bytes(), &p) != nil {
		b.writeTo(w)
		return
	}
	if remember && len(p.Value) > 0 {
		if u, err := url.Parse(p.NextLink); err == nil && p.NextLink != "" {
			d.put(skipTokenOf(u.RawQuery), p.Value[len(p.Value)-1])
		}
	}
	if due {
		p.Value = append([]json.RawMessage{dup}, p.Value...)
	}
	recs := make([]Record, len(p.Value))
	for i, v := range p.Value {
		recs[i].JSON = v
	}
	writePage(w, p.Context, p.NextLink, recs)
}

func (d *dupStore) get(token string) (json.RawMessage, bool) {
	if token == "" {
		return nil, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	rec, ok := d.byToken[token]
	return rec, ok
}

func (d *dupStore) put(token string, rec json.RawMessage) {
	if token == "" {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.byToken) >= maxDups {
		clear(d.byToken)
	}
	d.byToken[token] = rec
}
