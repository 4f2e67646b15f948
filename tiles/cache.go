package tiles

import (
	"container/list"
	"sync"
)

// entryOverhead approximates what an entry costs beyond its bytes (key, list element, map slot).
const entryOverhead = 256

// cache is a least-recently-used map of rendered tiles bounded by their total size in bytes.
type cache struct {
	mu    sync.Mutex
	limit int
	used  int
	order *list.List // front: most recently used; values are *cacheEntry
	items map[string]*list.Element
}

type cacheEntry struct {
	key  string
	tile *Tile
	cost int
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
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).tile, true
}

// add stores t under key, evicting the least recently used tiles beyond the limit. A tile larger
// than a quarter of the cache is not kept: it would flush everything else.
func (c *cache) add(key string, t *Tile) {
	if c == nil {
		return
	}
	// A gzipped copy is made on demand and kept with the tile: count it at about half the size.
	cost := len(key) + len(t.Data)*3/2 + entryOverhead
	if cost > c.limit/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.removeElement(el)
	}
	c.items[key] = c.order.PushFront(&cacheEntry{key: key, tile: t, cost: cost})
	c.used += cost
	for c.used > c.limit {
		c.removeElement(c.order.Back())
	}
}

// purge empties the cache.
func (c *cache) purge() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.items)
	c.used = 0
}

// len counts the tiles held.
func (c *cache) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *cache) removeElement(el *list.Element) {
	e := c.order.Remove(el).(*cacheEntry)
	delete(c.items, e.key)
	c.used -= e.cost
}
