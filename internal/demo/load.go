package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db"
)

// Actor is the name the demo's asset events carry; --replace finds the demo's assets by it.
const Actor = "onemap demo"

// LoadOptions says how to write a city.
type LoadOptions struct {
	// Batch is how many assets go to the database per InsertTx call (25,000 when 0).
	Batch int
	// Replace removes the assets a previous demo load made before writing.
	Replace bool
	// Progress, when set, hears after each batch how many assets are written of how many.
	Progress func(written, total int)
	// IndexAfter: when the asset table starts empty and the city has at least this many
	// parcels, the asset indexes are built once after the load instead of row by row during it
	// (100,000 when 0; negative: never).
	IndexAfter int
}

// Summary is what Load wrote and how long it took.
type Summary struct {
	Removed int64
	Regions int
	Zones   int
	Targets int
	Tally   *Tally
	// History is what the ledger history holds (projects, reports, leases…).
	History HistorySummary
	Elapsed time.Duration
}

// Load writes city in one transaction: regions, zones, the other assets, the parcels in batches,
// the ledger history built from them (units, projects, reports, leases), then the targets; it
// refreshes the planner statistics afterwards. Nothing is written unless all of it is.
func Load(ctx context.Context, pool db.Beginner, svc *assets.Service, city *City, opts LoadOptions) (Summary, error) {
	start := time.Now()
	if opts.Batch <= 0 {
		opts.Batch = 25_000
	}
	sum := Summary{Tally: NewTally()}
	note := fmt.Sprintf("demo city, seed %d", city.Seed())
	err := db.InTx(ctx, pool, func(tx db.Tx) error {
		if opts.Replace {
			if err := remove(ctx, tx, svc, "replaced by a new "+note, &sum); err != nil {
				return err
			}
		}
		if err := writePlaces(ctx, tx, svc, city, &sum); err != nil {
			return err
		}
		roster := NewRoster(city)
		write := func() error { return writeAssets(ctx, tx, svc, city, opts, note, sum.Tally, roster) }
		bulk, err := indexAfter(ctx, tx, svc, city, opts)
		if err != nil {
			return err
		}
		if bulk {
			err = svc.WithoutIndexes(ctx, tx, write)
		} else {
			err = write()
		}
		if err != nil {
			return err
		}
		benefits, err := loadHistory(ctx, tx, city, roster, &sum)
		if err != nil {
			return err
		}
		return writeTargets(ctx, tx, svc, append(sum.Tally.Targets(city.Regions), benefits...), &sum)
	})
	if err != nil {
		return sum, err
	}
	if err := svc.Analyze(ctx); err != nil {
		return sum, err
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// remove takes away an earlier demo load: its ledger history first, then its assets.
func remove(ctx context.Context, tx db.Tx, svc *assets.Service, note string, sum *Summary) error {
	n, err := removeHistory(ctx, tx, note)
	if err != nil {
		return err
	}
	sum.History.RemovedProjects = n
	sum.Removed, err = svc.RemoveCreatedBy(ctx, tx, Actor, note)
	return err
}

// loadHistory builds the ledger history from what roster collected and writes it, returning its
// 预期盘活效益 targets for writeTargets.
func loadHistory(ctx context.Context, tx db.Tx, city *City, roster *Roster, sum *Summary) ([]assets.Target, error) {
	h := BuildHistory(city, roster)
	written, err := writeHistory(ctx, tx, h)
	if err != nil {
		return nil, err
	}
	written.RemovedProjects = sum.History.RemovedProjects
	sum.History = written
	return benefitRows(ctx, tx, h.Benefits)
}

// benefitRows are the 预期盘活效益 targets as target rows: the counties', and the city's when
// the database holds the city's region.
func benefitRows(ctx context.Context, tx db.Tx, bs []BenefitTarget) ([]assets.Target, error) {
	city, err := hasCityRegion(ctx, tx)
	if err != nil {
		return nil, err
	}
	var out []assets.Target
	for _, b := range bs {
		if !b.City || city {
			out = append(out, assets.Target{RegionCode: b.RegionCode, Year: b.Year, Metric: "benefit", Target: b.Target})
		}
	}
	return out, nil
}

// indexAfter decides whether to build the asset indexes after the load (see IndexAfter).
func indexAfter(ctx context.Context, tx db.Tx, svc *assets.Service, city *City, opts LoadOptions) (bool, error) {
	limit := opts.IndexAfter
	if limit == 0 {
		limit = 100_000
	}
	if limit < 0 || city.ParcelCount() < limit {
		return false, nil
	}
	return svc.EmptyTx(ctx, tx)
}

// writeAssets writes the other assets, then the parcels batch by batch, counting them in t and
// collecting in ro what the history needs of them.
func writeAssets(ctx context.Context, tx db.Tx, svc *assets.Service, city *City, opts LoadOptions, note string, t *Tally, ro *Roster) error {
	total := len(city.Assets) + city.ParcelCount()
	write := func(list []assets.NewAsset) error {
		if _, err := svc.InsertTx(ctx, tx, Actor, note, 0, list); err != nil {
			return err
		}
		t.Add(list)
		ro.Add(list)
		if opts.Progress != nil {
			opts.Progress(t.Total(), total)
		}
		return nil
	}
	if err := write(city.Assets); err != nil {
		return err
	}
	return city.Parcels(ctx, opts.Batch, write)
}

func writePlaces(ctx context.Context, tx db.Tx, svc *assets.Service, city *City, sum *Summary) error {
	for _, r := range city.Regions {
		if err := svc.UpsertRegion(ctx, tx, r); err != nil {
			return err
		}
	}
	for _, z := range city.Zones {
		if err := svc.UpsertZone(ctx, tx, z); err != nil {
			return err
		}
	}
	sum.Regions, sum.Zones = len(city.Regions), len(city.Zones)
	return nil
}

func writeTargets(ctx context.Context, tx db.Tx, svc *assets.Service, ts []assets.Target, sum *Summary) error {
	for _, t := range ts {
		if err := svc.UpsertTarget(ctx, tx, t); err != nil {
			return err
		}
	}
	sum.Targets = len(ts)
	return nil
}
