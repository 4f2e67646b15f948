package offline

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"time"

	"github.com/protomaps/go-pmtiles/pmtiles"
	"golang.org/x/sync/errgroup"

	"github.com/onemap/onemap/tiles"
)

// batch is how many tiles are rendered concurrently before they are appended in order.
const batch = 256

// Renderer renders one tile: tiles.Service does.
type Renderer interface {
	Tile(ctx context.Context, l tiles.Layer, t tiles.TileID, f tiles.Filter) (*tiles.Tile, error)
}

// Options say what an export holds.
type Options struct {
	Bounds           [4]float64 // minlon, minlat, maxlon, maxlat
	MinZoom, MaxZoom int
	Filter           tiles.Filter   // as on /tiles (a region's package shows that region's assets)
	Metadata         map[string]any // the archive's JSON metadata (vector_layers, name, …)
	Workers          int            // tiles rendered at once (database connections); 1 when 0
	// Progress, when set, hears after each batch of tiles.
	Progress func(Progress)
}

// Progress is how far an export has come.
type Progress struct {
	Zoom        int // zoom of the last tile done
	Done, Total int // tiles rendered of all planned (empty ones included)
	Elapsed     time.Duration
}

// Summary describes a finished archive.
type Summary struct {
	Header  pmtiles.HeaderV3
	Planned int // tiles rendered, empty ones included
	Elapsed time.Duration
}

// Export renders the composite tile of every zoom and position opt asks for and writes them as a
// PMTiles archive to out (replacing it when whole).
func Export(ctx context.Context, r Renderer, opt Options, out string) (Summary, error) {
	start := time.Now()
	todo, err := plan(opt.Bounds, opt.MinZoom, opt.MaxZoom)
	if err != nil {
		return Summary{}, err
	}
	a, err := newArchive(out)
	if err != nil {
		return Summary{}, err
	}
	for i := 0; i < len(todo); i += batch {
		part := todo[i:min(i+batch, len(todo))]
		if err := renderInto(ctx, r, opt, part, a); err != nil {
			a.discard()
			return Summary{}, err
		}
		if opt.Progress != nil {
			opt.Progress(Progress{Zoom: part[len(part)-1].zxy.Z, Done: i + len(part), Total: len(todo), Elapsed: time.Since(start)})
		}
	}
	h, err := a.finish(out, header(opt), opt.Metadata)
	return Summary{Header: h, Planned: len(todo), Elapsed: time.Since(start)}, err
}

// renderInto renders part concurrently and adds the non-empty tiles to a in order.
func renderInto(ctx context.Context, r Renderer, opt Options, part []planned, a *archive) error {
	out := make([][]byte, len(part))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(opt.Workers, 1))
	for i, p := range part {
		g.Go(func() error {
			t, err := r.Tile(gctx, tiles.OneMap, p.zxy, opt.Filter)
			if err != nil || t.Size == 0 {
				return err
			}
			data, err := t.Data()
			if err == nil {
				out[i], err = compress(data)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("offline: %w", err)
	}
	for i, gz := range out {
		if gz == nil {
			continue
		}
		if err := a.add(part[i].id, gz); err != nil {
			return err
		}
	}
	return nil
}

// compress gzips a tile as small as gzip makes it: the archive is written once and read often.
func compress(data []byte) ([]byte, error) {
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	err = w.Close()
	return b.Bytes(), err
}

// header is the archive header's zooms, bounds and centre (the middle of the bounds, at the
// zoom showing them whole on a screen about 1000 pixels wide, within the archive's zooms).
func header(opt Options) pmtiles.HeaderV3 {
	b := opt.Bounds
	e7 := func(v float64) int32 { return int32(math.Round(v * 1e7)) }
	w := max(b[2]-b[0], b[3]-b[1], 1e-6)
	cz := min(max(int(math.Floor(math.Log2(360*4/w))), opt.MinZoom), opt.MaxZoom)
	return pmtiles.HeaderV3{
		MinZoom: uint8(opt.MinZoom), MaxZoom: uint8(opt.MaxZoom),
		MinLonE7: e7(b[0]), MinLatE7: e7(b[1]), MaxLonE7: e7(b[2]), MaxLatE7: e7(b[3]),
		CenterZoom: uint8(cz), CenterLonE7: e7((b[0] + b[2]) / 2), CenterLatE7: e7((b[1] + b[3]) / 2),
	}
}
