package main

import (
	"errors"
	"io"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

func TestServeFaultFlag(t *testing.T) {
	cfg, err := parseServe([]string{"--fault", "503,n=1,retry-after=2", "--fault", "skew,by=-5m", "--fault", "duplicate,every=2"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := graphsim.Faults{ClockSkew: -5 * time.Minute, Rules: []graphsim.FaultRule{
		{Kind: graphsim.FaultStatus, Status: 503, Nth: 1, RetryAfter: 2}, {Kind: graphsim.FaultDuplicate, Every: 2}}}
	if !reflect.DeepEqual(cfg.faults, want) {
		t.Fatalf("faults %+v; want %+v", cfg.faults, want)
	}

	_, err = parseServe([]string{"--fault", "503,n=x"}, io.Discard)
	wantErr := `usage: serve: invalid value "503,n=x" for flag -fault: graphsim: invalid option: fault "503,n=x": option "n=x": strconv.Atoi: parsing "x": invalid syntax`
	if !errors.Is(err, errUsage) || err.Error() != wantErr {
		t.Fatalf("bad spec: %v; want %s", err, wantErr)
	}

	// the server started from the flags injects the fault
	cfg.addr, cfg.now = "127.0.0.1:0", func() time.Time { return testNow }
	cfg.src = sourceFlags{seed: 7, size: "small"}
	srv, base, err := startServer(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get(base + "/beta/auditLogs/signIns")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "2" {
		t.Fatalf("first request: %d, Retry-After %q; want 503 and 2", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if got := srv.Injections(); !reflect.DeepEqual(got, []graphsim.Injection{{Kind: graphsim.FaultStatus, Status: 503, Request: 1}}) {
		t.Fatalf("injections %+v", got)
	}
}
