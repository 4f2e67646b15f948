package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/singleflight"

	"github.com/onemap/onemap/internal/db"
)

// sharedRenderTimeout bounds a render that several requests wait for.
const sharedRenderTimeout = 30 * time.Second

// Options configure a Service.
type Options struct {
	// CacheMB bounds the in-memory tile cache; 0 disables it (every tile is rendered).
	CacheMB int
	// Reads renders the tiles: read replicas (db.Reads); the pool when nil. The data version,
	// the overview and the watch stay on the pool.
	Reads db.Querier
}

// Service renders vector tiles from PostGIS, caches them, keeps the land overview current
// (Refresh, Watch) and describes the layers as TileJSON.
type Service struct {
	pool  *pgxpool.Pool
	read  db.Querier // what tiles are rendered from (replica.go)
	stmts statements
	cache *cache
	// gen counts data changes seen; cache keys carry it, so a tile rendered before a change is
	// never served after it.
	gen    atomic.Uint64
	flight singleflight.Group
	ver    versions
}

// New returns a Service reading through pool.
func New(pool *pgxpool.Pool, opt Options) (*Service, error) {
	st, err := newStatements()
	if err != nil {
		return nil, err
	}
	read := opt.Reads
	if read == nil {
		read = pool
	}
	return &Service{pool: pool, read: read, stmts: st, cache: newCache(opt.CacheMB << 20)}, nil
}

// Tile is one rendered tile: MVT bytes (empty when nothing lies in it) and a validator.
type Tile struct {
	Data []byte
	// ETag is a weak validator of the content, shared by its identity and gzip encodings.
	ETag string

	gzOnce sync.Once
	gz     []byte
	gzErr  error
}

// Gzip returns the tile gzip-compressed, compressing once per tile.
func (t *Tile) Gzip() ([]byte, error) {
	t.gzOnce.Do(func() {
		var b bytes.Buffer
		w, err := gzip.NewWriterLevel(&b, gzip.BestSpeed)
		if err != nil {
			t.gzErr = err
			return
		}
		if _, err := w.Write(t.Data); err != nil {
			t.gzErr = err
			return
		}
		t.gzErr = w.Close()
		t.gz = b.Bytes()
	})
	return t.gz, t.gzErr
}

// Tile renders (or finds in the cache) the tile t of layer l under filter f.
func (s *Service) Tile(ctx context.Context, l Layer, t TileID, f Filter) (*Tile, error) {
	if err := s.catchUp(ctx); err != nil {
		return nil, err
	}
	if s.cache == nil {
		return s.render(ctx, l, t, f)
	}
	key := strconv.FormatUint(s.gen.Load(), 10) + "|" + string(l) + "/" + t.String() + "?" + f.Query()
	if tile, ok := s.cache.get(key); ok {
		return tile, nil
	}
	// Concurrent misses of one tile render it once; one client going away must not fail the others.
	v, err, _ := s.flight.Do(key, func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedRenderTimeout)
		defer cancel()
		tile, err := s.render(rctx, l, t, f)
		if err == nil {
			s.cache.add(key, tile)
		}
		return tile, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*Tile), nil
}

// render runs the layer's statement for the tile.
func (s *Service) render(ctx context.Context, l Layer, t TileID, f Filter) (*Tile, error) {
	sql, args := s.stmts.query(l, t, f)
	var data []byte
	if err := s.read.QueryRow(s.readCtx(ctx), sql, args...).Scan(&data); err != nil {
		return nil, fmt.Errorf("tiles: render %s/%s: %w", l, t, err)
	}
	return &Tile{Data: data, ETag: fmt.Sprintf(`W/"%016x"`, xxhash.Sum64(data))}, nil
}

// Invalidate forgets every cached tile; the next requests render afresh.
func (s *Service) Invalidate() {
	s.gen.Add(1)
	s.cache.purge()
}
