package graphsim

import (
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
