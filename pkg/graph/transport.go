package graph

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
)

// newHTTPClient returns the client for both Graph and the authority. It trusts
// TLSCACert on top of the system pool so a TLS-intercepting proxy or a test
// server works without turning verification off.
func newHTTPClient(cfg Config) (*http.Client, error) {
	if cfg.HTTPClient != nil {
		return cfg.HTTPClient, nil
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	if len(cfg.TLSCACert) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(cfg.TLSCACert) {
			return nil, fmt.Errorf("%w: tlsCACert holds no PEM certificate", ErrConfig)
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	// No client-wide timeout: each page has its own deadline (Config.RequestTimeout).
	return &http.Client{Transport: t}, nil
}
