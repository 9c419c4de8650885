package plugin

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
)

// ErrNotPermitted marks a datasource setting that needs the server admin's
// permission it does not have; the message names the server setting.
var ErrNotPermitted = errors.New("not permitted by the Grafana server")

// permit checks that what the settings ask of the server is allowed, before
// anything is sent: a refused datasource asks no authority for a token.
func (srv Server) permit(s Settings) error {
	var problems []string
	if s.kind().tenant() {
		problems = append(problems, srv.endpointProblems(s)...)
		problems = append(problems, srv.identityProblems(s)...)
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrNotPermitted, strings.Join(problems, "; "))
}

// endpointProblems refuses endpoint overrides other than the clouds' own
// hosts unless the server allows custom endpoints: the authority receives the
// client secret, and the Graph and Log Analytics endpoints the bearer token.
func (srv Server) endpointProblems(s Settings) []string {
	if srv.AllowCustomEndpoints {
		return nil
	}
	var problems []string
	for _, e := range []struct{ field, value string }{{"graphEndpoint", s.GraphEndpoint}, {"authorityHost", s.AuthorityHost}, {"logAnalyticsEndpoint", s.LogAnalyticsEndpoint}} {
		if e.value != "" && !azure.IsCloudHost(e.value) {
			problems = append(problems, fmt.Sprintf("%s %s is not one of the Azure clouds' own hosts; the Grafana server admin allows other endpoints with %s",
				e.field, clip.Quote(hostOnly(e.value)), iniCustomEndpoints))
		}
	}
	return problems
}

// hostOnly is the host of an endpoint URL, for messages.
func hostOnly(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

// identityProblems refuses the host's identity unless Grafana enables it.
func (srv Server) identityProblems(s Settings) []string {
	switch {
	case s.AuthType == graph.AuthManagedIdentity && !srv.ManagedIdentity:
		return []string{"authType managedIdentity uses the Grafana host's Azure identity; the Grafana server admin enables it with " + iniManagedIdentity}
	case s.AuthType == graph.AuthWorkloadIdentity && !srv.WorkloadIdentity:
		return []string{"authType workloadIdentity uses the Grafana host's workload identity; the Grafana server admin enables it with " + iniWorkloadIdentity}
	}
	return nil
}
