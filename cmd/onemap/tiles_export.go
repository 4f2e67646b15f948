package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/onemap/onemap/internal/offline"
	"github.com/onemap/onemap/tiles"
)

// tilesExportArgs are the flags of `onemap tiles export`.
type tilesExportArgs struct {
	format, region, bbox, out, kit string
	minZoom, maxZoom, workers      int
}

func tilesExportFlags(w io.Writer) (*flag.FlagSet, *tilesExportArgs) {
	a := &tilesExportArgs{}
	fs := flag.NewFlagSet("onemap tiles export", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.StringVar(&a.format, "format", "pmtiles", "archive format: pmtiles")
	fs.StringVar(&a.region, "region", "", "行政区划代码 of one region: its extent, and only its assets")
	fs.StringVar(&a.bbox, "bbox", "", "minlon,minlat,maxlon,maxlat (default: everything tiled)")
	fs.IntVar(&a.minZoom, "minzoom", 0, "first zoom")
	fs.IntVar(&a.maxZoom, "maxzoom", 16, "last zoom (the map overzooms past it)")
	fs.IntVar(&a.workers, "workers", 4, "tiles rendered at once")
	fs.StringVar(&a.out, "o", "", "output file, e.g. city.pmtiles (required)")
	fs.StringVar(&a.kit, "kit", "", "also write the offline viewer with the package into DIR/onemap-offline (opens with no server)")
	return fs, a
}

// check refuses what the flags cannot mean, naming the flag.
func (a *tilesExportArgs) check() error {
	switch {
	case a.format != "pmtiles":
		return fmt.Errorf("tiles export: --format %q: only pmtiles", a.format)
	case a.out == "":
		return errors.New("tiles export: -o FILE is required")
	case a.region != "" && a.bbox != "":
		return errors.New("tiles export: give --region or --bbox, not both")
	case a.region != "" && !tiles.ValidRegionCode(a.region):
		return fmt.Errorf("tiles export: --region %q is not a 6-digit 行政区划代码", a.region)
	case a.workers < 1:
		return fmt.Errorf("tiles export: --workers %d: at least 1", a.workers)
	}
	return nil
}

// parseBBox reads minlon,minlat,maxlon,maxlat in degrees.
func parseBBox(s string) ([4]float64, error) {
	var b [4]float64
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return b, fmt.Errorf("tiles export: --bbox %q: want minlon,minlat,maxlon,maxlat", s)
	}
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return b, fmt.Errorf("tiles export: --bbox %q: %q is not a number", s, p)
		}
		b[i] = v
	}
	if b[0] < -180 || b[2] > 180 || b[1] < -85.06 || b[3] > 85.06 || b[0] >= b[2] || b[1] >= b[3] {
		return b, fmt.Errorf("tiles export: --bbox %q: want -180 <= minlon < maxlon <= 180, -85 <= minlat < maxlat <= 85", s)
	}
	return b, nil
}

// tilesExport writes the one map of an area as a PMTiles archive, with progress on stderr.
// With --kit it also writes the offline viewer beside a copy of the package.
func tilesExport(ctx context.Context, m *Main, svc *tiles.Service, as offline.Counter, args []string) error {
	fs, a := tilesExportFlags(m.Stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := errors.Join(noArgs("tiles export", fs.Args()), a.check()); err != nil {
		return err
	}
	opt, err := a.options(ctx, svc, as)
	if err != nil {
		return err
	}
	opt.Progress = progressPrinter(m.Stderr, time.Second)
	sum, err := offline.Export(ctx, svc, opt, a.out)
	if err != nil {
		return err
	}
	h := sum.Header
	fmt.Fprintf(m.Stdout, "%s: zooms %d-%d, %d tiles rendered, %d stored (%d entries, %d distinct), %d bytes, in %s\n",
		a.out, h.MinZoom, h.MaxZoom, sum.Planned, h.AddressedTilesCount, h.TileEntriesCount, h.TileContentsCount,
		h.TileDataOffset+h.TileDataLength, sum.Elapsed.Round(time.Millisecond))
	if a.kit == "" {
		return nil
	}
	root, err := offline.WriteKit(a.kit, a.out)
	if err == nil {
		fmt.Fprintf(m.Stdout, "offline map: open %s in a browser\n", filepath.Join(root, "index.html"))
	}
	return err
}

// options resolves the area (a region's extent, the bbox, or everything tiled) and the metadata,
// with the area's totals for the offline legend.
func (a *tilesExportArgs) options(ctx context.Context, svc *tiles.Service, as offline.Counter) (offline.Options, error) {
	opt := offline.Options{MinZoom: a.minZoom, MaxZoom: a.maxZoom, Workers: a.workers}
	var err error
	switch {
	case a.region != "":
		opt.Filter.Regions = []string{a.region}
		opt.Bounds, err = svc.RegionBounds(ctx, a.region)
	case a.bbox != "":
		opt.Bounds, err = parseBBox(a.bbox)
	default:
		opt.Bounds, err = svc.Bounds(ctx)
	}
	if err != nil {
		return opt, err
	}
	tj, err := svc.TileJSON(ctx, tiles.OneMap, "", opt.Filter)
	if err != nil {
		return opt, err
	}
	area := offline.AreaFilter(a.region, opt.Bounds)
	totals, err := offline.CountAssets(ctx, as, area)
	if err != nil {
		return opt, err
	}
	names, err := offline.NameAreas(ctx, as, area)
	if err != nil {
		return opt, err
	}
	opt.Metadata = map[string]any{
		"name": tj.Name, "description": tj.Description, "attribution": tj.Attribution, "type": "overlay",
		"vector_layers": tj.VectorLayers, "data_version": tj.DataVersion, "region": a.region,
		"exported_at": time.Now().UTC().Format(time.RFC3339), "totals": totals, "names": names,
	}
	return opt, nil
}

// progressPrinter reports an export's progress at most once per interval, and at its end.
func progressPrinter(w io.Writer, every time.Duration) func(offline.Progress) {
	var last time.Duration
	return func(p offline.Progress) {
		if p.Done < p.Total && p.Elapsed-last < every {
			return
		}
		last = p.Elapsed
		fmt.Fprintf(w, "tiles: zoom %d, %d/%d (%d%%), %s\n", p.Zoom, p.Done, p.Total, p.Done*100/max(p.Total, 1), p.Elapsed.Round(time.Second))
	}
}
