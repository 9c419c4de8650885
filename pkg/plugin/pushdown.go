package plugin

import (
	"fmt"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pushdown"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// Values of the pushDown setting.
const (
	PushDownAuto   = "auto"   // ranges longer than pushDownAfterDays, when the query can be
	PushDownAlways = "always" // every query that can be
	PushDownNever  = "never"  // none: the store answers everything, as before
)

// DefaultPushDownAfterDays is the range auto pushes down from: the days a
// datasource keeps warm by default. Shorter ranges are the store's, which
// answers them from cached windows without asking anything.
const DefaultPushDownAfterDays = DefaultWarmDays

// pushDownShare is the share of the in-process cache size (cacheSizeMB)
// the push-down's cache of settled days gets: its values are small counts.
const pushDownShare = 8

// pushDownCacheBytes is push-down's in-process cache for a cache size.
func pushDownCacheBytes(cacheBytes int) int { return max(cacheBytes/pushDownShare, 1<<20) }

func (s Settings) validatePushDown() error {
	switch s.PushDown {
	case "", PushDownAuto, PushDownAlways, PushDownNever:
	default:
		return fmt.Errorf("%w: pushDown %s; want %q, %q or %q", ErrSettings, clip.Quote(s.PushDown), PushDownAuto, PushDownAlways, PushDownNever)
	}
	if s.PushDownAfterDays < 0 || s.PushDownAfterDays > 3650 {
		return fmt.Errorf("%w: pushDownAfterDays %d; want 0 (the default, %d) to 3650", ErrSettings, s.PushDownAfterDays, DefaultPushDownAfterDays)
	}
	return nil
}

// pushDownMode is the pushDown setting, defaulted: auto for a workspace;
// never for the demo tenant unless set, whose answers stay the cache's, as
// the Graph demo's are, so both demo APIs answer alike.
func (s Settings) pushDownMode() string {
	if s.PushDown != "" {
		return s.PushDown
	}
	return s.kind().pushDown()
}

// pushDownAfter is the shortest range auto pushes down.
func (s Settings) pushDownAfter() time.Duration {
	days := s.PushDownAfterDays
	if days == 0 {
		days = DefaultPushDownAfterDays
	}
	return time.Duration(days) * 24 * time.Hour
}

// pushDownSpace is the push-down's space of the store's memcached, beside
// its windows (store.SideCache).
const pushDownSpace = "pushdown"

// newPushDown is the push-down runner of a workspace source; nil for every
// other source and for pushDown never. Its cache of settled days is
// in-process (L1) and, when the datasource has memcached, in front of the
// store's (side, nil without): replicas and a re-created datasource then
// share the days any of them asked for, sealed under the store's key as its
// windows are.
func newPushDown(s Settings, src source, cacheBytes int, side *store.SideCache) *pushdown.Runner {
	la, ok := src.(*logAnalyticsSource)
	if !ok || s.pushDownMode() == PushDownNever {
		return nil
	}
	var cache pushdown.Cache = pushdown.NewL1(pushDownCacheBytes(cacheBytes))
	if side != nil { // a nil *SideCache in the interface would not be nil
		cache = pushdown.Tiered{L1: cache, L2: side}
	}
	// A day is settled once no sign-in of it can arrive (Freshness) or change
	// (the revalidation period) any more: until then it is asked again, as the
	// store revalidates its windows.
	return &pushdown.Runner{Workspace: la.Client, Cache: cache, Settle: s.Freshness() + s.Revalidate(), Seen: la.seen}
}

// pushDownRouting is the engine's routing of aggregations to the
// workspace (docs/log-analytics.md, "Push-down"): every range under always,
// ranges of pushDownAfterDays or more under auto. A query that cannot be
// pushed down exactly, or whose answer is over one of the workspace's limits,
// is answered from the store, saying why when pushDown is always (auto falls
// back quietly: the cache answering is the ordinary case).
func pushDownRouting(s Settings, runner *pushdown.Runner) query.Option {
	if runner == nil {
		return func(*query.Engine) {}
	}
	always := s.pushDownMode() == PushDownAlways
	after := s.pushDownAfter()
	if always {
		after = 0
	}
	return query.WithRouting(query.Routing{Counter: runner, After: after, Where: "the workspace", Explain: always})
}
