package block

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

func TestProfileGroupsCoverEvent(t *testing.T) {
	// Every field except the per-sign-in ID and Created is in exactly one group:
	// set each field listed to a distinct value and check none is left zero.
	listed := 0
	var e signin.Event
	for _, g := range profileGroups {
		for _, f := range g {
			listed++
			switch {
			case f.str != nil:
				if *f.str(&e) != "" {
					t.Fatal("a string field is listed twice")
				}
				*f.str(&e) = "x"
			case f.num != nil:
				if *f.num(&e) != 0 {
					t.Fatal("a coordinate is listed twice")
				}
				*f.num(&e) = 1
			default:
				if f.get(&e) != 0 {
					t.Fatal("a small field is listed twice")
				}
				f.set(&e, 1)
			}
		}
	}
	typ := reflect.TypeOf(e)
	if want := typ.NumField() - 2; listed != want {
		t.Fatalf("unexpected fields listed; got %d; want %d (add the new field to profileGroups and bump formatVersion)", listed, want)
	}
	v := reflect.ValueOf(e)
	for i := 0; i < typ.NumField(); i++ {
		if name := typ.Field(i).Name; name != "ID" && name != "Created" && v.Field(i).IsZero() {
			t.Fatalf("field %s is not in profileGroups", name)
		}
	}
}

func TestUUID(t *testing.T) {
	f := func(s string, want bool) {
		t.Helper()
		var u [16]byte
		if got := parseUUID(s, &u); got != want {
			t.Fatalf("unexpected parseUUID(%q); got %v; want %v", s, got, want)
		}
		if want {
			if back := string(appendUUID(nil, u[:])); back != s {
				t.Fatalf("unexpected round trip; got %q; want %q", back, s)
			}
		}
	}
	f("0f8fad5b-d9cb-469f-a165-70867728950e", true)
	f("00000000-0000-0000-0000-000000000000", true)
	f("0F8FAD5B-D9CB-469F-A165-70867728950E", false) // upper case would not round-trip
	f("{0f8fad5b-d9cb-469f-a165-70867728950e}", false)
	f("0f8fad5bd9cb469fa16570867728950e", false)
	f("0f8fad5b-d9cb-469f-a165-70867728950g", false)
	f("0f8fad5b-d9cb+469f-a165-70867728950e", false)
	f("", false)
}

// sameBlock compares blocks field by field; NaN coordinates compare by bits.
func sameBlock(t *testing.T, got, want *Block) {
	t.Helper()
	if got.LogType != want.LogType || !got.Start.Equal(want.Start) || !got.End.Equal(want.End) {
		t.Fatalf("unexpected header; got %v %s %s; want %v %s %s", got.LogType, got.Start, got.End, want.LogType, want.Start, want.End)
	}
	if g, w := got.Times.appendTo(nil), want.Times.appendTo(nil); !reflect.DeepEqual(g, w) {
		t.Fatalf("unexpected times; got %d values; want %d", len(g), len(w))
	}
	if got.IDs.Len() != want.IDs.Len() || got.Profile.Len() != want.Profile.Len() {
		t.Fatalf("unexpected lengths; got %d/%d; want %d/%d", got.IDs.Len(), got.Profile.Len(), want.IDs.Len(), want.Profile.Len())
	}
	// Profile ids are the table's business; the sign-ins they make are not.
	for i := range want.IDs.Len() {
		g, w := got.Event(i), want.Event(i)
		if keyOf(&g) != keyOf(&w) || g.ID != w.ID || !g.Created.Equal(w.Created) ||
			math.Float64bits(g.Latitude) != math.Float64bits(w.Latitude) ||
			math.Float64bits(g.Longitude) != math.Float64bits(w.Longitude) {
			t.Fatalf("unexpected sign-in %d; got %+v; want %+v", i, g, w)
		}
	}
	if gp, wp := distinctProfiles(got), distinctProfiles(want); gp != wp {
		t.Fatalf("unexpected distinct profiles; got %d; want %d", gp, wp)
	}
}

