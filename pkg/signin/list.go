package signin

import (
	"slices"
	"strings"
)

// ListSep separates the values of a list-valued field (the authentication
// methods of a sign-in, its risk event types) inside one string. Keeping a
// list as one string keeps Event comparable, so sign-ins with the same
// methods share a profile; the unit separator cannot occur in the names
// Entra gives methods and risk events.
const ListSep = "\x1f"

// MaxListValues bounds the values a list-valued field keeps. A sign-in has a
// handful of authentication steps and risk events; a hostile export with
// thousands would make a query grouping by two lists count every pair.
const MaxListValues = 64

// JoinList makes the value of a list-valued field: the distinct non-empty
// values, sorted, so that the same set always reads the same string; at most
// MaxListValues of them (the first in sort order).
func JoinList(values []string) string {
	var kept []string
	for _, v := range values {
		v = strings.TrimSpace(strings.ReplaceAll(v, ListSep, " "))
		if v != "" {
			kept = append(kept, v)
		}
	}
	slices.Sort(kept)
	kept = slices.Compact(kept)
	return strings.Join(kept[:min(len(kept), MaxListValues)], ListSep)
}

// SplitList returns the values of a list-valued field; nil when it is empty.
func SplitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ListSep)
}
