package plugin

import (
	"context"
	"errors"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/memguard"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
)

// ErrSettings marks a datasource configuration that cannot work; the message names the field.
var ErrSettings = errors.New("invalid datasource settings")

// errorResponse attributes an error as the SDK defines sources, by who has
// to act: a query the user got wrong or one past a bound is a 400 from
// downstream (the user's side); a query refused at the memory ceiling is a
// 429 (try again) the plugin owns; a failure of the source is its category's
// status (an expired secret is the admin's 401 to fix, not a 502).
func errorResponse(err error) backend.DataResponse {
	switch {
	case errors.Is(err, query.ErrInvalidQuery) || errors.Is(err, query.ErrUnsupported):
		return backend.DataResponse{Error: err, Status: backend.StatusBadRequest, ErrorSource: backend.ErrorSourceDownstream}
	case errors.Is(err, memguard.ErrMemory):
		return backend.DataResponse{Error: err, Status: backend.StatusTooManyRequests, ErrorSource: backend.ErrorSourcePlugin}
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return backend.DataResponse{Error: err, Status: backend.StatusTimeout, ErrorSource: backend.ErrorSourceDownstream}
	}
	return backend.DataResponse{Error: err, Status: categoryStatus[azure.CategoryOf(err)], ErrorSource: backend.ErrorSourceDownstream}
}

// categoryStatus is the response status of a source's failure.
var categoryStatus = map[azure.Category]backend.Status{
	azure.Other:         backend.StatusBadGateway,
	azure.BadCredential: backend.StatusUnauthorized,
	azure.NoPermission:  backend.StatusForbidden,
	azure.NoLicence:     backend.StatusForbidden,
	azure.Missing:       backend.StatusNotFound,
	azure.Throttled:     backend.StatusTooManyRequests,
	azure.Unavailable:   backend.StatusBadGateway,
	azure.Unreachable:   backend.StatusBadGateway,
	azure.Refused:       backend.StatusBadGateway,
}

// advice is what the admin of one kind of source does about its failures,
// by category; its texts are the source's own (Graph's permissions are not
// a workspace's role).
type advice struct {
	service    string // "Microsoft Graph"
	permission string // what to grant
	missing    string // what to fix when what the settings name does not exist
}

var (
	graphAdvice = advice{service: "Microsoft Graph",
		permission: "grant the app registration the AuditLog.Read.All and Directory.Read.All application permissions, with admin consent"}
	workspaceAdvice = advice{service: "the Log Analytics API",
		permission: "give the app registration (or managed identity) the Log Analytics Reader role on the workspace",
		missing:    "no workspace has this workspaceId: use the Workspace ID of the workspace's Overview page"}
)

// of says what to fix, then what failed.
func (a advice) of(err error) string {
	switch azure.CategoryOf(err) {
	case azure.BadCredential:
		return "Authentication failed: check the tenant ID, client ID and the client secret or certificate (it may have expired). " + err.Error()
	case azure.NoLicence:
		return "The tenant has no Microsoft Entra ID P1 or P2 licence, which sign-in logs require. " + err.Error()
	case azure.NoPermission:
		return "Access denied: " + a.permission + ". " + err.Error()
	case azure.Missing:
		if a.missing != "" {
			return "Not found: " + a.missing + ". " + err.Error()
		}
	case azure.Unreachable:
		return a.service + " could not be reached: check the network, proxy and the cloud / endpoint settings. " + err.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("%s (or its authority) did not answer within %s: check the network, proxy and the cloud / endpoint settings. %v", a.service, healthTimeout, err)
	}
	return a.service + " query failed: " + err.Error()
}