func mustEncode(t testing.TB, key string, b *Block) []byte {
	t.Helper()
	data, err := Encode(nil, key, b)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCodecRoundTripSynthetic(t *testing.T) {
	for _, lt := range signin.LogTypes {
		b := synthBlock(t, "small", lt, busyHour)
		if b.Len() == 0 {
			t.Fatalf("no synthetic %s sign-ins", lt)
		}
		data := mustEncode(t, "k", b)
		got, err := Decode(data, "k", nil)
		if err != nil {
			t.Fatalf("%s: %v", lt, err)
		}
		sameBlock(t, got, b)
	}
}

// handBlock has every awkward value: mixed ids, NaN and exact coordinates, equal
// times, negative error codes and unknown tristates.
func handBlock() *Block {
	start, end := day, day.Add(time.Hour)
	ev := func(id string, ns int64) signin.Event {
		return signin.Event{ID: id, Created: day.Add(time.Duration(ns)), LogType: signin.ServicePrincipal,
			AppDisplayName: "Teams", Latitude: math.NaN(), Longitude: math.NaN()}
	}
	a := ev("0f8fad5b-d9cb-469f-a165-70867728950e", 1)
	b := ev("NOT-A-GUID", 1)
	c := ev("", 3_599_999_999_999)
	c.ErrorCode, c.Latitude, c.Longitude, c.City = -1, 52.52, 13.405, "Berlin"
	c.DeviceCompliant, c.DeviceManaged = signin.True, signin.False
	return New(signin.ServicePrincipal, start, end, []signin.Event{c, b, a}, NewProfiles())
}

func TestCodecRoundTripHand(t *testing.T) {
	b := handBlock()
	got, err := Decode(mustEncode(t, "v1:ns:servicePrincipal:1:3600", b), "v1:ns:servicePrincipal:1:3600", nil)
	if err != nil {
		t.Fatal(err)
	}
	sameBlock(t, got, b)
	if e := got.Event(2); e.ErrorCode != -1 || e.City != "Berlin" || e.Latitude != 52.52 || e.DeviceCompliant != signin.True || e.DeviceManaged != signin.False {
		t.Fatalf("unexpected event %+v", e)
	}
	empty := New(signin.Interactive, day, day.Add(time.Hour), nil, NewProfiles())
	got, err = Decode(mustEncode(t, "e", empty), "e", nil)
	if err != nil || got.Len() != 0 || got.Profiles.Len() != 0 {
		t.Fatalf("unexpected empty block %+v, %v", got, err)
	}
}

func TestCodecRejects(t *testing.T) {
	good := mustEncode(t, "key-a", handBlock())
	f := func(name string, data []byte, key string) {
		t.Helper()
		if _, err := Decode(data, key, nil); !errors.Is(err, ErrBadEntry) {
			t.Fatalf("%s: unexpected error %v; want ErrBadEntry", name, err)
		}
	}
	f("foreign key", good, "key-b")
	for n := 0; n < len(good); n++ {
		f("truncated", good[:n], "key-a")
	}
	for i := range good {
		bad := append([]byte(nil), good...)
		bad[i] ^= 0x40
		f("flipped byte", bad, "key-a")
	}
	stale := append([]byte(nil), good...)
	stale[len(blockMagic)] = formatVersion + 1
	f("stale version", stale, "key-a")
	f("trailing bytes", append(append([]byte(nil), good...), 0), "key-a")
}

func TestEncodeRejectsUnsortedTimes(t *testing.T) {
	b := handBlock()
	ts := b.Times.appendTo(nil)
	ts[0], ts[2] = ts[2], ts[0]
	b.Times = newTimes(ts)
	if _, err := Encode(nil, "k", b); err == nil {
		t.Fatal("expected an error for unsorted times")
	}
}

// distinctProfiles counts the profiles a block uses.
func distinctProfiles(b *Block) int {
	ps, _ := b.localProfiles()
	return len(ps)
}
