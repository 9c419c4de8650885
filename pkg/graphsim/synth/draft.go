package synth

import (
	"cmp"
	"slices"
)

// draft is a sign-in before it is built: a time, ids and pointers to shared
// parts. Generators produce drafts, which are small enough to sort cheaply;
// records are built once, in their final order.
type draft struct {
	tick   int64 // ticks since the start of the hour
	corr   uuid
	base   *SignIn     // the record but for what follows
	app    *appPair    // nil: the base's application and resource
	net    *netContext // nil: the base's address and location
	status *Status     // nil: the base's status
	stamp  bool        // the base is this draft's own: date its authentication steps
}

// recordText is the text each record owns: id, correlation id, createdDateTime.
const recordText = 36 + 36 + stampSz

// sortKey is what records are ordered by, plus the draft it stands for. It
// holds no pointers, so sorting it moves plain memory without the garbage
// collector's write barriers, which made sorting drafts directly three times
// slower.
type sortKey struct {
	tick  int64
	id    uuid
	draft int
}

// finish gives the drafts of hour h their ids (from the hour's key and their
// position, so ids are a pure function of the hour), orders them newest first
// and builds the records.
func finish(ds []draft, hourKey uint64, h int64) []SignIn {
	keys := make([]sortKey, len(ds))
	for i := range ds {
		keys[i] = sortKey{tick: ds[i].tick, id: uuidOf(derive(hourKey, uint64(i))), draft: i} // #nosec G115 -- a key's bit pattern
	}
	slices.SortFunc(keys, newestFirst)
	return build(ds, keys, h)
}

// newestFirst orders by createdDateTime descending, then id descending.
func newestFirst(a, b sortKey) int {
	if c := cmp.Compare(b.tick, a.tick); c != 0 {
		return c
	}
	switch {
	case b.id.less(a.id):
		return -1
	case a.id.less(b.id):
		return 1
	}
	return 0
}

// build formats every record's strings into one buffer and slices them out of
// a single string: three strings per record for the cost of one allocation.
func build(ds []draft, keys []sortKey, h int64) []SignIn {
	if len(keys) == 0 {
		return nil
	}
	prefix := hourPrefix(h)
	buf := make([]byte, 0, len(keys)*recordText)
	for _, k := range keys {
		buf = appendUUID(buf, k.id)
		buf = appendUUID(buf, ds[k.draft].corr)
		buf = appendStamp(append(buf, prefix...), k.tick)
	}
	text := string(buf)
	out := make([]SignIn, len(keys))
	for i, k := range keys {
		s := text[i*recordText : (i+1)*recordText]
		ds[k.draft].fill(&out[i], s[:36], s[36:72], s[72:])
	}
	return out
}
func (d *draft) fill(rec *SignIn, id, corr, created string) {
	*rec = *d.base
	if d.app != nil {
		setApp(rec, d.app)
	}
	if d.net != nil {
		setNet(rec, d.net)
	}
	if d.status != nil {
		rec.Status = *d.status
	}
	rec.ID, rec.CorrelationID, rec.CreatedDateTime = id, corr, created
	if d.stamp {
		for i := range rec.AuthenticationDetails {
			rec.AuthenticationDetails[i].AuthenticationStepDateTime = created
		}
	}
}
