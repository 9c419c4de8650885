package graphsim

import (
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// installFaults applies Options.Faults: the clock skew and late arrivals
// change what the server sees, the rules get the fault layer's state. New
// calls it before building the handler chain.
func (s *Server) installFaults() {
	f := s.opts.Faults
	if f.ClockSkew != 0 {
		base, skew := s.opts.Now, f.ClockSkew
		s.opts.Now = func() time.Time { return base().Add(skew) }
	}
	if f.LateShare > 0 && f.LateBy > 0 {
		s.opts.Source = &lateSource{src: s.opts.Source, faults: f, now: s.now, delay: s.opts.Delay}
	}
	if len(f.Rules) > 0 {
		s.faults = newFaultState(f)
	}
}

// lateSource hides the late sign-ins (Faults.IsLate) until LateBy after the
// ingestion delay has passed; the others are listed as Options.Delay says.
type lateSource struct {
	src    Source
	faults Faults
	now    func() time.Time
	delay  time.Duration
}

// Hour implements Source.
func (l *lateSource) Hour(lt signin.LogType, hour time.Time) ([]Record, error) {
	recs, err := l.src.Hour(lt, hour)
	if err != nil {
		return nil, err
	}
	cutoff := l.now().Add(-l.delay - l.faults.LateBy) // a late sign-in is listed once Created <= cutoff
	if !cutoff.Before(hour.Add(time.Hour)) {
		return recs, nil // the whole hour has arrived
	}
	out := make([]Record, 0, len(recs))
	for _, rec := range recs {
		if rec.Created.After(cutoff) && l.faults.IsLate(rec.ID) {
			continue
		}
		out = append(out, rec)
	}
	return out, nil
}
