package e2e

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
)

// authRiskSignIn holds the fields of an exported record behind the
// authentication and risk dimensions (the Usage & insights and risky
// sign-ins reports), read here from Graph's JSON independently of the plugin.
type authRiskSignIn struct {
	UserID                string `json:"userId"`
	UserPrincipalName     string `json:"userPrincipalName"`
	AppDisplayName        string `json:"appDisplayName"`
	ServicePrincipalName  string `json:"servicePrincipalName"`
	AuthenticationDetails []struct {
		Method string `json:"authenticationMethod"`
	} `json:"authenticationDetails"`
	MfaDetail *struct {
		AuthMethod string `json:"authMethod"`
	} `json:"mfaDetail"`
	CredentialKeyID      string   `json:"servicePrincipalCredentialKeyId"`
	CredentialThumbprint string   `json:"servicePrincipalCredentialThumbprint"`
	RiskState            string   `json:"riskState"`
	RiskDetail           string   `json:"riskDetail"`
	RiskLevelAggregated  string   `json:"riskLevelAggregated"`
	RiskEventTypesV2     []string `json:"riskEventTypes_v2"`
	IncomingTokenType    string   `json:"incomingTokenType"`
	AuthProtocol         string   `json:"authenticationProtocol"`
	TokenIssuerName      string   `json:"tokenIssuerName"`
	GlobalSecureAccess   *bool    `json:"isThroughGlobalSecureAccess"`
	Status               struct {
		ErrorCode int `json:"errorCode"`
	} `json:"status"`
}

// listRecord is a sign-in's values per dimension: one for most, each distinct
// one for a list (none reads as the one empty value).
type listRecord struct {
	logType string
	code    int
	user    string
	values  map[string][]string
}

func authRiskRecords(t *testing.T, seed int, size string, from, to time.Time) []listRecord {
	t.Helper()
	var out []listRecord
	for _, lt := range logTypes {
		for _, r := range exportOf[authRiskSignIn](t, seed, size, lt, from, to) {
			out = append(out, r.record(lt))
		}
	}
	return out
}

func (r authRiskSignIn) record(lt string) listRecord {
	var methods []string
	for _, s := range r.AuthenticationDetails {
		methods = append(methods, s.Method)
	}
	mfa, gsa := "", ""
	if r.MfaDetail != nil {
		mfa = r.MfaDetail.AuthMethod
	}
	if r.GlobalSecureAccess != nil {
		gsa = fmt.Sprint(*r.GlobalSecureAccess)
	}
	one := func(v string) []string { return []string{v} }
	return listRecord{logType: lt, code: r.Status.ErrorCode, user: first(r.UserID, r.UserPrincipalName), values: map[string][]string{
		"logType": one(lt), "status": one(statusOf(r.Status.ErrorCode)), "app": one(r.AppDisplayName),
		"servicePrincipal": one(r.ServicePrincipalName),
		"authMethod":       distinctValues(methods), "mfaMethod": one(mfa),
		"credentialKeyId": one(r.CredentialKeyID), "credentialThumbprint": one(r.CredentialThumbprint),
		"riskState": one(r.RiskState), "riskDetail": one(r.RiskDetail), "riskLevelAggregated": one(r.RiskLevelAggregated),
		"riskEventType":     distinctValues(r.RiskEventTypesV2),
		"incomingTokenType": one(r.IncomingTokenType), "authProtocol": one(r.AuthProtocol),
		"tokenIssuerName": one(r.TokenIssuerName), "globalSecureAccess": one(gsa),
	}}
}

