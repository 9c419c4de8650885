package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testNow is the simulated present of the servers these tests start.
var testNow = time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)

func TestRunUsageErrors(t *testing.T) {
	f := func(args []string, want string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), args, &stdout, &stderr)
		if !errors.Is(err, errUsage) || err.Error() != want {
			t.Fatalf("run(%q): %v; want usage error %q", args, err, want)
		}
	}
	f(nil, "usage: missing command")
	f([]string{"frobnicate"}, `usage: unknown command "frobnicate"`)
	f([]string{"export", "--from", "2026-01-13T00:00:00Z", "--to", "2026-01-14T00:00:00Z"},
		`usage: export --type: unknown logType ""; want one of interactive, nonInteractive, servicePrincipal, managedIdentity`)
	f([]string{"export", "--type", "nonInteractiveUser", "--from", "2026-01-13T00:00:00Z", "--to", "2026-01-14T00:00:00Z"},
		`usage: export --type: unknown logType "nonInteractiveUser"; want one of interactive, nonInteractive, servicePrincipal, managedIdentity`)
	f([]string{"export", "--type", "interactive", "--from", "yesterday", "--to", "2026-01-14T00:00:00Z"},
		`usage: export --from "yesterday": want RFC 3339, e.g. 2026-01-13T14:00:00Z`)
	f([]string{"export", "--type", "interactive", "--from", "2026-01-14T00:00:00Z", "--to", "2026-01-14T00:00:00Z"},
		"usage: export: --from 2026-01-14T00:00:00Z is not before --to 2026-01-14T00:00:00Z")
	f([]string{"export", "--bogus"}, "usage: export: flag provided but not defined: -bogus")
	f([]string{"export", "--type", "interactive", "--from", "2026-01-13T00:00:00Z", "--to", "2026-01-14T00:00:00Z", "--as-of", "now"},
		`usage: export --as-of "now": want RFC 3339, e.g. 2026-01-13T14:00:00Z`)
	f([]string{"serve", "extra"}, `usage: serve: unexpected argument "extra"`)
	f([]string{"serve", "--ca-file", "x.pem"}, "usage: serve: --ca-file needs --tls")
	f([]string{"serve", "--file", "x.json", "--quiet"}, "usage: --quiet applies to synthetic tenants, not to --file")

	// synth words the size error; only its class and the value are ours to check.
	err := run(context.Background(), []string{"export", "--type", "interactive", "--from", "2026-01-13T00:00:00Z",
		"--to", "2026-01-14T00:00:00Z", "--size", "huge"}, io.Discard, io.Discard)
	if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), `"huge"`) {
		t.Fatalf("--size huge: %v; want a usage error naming the size", err)
	}
}

func TestRunHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"help"}, &stdout, &stderr); err != nil || stdout.String() != usage {
		t.Fatalf("help: %v, %q", err, stdout.String())
	}
	if err := run(context.Background(), []string{"export", "-h"}, &stdout, &stderr); err != nil {
		t.Fatalf("export -h: %v", err)
	}
}

// writeLines writes a JSON-lines file of sign-ins: n per log type in each of
// the 3 hours before testNow, 11 minutes apart.
func writeLines(t *testing.T, n int) string {
	t.Helper()
	var b bytes.Buffer
	types := []string{"interactiveUser", "nonInteractiveUser", "servicePrincipal", "managedIdentity"}
	for h := 1; h <= 3; h++ {
		for ti, typ := range types {
			for i := range n {
				created := testNow.Add(-time.Duration(h)*time.Hour + time.Duration(i)*11*time.Minute + time.Duration(ti)*time.Second)
				fmt.Fprintf(&b, `{"id":"%s-%d-%d","createdDateTime":"%s","signInEventTypes":["%s"],"appId":"app-%d","status":{"errorCode":%d}}`+"\n",
					typ, h, i, created.Format(time.RFC3339Nano), typ, i%2, 50126*(i%2))
			}
		}
	}
	path := filepath.Join(t.TempDir(), "signins.jsonl")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// exportValues runs the export command and returns its records' bytes.
func exportValues(t *testing.T, args ...string) ([]json.RawMessage, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), append([]string{"export"}, args...), &stdout, &stderr); err != nil {
		t.Fatalf("export %q: %v: %s", args, err, stderr.String())
	}
	var env struct{ Value []json.RawMessage }
	if err := json.Unmarshal(stdout.Bytes(), &env); err != nil {
		t.Fatalf("export output: %v", err)
	}
	return env.Value, stdout.String()
}

