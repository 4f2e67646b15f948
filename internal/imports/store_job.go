package imports

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/geo"
)

// batchSize is how many records go through PostGIS and into assets at a time: large enough for
// COPY to pay, small enough to show progress and bound memory (three batches are held at once,
// one per stage, about 2 kB a record: 20,000 took a 290,000-row import to 240 MB, 10,000 to 180).
const batchSize = 10000

// progressEvery is how often a running import writes its progress.
const progressEvery = 500 * time.Millisecond

// errDryRun rolls a dry run's transaction back after everything was checked (and written only
// to temporary tables: assets.DryWriteTx).
var errDryRun = errors.New("dry run")

// job is one import run: a source, its layers' CRSs, a mapper and the report it fills.
type job struct {
	s      *Service
	opts   Options
	src    *Source
	crs    []geo.CRS
	mapper *mapper
	rep    Report
	// seen holds each kind+code's row, to reject repeats within the file and to name rows in
	// the report of skipped and updated codes.
	seen           map[uint64]int32
	regions, zones map[string]bool
	flushed        time.Time
	// outside counts the rows a dry run found outside the analyst's region, first names one.
	outside int
	first   string
	// kept holds the geometry of the existing assets the batch's centre-only rows name.
	kept map[string]keptGeometry
}

// run is a pipeline of three goroutines: one reads the source, one has PostGIS prepare each
// batch's geometries (on a connection of its own: it writes nothing), one checks and writes the
// batches in the import's single transaction. Reading, preparing and writing thus overlap; the
// channels hold no batch of their own, which keeps three batches in memory, not five.
func (j *job) run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan []Record)
	ready := make(chan preparedBatch)
	j.progress(ctx, PhaseReading, true)
	g.Go(func() error { return j.read(gctx, batches) })
	g.Go(func() error { return j.prepare(gctx, batches, ready) })
	g.Go(func() error { return j.writeAll(gctx, ready) })
	err := g.Wait()
	if errors.Is(err, errDryRun) {
		return save(context.WithoutCancel(ctx), j.s.pool, &j.rep)
	}
	return err
}

// preparedBatch is a batch with its geometries as PostGIS made them, by row.
type preparedBatch struct {
	recs  []Record
	geoms map[int]prepared
}

// prepare runs each batch's geometries through PostGIS.
func (j *job) prepare(ctx context.Context, in <-chan []Record, out chan<- preparedBatch) error {
	defer close(out)
	for b := range in {
		geoms, err := prepareGeometries(ctx, j.s.pool, b, func(r Record) int { return j.crs[r.Layer].SRID }, j.opts.Region)
		if err != nil {
			return err
		}
		select {
		case out <- preparedBatch{b, geoms}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// writeAll writes every batch in one transaction, committed with the run's record unless the
// run is dry or anything upstream failed.
func (j *job) writeAll(ctx context.Context, in <-chan preparedBatch) error {
	return db.InTx(ctx, j.s.pool, func(tx pgx.Tx) error {
		if err := claimRun(ctx, tx, j.rep.ID); err != nil {
			return err
		}
		j.progress(ctx, PhaseReading, true) // only a claimed run leaves the queued phase
		var err error
		if j.regions, j.zones, err = loadCodes(ctx, tx); err != nil {
			return err
		}
		for b := range in {
			if err := j.write(ctx, tx, b); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err // the reader or the preparer failed: roll back
		}
		if err := j.checkRegion(ctx, tx); err != nil {
			return err
		}
		if j.rep.RowsTotal == nil { // counted while read
			n := j.rep.RowsRead
			j.rep.RowsTotal = &n
		}
		j.progress(ctx, PhaseWriting, true) // the last counts, before the commit
		j.rep.Status, j.rep.Phase = StatusDone, PhaseFinished
		if j.opts.DryRun {
			return errDryRun
		}
		return save(ctx, tx, &j.rep)
	})
}

// write checks one batch and writes what passes.
func (j *job) write(ctx context.Context, tx pgx.Tx, b preparedBatch) error {
	list := make([]assets.NewAsset, 0, len(b.recs))
	var columns []string
	var err error
	if j.kept, err = j.keptGeometries(ctx, tx, b.recs); err != nil {
		return err
	}
	for _, r := range b.recs {
		j.rep.RowsRead++
		m, ok := j.check(r, b.geoms[r.Row])
		if !ok {
			continue
		}
		list = append(list, m.asset)
		for _, c := range m.columns {
			columns = appendOnce(columns, c)
		}
	}
	j.progress(ctx, PhaseWriting, false)
	list, err = j.keepOwnCodes(ctx, tx, list)
	if err != nil || len(list) == 0 {
		return err
	}
	res, err := j.writeBatch(ctx, tx, list, columns)
	if err != nil {
		return err
	}
	j.tally(list, res)
	j.progress(ctx, PhaseWriting, false)
	return nil
}

// writeBatch writes one batch, or for a dry run tells what writing it would do.
func (j *job) writeBatch(ctx context.Context, tx pgx.Tx, list []assets.NewAsset, columns []string) (assets.WriteResult, error) {
	if !j.opts.DryRun {
		return j.s.assets.WriteTx(ctx, tx, j.opts.Actor, "import "+j.opts.FileName, j.rep.ID, list, j.opts.conflict(), columns)
	}
	res, err := j.s.assets.DryWriteTx(ctx, tx, j.rep.ID, list, j.opts.conflict(), columns)
	if err != nil || j.opts.Region == "" {
		return res, err
	}
	n, first, err := j.s.assets.StagedOutside(ctx, tx, j.opts.Region, j.opts.conflict())
	if j.outside == 0 {
		j.first = first
	}
	j.outside += n
	return res, err
}

// checkRegion refuses a run of a region-scoped analyst that writes (or, dry, would write) any
// asset outside that region.
func (j *job) checkRegion(ctx context.Context, tx pgx.Tx) error {
	if !j.opts.DryRun {
		return outsideRegion(ctx, tx, j.rep.ID, j.opts.Region)
	}
	if j.outside > 0 {
		return regionError(j.outside, j.first, j.opts.Region)
	}
	return nil
}
