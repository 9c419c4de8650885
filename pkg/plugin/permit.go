package plugin

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
)

// ErrNotPermitted marks a datasource setting that needs the server admin's
// permission it does not have; the message names the server setting.
var ErrNotPermitted = errors.New("not permitted by the Grafana server")

// permit checks that what the settings ask of the server is allowed, before
// anything is opened, created or sent: a refused datasource reads no file,
// makes no directory and asks no authority for a token.
func (srv Server) permit(s Settings) error {
	var problems []string
	if s.DemoFile != "" && !s.kind().tenant() {
		if err := srv.permitPath("demoFile", s.DemoFile); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if s.kind().tenant() {
		problems = append(problems, srv.endpointProblems(s)...)
		problems = append(problems, srv.identityProblems(s)...)
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrNotPermitted, strings.Join(problems, "; "))
}

// permitPath checks that path is absolute and, symbolic links resolved, lies
// under one of the allowed directories.
func (srv Server) permitPath(field, path string) error {
	if !filepath.IsAbs(path) {
		return fmt.Errorf("%s %s must be an absolute path", field, clip.Quote(path))
	}
	if len(srv.AllowedPaths) == 0 {
		return fmt.Errorf("%s: the server allows no paths; the Grafana server admin must list a directory holding %s in %s", field, clip.Quote(path), iniAllowedPaths)
	}
	real, err := resolve(path)
	if err != nil {
		return fmt.Errorf("%s %s: %v", field, clip.Quote(path), err)
	}
	for _, dir := range srv.AllowedPaths {
		root, err := resolve(dir)
		if err != nil {
			continue
		}
		if within(root, real) {
			return nil
		}
	}
	return fmt.Errorf("%s %s is not under a directory the server allows (%s); the Grafana server admin sets them in %s",
		field, clip.Quote(path), strings.Join(srv.AllowedPaths, ", "), iniAllowedPaths)
}

// resolve returns path with symbolic links resolved, for the part of it that
// exists: a cache directory may not exist yet, but a link in its parents must
// not lead out of the allowed directory.
func resolve(path string) (string, error) {
	path = filepath.Clean(path)
	var rest []string
	for {
		real, err := filepath.EvalSymlinks(path)
		if err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(path)
		if parent == path {
			return "", err
		}
		rest = append([]string{filepath.Base(path)}, rest...)
		path = parent
	}
}

// within reports whether path is root or below it.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(os.PathSeparator)) && !filepath.IsAbs(rel)
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
