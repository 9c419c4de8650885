package store

import (
	"container/list"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
)

// hotSet keeps the decoded blocks of recently used closed windows, bounded by
// the sign-ins they hold, so a dashboard refreshing the same range does not
// decode every window on every query. Callers hold Store.mu.
type hotSet struct {
	limit  int
	events int
	order  *list.List // front = most recently used; values are *hotItem
	items  map[string]*list.Element
}

type hotItem struct {
	key   string
	block *block.Block
}

func newHotSet(limit int) *hotSet {
	return &hotSet{limit: limit, order: list.New(), items: make(map[string]*list.Element)}
}

func (h *hotSet) get(key string) *block.Block {
	el, ok := h.items[key]
	if !ok {
		return nil
	}
	h.order.MoveToFront(el)
	return el.Value.(*hotItem).block
}

// put adds or replaces a block and drops the least recently used ones while
// over the limit, except the block just added.
func (h *hotSet) put(key string, b *block.Block) {
	if el, ok := h.items[key]; ok {
		h.events -= el.Value.(*hotItem).block.Len()
		h.order.Remove(el)
	}
	h.items[key] = h.order.PushFront(&hotItem{key: key, block: b})
	h.events += b.Len()
	for h.events > h.limit && h.order.Len() > 1 {
		last := h.order.Back()
		it := last.Value.(*hotItem)
		h.order.Remove(last)
		delete(h.items, it.key)
		h.events -= it.block.Len()
	}
}
