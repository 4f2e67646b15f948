// Package demo generates OneMap's demo city: Xianning (咸宁), its six real counties, nine
// development zones, tens of thousands to millions of land parcels, and its mines, state forest
// farms, lakes, reservoirs and idle institutional buildings, each with a full ledger entry. The
// city is a pure function of a seed (math/rand/v2 PCG streams, dates relative to a fixed ledger
// date), and Load writes it through assets.Service.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/onemap/onemap/internal/assets"
)

// Options chooses the city: the random seed and how many land parcels it holds.
type Options struct {
	Seed    uint64
	Parcels int
}

// DefaultParcels is the size of the city `onemap demo` makes unless told otherwise.
const DefaultParcels = 20_000

// City is a generated demo city. Regions, zones and the assets other than land are held in
// full; land parcels are made batch by batch on demand, in Hilbert order of their grid cells, so
// that neighbours on the map are written next to each other.
type City struct {
	Regions []assets.Region
	Zones   []assets.Zone
	// Assets are the mines, forest farms, waters and buildings.
	Assets []assets.NewAsset
	opts   Options
	cells  []parcelCell
	limit  int // most parcels in one cell
	gen    *parcelGen
}

// Streams of the seed, one per part of the city, so changing one part leaves the others be.
const (
	streamZones = iota + 1
	streamObjects
	streamBuildings
)

// Generate builds the city for opts. It fails only if the parcels cannot fit (see MaxParcels).
func Generate(opts Options) (*City, error) {
	if opts.Parcels < 0 {
		return nil, fmt.Errorf("demo: parcels must not be negative, got %d", opts.Parcels)
	}
	counties, err := loadCounties()
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]*county, len(counties))
	for _, c := range counties {
		byCode[c.code] = c
	}
	g := newGrid(counties)
	stream := func(s uint64) *rand.Rand { return rand.New(rand.NewPCG(opts.Seed, s)) }
	zs, err := placeZones(stream(streamZones), g, byCode)
	if err != nil {
		return nil, err
	}
	city := &City{opts: opts, gen: &parcelGen{seed: opts.Seed, g: g, cs: counties, zones: zs}}
	if city.Assets, err = objects(stream(streamObjects), g, byCode); err != nil {
		return nil, err
	}
	bs, err := buildings(stream(streamBuildings), g, counties)
	if err != nil {
		return nil, err
	}
	city.Assets = append(city.Assets, bs...)
	if city.limit, err = densityCap(opts.Parcels, g.parcelCells()); err != nil {
		return nil, err
	}
	city.cells = allocate(g, counties, zs, opts.Parcels, city.limit)
	if n := city.ParcelCount(); n != opts.Parcels {
		return nil, fmt.Errorf("demo: only %d of %d parcels fit (at most %d per km²)", n, opts.Parcels, city.limit)
	}
	for _, c := range counties {
		city.Regions = append(city.Regions, assets.Region{
			Code: c.code, Name: c.name, Level: "county", ParentCode: "421200", Center: c.seat, Geometry: c.shape,
		})
	}
	for _, z := range zs {
		city.Zones = append(city.Zones, z.record())
	}
	return city, nil
}

// objects places the large assets: forests first (they need the most room), then waters and
// mines.
func objects(r *rand.Rand, g *grid, byCode map[string]*county) ([]assets.NewAsset, error) {
	var out []assets.NewAsset
	for _, f := range []func(*rand.Rand, *grid, map[string]*county) ([]assets.NewAsset, error){forests, waters, mines} {
		list, err := f(r, g, byCode)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

// Seed returns the seed the city was made from.
func (c *City) Seed() uint64 { return c.opts.Seed }

// ParcelCount returns how many land parcels Parcels yields.
func (c *City) ParcelCount() int {
	n := 0
	for _, pc := range c.cells {
		n += pc.n
	}
	return n
}

// Parcels calls fn with the land parcels in batches of about size (whole grid cells each, in
// Hilbert order). Batches are generated ahead on another goroutine while fn runs; fn owns each
// batch it is given. It stops at the first error of fn or of ctx.
func (c *City) Parcels(ctx context.Context, size int, fn func([]assets.NewAsset) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan []assets.NewAsset, 1)
	go func() {
		defer close(ready)
		batch := make([]assets.NewAsset, 0, size+c.limit)
		for _, pc := range c.cells {
			batch = c.gen.cell(pc, batch)
			if len(batch) < size {
				continue
			}
			select {
			case ready <- batch:
			case <-ctx.Done():
				return
			}
			batch = make([]assets.NewAsset, 0, size+c.limit)
		}
		if len(batch) > 0 {
			select {
			case ready <- batch:
			case <-ctx.Done():
			}
		}
	}()
	for batch := range ready {
		if err := fn(batch); err != nil {
			cancel() // the generator stops at its next batch
			return err
		}
	}
	return ctx.Err()
}

// Place is the city the demo deployment serves.
var Place = assets.City{Name: "咸宁市", Code: "421200", Level: "city"}
