package signin

import (
	"reflect"
	"testing"
)

func TestOutcomeOf(t *testing.T) {
	f := func(code int32, want Outcome) {
		t.Helper()
		if got := OutcomeOf(code); got != want {
			t.Fatalf("unexpected outcome for %d; got %s; want %s", code, got, want)
		}
	}
	f(0, Success)
	for _, c := range []int32{16000, 16001, 16003, 50055, 50058, 50059, 50072, 50074, 50076, 50079, 50125,
		50127, 50129, 50140, 50143, 50144, 51006, 52004, 65001, 81010, 81012, 81014} {
		f(c, Interrupted)
	}
	for _, c := range []int32{50126, 50053, 53003, 7000215, 7000222, 50034, 50057, 700016, -1, 1} {
		f(c, Failure)
	}
}

func TestLogTypes(t *testing.T) {
	f := func(name, graph string, want LogType) {
		t.Helper()
		got, err := ParseLogType(name)
		if err != nil || got != want || got.String() != name || got.GraphEventType() != graph {
			t.Fatalf("unexpected log type for %q: %v, %v", name, got, err)
		}
		if g, ok := LogTypeFromGraph(graph); !ok || g != want {
			t.Fatalf("unexpected log type for Graph %q: %v", graph, g)
		}
	}
	f("interactive", "interactiveUser", Interactive)
	f("nonInteractive", "nonInteractiveUser", NonInteractive)
	f("servicePrincipal", "servicePrincipal", ServicePrincipal)
	f("managedIdentity", "managedIdentity", ManagedIdentity)
	if _, err := ParseLogType("all"); err == nil {
		t.Fatal("expected an error for a log type that is not one of the four")
	}
	if _, ok := LogTypeFromGraph("unknownFutureValue"); ok {
		t.Fatal("unexpected match for unknownFutureValue")
	}
}

// TestStringsCoversEveryStringField: a string field added to Event must be
// added to Strings too, or interning would keep its per-sign-in copies.
func TestStringsCoversEveryStringField(t *testing.T) {
	var e Event
	v := reflect.ValueOf(&e).Elem()
	want := 0
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.String && v.Type().Field(i).Name != "ID" {
			want++
			f.SetString(v.Type().Field(i).Name)
		}
	}
	seen := make(map[string]bool)
	for _, p := range e.Strings() {
		seen[*p] = true
	}
	if len(e.Strings()) != want || len(seen) != want {
		t.Fatalf("Strings covers %d distinct fields; Event has %d string fields besides ID", len(seen), want)
	}
}
