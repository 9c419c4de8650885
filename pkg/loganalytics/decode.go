package loganalytics

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"
	gojson "github.com/goccy/go-json"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// columnIndex maps the answer's column names to their positions. Rows are
// read by name: the position of a column depends on the table and on what
// column_ifexists found, and the service may add columns.
type columnIndex map[string]int

func indexColumns(names []string) columnIndex {
	ix := make(columnIndex, len(names))
	for i, name := range names {
		if _, dup := ix[name]; !dup {
			ix[name] = i
		}
	}
	return ix
}

// get returns the row's value of a column, nil when the answer has no such
// column or the row is short.
func (ix columnIndex) get(row []any, name string) any {
	i, ok := ix[name]
	if !ok || i >= len(row) {
		return nil
	}
	return row[i]
}

func (ix columnIndex) str(row []any, name string) string { return str(ix.get(row, name)) }

// hasTable checks that the answer has a table: its first (PrimaryResult)
// went to the query's rowSink as it was read.
func hasTable(res azlogs.QueryResults) error {
	if len(res.Tables) == 0 {
		return fmt.Errorf("%w: no table in the result", ErrBadAnswer)
	}
	return nil
}

// decoded is one answer's sign-ins, one per Id.
type decoded struct {
	events []signin.Event
	rows   int // rows in the answer, duplicates included
}

// signInRows takes a sign-in answer's rows as they are read (rowSink) into
// events of log type t. Two rows with one Id (re-emissions the query's
// arg_max should have merged) give one event: the row with the latest
// TimeGenerated.
type signInRows struct {
	t         signin.LogType
	ix        columnIndex // nil until the answer's columns are read
	out       decoded
	generated []time.Time
	at        map[string]int
	bytes     int64 // of the answer's rows, once read
	err       error // what could not be read: the answer is wrong, not cut
}

func (s *signInRows) rowsRead(n int64) { s.bytes = n }

func newSignInRows(t signin.LogType) *signInRows {
	return &signInRows{t: t, at: make(map[string]int)}
}

func (s *signInRows) columns(names []string) error {
	ix := indexColumns(names)
	_, hasCreated := ix[createdColumn]
	_, hasGenerated := ix[generatedColumn]
	switch _, hasID := ix[idColumn]; {
	case !hasID:
		s.err = fmt.Errorf("%w: the result has no %s column", ErrBadAnswer, idColumn)
	case !hasCreated && !hasGenerated:
		s.err = fmt.Errorf("%w: the result has neither %s nor %s", ErrBadAnswer, createdColumn, generatedColumn)
	}
	s.ix = ix
	return s.err
}

func (s *signInRows) row(cells []any) error {
	e, gen, err := decodeRow(s.ix, cells, s.t)
	if err != nil {
		s.err = err
		return err
	}
	s.out.rows++
	if i, dup := s.at[e.ID]; dup && e.ID != "" {
		if gen.After(s.generated[i]) {
			s.out.events[i], s.generated[i] = e, gen
		}
		return nil
	}
	if e.ID != "" {
		s.at[e.ID] = len(s.out.events)
	}
	s.out.events = append(s.out.events, e)
	s.generated = append(s.generated, gen)
	return nil
}

// named reports an answer whose first table never said its columns.
func (s *signInRows) named() error {
	if s.ix == nil {
		return fmt.Errorf("%w: the result's table has no columns", ErrBadAnswer)
	}
	return nil
}

// DecodeRow decodes one row of a sign-in query's answer, given the answer's
// column names, into a sign-in of log type t. It is what ListSignIns applies
// to every row; it is exported for the fuzz target and for tools.
func DecodeRow(columns []string, row []any, t signin.LogType) (signin.Event, error) {
	e, _, err := decodeRow(indexColumns(columns), row, t)
	return e, err
}

