package block

// ByteReader reads the codec's primitives — uvarints, bytes, byte runs — and
// keeps the first error, which wraps ErrBadEntry. Formats built around the
// codec's (the store's memcached manifest) read with it rather than again by
// hand.
type ByteReader struct{ r reader }

// NewByteReader reads buf.
func NewByteReader(buf []byte) *ByteReader { return &ByteReader{r: reader{buf: buf}} }

// MaxSection is the largest section the codec writes: a bound for lengths read.
const MaxSection = maxSection

func (b *ByteReader) Uvarint() uint64       { return b.r.uvarint() }
func (b *ByteReader) Byte() byte            { return b.r.byte() }
func (b *ByteReader) Bytes(n uint64) []byte { return b.r.bytes(n) }

// Rest is what is left unread.
func (b *ByteReader) Rest() []byte { return b.r.buf }

// Fail records a problem of the input, if none was recorded before.
func (b *ByteReader) Fail(format string, args ...any) { b.r.fail(format, args...) }

// Err is the first problem met, nil if none.
func (b *ByteReader) Err() error { return b.r.err }
