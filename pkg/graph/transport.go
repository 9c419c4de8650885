package graph

import (
	"fmt"
	"net/http"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
)

// newHTTPClient returns the client for both Graph and the authority: the
// caller's, or one trusting TLSCACert on top of the system pool.
func newHTTPClient(cfg Config) (*http.Client, error) {
	if cfg.HTTPClient != nil {
		return cfg.HTTPClient, nil
	}
	hc, err := azure.HTTPClient(cfg.TLSCACert)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	return hc, nil
}
