package graphsim

import (
	"fmt"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Record is one sign-in as served: the fields the $filter can test plus the
// Graph JSON object, served as is. Keeping the raw bytes (rather than a struct
// to re-marshal) is what makes replayed exports byte-faithful, unknown fields,
// odd spellings and all.
type Record struct {
	Created           time.Time // createdDateTime, UTC
	Type              signin.LogType
	ID                string
	AppID             string
	UserID            string
	UserPrincipalName string
	AppDisplayName    string
	ErrorCode         int32 // status.errorCode; 0 when missing
	JSON              []byte
	// Generated is when a Log Analytics export says the row was ingested
	// (TimeGenerated); zero for other formats. Of two rows with one id — a
	// sign-in re-emitted when it was updated — the later is its latest version.
	Generated time.Time
	// RiskState is riskState, for $filter: the JSON's value, "" when it has
	// none. Like every field above, it is the first version's.
	RiskState string
	// Revision, when not nil, is the sign-in's later version, which Graph
	// serves from Revision.At on (see AsOf) and the workspace holds as one
	// more row (workspace_ingest.go).
	Revision *Revision
}

// Revision is a sign-in as Entra changed it after the fact: Identity
// Protection remediated or dismissed its risk, or found it risky offline.
// Graph then serves the new version under the same id and createdDateTime,
// and a workspace re-emits it with a later TimeGenerated. Only the risk
// properties change, so of the fields a $filter tests only RiskState can
// differ from the record's (Record.Revise holds a revision to that).
type Revision struct {
	At        time.Time // when the sign-in changed, UTC
	JSON      []byte    // the revised Graph object, served as is
	RiskState string    // its riskState, "" when it has none
}

// AsOf returns the record as Graph serves it at now: from Revision.At on
// its revised version, before that the record itself; either way without
// a Revision, as a client can only see what has happened.
func (r *Record) AsOf(now time.Time) Record {
	out := *r
	if rev := r.Revision; rev != nil && !now.Before(rev.At) {
		out.JSON, out.RiskState = rev.JSON, rev.RiskState
	}
	out.Revision = nil
	return out
}

// servedAt is AsOf without a copy for the records no revision changes: the
// pager calls it on every record it reads.
func (r *Record) servedAt(now time.Time) *Record {
	if r.Revision == nil || now.Before(r.Revision.At) {
		return r
	}
	v := r.AsOf(now)
	return &v
}

// Revise gives the record a later version: raw, the Graph object Entra
// serves from at on. raw must be the same sign-in with the same values for
// every field a $filter tests but riskState (what Entra changes after the
// fact); anything else is an ErrBadRecord.
func (r *Record) Revise(at time.Time, raw []byte) error {
	rev, err := parseRecord(raw, &r.Type)
	if err != nil {
		return fmt.Errorf("%w: revision of %s: %v", ErrBadRecord, r.ID, err)
	}
	if !sameSignIn(r, &rev) {
		return fmt.Errorf("%w: revision of %s changes more than its risk (id %s, createdDateTime %s)",
			ErrBadRecord, r.ID, rev.ID, rev.Created.Format(time.RFC3339Nano))
	}
	r.Revision = &Revision{At: at.UTC(), JSON: raw, RiskState: rev.RiskState}
	return nil
}

// sameSignIn reports whether b is a version of a: the same values in every
// field but the JSON, the risk state and the versions.
func sameSignIn(a, b *Record) bool {
	return a.ID == b.ID && a.Created.Equal(b.Created) && a.AppID == b.AppID && a.UserID == b.UserID &&
		a.UserPrincipalName == b.UserPrincipalName && a.AppDisplayName == b.AppDisplayName && a.ErrorCode == b.ErrorCode
}

// Source yields the sign-ins of one log type created in [hour, hour+1h),
// newest first (Created descending, then ID descending). The hour granularity
// lets the server page through a long range without materialising it. The
// returned slice is shared: callers must not modify it.
type Source interface {
	Hour(t signin.LogType, hour time.Time) ([]Record, error)
}

// compareNewest orders records newest first: Created descending, then ID
// descending. It is the one order of every Source, page and skip token.
func compareNewest(a, b *Record) int {
	if c := b.Created.Compare(a.Created); c != 0 {
		return c
	}
	return strings.Compare(b.ID, a.ID)
}
