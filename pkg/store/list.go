package store

import (
	"context"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// list calls the source through the rate limiter: a token before the request
// and one before each further page. A page shorter than PageSize is taken to be
// the last, so a one-page window costs one token.
func (s *Store) list(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	if err := s.limiter.wait(ctx); err != nil {
		return err
	}
	s.counts.requests.Add(1)
	s.metrics.requests.Inc()
	return s.src.ListSignIns(ctx, t, from, to, func(page []signin.Event) error {
		if err := fn(page); err != nil {
			return err
		}
		if len(page) < s.cfg.PageSize {
			return nil
		}
		if err := s.limiter.wait(ctx); err != nil {
			return err
		}
		s.counts.requests.Add(1)
		s.metrics.requests.Inc()
		return nil
	})
}
