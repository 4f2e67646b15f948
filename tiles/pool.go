package tiles

import "net/url"

// PoolURL returns the database URL for a connection pool of tiles' own. Its sessions turn off
// parallel query and JIT: a tile statement runs in milliseconds, and forking workers or
// compiling it costs more than it saves while eight clients already keep every core busy. They
// also keep one generic plan per prepared tile statement rather than planning each tile anew:
// every tile statement finds its rows through one index whatever z, x and y are. A separate pool
// also keeps a burst of tile requests from starving the rest of the API. A URL that does not
// parse is returned as it is.
func PoolURL(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil || u.Scheme == "" {
		return dbURL
	}
	q := u.Query()
	q.Set("max_parallel_workers_per_gather", "0")
	q.Set("jit", "off")
	q.Set("plan_cache_mode", "force_generic_plan")
	u.RawQuery = q.Encode()
	return u.String()
}
