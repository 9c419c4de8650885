// Command bench measures SignInLens' performance figures (internal/bench) and prints
// the medians of several runs as one table, with the machine they ran on:
//
//	go run ./cmd/bench [-runs 5] [-only a,c|decode,…] [-cpuprofile dir] [-v]
//
// The figures are heavy (a week of the medium tenant, ten million sign-ins, the
// plugin binary, minutes of Graph's throttle): run it with nice on a shared machine.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/internal/bench"
)

func main() {
	runs := flag.Int("runs", 5, "runs of each figure; the table shows the medians")
	only := flag.String("only", "", "figures to run, by letter or name, comma-separated (a|decode, b|aggregate, c|memory, d|dashboard, e|coldload, f|refresh, g|workspace, h|pushdown, i|warm, j|large)")
	profiles := flag.String("cpuprofile", "", "a directory for CPU profiles of the measured sections")
	verbose := flag.Bool("v", false, "progress on stderr")
	days := flag.Int("jdays", bench.Default().LargeDays, "j: days of the large tenant held in one store")
	flag.Parse()
	if err := run(*runs, *only, *profiles, *verbose, *days, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(runs int, only, profiles string, verbose bool, largeDays int, out io.Writer) error {
	if runs < 1 {
		return fmt.Errorf("-runs %d: want at least 1", runs)
	}
	figures, err := bench.Select(only)
	if err != nil {
		return err
	}
	o := bench.Default()
	o.ProfileDir = profiles
	if largeDays < 1 {
		return fmt.Errorf("-jdays %d: want at least 1", largeDays)
	}
	o.LargeDays = largeDays
	if profiles != "" {
		if err := os.MkdirAll(profiles, 0o755); err != nil {
			return err
		}
	}
	progress := io.Discard
	if verbose {
		progress = os.Stderr
	}
	o.Log = progress
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	defer bench.RemoveBinaries()

	machine := bench.ThisMachine()
	started := time.Now()
	var table []bench.Result
	for _, f := range figures {
		var all [][]bench.Result
		for i := range runs {
			fmt.Fprintf(progress, "%s. %s: run %d of %d\n", f.ID, f.Title, i+1, runs)
			start := time.Now()
			rs, err := f.Run(ctx, o)
			if err != nil {
				return fmt.Errorf("%s. %s: %w", f.ID, f.Name, err)
			}
			fmt.Fprintf(progress, "   %s\n", time.Since(start).Round(time.Millisecond))
			all = append(all, rs)
		}
		table = append(table, bench.Median(all)...)
		bench.FreeStores()
	}
	fmt.Fprintf(out, "SignInLens benchmarks — %s\n", started.UTC().Format(time.RFC3339))
	fmt.Fprintf(out, "Machine: %s\n", machine)
	fmt.Fprintf(out, "Load average at the end: %s (the machine may be shared: compare ratios measured in the same run)\n", bench.ThisMachine().LoadAvg)
	fmt.Fprintf(out, "Runs: %d per figure (medians); took %s\n\n", runs, time.Since(started).Round(time.Second))
	printTable(out, table)
	return nil
}

// printTable writes the results as one Markdown table.
func printTable(w io.Writer, rs []bench.Result) {
	fmt.Fprintln(w, "| figure | value | target | pass/fail | note |")
	fmt.Fprintln(w, "|---|---:|---|---|---|")
	for _, r := range rs {
		target := r.Target
		if target == "" {
			target = "—"
		}
		value := strings.TrimSpace(bench.FormatValue(r.Value) + " " + r.Unit)
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", cell(r.Figure), cell(value), cell(target), r.Verdict(), cell(r.Note))
	}
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
