package graphsim

import (
	"container/list"
	"sync"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// hourKey names one hour of one log type.
type hourKey struct {
	lt   signin.LogType
	unix int64 // start of the hour, Unix seconds
}

// hourCache is a small LRU of materialised hours. A client paging through an
// hour asks for it once per page, and synthesising plus marshalling an hour
// costs far more than a lookup, so the recent ones are kept.
type hourCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front = most recently used; values are *hourEntry
	index map[hourKey]*list.Element
}

type hourEntry struct {
	key  hourKey
	recs []Record
}

func newHourCache(max int) *hourCache {
	return &hourCache{max: max, order: list.New(), index: make(map[hourKey]*list.Element, max)}
}

func (c *hourCache) get(k hourKey) ([]Record, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.index[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*hourEntry).recs, true
}

func (c *hourCache) put(k hourKey, recs []Record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.index[k]; ok {
		el.Value.(*hourEntry).recs = recs
		c.order.MoveToFront(el)
		return
	}
	c.index[k] = c.order.PushFront(&hourEntry{key: k, recs: recs})
	for c.order.Len() > c.max {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.index, oldest.Value.(*hourEntry).key)
	}
}
