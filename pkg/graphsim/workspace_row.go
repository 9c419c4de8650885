package graphsim

import (
	"encoding/json"
	"strconv"
	"time"
)

// laRow is one row of a table: a version of a sign-in. The record's JSON is
// decoded only when a column asks for it, and then once.
type laRow struct {
	rec      *Record
	ingested time.Time // TimeGenerated
	earlier  bool      // the first row of a re-emitted sign-in, which the later row updates
	revised  bool      // the row of rec.Revision, whose JSON it carries
	ctx      *rowContext
	si       *graphSignIn
}

// rowContext is what the rows of one query share.
type rowContext struct {
	table       *schema
	workspaceID string
}

// signIn decodes the version the row carries: the revised one in a
// revision's row, the record's first in the others. The columns that come
// from Record itself are the same in both (Record.Revise).
func (r *laRow) signIn() *graphSignIn {
	if r.si == nil {
		raw := r.rec.JSON
		if r.revised {
			raw = r.rec.Revision.JSON
		}
		r.si = decodeSignIn(raw)
	}
	return r.si
}

// riskState is the sign-in's RiskState: an earlier one in the first row of a
// re-emitted sign-in, the record's first version's in its update, the
// revised one in a revision's row.
func (r *laRow) riskState() string {
	s := string(r.signIn().RiskState)
	if r.earlier {
		return earlierRiskState(s)
	}
	return s
}

// resultType is ResultType: the error code as a string, "0" for success.
func (r *laRow) resultType() string { return strconv.FormatInt(int64(r.rec.ErrorCode), 10) }

// resultDescription is the failure reason of a failed sign-in. Successes
// have none in the workspace, though Graph writes "Other." for them.
func (r *laRow) resultDescription() string {
	if r.rec.ErrorCode == 0 {
		return ""
	}
	var st statusFields
	_ = json.Unmarshal(r.signIn().Status, &st)
	return string(st.FailureReason)
}

// country is Location: the country code of the sign-in's location.
func (r *laRow) country() string {
	var loc locationFields
	_ = json.Unmarshal(r.signIn().Location, &loc)
	return string(loc.CountryOrRegion)
}

// tenantID is AADTenantId: the tenant the sign-in was logged in.
func (r *laRow) tenantID() string {
	if si := r.signIn(); si.ResourceTenantID != "" {
		return string(si.ResourceTenantID)
	}
	return string(r.signIn().HomeTenantID)
}

// userType is UserType, capitalised as the workspace has it (Member, Guest).
func (r *laRow) userType() string {
	t := string(r.signIn().UserType)
	if t != "" && t[0] >= 'a' && t[0] <= 'z' {
		return string(t[0]-'a'+'A') + t[1:]
	}
	return t
}
