package e2e

// Ground truth for the dashboards and alert rules, computed here from the records
// `graphsim export` prints, independently of pkg/signin and pkg/query.

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// dashRecord is the part of an exported Graph sign-in the ground truth reads.
type dashRecord struct {
	ID                   string `json:"id"`
	CreatedDateTime      string `json:"createdDateTime"`
	UserID               string `json:"userId"`
	UserPrincipalName    string `json:"userPrincipalName"`
	AppDisplayName       string `json:"appDisplayName"`
	IPAddress            string `json:"ipAddress"`
	ResourceDisplayName  string `json:"resourceDisplayName"`
	ServicePrincipalName string `json:"servicePrincipalName"`
	// Identity Protection's verdict, for the risky sign-in rule.
	RiskLevelDuringSignIn string `json:"riskLevelDuringSignIn"`
	RiskState             string `json:"riskState"`
	Status                struct {
		ErrorCode int `json:"errorCode"`
	} `json:"status"`
	DeviceDetail struct {
		Browser         string `json:"browser"`
		OperatingSystem string `json:"operatingSystem"`
	} `json:"deviceDetail"`
	Location struct {
		CountryOrRegion string `json:"countryOrRegion"`
	} `json:"location"`

	logType string
	created time.Time
}

// user is the identity a distinct-user count counts: the id, else the name.
func (r *dashRecord) user() string {
	if r.UserID != "" {
		return r.UserID
	}
	return r.UserPrincipalName
}

// dashExports caches exports by their arguments: several tests read the same week.
var dashExports = struct {
	sync.Mutex
	m map[string][]dashRecord
}{m: make(map[string][]dashRecord)}

// dashExport runs `graphsim export` for one log type and returns its records,
// oldest first. quiet selects the tenant without injected incidents.
func dashExport(t *testing.T, seed int, size, logType string, from, to time.Time, quiet bool) []dashRecord {
	t.Helper()
	args := []string{"export", "--seed", itoa(seed), "--size", size, "--type", logType,
		"--from", from.UTC().Format(time.RFC3339), "--to", to.UTC().Format(time.RFC3339)}
	if quiet {
		args = append(args, "--quiet")
	}
	key := strings.Join(args, " ")
	dashExports.Lock()
	defer dashExports.Unlock()
	if recs, ok := dashExports.m[key]; ok {
		return recs
	}
	recs := graphsimExport[dashRecord](t, args...)
	for i := range recs {
		recs[i].logType = logType
		var err error
		if recs[i].created, err = time.Parse(time.RFC3339Nano, recs[i].CreatedDateTime); err != nil {
			t.Fatalf("record %s: %v", recs[i].ID, err)
		}
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].created.Before(recs[j].created) })
	dashExports.m[key] = recs
	return recs
}

// dashExportTypes returns the records of several log types created in [from, to)
// (to at most dashNow) on the small tenant of seed 7. Each type is exported once
// over a range that covers the tests' ranges (this week so far, or the week
// before dashNow and the hour before it) and cut here, so tests share exports.
func dashExportTypes(t *testing.T, from, to time.Time, quiet bool, types ...string) []dashRecord {
	t.Helper()
	if to.After(dashNow) {
		t.Fatalf("export up to %s: after dashNow", to)
	}
	start := from
	for _, s := range []time.Time{dashMonday(), dashNow.Add(-7*24*time.Hour - time.Hour)} {
		if !from.Before(s) {
			start = s
			break
		}
	}
	var out []dashRecord
	for _, lt := range types {
		out = append(out, dashWindow(dashExport(t, 7, "small", lt, start, dashNow, quiet), from, to)...)
	}
	return out
}

