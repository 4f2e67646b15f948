package tiles

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channel is the PostgreSQL notification channel on which triggers announce committed changes to
// assets, zones and regions (JSON: the layers and boxes changed, see invalidate.go), the data
// version of each commit, and Refresh a new overview ("overview": every tile goes).
const Channel = "onemap_tiles"

// WatchOptions tune Watch; zero values take the defaults.
type WatchOptions struct {
	// Quiet is how long writes must pause before a stale overview is rebuilt (default 250 ms;
	// never less than the last rebuild took, so that a large city under a stream of bulk writes
	// is not rebuilt back to back). Other writes patch the overview themselves.
	Quiet time.Duration
	// MaxDelay caps how long a rebuild may wait for writes to pause (default 30 s).
	MaxDelay time.Duration
	// Listening, when set, receives a value each time Watch starts listening (tests wait on it).
	Listening chan<- struct{}
}

func (o WatchOptions) withDefaults() WatchOptions {
	if o.Quiet <= 0 {
		o.Quiet = 250 * time.Millisecond
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 30 * time.Second
	}
	return o
}

// Watch keeps the cache and the land overview current until ctx ends. It listens on Channel:
// every notice drops the cached tiles the change reaches (on every instance, as each runs Watch)
// and each commit's version is learnt after its drops; the one instance holding the leader lock
// also rebuilds the overview once writes pause after a bulk write left it stale, and at start
// when it is stale. A lost connection is retried with backoff, dropping the
// cache since notices may have been missed. Run it in a goroutine of its own.
func (s *Service) Watch(ctx context.Context, log *slog.Logger, opt WatchOptions) {
	opt = opt.withDefaults()
	backoff := time.Second
	down := false // an outage is logged when it starts and when it ends, not at every retry
	resumed := func() {
		if down {
			log.Info("tiles: watch resumed")
		}
		down, backoff = false, time.Second
	}
	for {
		err := s.watch(ctx, log, opt, resumed)
		if ctx.Err() != nil {
			return
		}
		s.Invalidate()
		if !down {
			log.Warn("tiles: watch interrupted; retrying until the database answers", "err", err)
		}
		down = true
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

// watcher is the state of one listening connection.
type watcher struct {
	s      *Service
	log    *slog.Logger
	opt    WatchOptions
	conn   *pgx.Conn
	leader bool
	// first and last notice of writes the overview has not seen yet; zero when none.
	first, last time.Time
	// took is how long the last rebuild took.
	took time.Duration
}

func (s *Service) watch(ctx context.Context, log *slog.Logger, opt WatchOptions, listening func()) error {
	pc, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The listening connection leaves the pool for good: it must not be handed to a query.
	conn := pc.Hijack()
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return err
	}
	listening()
	s.listening(true)
	defer s.listening(false)
	// Notices may have been missed while not listening: learn the data version afresh.
	if _, err := s.SyncVersion(ctx); err != nil {
		return err
	}
	w := &watcher{s: s, log: log, opt: opt, conn: conn}
	if err := w.lead(ctx); err != nil {
		return err
	}
	if opt.Listening != nil {
		select {
		case opt.Listening <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		if err := w.step(ctx); err != nil {
			return err
		}
	}
}

// lead tries to become the instance that rebuilds; a new leader checks the overview at once.
func (w *watcher) lead(ctx context.Context) error {
	if w.leader {
		return nil
	}
	if err := w.conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", leaderLock).Scan(&w.leader); err != nil {
		return err
	}
	if !w.leader {
		return nil
	}
	current, err := w.s.Current(ctx)
	if err != nil {
		return err
	}
	if !current {
		now := time.Now()
		w.first, w.last = now.Add(-w.opt.MaxDelay), now.Add(-w.opt.Quiet)
	}
	return nil
}

// step waits for the next notice or for a due rebuild, whichever comes first.
func (w *watcher) step(ctx context.Context) error {
	wctx, cancel := ctx, context.CancelFunc(func() {})
	if !w.first.IsZero() {
		due := w.last.Add(max(w.opt.Quiet, w.took))
		if limit := w.first.Add(w.opt.MaxDelay); limit.Before(due) {
			due = limit
		}
		wctx, cancel = context.WithDeadline(ctx, due)
	}
	n, err := w.conn.WaitForNotification(wctx)
	cancel()
	switch {
	case err == nil:
		return w.notice(ctx, n.Payload)
	case ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
		return w.rebuild(ctx)
	}
	return err
}

// notice handles one notification: drop the cached tiles it reaches, learn the version it
// announces; a bulk write that left the overview stale makes the rebuild due.
func (w *watcher) notice(ctx context.Context, payload string) error {
	n, known := parseNotice(payload)
	if err := w.s.floorBeforeDrop(ctx, w.conn); err != nil {
		return err
	}
	w.s.apply(n, known)
	if n.Version > 0 {
		w.s.advance(n.Version, false)
	}
	if !n.Stale {
		return nil
	}
	now := time.Now()
	if w.first.IsZero() {
		w.first = now
	}
	w.last = now
	return w.lead(ctx)
}

// rebuild refreshes the overview when this instance leads.
func (w *watcher) rebuild(ctx context.Context) error {
	w.first, w.last = time.Time{}, time.Time{}
	if !w.leader {
		return nil
	}
	start := time.Now()
	if err := w.s.Refresh(ctx); err != nil {
		// Not the connection's fault: report it and try again after the next write.
		w.log.Error("tiles: overview refresh failed", "err", err)
		return nil
	}
	w.took = time.Since(start)
	w.log.Info("tiles: overview refreshed", "took", w.took.Round(time.Millisecond))
	return nil
}
