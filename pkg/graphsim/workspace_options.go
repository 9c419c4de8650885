package graphsim

import (
	"fmt"
	"slices"
	"time"
)

// The service's limits (docs/log-analytics.md, "The answer"), the defaults
// of WorkspaceOptions.
const (
	// DefaultMaxRows is the most rows one result holds.
	DefaultMaxRows = 500_000
	// DefaultMaxBytes is the most bytes of rows one result holds.
	DefaultMaxBytes = 64 << 20
	// WorkspaceThrottleLimit is how many queries the service answers per
	// WorkspaceThrottleWindow before it answers 429.
	WorkspaceThrottleLimit = 200
	// WorkspaceThrottleWindow is the window of WorkspaceOptions.Throttle.
	WorkspaceThrottleWindow = 30 * time.Second
	// WorkspaceRetention is how far back a query without any time bound
	// reads a synthetic tenant (a replayed file is read whole): what a
	// Sentinel workspace keeps by default.
	WorkspaceRetention = 90 * 24 * time.Hour
)

// WorkspaceTables are the four sign-in tables, in log type order.
var WorkspaceTables = []string{"SigninLogs", "AADNonInteractiveUserSignInLogs", "AADServicePrincipalSignInLogs", "AADManagedIdentitySignInLogs"}

// WorkspaceOptions configure the Log Analytics workspace the server serves
// beside Graph (POST /v1/workspaces/{id}/query), over the same Source. The
// zero value is a workspace of any id with all four tables, the service's
// limits and no throttling.
type WorkspaceOptions struct {
	// ID pins the workspace id: a query to another id gets 404
	// WorkspaceNotFoundError. Empty: every id is the same workspace.
	ID string
	// Tables are the tables the workspace has (the categories its
	// diagnostic setting routes), out of WorkspaceTables; nil: all four.
	Tables []string
	// OmitColumns removes columns per table, as a workspace whose schema
	// predates them lacks them (e.g. {"AADManagedIdentitySignInLogs":
	// {"ManagedServiceIdentity"}}).
	OmitColumns map[string][]string
	// MaxRows caps the rows of a result; default DefaultMaxRows.
	MaxRows int
	// MaxBytes caps the bytes of a result's rows; default DefaultMaxBytes.
	MaxBytes int
	// Throttle is how many queries one workspace answers per
	// WorkspaceThrottleWindow, then 429 with Retry-After; 0: unlimited. The
	// service allows WorkspaceThrottleLimit.
	Throttle int
	// Faults are injected into workspace queries (ParseWorkspaceFault reads
	// them from specs). They count workspace queries only, apart from
	// Options.Faults, and may be of kinds status, reset, truncate,
	// truncate-chunked, truncate-json, slow and expire-token.
	Faults []FaultRule
}

// workspaceFaultKinds are the fault kinds that mean something to a query:
// skip tokens and paging (bad-skiptoken, duplicate) do not exist there, and
// revoke-token is Graph's Continuous Access Evaluation.
var workspaceFaultKinds = map[FaultKind]bool{
	FaultStatus: true, FaultReset: true, FaultTruncate: true, FaultTruncateChunked: true,
	FaultTruncateJSON: true, FaultSlow: true, FaultExpireToken: true,
}

// withDefaults validates o and fills in defaults.
func (o WorkspaceOptions) withDefaults() (WorkspaceOptions, error) {
	if err := o.problem(); err != nil {
		return o, fmt.Errorf("%w: Workspace.%v", ErrBadOption, err)
	}
	if o.Tables == nil {
		o.Tables = WorkspaceTables
	}
	if o.MaxRows == 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.MaxBytes == 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	return o, nil
}

func (o WorkspaceOptions) problem() error {
	if o.MaxRows < 0 || o.MaxBytes < 0 || o.Throttle < 0 {
		return fmt.Errorf("MaxRows, MaxBytes and Throttle must not be negative")
	}
	for _, t := range o.Tables {
		if !slices.Contains(WorkspaceTables, t) {
			return fmt.Errorf("Tables: %q is not a sign-in table", t)
		}
	}
	for t := range o.OmitColumns {
		if !slices.Contains(WorkspaceTables, t) {
			return fmt.Errorf("OmitColumns: %q is not a sign-in table", t)
		}
	}
	for i, r := range o.Faults {
		if err := workspaceRuleProblem(r); err != nil {
			return fmt.Errorf("Faults[%d]: %v", i, err)
		}
	}
	return nil
}

func workspaceRuleProblem(r FaultRule) error {
	if err := r.validate(); err != nil {
		return err
	}
	if !workspaceFaultKinds[r.Kind] || r.SkipToken {
		return fmt.Errorf("kind %s (or skiptoken) does not apply to workspace queries", r.Kind)
	}
	return nil
}

// ParseWorkspaceFault adds the rule one spec describes (FaultSpecSyntax; a
// rule kind, not skew or late) to o.Faults.
func ParseWorkspaceFault(spec string, o *WorkspaceOptions) error {
	var f Faults
	if err := ParseFault(spec, &f); err != nil {
		return err
	}
	if len(f.Rules) != 1 {
		return fmt.Errorf("%w: workspace fault %q: skew and late are server-wide; give a rule", ErrBadOption, spec)
	}
	if err := workspaceRuleProblem(f.Rules[0]); err != nil {
		return fmt.Errorf("%w: workspace fault %q: %v", ErrBadOption, spec, err)
	}
	o.Faults = append(o.Faults[:len(o.Faults):len(o.Faults)], f.Rules[0])
	return nil
}
