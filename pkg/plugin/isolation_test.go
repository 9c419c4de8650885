package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
)

// TestTenantIsolation: two datasources of two tenants share one memcached
// (when SIGNINLENS_TEST_MEMCACHED is set; make test sets it); each answers exactly
// what it answers alone, and a datasource whose tenant changes under the same UID
// stops reading its old cache.
func TestTenantIsolation(t *testing.T) {
	t.Setenv(envCacheSecret, "isolation-test-secret") // memcached is used only with a secret
	mc := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
	_, to := testclock.Workday(t) // a working day whose windows have all closed
	from := to.Add(-24 * time.Hour)
	answer := func(uid string, seed int, memcached string) string {
		t.Helper()
		jd := fmt.Sprintf(`{"source":"demo","demoSeed":%d,"demoSize":"small","memcachedAddresses":%q}`, seed, memcached)
		inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: uid, JSONData: unwarmed(jd)})
		if err != nil {
			t.Fatal(err)
		}
		ds := inst.(*Datasource)
		defer ds.Dispose()
		resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A", Interval: time.Hour,
			TimeRange: backend.TimeRange{From: from, To: to}, JSON: []byte(`{"logType":"all","format":"table","metric":"distinctUsers","groupBy":["app"],"limit":1000}`)}}})
		if err != nil || resp.Responses["A"].Error != nil {
			t.Fatalf("query failed: %v %v", err, resp.Responses["A"].Error)
		}
		b, _ := json.Marshal(resp.Responses["A"].Frames)
		return string(b)
	}
	alone7, alone8 := answer("alone7", 7, ""), answer("alone8", 8, "")
	if alone7 == alone8 {
		t.Fatal("two tenants gave the same answer; the test would prove nothing")
	}
	for round := 0; round < 2; round++ { // the second round reads what the first cached
		if got := answer("tenantA", 7, mc); got != alone7 {
			t.Fatalf("round %d: tenant A's answer differs from its answer alone", round)
		}
		if got := answer("tenantB", 8, mc); got != alone8 {
			t.Fatalf("round %d: tenant B's answer differs from its answer alone", round)
		}
	}
	// Same UID, new tenant: the old cache must not answer.
	if got := answer("tenantA", 8, mc); got != alone8 {
		t.Fatal("a datasource whose tenant changed answered from its old cache")
	}
}
