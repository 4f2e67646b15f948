package tiles

import (
	"container/list"
	"sync"
)

// entryOverhead approximates what an entry costs beyond its bytes (key, list element, map slot).
const entryOverhead = 256

// dropLog is how many recent drops the cache remembers for renders still under way.
const dropLog = 64

// cache is a least-recently-used map of rendered tiles bounded by their total size in bytes
// (gzipped, the one encoding kept). Tiles are dropped by where they lie (drop), not all at once:
// a write forgets only the tiles it reaches.
type cache struct {
	mu    sync.Mutex
	limit int
	used  int
	order *list.List // front: most recently used; values are *cacheEntry
	items map[string]*list.Element
	// gen counts drops; drops holds the last ones, oldest first, so that a tile whose render began
	// before a drop that reaches it is not kept (it may hold the data the drop was about).
	gen          uint64
	drops        []drop
	hits, misses uint64
	dropped      uint64
}

type cacheEntry struct {
	key  string
	at   tileAddr
	tile *Tile
	cost int
}

// tileAddr is where a cached tile lies: its layer and tile (the filters aside).
type tileAddr struct {
	layer Layer
	id    TileID
}

// drop is one invalidation: reach tells the tiles it forgot; nil reaches every tile.
type drop struct {
	gen   uint64
	reach func(tileAddr) bool
}

// CacheStats describe the tile cache for /metrics.
type CacheStats struct {
	// Entries and Bytes are what the cache holds (bytes as counted against Limit).
	Entries, Bytes, Limit int
	// Hits and Misses count lookups since start; Dropped the tiles writes reached.
	Hits, Misses, Dropped uint64
}

// newCache returns a cache holding at most limit bytes; nil when limit is 0 (no caching).
func newCache(limit int) *cache {
	if limit <= 0 {
		return nil
	}
	return &cache{limit: limit, order: list.New(), items: map[string]*list.Element{}}
}

// get returns the tile under key and marks it recently used.
func (c *cache) get(key string) (*Tile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		c.misses++
		return nil, false
	}
	c.hits++
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).tile, true
}

// generation is the count of drops so far: a render notes it before it starts (see add).
func (c *cache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// add stores t under key, evicting the least recently used tiles beyond the limit, unless a drop
// since generation since reaches it. A tile larger than a quarter of the cache is not kept: it
// would flush everything else.
func (c *cache) add(key string, at tileAddr, t *Tile, since uint64) {
	cost := len(key) + len(t.gz) + entryOverhead
	if cost > c.limit/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.droppedSince(at, since) {
		return
	}
	if el, ok := c.items[key]; ok {
		c.removeElement(el)
	}
	c.items[key] = c.order.PushFront(&cacheEntry{key: key, at: at, tile: t, cost: cost})
	c.used += cost
	for c.used > c.limit {
		c.removeElement(c.order.Back())
	}
}

// droppedSince tells whether a drop after generation since reaches at, or may have (the log no
// longer goes back that far).
func (c *cache) droppedSince(at tileAddr, since uint64) bool {
	if since == c.gen {
		return false
	}
	if len(c.drops) == 0 || c.drops[0].gen > since+1 {
		return true
	}
	for _, d := range c.drops {
		if d.gen > since && (d.reach == nil || d.reach(at)) {
			return true
		}
	}
	return false
}

// drop forgets the tiles reach tells (every tile when reach is nil) and logs the drop for the
// renders under way; it returns how many tiles went.
func (c *cache) drop(reach func(tileAddr) bool) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.drops = append(c.drops, drop{gen: c.gen, reach: reach})
	if len(c.drops) > dropLog {
		c.drops = append(c.drops[:0], c.drops[len(c.drops)-dropLog:]...)
	}
	n := len(c.items)
	if reach == nil {
		c.order.Init()
		clear(c.items)
		c.used = 0
	}
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		if reach(el.Value.(*cacheEntry).at) {
			c.removeElement(el)
		}
		el = next
	}
	n -= len(c.items)
	c.dropped += uint64(n)
	return n
}

// stats reads the figures for /metrics.
func (c *cache) stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return CacheStats{Entries: len(c.items), Bytes: c.used, Limit: c.limit, Hits: c.hits, Misses: c.misses, Dropped: c.dropped}
}

func (c *cache) removeElement(el *list.Element) {
	e := c.order.Remove(el).(*cacheEntry)
	delete(c.items, e.key)
	c.used -= e.cost
}
