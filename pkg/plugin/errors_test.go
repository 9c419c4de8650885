package plugin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/memguard"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
)

// TestErrorResponseByCategory: one mapping decides a failure's status and
// source, whichever client failed: an expired secret is the admin's 401,
// not a 502.
func TestErrorResponseByCategory(t *testing.T) {
	f := func(err error, status backend.Status, source backend.ErrorSource) {
		t.Helper()
		dr := errorResponse(fmt.Errorf("listing sign-ins: %w", err))
		if dr.Status != status || dr.ErrorSource != source {
			t.Fatalf("%v: status %d, source %q; want %d, %q", err, dr.Status, dr.ErrorSource, status, source)
		}
	}
	down, plugin := backend.ErrorSourceDownstream, backend.ErrorSourcePlugin
	f(&azure.Error{Service: "entra id token request", StatusCode: 401, Code: "invalid_client", Kind: graph.ErrUnauthorized}, backend.StatusUnauthorized, down)
	f(&azure.Error{Service: "log analytics", StatusCode: 401, Kind: loganalytics.ErrUnauthorized}, backend.StatusUnauthorized, down)
	f(&azure.Error{Service: "microsoft graph", StatusCode: 403, Kind: graph.ErrNoPremiumLicense}, backend.StatusForbidden, down)
	f(&azure.Error{Service: "log analytics", StatusCode: 403, Kind: loganalytics.ErrForbidden}, backend.StatusForbidden, down)
	f(&azure.Error{Service: "log analytics", StatusCode: 404, Kind: loganalytics.ErrWorkspaceNotFound}, backend.StatusNotFound, down)
	f(fmt.Errorf("giving up after 5 retries: %w", &azure.Error{StatusCode: 429, Kind: graph.ErrThrottled}), backend.StatusTooManyRequests, down)
	f(&azure.Error{StatusCode: 503, Kind: loganalytics.ErrUnavailable}, backend.StatusBadGateway, down)
	f(fmt.Errorf("%w: cannot reach graph.example", graph.ErrNetwork), backend.StatusBadGateway, down)
	f(fmt.Errorf("%w: filters[0]", query.ErrInvalidQuery), backend.StatusBadRequest, down)
	f(fmt.Errorf("aggregating: %w", memguard.ErrMemory), backend.StatusTooManyRequests, plugin)
	f(context.DeadlineExceeded, backend.StatusTimeout, down)
	f(errors.New("something else"), backend.StatusBadGateway, down)
}

// TestAdviceIsTheSources: the admin's advice follows the category, in the
// words of the source that failed.
func TestAdviceIsTheSources(t *testing.T) {
	f := func(a advice, err error, want string) {
		t.Helper()
		if got := a.of(err); !strings.HasPrefix(got, want) || !strings.Contains(got, err.Error()) {
			t.Fatalf("%v: %q; want it to start %q and name the error", err, got, want)
		}
	}
	unauthorized := &azure.Error{StatusCode: 401, Kind: azure.ErrUnauthorized}
	f(graphAdvice, unauthorized, "Authentication failed: check the tenant ID")
	f(workspaceAdvice, unauthorized, "Authentication failed: check the tenant ID")
	forbidden := &azure.Error{StatusCode: 403, Kind: azure.ErrForbidden}
	f(graphAdvice, forbidden, "Access denied: grant the app registration the AuditLog.Read.All")
	f(workspaceAdvice, forbidden, "Access denied: give the app registration (or managed identity) the Log Analytics Reader role")
	f(graphAdvice, &azure.Error{StatusCode: 403, Kind: azure.ErrNoPremiumLicense}, "The tenant has no Microsoft Entra ID P1 or P2 licence")
	f(workspaceAdvice, &azure.Error{StatusCode: 404, Kind: loganalytics.ErrWorkspaceNotFound}, "Not found: no workspace has this workspaceId")
	f(graphAdvice, fmt.Errorf("%w: dial", azure.ErrNetwork), "Microsoft Graph could not be reached")
	f(workspaceAdvice, errors.New("odd"), "the Log Analytics API query failed")
}
