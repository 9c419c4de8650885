package main

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

func TestServeWorkspaceFlags(t *testing.T) {
	cfg, err := parseServe([]string{"--la-workspace", "ws-1", "--la-tables", "SigninLogs, AADServicePrincipalSignInLogs",
		"--la-max-rows", "1000", "--la-throttle", "200", "--fault", "la:504,n=1", "--fault", "la:429,n=2,retry-after=3", "--fault", "503,n=1"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := graphsim.WorkspaceOptions{ID: "ws-1", Tables: []string{"SigninLogs", "AADServicePrincipalSignInLogs"}, MaxRows: 1000, Throttle: 200,
		Faults: []graphsim.FaultRule{{Kind: graphsim.FaultStatus, Status: 504, Nth: 1}, {Kind: graphsim.FaultStatus, Status: 429, Nth: 2, RetryAfter: 3}}}
	if !reflect.DeepEqual(cfg.workspace, want) {
		t.Fatalf("workspace %+v; want %+v", cfg.workspace, want)
	}
	if wantGraph := (graphsim.Faults{Rules: []graphsim.FaultRule{{Kind: graphsim.FaultStatus, Status: 503, Nth: 1}}}); !reflect.DeepEqual(cfg.faults, wantGraph) {
		t.Fatalf("Graph faults %+v; want %+v", cfg.faults, wantGraph)
	}
	cfg, err = parseServe(nil, io.Discard)
	if err != nil || !reflect.DeepEqual(cfg.workspace, graphsim.WorkspaceOptions{MaxRows: graphsim.DefaultMaxRows}) {
		t.Fatalf("defaults: %+v, %v", cfg.workspace, err)
	}
	f := func(args []string, want string) {
		t.Helper()
		if _, err := parseServe(args, io.Discard); !errors.Is(err, errUsage) || err.Error() != want {
			t.Errorf("%q: %v; want %q", args, err, want)
		}
	}
	f([]string{"--la-tables", "SigninLogs,AuditLogs"}, `usage: serve: invalid value "SigninLogs,AuditLogs" for flag -la-tables: "AuditLogs" is not one of SigninLogs, AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs, AADManagedIdentitySignInLogs`)
	f([]string{"--fault", "la:duplicate"}, `usage: serve: invalid value "la:duplicate" for flag -fault: graphsim: invalid option: workspace fault "duplicate": kind duplicate (or skiptoken) does not apply to workspace queries`)
}

// TestServeWorkspace starts the server from flags and queries its
// workspace: the injected faults, then a missing table, then rows.
func TestServeWorkspace(t *testing.T) {
	cfg, err := parseServe([]string{"--seed", "3", "--la-workspace", "ws-1", "--la-tables", "SigninLogs",
		"--fault", "la:504,n=1", "--fault", "la:429,n=2,retry-after=3"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg.addr, cfg.now = "127.0.0.1:0", func() time.Time { return testNow }
	srv, base, err := startServer(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"a"}, "client_secret": {"b"}, "scope": {"https://api.loganalytics.io/.default"}}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	getJSON(t, http.MethodPost, base+"/contoso/oauth2/v2.0/token", "", strings.NewReader(form.Encode()), &tok)
	query := func(table string) (int, string, string) {
		body := `{"query":"` + table + ` | summarize Rows = count()","timespan":"2026-01-13T00:00:00Z/2026-01-14T00:00:00Z"}`
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/workspaces/ws-1/query", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
	}
	if status, _, _ := query("SigninLogs"); status != 504 {
		t.Fatalf("query 1: %d; want 504", status)
	}
	if status, retry, _ := query("SigninLogs"); status != 429 || retry != "3" {
		t.Fatalf("query 2: %d, Retry-After %q; want 429 and 3", status, retry)
	}
	if status, _, body := query("AADManagedIdentitySignInLogs"); status != 400 || !strings.Contains(body, `"'summarize' operator: Failed to resolve table or column expression named 'AADManagedIdentitySignInLogs'"`) {
		t.Fatalf("a dropped table: %d %s", status, body)
	}
	status, _, body := query("SigninLogs")
	if want := `{"tables":[{"name":"PrimaryResult","columns":[{"name":"Rows","type":"long"}],"rows":[[276]]}]}` + "\n"; status != 200 || body != want {
		t.Fatalf("query 4: %d %s; want %s", status, body, want)
	}
}
