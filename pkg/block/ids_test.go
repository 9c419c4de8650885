package block

import "testing"

// TestIDsKeepWhatGraphSent: canonical UUIDs are packed; any other id turns the
// block's ids into strings, and every id reads back exactly as added.
func TestIDsKeepWhatGraphSent(t *testing.T) {
	uuid := "0f8fad5b-d9cb-469f-a165-70867728950e"
	for _, tc := range []struct {
		name   string
		ids    []string
		packed bool
	}{
		{"all canonical", []string{uuid, "7c9e6679-7425-40de-944b-e07fc1f90ae7"}, true},
		{"upper case later", []string{uuid, "7C9E6679-7425-40DE-944B-E07FC1F90AE7", uuid}, false},
		{"export ids", []string{"a", uuid, "{" + uuid + "}"}, false},
		{"none", nil, true},
	} {
		b := newIDBuilder(len(tc.ids))
		for _, id := range tc.ids {
			b.add(id)
		}
		ids := b.done()
		if (ids.text == nil) != tc.packed || ids.Len() != len(tc.ids) {
			t.Fatalf("%s: packed %v, %d ids; want packed %v, %d", tc.name, ids.text == nil, ids.Len(), tc.packed, len(tc.ids))
		}
		copied := newIDBuilder(0)
		for i, want := range tc.ids {
			if got := ids.At(i); got != want {
				t.Fatalf("%s: id %d reads %q; want %q", tc.name, i, got, want)
			}
		}
		copied.addRange(&ids, 0, ids.Len())
		if c := copied.done(); c.Len() != len(tc.ids) || (c.text == nil) != tc.packed {
			t.Fatalf("%s: copy has %d ids, packed %v", tc.name, c.Len(), c.text == nil)
		}
	}
}
