package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db"
)

// Main is the program: Run executes one subcommand, Close releases what it opened. End-to-end
// tests build a Main and run `serve` on port :0 for real.
type Main struct {
	args   []string
	getenv func(string) string
	Stdout io.Writer
	Stderr io.Writer
	// Ready, when set, receives the listening address once `serve` accepts connections.
	Ready chan<- string

	pool *pgxpool.Pool
}

// NewMain returns a Main for the given arguments (without the program name) and environment.
func NewMain(args []string, getenv func(string) string) *Main {
	return &Main{args: args, getenv: getenv, Stdout: os.Stdout, Stderr: os.Stderr}
}

const usage = `usage: onemap <command> [flags]

commands:
  serve    migrate the database and serve the map, tiles, OGC API and /api/v1
  migrate  apply pending database migrations
  demo     load the deterministic demo city of Xianning (--parcels N, --seed S, --if-empty, --replace)
  import   import a file of assets (Shapefile zip, GeoPackage, KML, GeoJSON, CSV/XLSX, 勘测定界 TXT)
  export   export assets (GeoJSON, CSV, XLSX, Shapefile zip, GeoPackage, TXT)
  user     manage accounts: add, demo, disable, passwd, revoke
  tiles    tiles: refresh rebuilds the land overview, status tells if it is current,
           export writes the offline package (PMTiles: --format pmtiles -o city.pmtiles; --kit DIR
           also writes DIR/onemap-offline, the viewer that opens it with no server)
  audit    audit trail: verify checks the hash chain, prune removes rows older than 180+ days

Run 'onemap <command> -h' for its flags. Settings come from ONEMAP_* variables; flags win.`

type command func(ctx context.Context, m *Main, cfg config.Config, fs []string) error

// Run executes the subcommand named by the first argument.
func (m *Main) Run(ctx context.Context) error {
	if len(m.args) == 0 || m.args[0] == "-h" || m.args[0] == "--help" || m.args[0] == "help" {
		fmt.Fprintln(m.Stdout, usage)
		return nil
	}
	name, rest := m.args[0], m.args[1:]
	cmd, ok := commands()[name]
	if !ok {
		return fmt.Errorf("unknown command %q\n%s", name, usage)
	}
	rest, own := splitOwnFlags(name, rest)
	cfg, fs, err := config.Load("onemap "+name, rest, m.getenv, m.Stderr)
	if err != nil {
		return err
	}
	return cmd(ctx, m, cfg, append(own, fs.Args()...))
}

// Close releases the database pool.
func (m *Main) Close() error {
	if m.pool != nil {
		m.pool.Close()
	}
	return nil
}

// open connects and migrates; every command that touches data goes through it.
func (m *Main) open(ctx context.Context, cfg config.Config) (*pgxpool.Pool, error) {
	if cfg.DatabaseURL == "" {
		return nil, fmt.Errorf("no database: set ONEMAP_DATABASE_URL or -db (make run starts a local PostGIS)")
	}
	requests, _ := cfg.PoolSizes()
	pool, err := db.Open(ctx, cfg.DatabaseURL, db.MaxConns(requests))
	if err != nil {
		return nil, err
	}
	m.pool = pool
	if err := db.Migrate(ctx, pool); err != nil {
		return nil, err
	}
	return pool, nil
}

func (m *Main) logger(cfg config.Config) *slog.Logger {
	level, _ := cfg.SlogLevel() // validated with the rest of the settings
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(cfg.LogFormat, "json") {
		return slog.New(slog.NewJSONHandler(m.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(m.Stderr, opts))
}

func migrateCmd(ctx context.Context, m *Main, cfg config.Config, args []string) error {
	if err := noArgs("migrate", args); err != nil {
		return err
	}
	if _, err := m.open(ctx, cfg); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, "schema is current")
	return nil
}

// noArgs rejects what a command without flags of its own was given beyond the shared settings
// (config passes unknown flags through to the command), so a mistyped flag is not ignored.
func noArgs(name string, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%s: unknown flag or argument %q", name, args[0])
	}
	return nil
}
