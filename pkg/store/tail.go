package store

import (
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// mergeTail merges a tail fetch into an open window's block. The fetch covered
// [lb, end) of the window, asked with "ge" the newest held sign-in because Graph
// timestamps can tie: the result is the held sign-ins before lb, the fetched
// ones, and held ones at or after lb the fetch did not repeat, deduped by id.
// Late sign-ins older than lb are not seen here; the whole re-read when the
// window closes picks them up.
func mergeTail(held *Block, fetched []signin.Event, lb time.Time) *Block {
	cut, _ := held.Range(lb, held.End)
	ids := make(map[string]struct{}, len(fetched))
	for _, e := range fetched {
		ids[e.ID] = struct{}{}
	}
	events := make([]signin.Event, 0, held.Len()+len(fetched))
	for i := 0; i < held.Len(); i++ {
		if i >= cut {
			if _, dup := ids[held.IDs[i]]; dup {
				continue
			}
		}
		events = append(events, held.Event(i))
	}
	events = append(events, fetched...)
	return newBlock(held.LogType, window{start: held.Start, size: held.End.Sub(held.Start)}, events)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
