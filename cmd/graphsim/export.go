package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// exportConfig is a parsed export command line.
type exportConfig struct {
	logType  signin.LogType
	from, to time.Time
	asOf     time.Time // the records are printed as Graph serves them then
	src      sourceFlags
}

func parseExport(args []string, stderr io.Writer) (exportConfig, error) {
	var cfg exportConfig
	var typ, from, to, asOf string
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.StringVar(&typ, "type", "", "log type: interactive, nonInteractive, servicePrincipal or managedIdentity")
	fs.StringVar(&from, "from", "", "start of the range, inclusive (RFC 3339)")
	fs.StringVar(&to, "to", "", "end of the range, exclusive (RFC 3339)")
	fs.StringVar(&asOf, "as-of", "", "print each sign-in as Graph serves it at this time (RFC 3339); default now")
	cfg.src.register(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return cfg, err
	}
	var err error
	if cfg.logType, err = signin.ParseLogType(typ); err != nil {
		return cfg, fmt.Errorf("%w: export --type: %v", errUsage, err)
	}
	if cfg.from, err = parseTimeFlag("from", from); err != nil {
		return cfg, err
	}
	if cfg.to, err = parseTimeFlag("to", to); err != nil {
		return cfg, err
	}
	if !cfg.from.Before(cfg.to) {
		return cfg, fmt.Errorf("%w: export: --from %s is not before --to %s", errUsage, from, to)
	}
	cfg.asOf = time.Now()
	if asOf != "" {
		if cfg.asOf, err = parseTimeFlag("as-of", asOf); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

func parseTimeFlag(name, value string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		return t, fmt.Errorf("%w: export --%s %q: want RFC 3339, e.g. 2026-01-13T14:00:00Z", errUsage, name, value)
	}
	return t, nil
}

// export prints every sign-in of one type in a range, as the ground truth a
// test compares a client's fetch against: each in its version of --as-of
// (graphsim.Record.AsOf), so a test whose server runs on another clock
// passes that clock's time and gets what the server serves.
func export(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseExport(args, stderr)
	if err != nil {
		return ignoreHelp(err)
	}
	src, err := cfg.src.source()
	if err != nil {
		return err
	}
	recs, err := graphsim.Collect(src, cfg.logType, cfg.from, cfg.to)
	if err != nil {
		return err
	}
	for i := range recs {
		recs[i] = recs[i].AsOf(cfg.asOf)
	}
	return graphsim.WriteEnvelope(stdout, recs)
}

// ignoreHelp turns -h (usage already printed) into success.
func ignoreHelp(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}
