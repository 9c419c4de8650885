package e2e

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
)

// truthRecord is a sign-in as the ground truth reads it from an export, with the
// values of the dimensions the sample queries use computed here, independently
// of pkg/signin.
type truthRecord struct {
	logType string
	created time.Time
	dims    map[string]string
	code    int
}

var versionToken = regexp.MustCompile(`(\s+[0-9][^\s]*)+$`)

func truthRecords(t *testing.T, seed int, size string, from, to time.Time) []truthRecord {
	t.Helper()
	var out []truthRecord
	for _, lt := range logTypes {
		for _, r := range export(t, seed, size, lt, from, to) {
			created, err := time.Parse(time.RFC3339Nano, r.CreatedDateTime)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, truthRecord{logType: lt, created: created, code: r.Status.ErrorCode, dims: map[string]string{
				"logType": lt, "user": r.UserPrincipalName, "app": r.AppDisplayName, "ipAddress": r.IPAddress,
				"resource": r.ResourceDisplayName, "servicePrincipal": r.ServicePrincipalName, "clientApp": r.ClientAppUsed,
				"status": statusOf(r.Status.ErrorCode), "errorCode": fmt.Sprint(r.Status.ErrorCode),
				"browser": versionToken.ReplaceAllString(r.DeviceDetail.Browser, ""), "country": r.Location.CountryOrRegion,
				"authRequirement": r.AuthRequirement, "conditionalAccess": r.ConditionalAccess,
				"_user": first(r.UserID, r.UserPrincipalName), "_app": first(r.AppID, r.AppDisplayName),
				"_ip": r.IPAddress, "_resource": first(r.ResourceID, r.ResourceDisplayName), "_country": r.Location.CountryOrRegion,
			}})
		}
	}
	return out
}

