package bench

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// TestWorkspaceLoadIsComplete checks figure g's load against the tenant it
// reads: a fast load that lost sign-ins (a cut result kept, a listing
// failed) would make the ratio to Graph flatter than it is.
func TestWorkspaceLoadIsComplete(t *testing.T) {
	o := Tiny()
	o.Log = testWriter{t}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	l, err := workspaceLoad(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	tn, err := newTenant(o.Seed, o.Tenant)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, lt := range signin.LogTypes {
		for _, n := range counts(tn, lt, l.from, l.to) {
			want += n
		}
	}
	if want == 0 || l.signIns != want {
		t.Fatalf("unexpected sign-ins loaded; got %d; want the tenant's %d", l.signIns, want)
	}
	if got, days := len(l.listings), o.Days*len(signin.LogTypes); got != days {
		t.Errorf("unexpected listings; got %d; want one a day per log type, %d", got, days)
	}
	if refused := l.obs.byStatus(http.StatusBadRequest); refused != 0 {
		t.Errorf("%d queries refused (400); want every one answered, the counts that size listings too", refused)
	}
	if q := l.obs.requests.Load(); q < int64(len(l.listings)) || l.charged != q {
		t.Errorf("unexpected queries %d for %d listings (bucket charged %d); want at least one a listing, each charged", q, len(l.listings), l.charged)
	}
}
