package store

import (
	"container/list"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
)

// memory holds the decoded blocks of closed windows: the store's one copy of
// them in the process. A decoded window costs about what its encoding would
// (BENCHMARKS.md, c: a time, an id and a profile id, 24 bytes, and a share of
// its day's profile table), so there is no second, encoded copy beside it;
// memcached holds encodings outside the process. Least recently used windows
// leave first once the blocks and the profile tables they use pass the limit;
// memcached, when there is one, still has them. Callers hold Store.mu.
type memory struct {
	limit  int64
	bytes  int64 // of the blocks' columns
	events int
	order  *list.List // front = most recently used; values are *memItem
	items  map[string]*list.Element
	tables map[*block.Profiles]int // the blocks held per profile table
	// days are closed days counted per profile (days.go), held while all
	// their blocks are; dayBytes is their memory, counted in size.
	days     map[dayID]*daySummary
	dayBytes int64
}

type memItem struct {
	key   string
	block *block.Block
	ready *entry // block's entry, shared by the scans that read it
	bytes int64
}

// blockOverhead is what a block costs besides its columns: the struct, the
// list element and the map entry.
const blockOverhead = 256

func newMemory(limit int) *memory {
	return &memory{limit: int64(limit), order: list.New(), items: make(map[string]*list.Element),
		tables: make(map[*block.Profiles]int), days: make(map[dayID]*daySummary)}
}

// get returns the entry of the block held under key, marking it used; nil
// when memory does not hold it.
func (m *memory) get(key string) *entry {
	el, ok := m.items[key]
	if !ok {
		return nil
	}
	m.order.MoveToFront(el)
	return el.Value.(*memItem).ready
}

// peek returns the block held under key without marking it used.
func (m *memory) peek(key string) *block.Block {
	if el, ok := m.items[key]; ok {
		return el.Value.(*memItem).block
	}
	return nil
}

// put adds or replaces a block, then drops the least recently used ones while
// over the limit, except the block just added.
func (m *memory) put(key string, b *block.Block) {
	if el, ok := m.items[key]; ok {
		m.remove(el)
	}
	it := &memItem{key: key, block: b, ready: readyEntry(b), bytes: columnBytes(b) + blockOverhead}
	m.items[key] = m.order.PushFront(it)
	m.bytes += it.bytes
	m.events += b.Len()
	m.tables[b.Profiles]++
	m.evict()
}

// evict drops the least recently used blocks while over the limit, except
// the one used last.
func (m *memory) evict() {
	for m.order.Len() > 1 && m.size() > m.limit {
		m.remove(m.order.Back())
	}
}

func (m *memory) remove(el *list.Element) {
	it := el.Value.(*memItem)
	m.order.Remove(el)
	delete(m.items, it.key)
	m.bytes -= it.bytes
	m.events -= it.block.Len()
	if m.tables[it.block.Profiles]--; m.tables[it.block.Profiles] == 0 {
		delete(m.tables, it.block.Profiles)
	}
	m.dropDay(dayOf(it.block.LogType, it.block.Start))
}

// holds reports whether b is the block held under key.
func (m *memory) holds(key string, b *block.Block) bool {
	el, ok := m.items[key]
	return ok && el.Value.(*memItem).block == b
}

// keepDay holds a day's counts within the limit; the caller has checked that
// memory holds every block they count.
func (m *memory) keepDay(id dayID, counts []block.ProfileCounts) {
	if _, ok := m.days[id]; ok {
		return
	}
	sum := &daySummary{counts: counts}
	for _, c := range counts {
		sum.bytes += int64(c.Bytes())
	}
	m.days[id] = sum
	m.dayBytes += sum.bytes
	m.evict() // which may drop the day again, with its oldest block
}

// dropDay forgets a day's counts, when one of its blocks leaves memory.
func (m *memory) dropDay(id dayID) {
	if sum, ok := m.days[id]; ok {
		delete(m.days, id)
		m.dayBytes -= sum.bytes
	}
}

// size is the memory of the blocks held, of the profile tables they use and
// of the days counted.
// Tables grow while their day's windows load, so they are summed each time:
// a few per day of the range.
func (m *memory) size() int64 {
	n := m.bytes + m.dayBytes
	for t := range m.tables {
		n += int64(t.Bytes())
	}
	return n
}

// columnBytes is the memory of a block's columns.
func columnBytes(b *block.Block) int64 {
	return int64(b.Times.Bytes() + b.IDs.Bytes() + b.Profile.Bytes())
}