func statusOf(code int) string {
	switch {
	case code == 0:
		return "success"
	case isFailure(code):
		return "failure"
	}
	return "interrupted"
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// truthFilter is a filter of the sample queries, evaluated here.
type truthFilter struct{ key, op, value string }

func (f truthFilter) match(r truthRecord) bool {
	v := r.dims[f.key]
	switch f.op {
	case "=":
		return v == f.value
	case "!=":
		return v != f.value
	case "=~":
		return regexp.MustCompile("^(?:" + f.value + ")$").MatchString(v)
	case "!~":
		return !regexp.MustCompile("^(?:" + f.value + ")$").MatchString(v)
	case "in":
		for _, x := range strings.Split(f.value, ",") {
			if v == x {
				return true
			}
		}
		return false
	case "startsWith":
		return strings.HasPrefix(v, f.value)
	}
	panic("unknown op " + f.op)
}

// truthTable computes metric per group over the whole range.
func truthTable(records []truthRecord, logType, metric string, groupBy []string, filters []truthFilter) map[string]float64 {
	type acc struct {
		n, fail, succ, intr       float64
		first, last               time.Time
		firstFailure, lastSuccess time.Time
		distinct                  map[string]bool
	}
	groups := make(map[string]*acc)
	distinctKey := map[string]string{"distinctUsers": "_user", "distinctApps": "_app", "distinctIPs": "_ip", "distinctResources": "_resource",
		"distinctCountries": "_country"}[metric]
	for _, r := range records {
		if logType != "all" && r.logType != logType {
			continue
		}
		ok := true
		for _, f := range filters {
			ok = ok && f.match(r)
		}
		if !ok {
			continue
		}
		var labels []string
		for _, g := range groupBy {
			labels = append(labels, r.dims[g])
		}
		k := strings.Join(labels, "|")
		a := groups[k]
		if a == nil {
			a = &acc{distinct: make(map[string]bool)}
			groups[k] = a
		}
		a.n++
		if r.created.After(a.last) {
			a.last = r.created
		}
		if a.first.IsZero() || r.created.Before(a.first) {
			a.first = r.created
		}
		switch statusOf(r.code) {
		case "success":
			a.succ++
			if r.created.After(a.lastSuccess) {
				a.lastSuccess = r.created
			}
		case "failure":
			a.fail++
			if a.firstFailure.IsZero() || r.created.Before(a.firstFailure) {
				a.firstFailure = r.created
			}
		default:
			a.intr++
		}
		if v := r.dims[distinctKey]; distinctKey != "" && v != "" {
			a.distinct[v] = true
		}
	}
	out := make(map[string]float64)
	for k, a := range groups {
		switch metric {
		case "count":
			out[k] = a.n
		case "successes":
			out[k] = a.succ
		case "failures":
			out[k] = a.fail
		case "interrupts":
			out[k] = a.intr
		case "failureRate":
			out[k] = 100 * a.fail / a.n
		case "successRate":
			out[k] = 100 * a.succ / a.n
		case "lastSignIn":
			out[k] = float64(a.last.UnixMilli())
		case "firstSignIn":
			out[k] = float64(a.first.UnixMilli())
		case "successAfterFailure":
			out[k] = 0
			if !a.firstFailure.IsZero() && a.lastSuccess.After(a.firstFailure) {
				out[k] = 1
			}
		default:
			out[k] = float64(len(a.distinct))
		}
	}
	return out
}

// TestEveryMetricMatchesGroundTruth runs every metric, with and without groupBy
// and filters across many dimensions and every operator, over 7 closed days, and
// compares each table row with the ground truth computed here from the (Graph)
// export — once with the demo tenant speaking Microsoft Graph, once speaking
// the Log Analytics query API, whose rows, re-emissions and all, must come to
// the same sign-ins. SIGNINLENS_E2E_SIZE=medium runs it on the demo's default
// tenant (minutes).
func TestEveryMetricMatchesGroundTruth(t *testing.T) {
	size := os.Getenv("SIGNINLENS_E2E_SIZE")
	if size == "" {
		size = "small"
	}
	_, to := testclock.Workday(t) // a working day whose windows have all closed
	from := to.Add(-7 * 24 * time.Hour)
	records := truthRecords(t, 7, size, from, to)
	h := launch(t)
	for _, api := range []string{"graph", "logAnalytics"} {
		t.Run(api, func(t *testing.T) {
			ds := plugintest.Datasource{UID: "truth-" + api, JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": size, "demoApi": api}}
			everyMetric(t, h, ds, records, from, to)
		})
	}
}

// everyMetric is TestEveryMetricMatchesGroundTruth on one datasource.
func everyMetric(t *testing.T, h *plugintest.Host, ds plugintest.Datasource, records []truthRecord, from, to time.Time) {
	type sample struct {
		logType, metric string
		groupBy         []string
		filters         []truthFilter
	}
	metrics := []string{"count", "successes", "failures", "interrupts", "failureRate", "successRate", "distinctUsers", "distinctApps", "distinctIPs", "distinctResources",
		"distinctCountries", "firstSignIn", "lastSignIn", "successAfterFailure"}
	var samples []sample
	for _, m := range metrics {
		samples = append(samples, sample{"all", m, nil, nil}, sample{"interactive", m, []string{"app"}, nil})
	}
	samples = append(samples,
		sample{"all", "count", []string{"logType", "status"}, nil},
		sample{"interactive", "failures", []string{"errorCode"}, []truthFilter{{"status", "!=", "success"}}},
		sample{"interactive", "count", []string{"browser"}, []truthFilter{{"browser", "=~", "Chrome|Edge|Firefox"}}},
		sample{"nonInteractive", "distinctUsers", []string{"app", "clientApp"}, []truthFilter{{"clientApp", "!~", "Browser"}}},
		sample{"interactive", "distinctIPs", []string{"country"}, []truthFilter{{"country", "in", "US,DE,GB,FR,NL"}}},
		sample{"interactive", "count", []string{"user"}, []truthFilter{{"user", "startsWith", "a"}, {"authRequirement", "=", "multiFactorAuthentication"}}},
		sample{"servicePrincipal", "distinctResources", []string{"servicePrincipal"}, nil},
		sample{"all", "distinctCountries", []string{"user"}, []truthFilter{{"logType", "in", "interactive,nonInteractive"}}},
		sample{"interactive", "successAfterFailure", []string{"user"}, nil},
		sample{"managedIdentity", "failureRate", []string{"resource"}, nil},
		sample{"interactive", "count", []string{"conditionalAccess", "status", "app"}, []truthFilter{{"errorCode", "=", "53003"}}},
		sample{"all", "distinctApps", []string{"ipAddress"}, []truthFilter{{"logType", "in", "interactive,nonInteractive"}, {"errorCode", "=", "50126"}}},
	)
	for i, s := range samples {
		var filters []map[string]string
		for _, f := range s.filters {
			filters = append(filters, map[string]string{"key": f.key, "op": f.op, "value": f.value})
		}
		q := plugintest.Query{RefID: fmt.Sprint("Q", i), From: from, To: to, JSON: map[string]any{
			"logType": s.logType, "format": "table", "metric": s.metric, "groupBy": s.groupBy, "filters": filters, "limit": 10000}}
		resp, err := h.QueryData(context.Background(), ds.Request(nil, q))
		if err != nil {
			t.Fatal(err)
		}
		dr := resp.Responses[q.RefID]
		if dr.Error != nil {
			t.Fatalf("%+v: %v", s, dr.Error)
		}
		want := truthTable(records, s.logType, s.metric, s.groupBy, s.filters)
		if len(want) == 0 {
			t.Fatalf("%+v: the ground truth is empty; the sample proves nothing", s)
		}
		f := dr.Frames[0]
		got := make(map[string]float64)
		for row := 0; row < f.Rows(); row++ {
			var labels []string
			for c := 0; c < len(s.groupBy); c++ {
				labels = append(labels, f.Fields[c].At(row).(string))
			}
			got[strings.Join(labels, "|")] = f.Fields[len(s.groupBy)].At(row).(float64)
		}
		if len(got) != len(want) {
			t.Fatalf("%+v: got %d groups; want %d", s, len(got), len(want))
		}
		keys := make([]string, 0, len(want))
		for k := range want {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if d := got[k] - want[k]; d > 1e-9 || d < -1e-9 {
				t.Fatalf("%+v group %q: got %v; want %v", s, k, got[k], want[k])
			}
		}
	}
	t.Logf("%d samples over %d sign-ins match the ground truth", len(samples), len(records))
}
