package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

// serveConfig is a parsed serve command line.
type serveConfig struct {
	addr     string
	tls      bool
	caFile   string
	throttle int
	delay    time.Duration
	faults   graphsim.Faults
	src      sourceFlags
	now      func() time.Time // nil means time.Now; tests set it

	workspace graphsim.WorkspaceOptions // the Log Analytics workspace served beside Graph
}

func parseServe(args []string, stderr io.Writer) (serveConfig, error) {
	var cfg serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:0", "listen address; port 0 picks a free one")
	fs.BoolVar(&cfg.tls, "tls", false, "serve HTTPS with a CA generated at start")
	fs.StringVar(&cfg.caFile, "ca-file", "", "with --tls, write the CA certificate PEM here instead of printing it")
	fs.IntVar(&cfg.throttle, "throttle", 0, "Graph requests per tenant per 10 s; 0 = unlimited (Graph allows 5)")
	fs.DurationVar(&cfg.delay, "delay", 0, "ingestion delay: a sign-in is listed this long after it happened")
	fs.Var(&serveFaultFlag{graph: faultFlag{faults: &cfg.faults}, workspace: &cfg.workspace}, "fault",
		"inject faults into sign-ins requests, or with the prefix la: into workspace queries; repeatable; see the usage for the spec syntax")
	cfg.src.register(fs)
	registerWorkspaceFlags(fs, &cfg.workspace)
	if err := parseFlags(fs, args, stderr); err != nil {
		return cfg, err
	}
	if cfg.caFile != "" && !cfg.tls {
		return cfg, fmt.Errorf("%w: serve: --ca-file needs --tls", errUsage)
	}
	return cfg, nil
}

// serve runs the simulator until ctx ends.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseServe(args, stderr)
	if err != nil {
		return ignoreHelp(err)
	}
	srv, base, err := startServer(cfg, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintln(stdout, base)
	if cfg.tls {
		if err := publishCA(cfg.caFile, srv.CACertPEM(), stdout); err != nil {
			return err
		}
	}
	<-ctx.Done()
	return nil
}

// startServer builds and starts the simulator the config describes.
func startServer(cfg serveConfig, logTo io.Writer) (*graphsim.Server, string, error) {
	src, err := cfg.src.source()
	if err != nil {
		return nil, "", err
	}
	srv, err := graphsim.New(graphsim.Options{
		Source:    src,
		Now:       cfg.now,
		Throttle:  cfg.throttle,
		Delay:     cfg.delay,
		Faults:    cfg.faults,
		Workspace: cfg.workspace,
		Log:       slog.New(slog.NewTextHandler(logTo, nil)),
	})
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", errUsage, err)
	}
	base, err := srv.Start(cfg.addr, cfg.tls)
	if err != nil {
		return nil, "", err
	}
	return srv, base, nil
}

// publishCA writes the CA certificate to path and prints the path, or prints
// the PEM itself when no path is given.
func publishCA(path string, pem []byte, stdout io.Writer) error {
	if path == "" {
		_, err := stdout.Write(pem)
		return err
	}
	if err := os.WriteFile(path, pem, 0o644); err != nil { // #nosec G703 -- the operator's own --ca-file flag
		return fmt.Errorf("write CA certificate: %w", err)
	}
	fmt.Fprintln(stdout, path)
	return nil
}
