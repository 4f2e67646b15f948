package tiles

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
)

// versionSQL reads the data version: migrations/011_data_version.sql raises it at every commit
// that changes assets, zones, regions or the land overview, in commit order. With it comes the
// primary's write-ahead log position, which holds every commit up to that version (replica.go).
const versionSQL = `SELECT max(version), (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint FROM data_versions`

// versions is the data version this instance knows and who wants to hear of the next one.
type versions struct {
	mu    sync.Mutex
	known int64
	subs  map[chan int64]struct{}
	// floor is the primary's write-ahead log position when the version was last read: tiles are
	// rendered only from a replica that has replayed it (replica.go).
	floor atomic.Uint64
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

// SyncVersion reads the data version from the database. A newer one than known first drops the
// cached tiles, so that no tile rendered before it is ever served as belonging to it, and then is
// announced to the subscribers. The render floor is raised first, so that no tile cached after
// the drop comes from a replica that has not replayed the change.
func (s *Service) SyncVersion(ctx context.Context) (int64, error) {
	var v, lsn int64
	if err := s.pool.QueryRow(ctx, versionSQL).Scan(&v, &lsn); err != nil {
		return 0, fmt.Errorf("tiles: data version: %w", err)
	}
	s.ver.mu.Lock()
	defer s.ver.mu.Unlock()
	s.raiseFloor(uint64(lsn))
	if v <= s.ver.known {
		return s.ver.known, nil
	}
	s.Invalidate()
	s.ver.known = v
	for ch := range s.ver.subs {
		select { // keep only the newest version for a slow subscriber
		case <-ch:
		default:
		}
		ch <- v
	}
	return v, nil
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
// not be kept under that URL). A v newer than this instance knows makes it read the version afresh
// first (another instance may have seen a commit this one has not heard of yet).
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
		v, err = s.SyncVersion(ctx)
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
