package tiles

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// versionSQL reads the data version: migrations/011_data_version.sql raises it at every commit
// that changes assets, zones, regions or the land overview, in commit order. With it comes the
// primary's write-ahead log position, which holds every commit up to that version (replica.go).
const versionSQL = `SELECT max(version), (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint FROM data_versions`

// noticeWait bounds how long a request naming a version this instance has not heard of yet waits
// for its notices, before it drops every cached tile instead.
const noticeWait = 2 * time.Second

// versions is the data version this instance knows and who wants to hear of the next one.
type versions struct {
	mu    sync.Mutex
	known int64
	subs  map[chan int64]struct{}
	// floor is the primary's write-ahead log position when the version was last read: tiles are
	// rendered only from a replica that has replayed it (replica.go).
	floor atomic.Uint64
	// watching is set while Watch listens: versions then arrive with their notices, after the
	// tiles they changed were dropped.
	watching bool
	// next is closed and replaced at every newer version (for waiters).
	next chan struct{}
}

// Version is the data version this instance has seen, read from the database the first time.
// Watch keeps it current; SyncVersion reads it afresh.
func (s *Service) Version(ctx context.Context) (int64, error) {
	s.ver.mu.Lock()
	v := s.ver.known
	s.ver.mu.Unlock()
	if v > 0 {
		return v, nil
	}
	return s.SyncVersion(ctx)
}

// SyncVersion reads the data version from the database. A newer one than known was not announced
// by notices this instance has seen, so it cannot tell which tiles changed: it first drops every
// cached tile, so that no tile rendered before it is ever served as belonging to it. The render
// floor is raised before, so that no tile cached after the drop comes from a replica that has not
// replayed the change.
func (s *Service) SyncVersion(ctx context.Context) (int64, error) {
	var v, lsn int64
	if err := s.pool.QueryRow(ctx, versionSQL).Scan(&v, &lsn); err != nil {
		return 0, fmt.Errorf("tiles: data version: %w", err)
	}
	s.raiseFloor(uint64(lsn))
	return s.advance(v, true), nil
}

// advance makes v the known version when it is newer, dropping every cached tile first when purge
// is set (Watch, which heard the notices of v, drops precisely and does not); it returns the
// known version and announces a newer one to the subscribers.
func (s *Service) advance(v int64, purge bool) int64 {
	s.ver.mu.Lock()
	defer s.ver.mu.Unlock()
	if v <= s.ver.known {
		return s.ver.known
	}
	if purge {
		s.Invalidate()
	}
	s.ver.known = v
	if s.ver.next != nil {
		close(s.ver.next)
		s.ver.next = nil
	}
	for ch := range s.ver.subs {
		select { // keep only the newest version for a slow subscriber
		case <-ch:
		default:
		}
		ch <- v
	}
	return v
}

// listening records whether Watch hears the notices.
func (s *Service) listening(on bool) {
	s.ver.mu.Lock()
	s.ver.watching = on
	s.ver.mu.Unlock()
}

// awaitVersion waits, while Watch listens, until version want is known or noticeWait passes; it
// tells whether want is known.
func (s *Service) awaitVersion(ctx context.Context, want int64) bool {
	timer := time.NewTimer(noticeWait)
	defer timer.Stop()
	for {
		s.ver.mu.Lock()
		known, watching := s.ver.known >= want, s.ver.watching
		if s.ver.next == nil {
			s.ver.next = make(chan struct{})
		}
		next := s.ver.next
		s.ver.mu.Unlock()
		if known || !watching {
			return known
		}
		select {
		case <-next:
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

// Subscribe returns a channel that receives each newer data version (a slow reader gets only the
// newest) and a function ending the subscription.
func (s *Service) Subscribe() (<-chan int64, func()) {
	ch := make(chan int64, 1)
	s.ver.mu.Lock()
	if s.ver.subs == nil {
		s.ver.subs = map[chan int64]struct{}{}
	}
	s.ver.subs[ch] = struct{}{}
	s.ver.mu.Unlock()
	return ch, func() {
		s.ver.mu.Lock()
		delete(s.ver.subs, ch)
		s.ver.mu.Unlock()
	}
}

// Freshness tells how a tile requested under data version param v (the ?v= of its URL) may be
// cached: Versioned when v is the current version (the tile never changes under that URL), Stale
// when v is absent, malformed or another version (the answer holds the current data, so it must
// not be kept under that URL). A v newer than this instance knows (another instance heard of the
// commit first) waits for this instance's notices of it, bounded, and else reads the version
// afresh, dropping every cached tile.
func (s *Service) Freshness(ctx context.Context, param string) (Freshness, error) {
	if param == "" {
		return Unversioned, nil
	}
	want, err := strconv.ParseInt(param, 10, 64)
	if err != nil || want <= 0 {
		return Stale, nil
	}
	v, err := s.Version(ctx)
	if err == nil && want > v {
		if s.awaitVersion(ctx, want) {
			v, err = s.Version(ctx)
		} else {
			v, err = s.SyncVersion(ctx)
		}
	}
	if err != nil {
		return Stale, err
	}
	if want == v {
		return Versioned, nil
	}
	return Stale, nil
}

// Freshness is how long a tile answer may be kept (see Service.Freshness).
type Freshness int

// The freshness of a tile answer.
const (
	// Unversioned: a URL without ?v=, kept a short while and revalidated by ETag.
	Unversioned Freshness = iota
	// Versioned: ?v= names the current version; the answer never changes under that URL.
	Versioned
	// Stale: ?v= names another version; the answer holds the current data, not to be stored.
	Stale
)
