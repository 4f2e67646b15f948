package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/exports"
)

// exportArgs are the flags of `onemap export`: the format and the search filters.
type exportArgs struct {
	opts                                           exports.Options
	out                                            string
	kinds, stages, modes, regions, zones, statuses string
	text                                           string
	within, near                                   string
	radius                                         float64
}

func exportFlags(w io.Writer) (*flag.FlagSet, any) {
	a := &exportArgs{}
	fs := flag.NewFlagSet("onemap export", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.StringVar(&a.opts.Format, "format", "geojson", strings.Join(exports.Formats, ", "))
	fs.StringVar(&a.opts.SRS, "srs", "", "EPSG:4490 (default) or a CGCS2000 Gauss-Krüger zone, e.g. EPSG:4526")
	fs.StringVar(&a.opts.Encoding, "encoding", "", "Shapefile and TXT text: GBK (default) or UTF-8")
	fs.StringVar(&a.opts.Sheets, "sheets", "", "XLSX: kind (a sheet per kind, default) or one")
	fs.BoolVar(&a.opts.WKT, "wkt", false, "CSV and XLSX: add each geometry as WKT (else the centre columns locate it)")
	fs.StringVar(&a.out, "o", "", "output file (default: standard output)")
	fs.StringVar(&a.kinds, "kind", "", "kinds, comma-separated")
	fs.StringVar(&a.stages, "stage", "", "stages, comma-separated")
	fs.StringVar(&a.modes, "mode", "", "modes, comma-separated")
	fs.StringVar(&a.regions, "region", "", "region codes, comma-separated")
	fs.StringVar(&a.zones, "zone", "", "zone codes, comma-separated")
	fs.StringVar(&a.statuses, "land-status", "", "land statuses, comma-separated")
	fs.StringVar(&a.text, "q", "", "text in name or code")
	fs.StringVar(&a.within, "within", "", "an area: a GeoJSON Polygon or MultiPolygon (or Feature) in lon/lat, inline or a file;\n"+
		"assets intersecting it, with their overlap_mu and overlap_share")
	fs.StringVar(&a.near, "near", "", "lon,lat: assets within --radius-m metres of this point")
	fs.Float64Var(&a.radius, "radius-m", 0, "radius of --near in metres (up to 100000)")
	return fs, a
}

// filter builds the same filter the search API reads from its query.
func (a *exportArgs) filter() (assets.Filter, error) {
	f := assets.Filter{Text: a.text}
	lists := []struct {
		name, value string
		dst         *[]string
		valid       func(string) bool
	}{
		{"stage", a.stages, &f.Stages, assets.ValidStage},
		{"mode", a.modes, &f.Modes, assets.ValidMode},
		{"region", a.regions, &f.Regions, nil},
		{"zone", a.zones, &f.Zones, nil},
		{"land-status", a.statuses, &f.LandStatuses, assets.ValidLandStatus},
		{"kind", a.kinds, new([]string), assets.ValidKind},
	}
	for _, l := range lists {
		for _, v := range strings.Split(l.value, ",") {
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			if l.valid != nil && !l.valid(v) {
				return f, fmt.Errorf("export: --%s %q is not an accepted value", l.name, v)
			}
			*l.dst = append(*l.dst, v)
		}
	}
	for _, k := range *lists[len(lists)-1].dst {
		f.Kinds = append(f.Kinds, assets.Kind(k))
	}
	if a.within != "" {
		area := a.within
		if !strings.HasPrefix(strings.TrimSpace(area), "{") {
			b, err := os.ReadFile(area)
			if err != nil {
				return f, fmt.Errorf("export: --within: %w", err)
			}
			area = string(b)
		}
		g, err := assets.ParseArea(area)
		if err != nil {
			return f, fmt.Errorf("export: --within: %w", err)
		}
		f.Within = g
	}
	var radius *float64
	if a.radius != 0 {
		radius = &a.radius
	}
	near, r, err := assets.ParseNear(a.near, radius)
	if err != nil {
		return f, fmt.Errorf("export: --near/--radius-m: %w", err)
	}
	f.Near, f.RadiusM = near, r
	return f, nil
}

// exportCmd writes the selected assets to -o or standard output.
func exportCmd(ctx context.Context, m *Main, cfg config.Config, args []string) error {
	fs, v := exportFlags(m.Stderr)
	a := v.(*exportArgs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return errors.New("export: unexpected arguments " + strings.Join(fs.Args(), " ") + " (write to a file with -o FILE)")
	}
	f, err := a.filter()
	if err != nil {
		return err
	}
	if err := a.opts.Check(); err != nil {
		return err
	}
	pool, err := m.open(ctx, cfg)
	if err != nil {
		return err
	}
	w, finish, err := a.output(m.Stdout)
	if err != nil {
		return err
	}
	err = exports.NewService(assets.NewService(pool)).Export(ctx, f, a.opts, w)
	return errors.Join(err, finish(err))
}

// output opens -o (removed again when the export fails) or buffers standard output.
func (a *exportArgs) output(stdout io.Writer) (io.Writer, func(error) error, error) {
	if a.out == "" {
		bw := bufio.NewWriter(stdout)
		return bw, func(error) error { return bw.Flush() }, nil
	}
	f, err := os.Create(a.out)
	if err != nil {
		return nil, nil, fmt.Errorf("export: %w", err)
	}
	return f, func(failed error) error {
		err := f.Close()
		if failed != nil {
			_ = os.Remove(a.out) // a partial file is worse than none
		}
		return err
	}, nil
}
