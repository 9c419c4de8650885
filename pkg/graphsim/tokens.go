package graphsim

import (
	"sync"
	"time"
)

// grant is what an access token stands for.
type grant struct {
	tenant   string // lower case: tenants are matched without regard to case
	clientID string
	expires  time.Time
}

// tokenStore maps issued access tokens to their grants.
type tokenStore struct {
	mu     sync.Mutex
	grants map[string]grant
}

func newTokenStore() *tokenStore {
	return &tokenStore{grants: make(map[string]grant)}
}

// issue stores g under a new token. Expired grants are dropped on the way, so
// a long-running demo does not accumulate them.
func (ts *tokenStore) issue(g grant, now time.Time) string {
	tok := newAccessToken()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for k, old := range ts.grants {
		if !now.Before(old.expires) {
			delete(ts.grants, k)
		}
	}
	ts.grants[tok] = g
	return tok
}

// check returns the grant of tok, or the message Graph gives when it has none.
func (ts *tokenStore) check(tok string, now time.Time) (grant, string) {
	if tok == "" {
		return grant{}, "Access token is empty."
	}
	ts.mu.Lock()
	g, ok := ts.grants[tok]
	ts.mu.Unlock()
	switch {
	case !ok:
		return grant{}, "Access token validation failure. Invalid audience."
	case !now.Before(g.expires):
		return grant{}, "Lifetime validation failed, the token is expired."
	}
	return g, ""
}