// decodeRow fills a sign-in from one row and returns its TimeGenerated too.
// Only a row whose time cannot be read is an error: a sign-in that cannot be
// placed in a window cannot be counted. Every other odd value reads as empty.
func decodeRow(ix columnIndex, row []any, t signin.LogType) (signin.Event, time.Time, error) {
	id := ix.str(row, idColumn)
	generated, genErr := parseTime(ix.get(row, generatedColumn))
	created, err := parseTime(ix.get(row, createdColumn))
	if err != nil || created.IsZero() {
		// No CreatedDateTime (a table without the column, read by
		// TimeGenerated): the row's TimeGenerated is the sign-in's time.
		created, err = generated, genErr
	}
	if err != nil || created.IsZero() {
		return signin.Event{}, time.Time{}, fmt.Errorf("%w: sign-in %s has no readable %s or %s", ErrBadAnswer, clip.Quote(id), createdColumn, generatedColumn)
	}
	status := dynamic(ix.get(row, "Status"))
	device := dynamic(ix.get(row, "DeviceDetail"))
	location := dynamic(ix.get(row, "LocationDetails"))
	geo := object(location["geoCoordinates"])
	msi := dynamic(ix.get(row, "ManagedServiceIdentity"))
	e := signin.Event{
		ID:      id,
		Created: created,
		LogType: t,

		UserID:            ix.str(row, "UserId"),
		UserPrincipalName: ix.str(row, "UserPrincipalName"),
		UserDisplayName:   ix.str(row, "UserDisplayName"),
		UserType:          userType(ix.str(row, "UserType")),

		AppID:          ix.str(row, "AppId"),
		AppDisplayName: appName(ix, row, t),

		ResourceID:          ix.str(row, "ResourceIdentity"),
		ResourceDisplayName: ix.str(row, "ResourceDisplayName"),

		ServicePrincipalID:   ix.str(row, "ServicePrincipalId"),
		ServicePrincipalName: ix.str(row, "ServicePrincipalName"),
		MsiType:              msiType(str(msi["msiType"]), t),
		AssociatedResourceID: str(msi["associatedResourceId"]),

		IPAddress:     ix.str(row, "IPAddress"),
		ErrorCode:     errorCode(ix.get(row, "ResultType"), status["errorCode"]),
		FailureReason: firstOf(ix.str(row, "ResultDescription"), str(status["failureReason"])),
		ClientAppUsed: ix.str(row, "ClientAppUsed"),

		Browser:         str(device["browser"]),
		OperatingSystem: str(device["operatingSystem"]),
		DeviceCompliant: tristate(device["isCompliant"]),
		DeviceManaged:   tristate(device["isManaged"]),
		TrustType:       str(device["trustType"]),

		CountryOrRegion: firstOf(str(location["countryOrRegion"]), ix.str(row, "Location")),
		State:           str(location["state"]),
		City:            str(location["city"]),
		Latitude:        coordinate(geo["latitude"]),
		Longitude:       coordinate(geo["longitude"]),

		ConditionalAccessStatus:   ix.str(row, "ConditionalAccessStatus"),
		AuthenticationRequirement: ix.str(row, "AuthenticationRequirement"),
		RiskLevelDuringSignIn:     workloadNone(ix.str(row, "RiskLevelDuringSignIn"), t),
		ClientCredentialType:      ix.str(row, "ClientCredentialType"),
		TokenIssuerType:           ix.str(row, "TokenIssuerType"),
		CrossTenantAccessType:     ix.str(row, "CrossTenantAccessType"),

		AuthMethods:          authMethods(ix.get(row, "AuthenticationDetails")),
		MfaMethod:            str(dynamic(ix.get(row, "MfaDetail"))["authMethod"]),
		CredentialKeyID:      ix.str(row, "ServicePrincipalCredentialKeyId"),
		CredentialThumbprint: ix.str(row, "ServicePrincipalCredentialThumbprint"),
		RiskState:            workloadNone(ix.str(row, "RiskState"), t),
		RiskDetail:           workloadNone(ix.str(row, "RiskDetail"), t),
		RiskLevelAggregated:  workloadNone(ix.str(row, "RiskLevelAggregated"), t),
		RiskEventTypes:       signin.JoinList(strs(array(ix.get(row, "RiskEventTypes_V2")))),
		IncomingTokenType:    workloadNone(ix.str(row, "IncomingTokenType"), t),
		AuthProtocol:         workloadNone(ix.str(row, "AuthenticationProtocol"), t),
		TokenIssuerName:      ix.str(row, "TokenIssuerName"),
		GlobalSecureAccess:   tristate(ix.get(row, "IsThroughGlobalSecureAccess")),
	}
	return e, generated, nil
}

// appName is the app's display name. The service-principal and
// managed-identity tables have no AppDisplayName column: there the app is the
// service principal itself, as Graph's appDisplayName of such a sign-in says.
func appName(ix columnIndex, row []any, t signin.LogType) string {
	name := ix.str(row, "AppDisplayName")
	if name == "" && (t == signin.ServicePrincipal || t == signin.ManagedIdentity) {
		return ix.str(row, "ServicePrincipalName")
	}
	return name
}

// msiType is the managed identity's type. Graph says "none" for every sign-in
// that is not a managed identity's, and only the managed-identity table has a
// column for it: the other tables' sign-ins read "none" too, so both sources
// answer alike.
func msiType(v string, t signin.LogType) string {
	if v == "" && t != signin.ManagedIdentity {
		return "none"
	}
	return v
}

