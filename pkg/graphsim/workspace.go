package graphsim

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/kql"
)

// workspace is the Log Analytics workspace the server serves beside Graph
// (docs/log-analytics.md): the Source's sign-ins as rows of the four sign-in
// tables, each ingested minutes after it happened, some twice, queried with
// the subset of KQL package kql reads.
type workspace struct {
	opts     WorkspaceOptions
	schemas  map[string]*schema
	catalog  kql.Catalog
	src      Source
	late     Faults      // the late arrivals, whose rows come LateBy later
	throttle *throttle   // nil when off
	faults   *faultState // nil without rules
}

// installWorkspace builds the workspace and its handler chain. It reads the
// Source without the late-arrival wrapper installFaults puts in front of
// Graph: in the workspace a late sign-in is a row with a later
// TimeGenerated, not a sign-in hidden from a listing.
func (s *Server) installWorkspace() {
	src := s.opts.Source
	if l, ok := src.(*lateSource); ok {
		src = l.src
	}
	o := s.opts.Workspace
	ws := &workspace{opts: o, schemas: workspaceSchemas(o), src: src, late: s.opts.Faults}
	ws.catalog = catalog(ws.schemas)
	if o.Throttle > 0 {
		ws.throttle = newThrottle(o.Throttle, WorkspaceThrottleWindow)
	}
	if len(o.Faults) > 0 {
		ws.faults = newFaultState(Faults{Rules: o.Faults})
	}
	s.workspace = ws
	s.workspaceAPI = chain(http.HandlerFunc(s.serveWorkspaceQuery), s.injectWorkspaceFaults, s.authenticateWorkspace, s.throttleWorkspace)
}

// isWorkspaceQueryPath matches /v1/workspaces/{workspaceId}/query.
func isWorkspaceQueryPath(segs []string) bool {
	return matchPath(segs, "v1", "workspaces", "*", "query")
}

// workspaceIDOf returns the {workspaceId} of a query path.
func workspaceIDOf(r *http.Request) string {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(segs) < 3 {
		return ""
	}
	return segs[2]
}

// has reports whether id names this workspace: any id, unless one is pinned.
func (ws *workspace) has(id string) bool {
	return ws.opts.ID == "" || strings.EqualFold(id, ws.opts.ID)
}

// run answers a query: its plan read against the rows the workspace holds
// at now within the timespan.
func (ws *workspace) run(query string, span timespan, workspaceID string, now time.Time) ([]byte, error) {
	plan, err := ws.plan(query)
	if err != nil {
		return nil, err
	}
	table := ws.schemas[plan.Table]
	q := &wsQuery{plan: plan, table: table, span: span, now: now, ctx: &rowContext{table: table, workspaceID: workspaceID}}
	b := answerHead(plan.Output)
	if plan.Aggregates != nil {
		count, times, err := ws.aggregates(q)
		if err != nil {
			return nil, &sourceError{err}
		}
		writeAggregates(b, plan.Aggregates, count, times)
		return b.finish(""), nil
	}
	if plan.Grouping != nil {
		groups, err := ws.grouped(q)
		if err != nil {
			return nil, &sourceError{err}
		}
		return writeGroups(b, plan.Grouping, groups, ws.opts.MaxRows, ws.opts.MaxBytes), nil
	}
	rows, cut, err := ws.rows(q, ws.opts.MaxRows)
	if err != nil {
		return nil, &sourceError{err}
	}
	return writeRows(b, table, plan.Output, rows, cut, ws.opts.MaxRows, ws.opts.MaxBytes), nil
}

// plan parses and checks a query against the workspace's tables.
func (ws *workspace) plan(query string) (*kql.Plan, error) {
	q, err := kql.Parse(query)
	if err != nil {
		return nil, err
	}
	return kql.Check(q, ws.catalog)
}

// sourceError is a Source failing under a query: the server's fault (500),
// not the query's.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// WorkspaceInjections returns the faults injected into workspace queries so
// far, in order; Request counts workspace queries.
func (s *Server) WorkspaceInjections() []Injection {
	if s.workspace == nil || s.workspace.faults == nil {
		return nil
	}
	st := s.workspace.faults
	st.mu.Lock()
	defer st.mu.Unlock()
	return slices.Clone(st.log)
}
