package block

// IDs are a block's sign-in ids, parallel to its times. Canonical UUIDs — the
// ids Graph sends — are kept as their 16 bytes: 16 B a sign-in instead of a
// 36-byte string and its 16-byte header, and nothing for the GC to scan in a
// cache of millions. A block with any other id keeps them all as strings.
type IDs struct {
	packed [][16]byte // when every id is a canonical UUID
	text   []string   // otherwise
}

// Len is the number of ids.
func (x *IDs) Len() int {
	if x.text != nil {
		return len(x.text)
	}
	return len(x.packed)
}

// At returns id i as Graph sent it.
func (x *IDs) At(i int) string {
	if x.text != nil {
		return x.text[i]
	}
	return string(appendUUID(make([]byte, 0, 36), x.packed[i][:]))
}

// idBuilder collects ids, packed while every id is a canonical UUID.
type idBuilder struct {
	ids IDs
}

func newIDBuilder(n int) *idBuilder {
	return &idBuilder{ids: IDs{packed: make([][16]byte, 0, n)}}
}

func (b *idBuilder) add(id string) {
	if b.ids.text == nil {
		var u [16]byte
		if parseUUID(id, &u) {
			b.ids.packed = append(b.ids.packed, u)
			return
		}
		b.unpack()
	}
	b.ids.text = append(b.ids.text, id)
}

// addRange adds ids [lo, hi) of x.
func (b *idBuilder) addRange(x *IDs, lo, hi int) {
	if b.ids.text == nil && x.text == nil {
		b.ids.packed = append(b.ids.packed, x.packed[lo:hi]...)
		return
	}
	for i := lo; i < hi; i++ {
		b.add(x.At(i))
	}
}

// unpack turns the packed ids collected so far into strings.
func (b *idBuilder) unpack() {
	text := make([]string, len(b.ids.packed), cap(b.ids.packed))
	for i := range b.ids.packed {
		text[i] = b.ids.At(i)
	}
	b.ids = IDs{text: text}
}

func (b *idBuilder) done() IDs { return b.ids }

// Bytes is the memory of the ids.
func (x *IDs) Bytes() int {
	n := 16 * len(x.packed)
	for _, s := range x.text {
		n += 16 + len(s)
	}
	return n
}
