package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/config"
)

const auditUsage = `usage: onemap audit verify                 (exit status 1 and the first broken row when the chain is broken)
       onemap audit prune -before 2026-01-01  (deletes older rows; refuses anything younger than 180 days)`

// auditCmd checks and prunes the audit trail.
func auditCmd(ctx context.Context, m *Main, cfg config.Config, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "prune") {
		return errors.New(auditUsage)
	}
	pool, err := m.open(ctx, cfg)
	if err != nil {
		return err
	}
	svc := audit.NewService(pool)
	if args[0] == "prune" {
		return auditPrune(ctx, m, svc, args[1:])
	}
	rep, err := svc.Verify(ctx)
	if err != nil {
		return err
	}
	if !rep.OK() {
		return errors.New(rep.String())
	}
	fmt.Fprintln(m.Stdout, rep.String())
	return nil
}

func auditPrune(ctx context.Context, m *Main, svc *audit.Service, args []string) error {
	fs := flag.NewFlagSet("onemap audit prune", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	before := fs.String("before", "", "delete rows older than this date (2006-01-02), at least 180 days back")
	if err := fs.Parse(args); err != nil {
		return err
	}
	t, err := time.Parse(time.DateOnly, *before)
	if err != nil {
		return fmt.Errorf("audit prune: -before %q is not a date such as 2026-01-01", *before)
	}
	n, err := svc.Prune(ctx, cliActor(), t)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%d audit rows before %s pruned\n", n, *before)
	return nil
}
