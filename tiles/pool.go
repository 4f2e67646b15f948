package tiles

import "net/url"

// PoolURL returns the database URL for a connection pool of tiles' own. Its sessions turn off
// parallel query and JIT: a tile statement runs in milliseconds, and forking workers or
// compiling it costs more than it saves while eight clients already keep every core busy. A
// separate pool also keeps a burst of tile requests from starving the rest of the API. A URL
// that does not parse is returned as it is.
func PoolURL(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil || u.Scheme == "" {
		return dbURL
	}
	q := u.Query()
	q.Set("max_parallel_workers_per_gather", "0")
	q.Set("jit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}
