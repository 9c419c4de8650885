package store

import (
	"context"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// list calls the source. Sources pace themselves (the Graph and Log Analytics
// clients take a token of the datasource's request budget before each HTTP
// attempt, retries included), so the store charges nothing of its own. The
// request counters count the store's requests: the listing and each further
// page — a page shorter than PageSize is taken to be the last — not the
// source's retries.
func (s *Store) list(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	s.counts.requests.Add(1)
	s.metrics.requests.Inc()
	return s.src.ListSignIns(ctx, t, from, to, func(page []signin.Event) error {
		if err := fn(page); err != nil {
			return err
		}
		if len(page) >= s.cfg.PageSize {
			s.counts.requests.Add(1)
			s.metrics.requests.Inc()
		}
		return nil
	})
}
