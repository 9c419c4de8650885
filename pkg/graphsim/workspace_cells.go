package graphsim

import (
	"encoding/json"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/kql"
)

// cellFunc writes the value of a column for a row.
type cellFunc func(b *answerBuf, r *laRow)

// The column constructors, one per way a value is made.

// colText is a string column computed from the row.
func colText(name string, get func(r *laRow) string) laColumn {
	return laColumn{name, kql.TypeString, func(b *answerBuf, r *laRow) { b.str(get(r)) }}
}

// colConst is a string column with the same value in every row.
func colConst(name, value string) laColumn {
	return colText(name, func(*laRow) string { return value })
}

// colProp is a string column copied from a Graph property.
func colProp(name string, get func(si *graphSignIn) anyText) laColumn {
	return colText(name, func(r *laRow) string { return string(get(r.signIn())) })
}

// colTime is a datetime column.
func colTime(name string, get func(r *laRow) time.Time) laColumn {
	return laColumn{name, kql.TypeDatetime, func(b *answerBuf, r *laRow) { b.datetime(get(r)) }}
}

// colBool is a bool column from a Graph property: null when it is missing.
func colBool(name string, get func(si *graphSignIn) anyBool) laColumn {
	return laColumn{name, kql.TypeBool, func(b *answerBuf, r *laRow) {
		switch v := get(r.signIn()); {
		case !v.set:
			b.null()
		case v.value:
			b.out = append(b.out, "true"...)
		default:
			b.out = append(b.out, "false"...)
		}
	}}
}

// colZero is a long column the workspace fills with 0 (DurationMs).
func colZero(name string) laColumn {
	return laColumn{name, kql.TypeLong, func(b *answerBuf, _ *laRow) { b.out = append(b.out, '0') }}
}

// colObject is a column holding a Graph object or array: a dynamic column in
// SigninLogs (the value in the row is the object), a string column holding
// its JSON text elsewhere (AADNonInteractiveUserSignInLogs, the service
// principal tables). orEmpty stands in for a missing value in a dynamic
// column.
func colObject(name string, dynamic bool, get func(si *graphSignIn) []byte, orEmpty string) laColumn {
	if !dynamic {
		return laColumn{name, kql.TypeString, func(b *answerBuf, r *laRow) { b.text(get(r.signIn()), false) }}
	}
	return laColumn{name, kql.TypeDynamic, func(b *answerBuf, r *laRow) {
		raw := get(r.signIn())
		if len(raw) == 0 || string(raw) == "null" {
			raw = json.RawMessage(orEmpty)
		}
		b.object(raw)
	}}
}

// colSerialized is a string column holding a Graph value's JSON text in every
// table, indented when the workspace writes it so (AuthenticationDetails
// arrives spread over lines, as the portal's CSV export shows).
func colSerialized(name string, indent bool, get func(si *graphSignIn) []byte) laColumn {
	return laColumn{name, kql.TypeString, func(b *answerBuf, r *laRow) { b.text(get(r.signIn()), indent) }}
}
