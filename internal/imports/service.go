// Package imports brings survey data into OneMap: zipped Shapefiles, GeoPackages, KML, GeoJSON
// (read by GDAL), CSV and XLSX ledgers with coordinate or WKT columns, and 勘测定界 coordinate
// TXT files (read here). It recognises the source CRS (CGCS2000 and its Gauss-Krüger zones),
// maps source fields to asset fields, lets PostGIS transform and repair geometry, and writes
// every run through assets.Service in one transaction, recorded in the imports table.
package imports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/geo"
	"github.com/onemap/onemap/internal/problem"
)

// Service starts import runs and reads their records.
type Service struct {
	pool   *pgxpool.Pool
	assets *assets.Service
	limits Limits
	logger *slog.Logger
	jobs   sync.WaitGroup
}

// NewService returns a Service writing through as within limits; logger may be nil.
func NewService(pool *pgxpool.Pool, as *assets.Service, limits Limits, logger *slog.Logger) *Service {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Service{pool: pool, assets: as, limits: limits, logger: logger}
}

func (s *Service) log(msg string, args ...any) { s.logger.Warn(msg, args...) }

// Options are what one import is asked to do.
type Options struct {
	// FileName is the file's own name; its extension helps tell the format.
	FileName   string  `json:"file_name"`
	Kind       string  `json:"kind,omitempty"`
	SRS        string  `json:"srs,omitempty"`
	Encoding   string  `json:"encoding,omitempty"`
	DryRun     bool    `json:"dry_run"`
	OnConflict string  `json:"on_conflict"`
	Mapping    Mapping `json:"mapping,omitempty"`
	Actor      string  `json:"-"`
	// UserID is the account that started the run (0: none, e.g. the command line).
	UserID int64 `json:"-"`
	// Region, when set, is the region an analyst is scoped to: rows lying elsewhere (by their
	// geometry), naming another region or taking over an asset lying elsewhere are rejected
	// in the report, each with its reason.
	Region string `json:"region,omitempty"`
	// RemoveFile hands the file to the run, which deletes it when it ends.
	RemoveFile bool `json:"-"`
	// Progress, when set, is called as the run advances (the command line draws a bar).
	Progress func(Report) `json:"-"`
}

// Check validates the options a user gave (400 naming the parameter).
func (o *Options) Check() error {
	if err := o.checkText(); err != nil {
		return err
	}
	switch o.OnConflict {
	case "":
		o.OnConflict = string(assets.ConflictSkip)
	case string(assets.ConflictSkip), string(assets.ConflictUpdate):
	default:
		return problem.Invalid("on_conflict", "%q is not update or skip", o.OnConflict)
	}
	if o.SRS != "" {
		if _, err := geo.ParseSRS(o.SRS); err != nil {
			return problem.Unprocessable("srs", "%v", err)
		}
	}
	if _, _, err := textEncoding(o.Encoding); err != nil {
		return problem.Invalid("encoding", "%v", err)
	}
	_, err := newMapper(o.Mapping, o.Kind, nil)
	return err
}

func (o *Options) conflict() assets.Conflict { return assets.Conflict(o.OnConflict) }

// Run is a started import; Done closes when it ends.
type Run struct {
	ID     int64
	done   chan struct{}
	report Report
	err    error
}

// Done is closed when the run has ended.
func (r *Run) Done() <-chan struct{} { return r.done }

// Result returns the final report and the error that failed the run, once Done is closed.
func (r *Run) Result() (Report, error) { return r.report, r.err }

// Start records the run, opens and checks the file at path (format, encoding, CRS, row limit)
// and, when that succeeds, goes on in the background under ctx. A failure of those checks is
// returned (and recorded); later failures are in the Run's result and the record.
func (s *Service) Start(ctx context.Context, path string, o Options) (*Run, error) {
	if err := o.Check(); err != nil {
		s.discard(path, o)
		return nil, err
	}
	upload := ""
	if o.RemoveFile {
		upload = path
	}
	rep, err := createRun(ctx, s.pool, o, upload)
	if err != nil {
		s.discard(path, o)
		return nil, err
	}
	j, cleanup, err := s.prepare(ctx, path, o, rep)
	if err != nil {
		cleanup()
		s.fail(ctx, &j.rep, err)
		return nil, fmt.Errorf("import %d: %w", rep.ID, err)
	}
	run := &Run{ID: rep.ID, done: make(chan struct{})}
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		defer close(run.done)
		defer cleanup()
		run.err = j.run(ctx)
		if run.err != nil {
			s.fail(ctx, &j.rep, run.err)
		}
		run.report = j.rep
	}()
	return run, nil
}

