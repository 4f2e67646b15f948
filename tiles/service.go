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

// Tile is one rendered tile, kept gzip-compressed (the one encoding a cached tile costs), with
// its size and a validator.
type Tile struct {
	// Size is the MVT's length before compression; 0 for an empty tile.
	Size int
	// ETag is a weak validator of the content, shared by its identity and gzip encodings.
	ETag string

	gz []byte
}

// gzipWriters keeps gzip writers for reuse: a new one allocates its compressor's tables (over
// 600 kB at BestSpeed), which for a zoom-16 tile costs more than compressing it.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // a valid level: no error
	return w
}}

// gzipReaders keeps gzip readers for reuse (Data), as gzipWriters does writers.
var gzipReaders sync.Pool

// newTile compresses the MVT bytes data.
func newTile(data []byte) (*Tile, error) {
	t := &Tile{Size: len(data), ETag: fmt.Sprintf(`W/"%016x"`, xxhash.Sum64(data))}
	if len(data) == 0 {
		return t, nil
	}
	var b bytes.Buffer
	b.Grow(len(data)/2 + 64)
	w := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(w)
	w.Reset(&b)
	_, err := w.Write(data)
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("tiles: gzip: %w", err)
	}
	t.gz = b.Bytes()
	return t, nil
}

// Gzip returns the tile gzip-compressed (nil for an empty tile).
func (t *Tile) Gzip() []byte { return t.gz }

// Data returns the MVT bytes, inflated afresh for the rare client that does not take gzip.
func (t *Tile) Data() ([]byte, error) {
	if len(t.gz) == 0 {
		return nil, nil
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
			s.cache.add(key, tileAddr{l, t}, tile, since)
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
	return newTile(data)
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