// dashMonday is the start of dashNow's week.
func dashMonday() time.Time {
	d := dashNow.Truncate(24 * time.Hour)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// dashWindow returns the records created in [from, to) of a time-sorted slice.
func dashWindow(recs []dashRecord, from, to time.Time) []dashRecord {
	lo := sort.Search(len(recs), func(i int) bool { return !recs[i].created.Before(from) })
	hi := sort.Search(len(recs), func(i int) bool { return !recs[i].created.Before(to) })
	return recs[lo:hi]
}

// dashFamily reduces a browser string to its family: the trailing tokens that
// start with a digit (versions) are dropped. "Chrome 120.0.6099" → "Chrome".
func dashFamily(raw string) string {
	fields := strings.Fields(raw)
	for len(fields) > 0 && fields[len(fields)-1][0] >= '0' && fields[len(fields)-1][0] <= '9' {
		fields = fields[:len(fields)-1]
	}
	return strings.Join(fields, " ")
}

// dashOSFamily reduces an operating system string to its family, however Graph
// spells it ("Windows 10", "Windows10", "MacOs", "Ios").
func dashOSFamily(raw string) string {
	key := strings.ToLower(strings.ReplaceAll(raw, " ", ""))
	for _, f := range []struct{ prefix, family string }{
		{"windowsphone", "Windows Phone"}, {"windows", "Windows"}, {"macos", "macOS"}, {"osx", "macOS"},
		{"ios", "iOS"}, {"ipados", "iOS"}, {"android", "Android"}, {"chromeos", "ChromeOS"},
		{"linux", "Linux"}, {"ubuntu", "Linux"},
	} {
		if strings.HasPrefix(key, f.prefix) {
			return f.family
		}
	}
	return dashFamily(raw)
}

// dashGroups accumulates a metric per group: counts, or distinct values.
type dashGroups struct {
	distinct bool
	counts   map[string]float64
	sets     map[string]map[string]bool
}

func newDashGroups(distinct bool) *dashGroups {
	return &dashGroups{distinct: distinct, counts: map[string]float64{}, sets: map[string]map[string]bool{}}
}

// add records one sign-in of a group; v is the distinct value ("" is not
// counted). A sign-in without a value for a dimension is in the group the
// plugin labels "(empty)".
func (g *dashGroups) add(labels []string, v string) {
	named := make([]string, len(labels))
	for i, l := range labels {
		named[i] = l
		if l == "" {
			named[i] = "(empty)"
		}
	}
	k := strings.Join(named, "\x00")
	if !g.distinct {
		g.counts[k]++
		return
	}
	if g.sets[k] == nil {
		g.sets[k] = map[string]bool{}
	}
	if v != "" {
		g.sets[k][v] = true
	}
}

// top returns the table the contract defines: the limit groups with the largest
// values (ties by labels), and the others as one group labelled "other" whose
// value is counted over all of them (a union for distinct counts). Keys are the
// labels joined with NUL.
func (g *dashGroups) top(limit, columns int) map[string]float64 {
	type kv struct {
		k string
		v float64
	}
	var all []kv
	value := func(k string) float64 {
		if g.distinct {
			return float64(len(g.sets[k]))
		}
		return g.counts[k]
	}
	keys := map[string]bool{}
	for k := range g.counts {
		keys[k] = true
	}
	for k := range g.sets {
		keys[k] = true
	}
	for k := range keys {
		all = append(all, kv{k, value(k)})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].v != all[j].v {
			return all[i].v > all[j].v
		}
		return all[i].k < all[j].k
	})
	out := map[string]float64{}
	for i, x := range all {
		if i < limit {
			out[x.k] = x.v
		}
	}
	if len(all) > limit {
		other := make([]string, columns)
		for i := range other {
			other[i] = "other"
		}
		var v float64
		union := map[string]bool{}
		for _, x := range all[limit:] {
			v += x.v
			for u := range g.sets[x.k] {
				union[u] = true
			}
		}
		if g.distinct {
			v = float64(len(union))
		}
		out[strings.Join(other, "\x00")] = v
	}
	return out
}

// dashTableRows reads a numeric-long table frame into label key → value.
func dashTableRows(t *testing.T, name string, dr dashResult, columns []string) map[string]float64 {
	t.Helper()
	if len(dr.frames) != 1 {
		t.Fatalf("%s: %d frames; want 1", name, len(dr.frames))
	}
	f := dr.frames[0]
	if len(f.Fields) != len(columns)+1 {
		t.Fatalf("%s: fields %v; want %v and the metric", name, dashFieldNames(f), columns)
	}
	out := map[string]float64{}
	for i := 0; i < f.Rows(); i++ {
		labels := make([]string, len(columns))
		for c, col := range columns {
			if f.Fields[c].Name != col {
				t.Fatalf("%s: column %d is %q; want %q", name, c, f.Fields[c].Name, col)
			}
			labels[c] = f.Fields[c].At(i).(string)
		}
		v, _ := f.Fields[len(columns)].FloatAt(i)
		out[strings.Join(labels, "\x00")] = v
	}
	return out
}

// dashCompare asserts two label-keyed tables are equal.
func dashCompare(t *testing.T, name string, got, want map[string]float64) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: the ground truth is empty; the comparison would prove nothing", name)
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s: group %q: got %v (present %v); want %v", name, strings.ReplaceAll(k, "\x00", " | "), g, ok, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected group %q = %v", name, strings.ReplaceAll(k, "\x00", " | "), g)
		}
	}
	if !t.Failed() {
		t.Logf("%s: %d groups equal the ground truth", name, len(want))
	}
}