// servedValues starts a server like `graphsim serve` with the given source
// flags and pages through one type and range with a small $top.
func servedValues(t *testing.T, src sourceFlags, graphType, from, to string) []json.RawMessage {
	t.Helper()
	srv, base, err := startServer(serveConfig{addr: "127.0.0.1:0", src: src, now: func() time.Time { return testNow }}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"a"}, "client_secret": {"b"}, "scope": {"https://graph.microsoft.com/.default"}}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	getJSON(t, http.MethodPost, base+"/contoso/oauth2/v2.0/token", "", strings.NewReader(form.Encode()), &tok)

	filter := fmt.Sprintf("createdDateTime ge %s and createdDateTime lt %s and signInEventTypes/any(t: t eq '%s')", from, to, graphType)
	next := base + "/beta/auditLogs/signIns?" + url.Values{"$filter": {filter}, "$top": {"4"}}.Encode()
	var all []json.RawMessage
	for next != "" {
		var page struct {
			Value    []json.RawMessage
			NextLink string `json:"@odata.nextLink"`
		}
		getJSON(t, http.MethodGet, next, tok.AccessToken, nil, &page)
		all, next = append(all, page.Value...), page.NextLink
	}
	return all
}

func getJSON(t *testing.T, method, target, token string, body io.Reader, v any) {
	t.Helper()
	req, _ := http.NewRequest(method, target, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s: %d %s", method, target, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func sameRecords(t *testing.T, served, exported []json.RawMessage) {
	t.Helper()
	if len(served) != len(exported) {
		t.Fatalf("served %d records; export has %d", len(served), len(exported))
	}
	for i := range served {
		if !bytes.Equal(served[i], exported[i]) {
			t.Fatalf("record %d: served %s; export has %s", i, served[i], exported[i])
		}
	}
}

func TestExportFileMatchesServer(t *testing.T) {
	path := writeLines(t, 5)
	from, to := "2026-01-13T21:11:00Z", "2026-01-13T23:33:00Z"
	exported, text := exportValues(t, "--file", path, "--type", "nonInteractive", "--from", from, "--to", to)
	// Hours 21, 22 and 23 hold sign-ins at :00, :11, :22, :33, :44 (+1 s).
	// [21:11, 23:33) keeps 4 of hour 21, 5 of hour 22 and 3 of hour 23.
	if len(exported) != 12 || !strings.HasPrefix(text, "{\"value\":[\n{\"id\":\"nonInteractiveUser-1-2\",") || !strings.HasSuffix(text, "\n]}\n") {
		t.Fatalf("export: %d records:\n%s", len(exported), text)
	}
	sameRecords(t, servedValues(t, sourceFlags{file: path}, "nonInteractiveUser", from, to), exported)
}

func TestExportSynthMatchesServer(t *testing.T) {
	src := sourceFlags{seed: 7, size: "small"}
	from, to := "2026-01-13T18:00:00Z", "2026-01-13T22:30:00Z"
	exported, _ := exportValues(t, "--seed", "7", "--size", "small", "--type", "servicePrincipal", "--from", from, "--to", to)
	if len(exported) == 0 {
		t.Fatal("export of a synthetic tenant is empty")
	}
	sameRecords(t, servedValues(t, src, "servicePrincipal", from, to), exported)
}

// TestExportAsOf: seed 7's impossible traveller's far sign-in (2026-01-13,
// about 07:30) is remediated hours later; the export prints it as the
// server serves it at --as-of.
func TestExportAsOf(t *testing.T) {
	from, to := "2026-01-13T06:00:00Z", "2026-01-13T09:00:00Z"
	args := []string{"--seed", "7", "--size", "small", "--type", "interactive", "--from", from, "--to", to, "--as-of"}
	states := func(recs []json.RawMessage) map[string]int {
		n := map[string]int{}
		for _, raw := range recs {
			var r struct{ RiskState, RiskDetail string }
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatal(err)
			}
			n[r.RiskState+"/"+r.RiskDetail]++
		}
		return n
	}
	before, _ := exportValues(t, append(args, "2026-01-13T08:00:00Z")...)
	after, _ := exportValues(t, append(args, testNow.Format(time.RFC3339))...)
	b, a := states(before), states(after)
	if len(before) != len(after) || a["remediated/userPerformedSecuredPasswordReset"] != 1 || b["remediated/userPerformedSecuredPasswordReset"] != 0 ||
		b["atRisk/none"] != a["atRisk/none"]+1 {
		t.Fatalf("as of 08:00: %v; as of %s: %v", b, testNow.Format(time.RFC3339), a)
	}
	sameRecords(t, servedValues(t, sourceFlags{seed: 7, size: "small"}, "interactiveUser", from, to), after)
}

func TestServePrintsURLAndCA(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve starts, prints, and returns at once
	var stdout, stderr bytes.Buffer
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := run(ctx, []string{"serve", "--tls", "--ca-file", caFile, "--file", writeLines(t, 1)}, &stdout, &stderr); err != nil {
		t.Fatalf("serve: %v: %s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "https://127.0.0.1:") || lines[1] != caFile || !bytes.HasPrefix(pem, []byte("-----BEGIN CERTIFICATE-----")) {
		t.Fatalf("serve printed %q; CA file %q", lines, pem)
	}

	stdout.Reset()
	if err := run(ctx, []string{"serve", "--tls", "--quiet", "--size", "small"}, &stdout, &stderr); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if out := stdout.String(); !strings.HasPrefix(out, "https://127.0.0.1:") || !strings.Contains(out, "\n-----BEGIN CERTIFICATE-----\n") {
		t.Fatalf("serve --tls without --ca-file printed %q; want the URL and the PEM", out)
	}
}
