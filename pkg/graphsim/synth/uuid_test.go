package synth

import "testing"

func TestUUIDFormat(t *testing.T) {
	f := func(u uuid, want string) {
		t.Helper()
		if got := u.String(); got != want {
			t.Fatalf("unexpected UUID; got %q; want %q", got, want)
		}
	}
	f(newUUID(0, 0), "00000000-0000-4000-8000-000000000000")
	f(newUUID(^uint64(0), ^uint64(0)), "ffffffff-ffff-4fff-bfff-ffffffffffff")
	f(newUUID(0x0123456789abcdef, 0x0123456789abcdef), "01234567-89ab-4def-8123-456789abcdef")
}

// less must agree with the order of the text, which is what Graph clients see.
func TestUUIDLessMatchesText(t *testing.T) {
	r := newRng(5)
	for range 10000 {
		a, b := r.uuid(), r.uuid()
		if r.chance(0.3) {
			b.hi = a.hi // exercise the second word
		}
		if a.less(b) != (a.String() < b.String()) {
			t.Fatalf("less(%s, %s) = %v disagrees with the text", a, b, a.less(b))
		}
	}
}
