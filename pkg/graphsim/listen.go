package graphsim

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in the
// background. With useTLS it serves HTTPS with a certificate from a CA made
// at start (see CACertPEM), because azidentity refuses plain-HTTP authorities.
// It returns the base URL, e.g. "https://127.0.0.1:41234".
func (s *Server) Start(addr string, useTLS bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpSrv != nil {
		return "", ErrStarted
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	var caPEM []byte
	if useTLS {
		cfg, ca, err := newTLSConfig(time.Now())
		if err != nil {
			return "", err
		}
		srv.TLSConfig, caPEM = cfg, ca
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("graphsim: listen on %s: %w", addr, err)
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	s.httpSrv, s.caPEM = srv, caPEM
	base := scheme + "://" + dialableAddr(ln.Addr())
	go s.serve(srv, ln)
	s.log.Info("graphsim: serving", "url", base)
	return base, nil
}

// serve runs until Close; with a TLS config it serves HTTPS (HTTP/2 too, as
// Graph does).
func (s *Server) serve(srv *http.Server, ln net.Listener) {
	var err error
	if srv.TLSConfig != nil {
		err = srv.ServeTLS(ln, "", "")
	} else {
		err = srv.Serve(ln)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		s.log.Error("graphsim: serve", "error", err)
	}
}

// dialableAddr turns a listener address into one a client can dial: an
// unspecified address (0.0.0.0, ::) becomes loopback.
func dialableAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}

// CACertPEM returns the PEM of the CA that signed the TLS certificate, for a
// client to trust; nil before Start or without TLS.
func (s *Server) CACertPEM() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.caPEM
}

// Close stops listening and closes open connections. It is safe to call
// without Start, and more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	srv := s.httpSrv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	if err := srv.Close(); err != nil {
		return fmt.Errorf("graphsim: close: %w", err)
	}
	return nil
}