// workloadNone is a risk, token or protocol field of a sign-in. The
// service-principal and managed-identity tables have no such columns, where
// Graph says "none" for these sign-ins: their empty value reads "none" too,
// so both sources answer alike (a workload identity's risk lives in Identity
// Protection's own tables).
func workloadNone(v string, t signin.LogType) string {
	if v == "" && (t == signin.ServicePrincipal || t == signin.ManagedIdentity) {
		return "none"
	}
	return v
}

// str reads a scalar as a string: strings as they are, numbers and booleans
// written out, anything else (null, objects, arrays) as "".
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// object reads a JSON object value; nil for anything else.
func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// dynamic reads a "dynamic" column: a JSON object in the row (SigninLogs), or
// a string holding one (AADNonInteractiveUserSignInLogs and the others store
// these columns as text). Anything else reads as empty. The text is read with
// goccy/go-json, as pkg/graph reads pages: a listing's rows decode a quarter
// faster than with encoding/json (BenchmarkListAnswer), and
// FuzzDynamicReadsAsEncodingJSON holds it to encoding/json's reading.
func dynamic(v any) map[string]any {
	switch x := v.(type) {
	case map[string]any:
		return x
	case string:
		s := strings.TrimSpace(x)
		if !strings.HasPrefix(s, "{") {
			return nil
		}
		var m map[string]any
		if gojson.Unmarshal([]byte(s), &m) != nil {
			return nil
		}
		return m
	}
	return nil
}

// array reads a JSON array column: an array in the row, or a string holding
// one (AuthenticationDetails and RiskEventTypes_V2 are text in every table).
// Anything else reads as empty.
func array(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case string:
		s := strings.TrimSpace(x)
		if !strings.HasPrefix(s, "[") {
			return nil
		}
		var items []any
		if gojson.Unmarshal([]byte(s), &items) != nil {
			return nil
		}
		return items
	}
	return nil
}

// strs reads the scalar items of an array as strings.
func strs(items []any) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, str(it))
	}
	return out
}

// authMethods lists the methods of the steps in AuthenticationDetails.
func authMethods(v any) string {
	steps := array(v)
	methods := make([]string, 0, len(steps))
	for _, s := range steps {
		methods = append(methods, str(object(s)["authenticationMethod"]))
	}
	return signin.JoinList(methods)
}

// userType maps the tables' Member / Guest to Graph's member / guest, which
// the rest of SignInLens (and cached Graph data) uses.
func userType(s string) string {
	switch {
	case strings.EqualFold(s, "member"):
		return "member"
	case strings.EqualFold(s, "guest"):
		return "guest"
	}
	return s
}

// unknownFailure is the error code of a sign-in whose ResultType is text
// other than a number or "success" and which has no Status.errorCode: it
// failed, with no code to say why. A misread code must not turn a failure
// into a success.
const unknownFailure = -1

// errorCode reads ResultType ("0", "50126"; a number in some exports), else
// Status.errorCode.
func errorCode(resultType, statusCode any) int32 {
	if n, ok := int32Of(resultType); ok {
		return n
	}
	if n, ok := int32Of(statusCode); ok {
		return n
	}
	s, _ := resultType.(string)
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "success") {
		return 0
	}
	return unknownFailure
}

// int32Of reads an integer from a JSON number or a numeric string.
func int32Of(v any) (int32, bool) {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt32 && x <= math.MaxInt32 {
			return int32(x), true
		}
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 32); err == nil {
			return int32(n), true
		}
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 32); err == nil {
			return int32(n), true
		}
	}
	return 0, false
}

// tristate reads isCompliant / isManaged: a boolean, or its text.
func tristate(v any) signin.Tristate {
	switch x := v.(type) {
	case bool:
		return signin.TristateOf(&x)
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(x)); err == nil {
			return signin.TristateOf(&b)
		}
	}
	return signin.Unknown
}

// coordinate reads a latitude or longitude; NaN when unknown, since 0,0 is a place.
func coordinate(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return f
		}
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && !math.IsInf(f, 0) {
			return f
		}
	}
	return math.NaN()
}

// parseTime reads a datetime value: RFC 3339 with 0–9 fractional digits, or
// without a zone (taken as UTC). Null or "" is the zero time, no error.
func parseTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if v == nil || (ok && s == "") {
		return time.Time{}, nil
	}
	if !ok {
		return time.Time{}, fmt.Errorf("not a datetime")
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("not an RFC 3339 date-time")
}
