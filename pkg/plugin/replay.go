package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// A replayed export is served by `graphsim serve --file` and read through a
// Graph or workspace source pointed at it: the plugin reads no file itself
// (Grafana's catalog rules). What the plugin needs to know of the file — the
// span it holds, what it collapsed — the simulator says at
// graphsim.ReplayPath, which a datasource asks once when it starts if its
// endpoint is a custom one. Microsoft's own endpoints are never asked.

// demoFileRemoved is what a datasource that still names a demoFile is told.
const demoFileRemoved = "demoFile is no longer read: a plugin may not read the server's files (Grafana's catalog rules). " +
	"Serve the export with `graphsim serve --tls --file <export>` and point a Microsoft Graph datasource at it (README, \"Replaying an export\"); then clear demoFile"

// replayTimeout bounds the question: a replay answers from memory at once.
const replayTimeout = 5 * time.Second

// maxReplayBytes bounds the answer: a few hundred bytes in practice.
const maxReplayBytes = 64 << 10

// askReplayOf returns the span of the file the settings' custom endpoint
// replays, nil when the endpoint is Microsoft's or replays no file (it
// answers 404 there, as Graph and any proxy of it do).
func askReplayOf(ctx context.Context, s Settings) (*span, error) {
	endpoint := s.kind().endpoint(s)
	if endpoint == "" || azure.IsCloudHost(endpoint) {
		return nil, nil
	}
	hc, err := azure.HTTPClient([]byte(s.TLSCACert))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, replayTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(endpoint, "/")+graphsim.ReplayPath, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return nil, nil
	default:
		return nil, fmt.Errorf("%s answered %s", graphsim.ReplayPath, resp.Status)
	}
	var r graphsim.Replay
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxReplayBytes)).Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: %w", graphsim.ReplayPath, err)
	}
	return spanOf(r)
}

// spanOf checks what a replay said: a span inside the range sign-ins can
// have, and counts per log type of the contract.
func spanOf(r graphsim.Replay) (*span, error) {
	if r.First.Before(earliest) || r.Last.Before(r.First) || r.Last.After(time.Now().Add(maxFuture)) {
		return nil, fmt.Errorf("%s: the span %s to %s is not one of sign-ins", graphsim.ReplayPath,
			r.First.UTC().Format(time.RFC3339), r.Last.UTC().Format(time.RFC3339))
	}
	sp := &span{first: r.First, last: r.Last, collapsed: make(map[signin.LogType]int, len(r.Collapsed))}
	for name, n := range r.Collapsed {
		lt, err := signin.ParseLogType(name)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s: collapsed %s: %d", graphsim.ReplayPath, clip.Quote(name), n)
		}
		sp.collapsed[lt] = n
	}
	return sp, nil
}

// askReplay is askReplayOf, with what goes wrong kept as a
// warning: the datasource then reads its endpoint as the source it names.
func (ds *Datasource) askReplay(ctx context.Context, s Settings) *span {
	sp, err := askReplayOf(ctx, s)
	if err != nil {
		ds.warnings = append(ds.warnings, fmt.Sprintf("could not ask %s whether it replays a file (%v): it is read as the source it names", hostOnly(s.kind().endpoint(s)), err))
	}
	return sp
}

// describe tells the admin, in the health message, what the replay holds.
func (sp *span) describe() string {
	if sp == nil {
		return ""
	}
	msg := fmt.Sprintf(" It replays a file of sign-ins from %s to %s: ranges are clipped to them, and nothing is tailed.",
		sp.first.UTC().Format(time.RFC3339), sp.last.UTC().Format(time.RFC3339))
	if n := sp.collapsedNotices(signin.LogTypes); len(n) > 0 {
		msg += " Note: " + strings.Join(n, "; ") + "."
	}
	return msg
}
