package graphsim

import (
	"fmt"
	"log/slog"
	"time"
)

// Defaults of Options.
const (
	// DefaultThrottleWindow is Graph's window for identity and access reports:
	// 5 requests per 10 s per tenant (README, "Limits").
	DefaultThrottleWindow = 10 * time.Second
	// DefaultTokenLifetime is what Entra ID grants an app-only token by default.
	DefaultTokenLifetime = time.Hour
)

// Options configure a Server. The zero value of every field but Source is a
// usable default: no throttling, no ingestion delay, any client accepted.
type Options struct {
	// Source provides the sign-ins. Required.
	Source Source
	// Now is the clock for ingestion delay, token expiry and throttling;
	// default time.Now. Tests pass a simulated clock so no test sleeps.
	Now func() time.Time
	// Throttle is how many Graph requests one tenant may make per
	// ThrottleWindow; 0 turns throttling off.
	Throttle int
	// ThrottleWindow is the throttling window; default DefaultThrottleWindow.
	ThrottleWindow time.Duration
	// Delay is the ingestion delay: a sign-in is listed once Now() >= Created+Delay,
	// the way real sign-ins arrive minutes late.
	Delay time.Duration
	// Credentials maps client IDs to the secrets the token endpoint accepts.
	// A listed client may also authenticate with a client assertion (see
	// checkAssertion). Nil or empty accepts any client with any credential.
	Credentials map[string]string
	// TokenLifetime is the lifetime of issued tokens; default DefaultTokenLifetime.
	TokenLifetime time.Duration
	// Log receives request failures and lifecycle events; default discards.
	Log *slog.Logger
	// Faults injects failures into sign-ins requests (see Faults); the zero
	// value injects none.
	Faults Faults
	// Workspace configures the Log Analytics workspace served beside Graph
	// over the same Source (see WorkspaceOptions).
	Workspace WorkspaceOptions
}

// withDefaults validates o and fills in defaults.
func (o Options) withDefaults() (Options, error) {
	if o.Source == nil {
		return o, ErrNoSource
	}
	if o.Throttle < 0 || o.ThrottleWindow < 0 || o.Delay < 0 || o.TokenLifetime < 0 {
		return o, fmt.Errorf("%w: Throttle, ThrottleWindow, Delay and TokenLifetime must not be negative", ErrBadOption)
	}
	if err := o.Faults.validate(); err != nil {
		return o, err
	}
	ws, err := o.Workspace.withDefaults()
	if err != nil {
		return o, err
	}
	o.Workspace = ws
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ThrottleWindow == 0 {
		o.ThrottleWindow = DefaultThrottleWindow
	}
	if o.TokenLifetime == 0 {
		o.TokenLifetime = DefaultTokenLifetime
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o, nil
}
