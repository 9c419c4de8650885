package e2e

import (
	"bytes"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

// answerPadding is how large the padded workspace makes every answer.
const answerPadding = 64 << 20

// paddedWorkspace serves sim's workspace with every successful query answer
// grown past answerPadding by a leading member no reader knows, streamed
// without a length: a workspace that answers 64 MB. It returns its URL (on
// loopback) and its CA certificate.
func paddedWorkspace(t *testing.T, sim *graphsim.Server) (string, []byte) {
	t.Helper()
	chunk := bytes.Repeat([]byte("x"), 1<<20)
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/query") {
			sim.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rec.Code != http.StatusOK || len(body) < 2 || body[0] != '{' {
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(body)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"padding":"`))
		for range answerPadding / len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the reader stopped: what the cap should do
			}
		}
		w.Write([]byte(`",`))
		w.Write(body[1:])
	}))
	t.Cleanup(ts.Close)
	return ts.URL, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
}

// TestHugeWorkspaceAnswersAreBounded: against a workspace whose every
// answer is 64 MB, three push-down queries at once with a 256 MB memory
// ceiling stop reading at maxAnswerMB, are answered from the store, exactly
// as the export says, and say why; the process stays under maxPushDownRSS and
// answers on.
func TestHugeWorkspaceAnswersAreBounded(t *testing.T) {
	h, err := plugintest.Launch(pluginBin, append(serverEnv(t), "GF_PLUGIN_QUERY_MEMORY_LIMIT_MB=256"), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	sim, _, _ := startSim(t, graphsim.Options{Credentials: map[string]string{simClientID: simSecret}})
	base, ca := paddedWorkspace(t, sim)
	ds := workspaceDatasource("huge-answers", base, ca)
	ds.JSONData["pushDown"], ds.JSONData["warmDays"] = "always", 0
	from, to := testclock.Workday(t)
	want := float64(len(export(t, 7, "small", "managedIdentity", from, to)))
	q := plugintest.Query{RefID: "A", From: from, To: to,
		JSON: map[string]any{"logType": "managedIdentity", "format": "table", "metric": "count"}}
	boundedAtOnce(t, h, ds, q, func(dr backend.DataResponse) {
		if dr.Error != nil {
			t.Errorf("%v; want the store's answer", dr.Error)
			return
		}
		if got, notices := tableTotal(t, dr), plugintest.Notices(dr); got != want || !strings.Contains(notices, "maxAnswerMB") {
			t.Errorf("%v managed identity sign-ins, notices %q; want %v, from the store, with a notice naming maxAnswerMB", got, notices, want)
		}
	})
	stillAnswers(t, h, ds)
}
