package graphsim

import (
	"fmt"
	"hash/fnv"
	"math"
	"time"
)

// FaultKind names what a fault rule does to a sign-ins request. Each is a
// failure a Graph client meets in the field; the names are also the spec
// words of ParseFault.
type FaultKind string

const (
	// FaultStatus answers FaultRule.Status (403, 429, 500, 502, 503 or 504)
	// with the body Graph (or, for 502, a gateway) sends, and Retry-After
	// when FaultRule.RetryAfter is set.
	FaultStatus FaultKind = "status"
	// FaultReset sends the headers and half the page, then resets the
	// connection (HTTP/2: resets the stream).
	FaultReset FaultKind = "reset"
	// FaultTruncate sends half the page under the full page's Content-Length,
	// then closes the connection.
	FaultTruncate FaultKind = "truncate"
	// FaultTruncateChunked sends half the page chunked, then closes the
	// connection without the last chunk.
	FaultTruncateChunked FaultKind = "truncate-chunked"
	// FaultTruncateJSON sends half the page as a complete response: the HTTP
	// framing is fine, the JSON is cut. A buggy proxy does this.
	FaultTruncateJSON FaultKind = "truncate-json"
	// FaultSlow holds the page back for FaultRule.Delay (real time, since it is
	// the client's real timeout that must run out), or until the client gives up.
	FaultSlow FaultKind = "slow"
	// FaultBadSkipToken answers 400 "Invalid skip token", as Graph does when a
	// token expires. It counts only requests that carry a $skiptoken.
	FaultBadSkipToken FaultKind = "bad-skiptoken"
	// FaultExpireToken ends the bearer token's lifetime now: this and every
	// later request with it get Graph's 401 "the token is expired".
	FaultExpireToken FaultKind = "expire-token"
	// FaultRevokeToken revokes the bearer token and answers 401 with a
	// Continuous Access Evaluation claims challenge, as Graph does when an
	// app's access is revoked before its token expires.
	FaultRevokeToken FaultKind = "revoke-token"
	// FaultDuplicate serves the page as is and serves its last sign-in again
	// at the head of the next page (the request with this page's skip token).
	// On the last page, which has no next, it fires without effect.
	FaultDuplicate FaultKind = "duplicate"
)

// faultKinds are the valid kinds.
var faultKinds = map[FaultKind]bool{
	FaultStatus: true, FaultReset: true, FaultTruncate: true, FaultTruncateChunked: true, FaultTruncateJSON: true,
	FaultSlow: true, FaultBadSkipToken: true, FaultExpireToken: true, FaultRevokeToken: true, FaultDuplicate: true,
}

// DefaultSlowDelay is FaultSlow's delay when FaultRule.Delay is zero: longer
// than any client timeout worth having, short enough not to pin a goroutine
// for long if the client never gives up.
const DefaultSlowDelay = 5 * time.Minute

// FaultRule injects one kind of failure into the sign-ins requests it selects.
//
// A rule counts the sign-ins requests it looks at — all of them, or with
// SkipToken (and always for FaultBadSkipToken) only those that follow a
// nextLink. Among those it fires when every condition set holds: it is the
// Nth, a multiple of Every, and a draw of its own RNG (seeded by Seed) falls
// under Prob. With no condition set it fires on each. Times caps how often it
// fires. Every rule counts every request, so one rule's count does not depend
// on another; when several fire on one request, the first in Faults.Rules wins.
type FaultRule struct {
	Kind FaultKind

	SkipToken bool    // count only requests with a $skiptoken
	Nth       int     // fire on the Nth counted request (1-based); 0: any
	Every     int     // fire on every Every-th counted request; 0: any
	Prob      float64 // fire with this probability, 0 < Prob <= 1; 0: always
	Seed      int64   // seeds Prob's draws: the same seed and requests fire alike
	Times     int     // fire at most this often; 0: no limit

	Status     int           // FaultStatus: the HTTP status
	RetryAfter int           // FaultStatus 429 or 503: Retry-After in seconds; 0: no header
	Delay      time.Duration // FaultSlow: how long the page takes; 0: DefaultSlowDelay
}

// Faults configure the simulator's fault injection (Options.Faults). The zero
// value injects nothing.
type Faults struct {
	// Rules are checked in order on every sign-ins request.
	Rules []FaultRule
	// ClockSkew sets the server's clock this far ahead of Options.Now
	// (negative: behind), as a Graph whose clock disagrees with the client's:
	// a server behind the client has not yet got sign-ins the client thinks
	// are there.
	ClockSkew time.Duration
	// LateShare of the sign-ins (picked by a hash of the id, see IsLate)
	// arrive LateBy later than Options.Delay says: the stragglers that make a
	// window fetched once too early incomplete.
	LateShare float64
	LateBy    time.Duration
}

// validate reports the first rule or setting that cannot work.
func (f Faults) validate() error {
	if err := f.problem(); err != nil {
		return fmt.Errorf("%w: %v", ErrBadOption, err)
	}
	return nil
}

func (f Faults) problem() error {
	if f.LateShare < 0 || f.LateShare > 1 || f.LateBy < 0 {
		return fmt.Errorf("Faults.LateShare must be in [0, 1] and LateBy not negative")
	}
	for i, r := range f.Rules {
		if err := r.validate(); err != nil {
			return fmt.Errorf("Faults.Rules[%d]: %v", i, err)
		}
	}
	return nil
}

func (r FaultRule) validate() error {
	switch {
	case !faultKinds[r.Kind]:
		return fmt.Errorf("unknown kind %q", r.Kind)
	case r.Nth < 0 || r.Every < 0 || r.Times < 0 || r.RetryAfter < 0 || r.Delay < 0:
		return fmt.Errorf("Nth, Every, Times, RetryAfter and Delay must not be negative")
	case r.Prob < 0 || r.Prob > 1 || math.IsNaN(r.Prob):
		return fmt.Errorf("Prob %v is not a probability", r.Prob)
	case r.Kind == FaultStatus && faultStatusBodies[r.Status].code == "":
		return fmt.Errorf("status %d is not one of 403, 429, 500, 502, 503, 504", r.Status)
	case r.Kind != FaultStatus && r.Status != 0:
		return fmt.Errorf("Status applies to kind %s only", FaultStatus)
	case r.RetryAfter != 0 && (r.Kind != FaultStatus || (r.Status != 429 && r.Status != 503)):
		return fmt.Errorf("RetryAfter applies to statuses 429 and 503 only")
	case r.Delay != 0 && r.Kind != FaultSlow:
		return fmt.Errorf("Delay applies to kind %s only", FaultSlow)
	}
	return nil
}

// IsLate reports whether the sign-in with this id is one of the LateShare that
// arrive late. It is a pure function of the id, so a test can tell which
// sign-ins a listing could not yet have seen.
func (f Faults) IsLate(id string) bool {
	if f.LateShare <= 0 || f.LateBy <= 0 {
		return false
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return float64(h.Sum64()>>11)/(1<<53) < f.LateShare
}