// Import runs an import to its end.
func (s *Service) Import(ctx context.Context, path string, o Options) (Report, error) {
	run, err := s.Start(ctx, path, o)
	if err != nil {
		return Report{}, err
	}
	<-run.Done()
	return run.Result()
}

// Wait blocks until every started run has ended (for a graceful shutdown).
func (s *Service) Wait() { s.jobs.Wait() }

// Get returns one run with its per-row report.
func (s *Service) Get(ctx context.Context, id int64) (Report, error) { return getRun(ctx, s.pool, id) }

// List returns runs newest first, without per-row reports.
func (s *Service) List(ctx context.Context, limit, offset int) ([]Report, error) {
	return listRuns(ctx, s.pool, limit, offset)
}

// prepare opens the source and resolves everything a run needs before it reads a row.
func (s *Service) prepare(ctx context.Context, path string, o Options, rep Report) (*job, func(), error) {
	j := &job{s: s, opts: o, rep: rep, seen: map[uint64]int32{}}
	scratch, err := os.MkdirTemp("", "onemap-import-")
	if err != nil {
		return j, func() { s.discard(path, o) }, fmt.Errorf("imports: %w", err)
	}
	if err := addTempPath(ctx, s.pool, rep.ID, scratch); err != nil {
		_ = os.RemoveAll(scratch) // empty yet
		return j, func() { s.discard(path, o) }, err
	}
	cleanup := func() {
		if j.src != nil {
			j.src.Close()
		}
		_ = os.RemoveAll(scratch) // a leftover temp dir is harmless
		s.discard(path, o)
	}
	if j.src, err = Open(path, o.FileName, o.Encoding, scratch, s.limits); err != nil {
		return j, cleanup, err
	}
	j.rep.Format, j.rep.Encoding = j.src.Format, &j.src.Encoding
	total, known := j.src.Count()
	if known {
		j.rep.RowsTotal = &total
	}
	if err := s.limits.CheckRows(total); err != nil {
		return j, cleanup, err
	}
	if j.crs, err = resolveCRS(j.src.Layers, o.SRS, &j.rep); err != nil {
		return j, cleanup, err
	}
	labels := crsLabels(j.crs)
	j.rep.SourceCRS = &labels
	j.mapper, err = newMapper(o.Mapping, o.Kind, j.src.Layers)
	return j, cleanup, err
}

// discard deletes a file handed to the run.
func (s *Service) discard(path string, o Options) {
	if o.RemoveFile {
		_ = os.Remove(path) // already gone is fine
	}
}

// fail records a failed run; its data was rolled back. The record (which users read) says
// what went wrong in their terms; anything else goes to the log.
func (s *Service) fail(ctx context.Context, r *Report, cause error) {
	msg := failureText(cause)
	if msg == internalFailure {
		s.logger.Error("import failed", "id", r.ID, "err", cause)
	}
	r.Status, r.Phase, r.Error = StatusFailed, PhaseFinished, &msg
	r.RowsWritten, r.RowsInserted, r.RowsUpdated = 0, 0, 0
	if err := save(context.WithoutCancel(ctx), s.pool, r); err != nil {
		s.log("imports: record failure", "id", r.ID, "err", err)
	}
}

// internalFailure is what the record of a run says when the failure was none of the user's.
const internalFailure = "internal error; see the server log"

// failureText says why a run failed in the user's terms: a problem's own text, a database error
// mapped to the user's terms, or internalFailure (PostgreSQL, GDAL and file-system messages name
// tables, constraints and temporary paths, which are for the log).
func failureText(cause error) string {
	var pe *problem.Error
	switch {
	case errors.Is(cause, context.Canceled):
		return "cancelled: the server stopped or the client went away"
	case errors.As(cause, &pe):
		return problem.Scrub(pe.Error())
	case db.UserProblem(cause) != nil:
		return db.UserProblem(cause).Error()
	case problem.Status(cause) < 500:
		return http.StatusText(problem.Status(cause))
	}
	return internalFailure
}

// checkText refuses option text PostgreSQL cannot store (the run's record keeps it): invalid
// UTF-8 or a NUL character, in the file's name or any option.
func (o *Options) checkText() error {
	fields := map[string]string{
		"file": o.FileName, "kind": o.Kind, "srs": o.SRS, "encoding": o.Encoding, "on_conflict": o.OnConflict,
	}
	for k, v := range o.Mapping {
		fields["mapping"] += k + v
	}
	for _, name := range []string{"file", "kind", "srs", "encoding", "on_conflict", "mapping"} {
		if _, reason := badText(map[string]string{name: fields[name]}); reason != "" {
			return problem.Invalid(name, "is not valid UTF-8 text without NUL characters")
		}
	}
	return nil
}
