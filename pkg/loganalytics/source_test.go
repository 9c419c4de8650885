package loganalytics

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// The client is a store source.
var _ store.Source = (*Client)(nil)

// TestLoopbackGuard checks the tests' guard itself: a client left on the
// cloud's endpoint sends nothing off the machine; the guard refuses it and
// the failure is a network error.
func TestLoopbackGuard(t *testing.T) {
	guard := &loopbackGuard{next: http.DefaultTransport}
	rec := &recorder{}
	c, err := New(Config{WorkspaceID: testWorkspace, Credential: &staticCredential{token: testToken},
		HTTPClient: &http.Client{Transport: guard}, Sleep: rec.sleep, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	knownSmall(c) // the listing alone, not its count
	_, _, err = list(context.Background(), c, signin.Interactive, winFrom, winTo)
	if !errors.Is(err, ErrNetwork) {
		t.Errorf("err %v", err)
	}
	if len(guard.refused) != 2 || guard.refused[0] != "api.loganalytics.io" {
		t.Errorf("refused %v", guard.refused)
	}
}
