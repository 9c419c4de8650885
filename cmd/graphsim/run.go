package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

const usage = `usage:
  graphsim serve  [--addr 127.0.0.1:0] [--seed 1] [--size small] [--file F] [--quiet]
                  [--throttle N] [--delay 3m] [--tls [--ca-file F]] [--fault SPEC]...
      Serves until SIGINT/SIGTERM. Prints the base URL; with --tls then the CA
      certificate path (--ca-file) or the CA certificate PEM. Each --fault
      injects failures into sign-ins requests (RELIABILITY.md):
` + graphsim.FaultSpecSyntax + `
  graphsim export --type T --from RFC3339 --to RFC3339 [--as-of RFC3339] [--seed 1] [--size small] [--file F] [--quiet]
      Prints {"value":[...]}: every sign-in of log type T (interactive,
      nonInteractive, servicePrincipal, managedIdentity) created in [from, to),
      newest first, each record's bytes as the server serves them at --as-of
      (default now): a sign-in revised since (its risk remediated, say) in its
      revised version.
`

// run executes one command line (without the program name).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: missing command", errUsage)
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "export":
		return export(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
}

// parseFlags parses a subcommand's flags; any problem is a usage error.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %s: %v", errUsage, fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: %s: unexpected argument %q", errUsage, fs.Name(), fs.Arg(0))
	}
	return nil
}