// distinctValues is a list field's values, each once; [""] for none.
func distinctValues(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// listFilter is a filter evaluated the README's way: a positive operator
// passes when one value does, "!=" and "!~" when none is the one excluded.
type listFilter struct{ key, op, value string }

func (f listFilter) match(r listRecord) bool {
	eq := func(v string) bool {
		switch f.op {
		case "=", "!=":
			return v == f.value || (v == "" && f.value == "(empty)")
		case "=~", "!~":
			return regexp.MustCompile("^(?:" + f.value + ")$").MatchString(labelOrEmpty(v))
		case "in":
			return slices.Contains(strings.Split(f.value, ","), labelOrEmpty(v))
		}
		panic("unknown op " + f.op)
	}
	hit := slices.ContainsFunc(r.values[f.key], eq)
	if f.op == "!=" || f.op == "!~" {
		return !hit
	}
	return hit
}

func labelOrEmpty(v string) string {
	if v == "" {
		return "(empty)"
	}
	return v
}

// listTruth is metric per group: a sign-in in the group of each combination
// of its values; distinct users exact per group.
func listTruth(records []listRecord, logType, metric string, groupBy []string, filters []listFilter) map[string]float64 {
	type acc struct {
		n, fail float64
		users   map[string]bool
	}
	groups := make(map[string]*acc)
	for _, r := range records {
		if logType != "all" && r.logType != logType {
			continue
		}
		if slices.ContainsFunc(filters, func(f listFilter) bool { return !f.match(r) }) {
			continue
		}
		keys := []string{""}
		for i, g := range groupBy {
			var next []string
			for _, k := range keys {
				for _, v := range r.values[g] {
					if i > 0 {
						k += "|"
					}
					next = append(next, k+labelOrEmpty(v))
				}
			}
			keys = next
		}
		for _, k := range keys {
			a := groups[k]
			if a == nil {
				a = &acc{users: make(map[string]bool)}
				groups[k] = a
			}
			a.n++
			if isFailure(r.code) {
				a.fail++
			}
			if r.user != "" {
				a.users[r.user] = true
			}
		}
	}
	out := make(map[string]float64)
	for k, a := range groups {
		switch metric {
		case "count":
			out[k] = a.n
		case "failures":
			out[k] = a.fail
		case "distinctUsers":
			out[k] = float64(len(a.users))
		default:
			panic("metric " + metric)
		}
	}
	return out
}

// TestAuthAndRiskDimensionsMatchGroundTruth groups and filters by every
// authentication and risk dimension, the list-valued ones included, over 7
// closed days of the demo tenant through the built binary — speaking Graph and
// speaking the Log Analytics query API — and compares every row with the
// ground truth computed here from `graphsim export`.
func TestAuthAndRiskDimensionsMatchGroundTruth(t *testing.T) {
	_, to := testclock.Workday(t) // a working day whose windows have all closed
	from := to.Add(-7 * 24 * time.Hour)
	records := authRiskRecords(t, 7, "small", from, to)
	type sample struct {
		logType, metric string
		groupBy         []string
		filters         []listFilter
	}
	samples := []sample{
		{"interactive", "count", []string{"authMethod"}, nil},
		{"all", "distinctUsers", []string{"authMethod", "status"}, nil},
		{"interactive", "failures", []string{"authMethod"}, []listFilter{{"authMethod", "!=", "Password"}}},
		{"interactive", "count", []string{"mfaMethod"}, []listFilter{{"authMethod", "=~", "Mobile.*|FIDO2.*"}}},
		{"servicePrincipal", "count", []string{"servicePrincipal", "credentialKeyId"}, nil},
		{"servicePrincipal", "failures", []string{"credentialThumbprint"}, nil},
		{"all", "count", []string{"riskState", "riskLevelAggregated", "logType"}, nil},
		{"interactive", "distinctUsers", []string{"riskEventType"}, nil},
		{"interactive", "count", []string{"riskEventType", "riskDetail"}, []listFilter{{"riskState", "!=", "none"}}},
		{"interactive", "count", []string{"riskState"}, []listFilter{{"riskEventType", "in", "(empty),unfamiliarFeatures"}}},
		{"all", "count", []string{"incomingTokenType", "authProtocol"}, nil},
		{"interactive", "distinctUsers", []string{"tokenIssuerName", "app"}, nil},
		{"all", "count", []string{"globalSecureAccess", "logType"}, nil},
	}
	h := launch(t)
	for _, api := range []string{"graph", "logAnalytics"} {
		t.Run(api, func(t *testing.T) {
			ds := plugintest.Datasource{UID: "authrisk-" + api, JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small", "demoApi": api}}
			truth := records
			if api == "logAnalytics" {
				truth = asWorkspaceRecords(records)
			}
			for i, s := range samples {
				var filters []map[string]string
				for _, f := range s.filters {
					filters = append(filters, map[string]string{"key": f.key, "op": f.op, "value": f.value})
				}
				q := plugintest.Query{RefID: fmt.Sprint("Q", i), From: from, To: to, JSON: map[string]any{
					"logType": s.logType, "format": "table", "metric": s.metric, "groupBy": s.groupBy, "filters": filters, "limit": 10000}}
				got := tableAnswer(t, h, ds, q, len(s.groupBy))
				want := listTruth(truth, s.logType, s.metric, s.groupBy, s.filters)
				if len(want) == 0 {
					t.Fatalf("%+v: the ground truth is empty; the sample proves nothing", s)
				}
				compareGroups(t, fmt.Sprintf("%s %+v", api, s), got, want)
			}
		})
	}
}

// asWorkspaceRecords is the records as a workspace holds them: its
// AADServicePrincipalSignInLogs and AADManagedIdentitySignInLogs have no risk
// columns (Microsoft's table reference), so a workload sign-in's risk reads
// none there whatever Graph says (docs/log-analytics.md, "Columns used").
func asWorkspaceRecords(records []listRecord) []listRecord {
	out := make([]listRecord, len(records))
	for i, r := range records {
		out[i] = r
		if r.logType != "servicePrincipal" && r.logType != "managedIdentity" {
			continue
		}
		out[i].values = maps.Clone(r.values)
		for _, k := range []string{"riskState", "riskDetail", "riskLevelAggregated"} {
			out[i].values[k] = []string{"none"}
		}
		out[i].values["riskEventType"] = []string{""}
	}
	return out
}

// tableAnswer runs a table query and returns its rows by their labels joined with "|".
func tableAnswer(t *testing.T, h *plugintest.Host, ds plugintest.Datasource, q plugintest.Query, dims int) map[string]float64 {
	t.Helper()
	resp, err := h.QueryData(context.Background(), ds.Request(nil, q))
	if err != nil {
		t.Fatal(err)
	}
	dr := resp.Responses[q.RefID]
	if dr.Error != nil {
		t.Fatalf("%v: %v", q.JSON, dr.Error)
	}
	f := dr.Frames[0]
	got := make(map[string]float64)
	for row := 0; row < f.Rows(); row++ {
		var labels []string
		for c := 0; c < dims; c++ {
			labels = append(labels, f.Fields[c].At(row).(string))
		}
		got[strings.Join(labels, "|")] = f.Fields[dims].At(row).(float64)
	}
	return got
}

func compareGroups(t *testing.T, name string, got, want map[string]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d groups; want %d\ngot  %v\nwant %v", name, len(got), len(want), got, want)
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if d := got[k] - want[k]; d > 1e-9 || d < -1e-9 {
			t.Fatalf("%s group %q: got %v; want %v", name, k, got[k], want[k])
		}
	}
}
