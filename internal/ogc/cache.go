package ogc

import (
	"sync"
	"time"
)

const (
	countTTL     = time.Minute
	countEntries = 1024
)

// countCache remembers recent numberMatched values. When full it starts afresh, which keeps it
// bounded without bookkeeping; a minute-old count is what a paging client sees at worst.
type countCache struct {
	mu sync.Mutex
	m  map[string]countEntry
}

type countEntry struct {
	n  int64
	at time.Time
}

func newCountCache() *countCache { return &countCache{m: map[string]countEntry{}} }

func (c *countCache) get(key string) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || time.Since(e.at) > countTTL {
		return 0, false
	}
	return e.n, true
}

func (c *countCache) put(key string, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= countEntries {
		c.m = map[string]countEntry{}
	}
	c.m[key] = countEntry{n, time.Now()}
}

// clear forgets every count: a write changed what they counted.
func (c *countCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = map[string]countEntry{}
}
