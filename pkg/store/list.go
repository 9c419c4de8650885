package store

import (
	"context"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// list calls the source through the rate limiter: a token before the request
// and one before each further page. A page shorter than PageSize is taken to be
// the last, so a one-page window costs one token. A source that paces itself
// (Config.SourcePaced: the Graph client, which takes a token before each HTTP
// attempt, retries included) is not charged again here. Either way the
// request counters count the store's requests: the listing and each further
// page, not the source's retries.
func (s *Store) list(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	if err := s.takeToken(ctx); err != nil {
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
		if err := s.takeToken(ctx); err != nil {
			return err
		}
		s.counts.requests.Add(1)
		s.metrics.requests.Inc()
		return nil
	})
}

// takeToken takes a token for one request to the source, unless the source
// takes its own for each attempt (Config.SourcePaced).
func (s *Store) takeToken(ctx context.Context) error {
	if s.cfg.SourcePaced {
		return nil
	}
	return s.limiter.wait(ctx)
}
