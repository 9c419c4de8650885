// Command graphsim runs the Microsoft Graph sign-in simulator (package
// graphsim) on its own, for manual testing and scripts, and exports the
// sign-ins a synthetic tenant or a replayed file holds, as ground truth.
//
//	graphsim serve  --addr 127.0.0.1:8090 --seed 1 --size medium --tls
//	graphsim export --seed 1 --size small --type nonInteractive --from 2026-01-13T00:00:00Z --to 2026-01-14T00:00:00Z
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "graphsim:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
