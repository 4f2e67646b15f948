package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/imports"
)

// importArgs are the flags of `onemap import`.
type importArgs struct {
	opts    imports.Options
	mapping string
}

func importFlags(w io.Writer) (*flag.FlagSet, any) {
	a := &importArgs{}
	fs := flag.NewFlagSet("onemap import", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.StringVar(&a.opts.Kind, "kind", "", "asset kind: land, mine, forest, water, building (else a kind column or the layer name); region or zone for boundaries")
	fs.StringVar(&a.opts.SRS, "srs", "", "source CRS, e.g. EPSG:4526 (else the file's metadata or its coordinates)")
	fs.StringVar(&a.opts.Encoding, "encoding", "", "text encoding when the file does not say, e.g. GBK")
	fs.BoolVar(&a.opts.DryRun, "dry-run", false, "check and report without writing")
	fs.StringVar(&a.opts.OnConflict, "on-conflict", "skip", "existing codes: update or skip")
	fs.StringVar(&a.mapping, "mapping", "", `field mapping as JSON {"SOURCE": "asset_field"} or @file.json`)
	fs.Usage = func() {
		fmt.Fprintln(w, "usage: onemap import --kind KIND [--srs EPSG:N] [--encoding GBK] [--dry-run] [--on-conflict update|skip] [--mapping JSON] FILE")
		fs.PrintDefaults()
	}
	return fs, a
}

// importLimits are the import limits the settings give; a zip may unpack to ten uploads.
func importLimits(cfg config.Config) imports.Limits {
	return imports.Limits{MaxRows: cfg.MaxImportRows, MaxUnpackedBytes: int64(cfg.MaxUploadMB) << 20 * 10}
}

// importCmd imports one file in one transaction, drawing progress on stderr and printing the
// report; it fails when nothing was imported.
func importCmd(ctx context.Context, m *Main, cfg config.Config, args []string) error {
	fs, v := importFlags(m.Stderr)
	a := v.(*importArgs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("import: name one FILE")
	}
	if err := a.readMapping(); err != nil {
		return err
	}
	pool, err := m.open(ctx, cfg)
	if err != nil {
		return err
	}
	path := fs.Arg(0)
	svc := imports.NewService(pool, assets.NewService(pool), importLimits(cfg), m.logger(cfg))
	if imports.IsPlaceKind(a.opts.Kind) {
		return importPlaces(ctx, m, svc, path, a.opts)
	}
	bar := &progressBar{w: m.Stderr}
	a.opts.FileName, a.opts.Actor, a.opts.Progress = filepath.Base(path), cliActor(), bar.draw
	rep, err := svc.Import(ctx, path, a.opts)
	bar.end()
	if err != nil {
		return err
	}
	printReport(m.Stdout, rep)
	if !rep.Imported() {
		return errors.New("nothing was imported")
	}
	return nil
}

// importPlaces loads a boundary file (regions or zones) and prints what it changed.
func importPlaces(ctx context.Context, m *Main, svc *imports.Service, path string, o imports.Options) error {
	rep, err := svc.ImportPlaces(ctx, path, imports.PlaceOptions{
		Kind: o.Kind, SRS: o.SRS, Encoding: o.Encoding, FileName: filepath.Base(path), DryRun: o.DryRun, Actor: cliActor(),
	})
	if err != nil {
		return err
	}
	printPlaces(m.Stdout, rep)
	return nil
}

func printPlaces(w io.Writer, r imports.PlaceReport) {
	dry := ""
	if r.DryRun {
		dry = " (dry run: nothing written)"
	}
	fmt.Fprintf(w, "%s: %d rows, %d new, %d updated, %d unchanged, %d rejected; %d assets moved%s\n",
		r.Kind, r.Rows, r.Inserted, r.Updated, r.Unchanged, r.Rejected, r.AssetsMoved, dry)
	fmt.Fprintf(w, "format %s, source CRS %s\n", r.Format, r.CRS)
	for _, c := range r.Changes {
		if c.Action != "unchanged" {
			fmt.Fprintf(w, "  %s %s %s %s %s\n", c.Action, c.Code, c.Name, c.Level, strings.Join(c.Fields, ","))
		}
	}
	for _, is := range r.Issues {
		fmt.Fprintf(w, "  row %d %s rejected: %s\n", is.Row, is.Code, is.Reason)
	}
}

// readMapping reads --mapping, inline or from @file.
func (a *importArgs) readMapping() error {
	s := a.mapping
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, "@") {
		b, err := os.ReadFile(s[1:])
		if err != nil {
			return fmt.Errorf("import: --mapping: %w", err)
		}
		s = string(b)
	}
	if err := json.Unmarshal([]byte(s), &a.opts.Mapping); err != nil {
		return fmt.Errorf(`import: --mapping is not a JSON object {"SOURCE": "asset_field"}: %w`, err)
	}
	return nil
}

func cliActor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}

// maxPrinted bounds the per-row lines the command prints; the run's record keeps them all.
const maxPrinted = 30

func printReport(w io.Writer, r imports.Report) {
	fmt.Fprintln(w, r.Summary())
	fmt.Fprintf(w, "format %s, source CRS %s, encoding %s\n", r.Format, deref(r.SourceCRS), deref(r.Encoding))
	for i, is := range r.Issues {
		if i == maxPrinted {
			fmt.Fprintf(w, "… %d more in the run's record (GET /api/v1/imports/%d)\n", len(r.Issues)-maxPrinted, r.ID)
			break
		}
		fmt.Fprintf(w, "  row %d %s %s: %s %s\n", is.Row, is.Code, is.Action, is.Field, is.Reason)
	}
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

// progressBar draws an import's progress on one terminal line.
type progressBar struct {
	w     io.Writer
	drawn bool
}

func (b *progressBar) draw(r imports.Report) {
	total := 0
	if r.RowsTotal != nil {
		total = *r.RowsTotal
	}
	const width = 30
	filled := 0
	if total > 0 {
		filled = min(width, width*r.RowsRead/total)
	}
	of := "?" // a large ledger is counted while it is read
	if total > 0 {
		of = strconv.Itoa(total)
	}
	fmt.Fprintf(b.w, "\r[%s%s] %d/%s read, %d written, %d rejected ",
		strings.Repeat("#", filled), strings.Repeat(".", width-filled), r.RowsRead, of, r.RowsWritten, r.RowsRejected)
	b.drawn = true
}

func (b *progressBar) end() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}
