package azure

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
)

// EndpointProblem checks an endpoint override named field: an absolute URL
// without query, fragment or credentials, a port from 1 to 65535, and https
// — http only on a loopback address, for a local stand-in, since a bearer
// token must not cross a network in clear text. It returns "" when the
// override is empty or fine; example is a valid value for the message.
func EndpointProblem(field, raw, example string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.Opaque != "" {
		return fmt.Sprintf("%s must be an absolute https URL such as %s", field, example)
	}
	if p := u.Port(); p != "" || strings.HasSuffix(u.Host, ":") {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Sprintf("%s has port %s; want 1 to 65535", field, clip.Quote(p))
		}
	}
	switch {
	case u.Scheme == "https":
		return ""
	case u.Scheme == "http" && IsLoopback(u.Hostname()):
		return ""
	}
	return field + " must use https (http only on localhost)"
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
