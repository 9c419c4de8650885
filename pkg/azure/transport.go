package azure

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
)

// ErrNoCACert is returned for a tlsCACert that holds no PEM certificate.
var ErrNoCACert = errors.New("tlsCACert holds no PEM certificate")

// HTTPClient returns a client for a service and its authority. It trusts
// caPEM on top of the system pool, so a TLS-intercepting proxy or a test
// server works without turning verification off. It has no client-wide
// timeout: each request has its own deadline.
func HTTPClient(caPEM []byte) (*http.Client, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if len(caPEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(caPEM) {
			return nil, ErrNoCACert
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: t}, nil
}
