package block

import (
	"sync"
	"sync/atomic"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Column is a value derived from every profile of a table (a dimension, or what
// a distinct count counts), dictionary-encoded: profile p has Values[Codes[p]].
// Queries work per code — a few hundred apps — instead of per profile string,
// and the column outlives the query, so a dashboard's next refresh reads it
// ready. A Column is a snapshot: never modified once returned.
type Column struct {
	Codes  []uint32 // per profile id
	Values []string // distinct values, in order of first appearance
}

// columns are a table's derived columns by name.
type columns struct {
	mu    sync.Mutex
	byKey map[string]*columnBuilder
}

type columnBuilder struct {
	snap  atomic.Pointer[Column]
	index map[string]uint32
}

// Column returns the column named name, derived by value, covering at least the
// profiles the table held when called. The name identifies the derivation:
// callers must always pass the same value function under one name.
func (t *Profiles) Column(name string, value func(*signin.Event) string) *Column {
	cb := t.columnBuilder(name)
	if c := cb.snap.Load(); c != nil && len(c.Codes) >= t.Len() {
		return c
	}
	t.cols.mu.Lock()
	defer t.cols.mu.Unlock()
	c := cb.snap.Load()
	n := t.Len()
	if c != nil && len(c.Codes) >= n {
		return c
	}
	next := &Column{}
	if c != nil {
		// Appending past a snapshot's length writes memory no reader of it reads.
		next.Codes, next.Values = c.Codes, c.Values
	}
	var e signin.Event
	for p := len(next.Codes); p < n; p++ {
		t.Load(uint32(p), &e) // #nosec G115 -- p < the table's profiles, fewer than 2^32 (codes are uint32)
		v := value(&e)
		code, ok := cb.index[v]
		if !ok {
			code = uint32(len(next.Values)) // #nosec G115 -- a column has at most one value per profile, fewer than 2^32
			cb.index[v] = code
			next.Values = append(next.Values, v)
		}
		next.Codes = append(next.Codes, code)
	}
	cb.snap.Store(next)
	// Snapshots share their arrays; the codes and values added are new.
	added := 4 * (len(next.Codes) - len(c.codesOrNil()))
	for _, v := range next.Values[len(c.valuesOrNil()):] {
		added += 16 + len(v)
	}
	t.size.Add(int64(added))
	return next
}

func (t *Profiles) columnBuilder(name string) *columnBuilder {
	t.cols.mu.Lock()
	defer t.cols.mu.Unlock()
	if t.cols.byKey == nil {
		t.cols.byKey = make(map[string]*columnBuilder)
	}
	cb := t.cols.byKey[name]
	if cb == nil {
		cb = &columnBuilder{index: make(map[string]uint32)}
		t.cols.byKey[name] = cb
	}
	return cb
}

func (c *Column) codesOrNil() []uint32 {
	if c == nil {
		return nil
	}
	return c.Codes
}

func (c *Column) valuesOrNil() []string {
	if c == nil {
		return nil
	}
	return c.Values
}
