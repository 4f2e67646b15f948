package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"strconv"
	"sync"
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
	pool   *pgxpool.Pool
	read   db.Querier // what tiles are rendered from (replica.go)
	stmts  statements
	cache  *cache
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

// Tile is one rendered tile with its size and a validator. A fresh render holds its MVT bytes and
// compresses them only when a client takes gzip; the cache keeps the gzip encoding alone (kept),
// the one encoding a cached tile costs, and inflates it for the rare client without gzip.
type Tile struct {
	// Size is the MVT's length before compression; 0 for an empty tile.
	Size int
	// ETag is a weak validator of the content, shared by its identity and gzip encodings.
	ETag string

	raw    []byte // the MVT bytes of a fresh render; nil in the cache
	gzOnce sync.Once
	gz     []byte
}

// gzipWriters keeps gzip writers for reuse: a new one allocates its compressor's tables (over
// 600 kB at BestSpeed), which for a zoom-16 tile costs more than compressing it.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // a valid level: no error
	return w
}}

// gzipReaders keeps gzip readers for reuse (Data), as gzipWriters does writers.
var gzipReaders sync.Pool

// newTile is a fresh render of the MVT bytes data.
func newTile(data []byte) *Tile {
	return &Tile{Size: len(data), ETag: fmt.Sprintf(`W/"%016x"`, xxhash.Sum64(data)), raw: data}
}

// kept is the tile as the cache holds it: gzipped only.
func (t *Tile) kept() *Tile {
	k := &Tile{Size: t.Size, ETag: t.ETag, gz: t.Gzip()}
	k.gzOnce.Do(func() {})
	return k
}

// Gzip returns the tile gzip-compressed (nil for an empty tile), compressing a fresh render once.
func (t *Tile) Gzip() []byte {
	t.gzOnce.Do(func() {
		if len(t.raw) == 0 {
			return
		}
		var b bytes.Buffer
		b.Grow(len(t.raw)/2 + 64)
		w := gzipWriters.Get().(*gzip.Writer)
		defer gzipWriters.Put(w)
		w.Reset(&b)
		if _, err := w.Write(t.raw); err == nil && w.Close() == nil { // a bytes.Buffer takes every write
			t.gz = b.Bytes()
		}
	})
	return t.gz
}

// Data returns the MVT bytes: a fresh render's own, or a cached tile's inflated afresh for the rare
// client that does not take gzip.
func (t *Tile) Data() ([]byte, error) {
	if t.raw != nil || t.Size == 0 {
		return t.raw, nil
	}
	r, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if r == nil {
		r, err = gzip.NewReader(bytes.NewReader(t.gz))
	} else {
		err = r.Reset(bytes.NewReader(t.gz))
	}
	if err != nil {
		return nil, fmt.Errorf("tiles: gunzip: %w", err)
	}
	defer gzipReaders.Put(r)
	buf := bytes.NewBuffer(make([]byte, 0, t.Size+bytes.MinRead))
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("tiles: gunzip: %w", err)
	}
	return buf.Bytes(), nil
}

// Tile renders (or finds in the cache) the tile t of layer l under filter f.
func (s *Service) Tile(ctx context.Context, l Layer, t TileID, f Filter) (*Tile, error) {
	if err := s.catchUp(ctx); err != nil {
		return nil, err
	}
	if s.cache == nil {
		return s.render(ctx, l, t, f)
	}
	key := string(l) + "/" + t.String() + "?" + f.Query()
	if tile, ok := s.cache.get(key); ok {
		return tile, nil
	}
	// Concurrent misses of one tile render it once; one client going away must not fail the
	// others. A render that began before a drop is not joined after it: the flight carries the
	// generation.
	since := s.cache.generation()
	v, err, _ := s.flight.Do(strconv.FormatUint(since, 10)+"|"+key, func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedRenderTimeout)
		defer cancel()
		tile, err := s.render(rctx, l, t, f)
		if err == nil {
			s.cache.add(key, tileAddr{l, t}, tile.kept(), since)
		}
		return tile, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*Tile), nil
}

// render makes the tile (render.go) and its validator.
func (s *Service) render(ctx context.Context, l Layer, t TileID, f Filter) (*Tile, error) {
	data, err := s.renderData(s.readCtx(ctx), l, t, f)
	if err != nil {
		return nil, fmt.Errorf("tiles: render %s/%s: %w", l, t, err)
	}
	return newTile(data), nil
}

// Invalidate forgets every cached tile; the next requests render afresh.
func (s *Service) Invalidate() {
	if s.cache != nil {
		s.cache.drop(nil)
	}
}

// CacheStats reads the tile cache's size and lookups (zero when caching is off).
func (s *Service) CacheStats() CacheStats {
	if s.cache == nil {
		return CacheStats{}
	}
	return s.cache.stats()
}
