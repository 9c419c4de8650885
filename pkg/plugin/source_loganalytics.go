package plugin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// logAnalyticsSource reads a Log Analytics workspace (or the demo tenant
// speaking its API). A log type whose table the workspace does not have —
// its diagnostic-settings category is not routed there — has no sign-ins:
// its windows are empty, and queries over it say why, while the other log
// types answer normally.
type logAnalyticsSource struct {
	*loganalytics.Client
	demo string // the health message of the demo tenant; empty for a workspace

	mu      sync.Mutex
	missing map[signin.LogType]*loganalytics.TableNotFoundError
}

func newLogAnalyticsSource(c *loganalytics.Client, demo string) *logAnalyticsSource {
	return &logAnalyticsSource{Client: c, demo: demo, missing: make(map[signin.LogType]*loganalytics.TableNotFoundError)}
}

// ListSignIns lists as the client does, but a missing table is no failure.
func (s *logAnalyticsSource) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	err := s.Client.ListSignIns(ctx, t, from, to, fn)
	var missing *loganalytics.TableNotFoundError
	if errors.As(err, &missing) {
		s.seen(t, missing)
		return nil
	}
	if err == nil {
		s.seen(t, nil)
	}
	return err
}

// ListChanged lists as the client does; a missing table has no sign-ins to
// have changed (ListSignIns reports it).
func (s *logAnalyticsSource) ListChanged(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	err := s.Client.ListChanged(ctx, t, from, to, fn)
	if errors.Is(err, loganalytics.ErrTableNotFound) {
		return nil
	}
	return err
}

// seen records whether the workspace has t's table: missing is the
// workspace's answer for a table it does not have, nil when the table
// answered. The store's listings and the push-down's queries (Runner.Seen)
// both report here, so a missing table's notice is the same either way.
func (s *logAnalyticsSource) seen(t signin.LogType, missing *loganalytics.TableNotFoundError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if missing != nil {
		s.missing[t] = missing
		return
	}
	delete(s.missing, t)
}

func (s *logAnalyticsSource) notices(types []signin.LogType) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, t := range types {
		if m := s.missing[t]; m != nil {
			out = append(out, m.Error())
		}
	}
	return out
}

// health checks each of the four tables: it exists, and what it holds over
// the last week. The datasource works when the workspace answers for at least
// one table; each missing or empty table gets its own line of what to fix.
func (s *logAnalyticsSource) health(ctx context.Context) (bool, string) {
	statuses := s.CheckTables(ctx)
	var lines []string
	readable := 0
	for _, st := range statuses {
		lines = append(lines, tableLine(st))
		if st.Err == nil || errors.Is(st.Err, loganalytics.ErrTableNotFound) {
			readable++
		}
	}
	if readable == 0 {
		return false, workspaceAdvice.of(statuses[0].Err) + " Tables: " + strings.Join(lines, "; ") + "."
	}
	head := "Log Analytics workspace " + s.WorkspaceID() + " answered."
	if s.demo != "" {
		head = s.demo
	}
	return true, head + " Tables: " + strings.Join(lines, "; ") + "."
}

// tableLine says what one table holds, or what to fix.
func tableLine(st loganalytics.TableStatus) string {
	switch {
	case errors.Is(st.Err, loganalytics.ErrTableNotFound):
		return fmt.Sprintf("%s does not exist (send the %s category to this workspace in Entra ID's diagnostic settings)", st.Table, st.Category)
	case st.Err != nil:
		return fmt.Sprintf("%s could not be read: %v", st.Table, st.Err)
	case st.Rows == 0:
		return fmt.Sprintf("%s exists but received no rows in the last %d days (is the %s category still sent here?)", st.Table, int(loganalytics.HealthSpan.Hours()/24), st.Category)
	}
	return fmt.Sprintf("%s: %d rows in the last %d days, newest %s", st.Table, st.Rows, int(loganalytics.HealthSpan.Hours()/24), st.Newest.UTC().Format(time.RFC3339))
}

// logAnalyticsConfig is the workspace client's configuration: the
// credential of the settings, built as Graph's is (the cloud's authority or
// the override), over a transport trusting tlsCACert.
func logAnalyticsConfig(s Settings, c *counters) (loganalytics.Config, error) {
	cl, err := azure.LookupCloud(s.Cloud)
	if err != nil {
		return loganalytics.Config{}, err
	}
	hc, err := azure.HTTPClient([]byte(s.TLSCACert))
	if err != nil {
		return loganalytics.Config{}, err
	}
	authority := strings.TrimRight(cl.AuthorityHost, "/")
	if s.AuthorityHost != "" {
		authority = strings.TrimRight(s.AuthorityHost, "/")
	}
	cred := azure.Credential{AuthType: s.AuthType, TenantID: s.TenantID, ClientID: s.ClientID,
		ClientSecret: s.ClientSecret, ClientCertificate: []byte(s.ClientCertificate)}
	tc, err := cred.Build(authority, s.AuthorityHost != "", hc)
	if err != nil {
		return loganalytics.Config{}, fmt.Errorf("authType %s: %w", s.AuthType, err)
	}
	return loganalytics.Config{WorkspaceID: s.WorkspaceID, Cloud: s.Cloud, Endpoint: s.LogAnalyticsEndpoint,
		Credential: tc, HTTPClient: hc, Observer: c,
		// Updates re-emitted within the revalidation period are read by every
		// listing and aggregation, not only by the revalidation.
		UpdateAllowance: s.Revalidate(), RevisedAfter: s.Freshness()}, nil
}
