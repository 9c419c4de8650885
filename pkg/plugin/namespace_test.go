package plugin

import (
	"reflect"
	"strings"
	"testing"
)

// TestNamespaceFollowsWhatIsFetched walks every setting of every source:
// changing it changes the cache's namespace exactly when it changes which
// sign-ins are fetched (or the credential that may read them). A setting
// added later fails here until it is placed on one side.
func TestNamespaceFollowsWhatIsFetched(t *testing.T) {
	credential := []string{"cloud", "authorityHost", "tenantId", "clientId", "authType", "clientSecret", "clientCertificate"}
	fetched := map[string][]string{
		SourceDemo:         {"source", "demoApi", "demoSeed", "demoSize", "demoQuiet"},
		SourceGraph:        append([]string{"source", "graphEndpoint"}, credential...),
		SourceLogAnalytics: append([]string{"source", "workspaceId", "logAnalyticsEndpoint"}, credential...),
	}
	for source, names := range fetched {
		base := Settings{Source: source, DemoAPI: APIGraph, DemoSize: "small", WorkspaceID: "00000000-0000-0000-0000-00000000000a"}
		want := map[string]bool{}
		for _, n := range names {
			want[n] = true
		}
		v := reflect.ValueOf(&base).Elem()
		for i := range v.NumField() {
			name := settingName(v.Type().Field(i))
			changed := base
			if !mutate(reflect.ValueOf(&changed).Elem().Field(i)) {
				t.Fatalf("setting %s: a field of a kind the test cannot change", name)
			}
			if got := namespace(changed, "uid") != namespace(base, "uid"); got != want[name] {
				t.Errorf("%s: changing %s changes the namespace: %v; want %v", source, name, got, want[name])
			}
		}
	}
	ws := Settings{Source: SourceLogAnalytics, WorkspaceID: "AAAAAAAA-0000-0000-0000-000000000000"}
	lower := ws
	lower.WorkspaceID = strings.ToLower(ws.WorkspaceID)
	if namespace(ws, "uid") != namespace(lower, "uid") {
		t.Error("a workspace id's case changes the namespace; the service reads it either way")
	}
	if namespace(ws, "a") == namespace(ws, "b") {
		t.Error("two datasources of the same settings share a namespace")
	}
}

// settingName is a field's name in jsonData, or in secureJsonData for the
// secrets (which have no JSON name).
func settingName(f reflect.StructField) string {
	if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" && tag != "-" {
		return tag
	}
	return strings.ToLower(f.Name[:1]) + f.Name[1:]
}

// mutate gives a setting another value; false for a kind it does not know.
func mutate(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	default:
		return false
	}
	return true
}
