package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/demo"
	"github.com/onemap/onemap/internal/problem"
)

// demoFlags are the demo command's own flags.
type demoFlags struct {
	parcels int
	seed    uint64
	batch   int
	ifEmpty bool
	replace bool
}

func parseDemoFlags(args []string, out io.Writer) (demoFlags, error) {
	var f demoFlags
	fs := flag.NewFlagSet("onemap demo", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.IntVar(&f.parcels, "parcels", demo.DefaultParcels, "land parcels to generate (1000000 makes the benchmark city; at most about 5900000 fit)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed: the same seed gives the same city")
	fs.IntVar(&f.batch, "batch", 25_000, "assets written per bulk insert")
	fs.BoolVar(&f.ifEmpty, "if-empty", false, "load only when the database holds no assets (make run)")
	fs.BoolVar(&f.replace, "replace", false, "remove the assets of an earlier demo load first")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	switch {
	case fs.NArg() > 0:
		return f, fmt.Errorf("demo: unexpected argument %q", fs.Arg(0))
	case f.parcels < 0 || f.batch <= 0:
		return f, fmt.Errorf("demo: --parcels must not be negative and --batch must be positive")
	case f.ifEmpty && f.replace:
		return f, fmt.Errorf("demo: --if-empty and --replace contradict each other: choose one")
	}
	return f, nil
}

// demoCmd loads the deterministic demo city of Xianning.
func demoCmd(ctx context.Context, m *Main, cfg config.Config, args []string) error {
	f, err := parseDemoFlags(args, m.Stderr)
	if err != nil {
		return err
	}
	pool, err := m.open(ctx, cfg)
	if err != nil {
		return err
	}
	svc := assets.NewService(pool)
	n, err := svc.CountLive(ctx)
	if err != nil {
		return err
	}
	if n > 0 && f.ifEmpty {
		fmt.Fprintf(m.Stdout, "demo: the database already holds %d assets; nothing loaded\n", n)
		return demoPlace(ctx, svc)
	}
	if n > 0 && !f.replace {
		return fmt.Errorf("demo: the database already holds %d assets: add --replace to replace the demo data (or --if-empty to leave it)", n)
	}
	start := time.Now()
	city, err := demo.Generate(demo.Options{Seed: f.seed, Parcels: f.parcels})
	if err != nil {
		return err
	}
	sum, err := demo.Load(ctx, pool, svc, city, demo.LoadOptions{Batch: f.batch, Replace: f.replace, Progress: progress(m.Stderr, start)})
	if err != nil {
		return err
	}
	printSummary(m.Stdout, f.seed, sum, time.Since(start))
	if err := svc.SetCity(ctx, demo.Place); err != nil {
		return err
	}
	return nil
}

// progress reports bulk loads every tenth of the way.
func progress(w io.Writer, start time.Time) func(written, total int) {
	next := 0
	return func(written, total int) {
		if total < 100_000 || written < next {
			return
		}
		next = written + total/10
		fmt.Fprintf(w, "demo: %d of %d assets written (%.0f s)\n", written, total, time.Since(start).Seconds())
	}
}

func printSummary(w io.Writer, seed uint64, sum demo.Summary, elapsed time.Duration) {
	if sum.Removed > 0 {
		fmt.Fprintf(w, "removed %d assets of an earlier demo load\n", sum.Removed)
	}
	fmt.Fprintf(w, "demo city of Xianning (seed %d): %d regions, %d zones, %d targets\n", seed, sum.Regions, sum.Zones, sum.Targets)
	for _, k := range assets.Kinds {
		fmt.Fprintf(w, "  %-9s %9d  %s\n", k, sum.Tally.Kinds[k], assets.KindLabels[string(k)])
	}
	h := sum.History
	if h.RemovedProjects > 0 {
		fmt.Fprintf(w, "removed %d projects of an earlier demo load\n", h.RemovedProjects)
	}
	fmt.Fprintf(w, "  ledger: %d units, %d projects, %d monthly reports, %d project events, %d lease terms, %d field targets (%.1f s)\n",
		h.Units, h.Projects, h.Reports, h.Events, h.Leases, h.FieldTargets, h.Elapsed.Seconds())
	fmt.Fprintf(w, "  %d assets in %.1f s\n", sum.Tally.Total(), elapsed.Seconds())
}

// demoPlace names the demo city as the deployment's when none is set (a demo database made
// before the deployment knew its city).
func demoPlace(ctx context.Context, svc *assets.Service) error {
	if _, err := svc.City(ctx); errors.Is(err, problem.ErrNotFound) {
		return svc.SetCity(ctx, demo.Place)
	} else if err != nil {
		return err
	}
	return nil
}