func dashFieldNames(f *data.Frame) []string {
	names := make([]string, len(f.Fields))
	for i, fld := range f.Fields {
		names[i] = fmt.Sprintf("%s(%s)", fld.Name, fld.Type())
	}
	return names
}

// TestDashboardAnnotationsMatchGroundTruth runs the SignInLens annotation of
// the failures dashboard (Conditional Access blocks and lockouts) over the
// week before dashNow and requires one annotation per such sign-in of the
// export, at its time, titled with its outcome, code and user.
func TestDashboardAnnotationsMatchGroundTruth(t *testing.T) {
	r := dashLaunch(t)
	found := 0
	for file, d := range dashLoad(t) {
		for _, a := range d.Annotations.List {
			if a.Datasource.Type != dashPluginID {
				continue
			}
			found++
			if _, ok := a.Target["threshold"]; ok {
				checkThresholdAnnotation(t, r, file, a.Name, a.Target)
				continue
			}
			filters, _ := a.Target["filters"].([]any)
			if len(filters) != 1 || fmt.Sprint(filters[0]) != "map[key:errorCode op:in value:53003,50053]" {
				t.Fatalf("%s / %q: the test knows the ground truth of errorCode in 53003,50053 only; got %v", file, a.Name, filters)
			}
			from := dashNow.Add(-7 * 24 * time.Hour)
			want := map[string]int{}
			for _, rec := range dashExportTypes(t, from, dashNow, false, "interactive") {
				if c := rec.Status.ErrorCode; c == 53003 || c == 50053 {
					want[fmt.Sprintf("%s failure %d %s", rec.created.Format(time.RFC3339Nano), c, rec.UserPrincipalName)]++
				}
			}
			frames := r.query(t, a.Name, a.Target, from, dashNow, nil)
			got := map[string]int{}
			f := frames[0]
			for i := 0; i < f.Rows(); i++ {
				got[f.Fields[0].At(i).(time.Time).Format(time.RFC3339Nano)+" "+f.Fields[1].At(i).(string)]++
			}
			if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%s / %q: %d annotations; the export has %d\ngot  %v\nwant %v", file, a.Name, f.Rows(), len(want), got, want)
			}
			t.Logf("%s / %q: %d annotations equal the ground truth", file, a.Name, f.Rows())
		}
	}
	if found == 0 {
		t.Fatal("no dashboard has a SignInLens annotation")
	}
}

// checkThresholdAnnotation checks a "failures of an app above N an hour"
// annotation against the export: one region per hour and app above N.
func checkThresholdAnnotation(t *testing.T, r dashRunner, file, name string, target map[string]any) {
	t.Helper()
	threshold, _ := target["threshold"].(float64)
	if target["metric"] != "failures" || fmt.Sprint(target["groupBy"]) != "[app]" || target["timeAggregate"] != "1h" || target["filters"] != nil {
		t.Fatalf("%s / %q: the test knows the ground truth of hourly failures by app only; got %v", file, name, target)
	}
	from := dashNow.Add(-7 * 24 * time.Hour)
	perHour := map[string]int{}
	for _, rec := range dashExportTypes(t, from, dashNow, false, "interactive") {
		if isFailure(rec.Status.ErrorCode) {
			perHour[rec.created.Truncate(time.Hour).Format(time.RFC3339)+" "+rec.AppDisplayName]++
		}
	}
	want := map[string]bool{}
	for k, n := range perHour {
		if float64(n) > threshold {
			want[fmt.Sprintf("%s %d", k, n)] = true
		}
	}
	frames := r.query(t, name, target, from, dashNow, nil)
	f := frames[0]
	got := map[string]bool{}
	for i := 0; i < f.Rows(); i++ {
		var n int
		var app string
		title := f.Fields[2].At(i).(string)
		if _, err := fmt.Sscanf(title, "failures %d >", &n); err != nil {
			t.Fatalf("%s / %q: title %q", file, name, title)
		}
		app = title[strings.Index(title, "app=")+len("app="):]
		if end := f.Fields[1].At(i).(time.Time); !end.Equal(f.Fields[0].At(i).(time.Time).Add(time.Hour)) {
			t.Fatalf("%s / %q: region %v to %v is not the hour", file, name, f.Fields[0].At(i), end)
		}
		got[fmt.Sprintf("%s %s %d", f.Fields[0].At(i).(time.Time).UTC().Format(time.RFC3339), app, n)] = true
	}
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s / %q: %d regions; the export has %d\ngot  %v\nwant %v", file, name, len(got), len(want), got, want)
	}
	t.Logf("%s / %q: %d regions equal the ground truth", file, name, len(got))
}
