package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/tiles"
)

// probeEvery is how often each read replica is asked how far it has replayed (and, when out of
// service, whether it is back).
const probeEvery = time.Second

// replicas are the read replicas of ONEMAP_READ_DATABASE_URL: for each, a pool for requests and
// one for tiles, sized as the primary's; and what requests and tiles read through: db.Reads over
// them, or without replicas the primary's pools themselves.
type replicas struct {
	requests, tiles db.Querier
	// reads are the db.Reads by pool name, for /metrics (none without replicas).
	reads    map[string]*db.Reads
	standbys []*db.Standby
	pools    []*pgxpool.Pool
	// bound is how the probes measure and bound the replicas' lag (ONEMAP_READ_MAX_LAG).
	bound db.LagBound
}

// openReplicas opens the replicas' pools without waiting for them: one that is down at start is
// only out of service until it answers.
func openReplicas(ctx context.Context, cfg config.Config, log *slog.Logger, pool, tilePool *pgxpool.Pool) (*replicas, error) {
	r := &replicas{requests: pool, tiles: tilePool, bound: db.LagBound{Primary: pool, Max: cfg.ReadMaxLag}}
	if len(cfg.ReadDatabaseURLs) == 0 {
		return r, nil
	}
	requests, tileConns := cfg.PoolSizes()
	var reqRoutes, tileRoutes []db.Route
	for _, url := range cfg.ReadDatabaseURLs {
		rp, err := db.OpenLazy(ctx, url, db.MaxConns(requests))
		if err != nil {
			r.Close()
			return nil, err
		}
		r.pools = append(r.pools, rp)
		tp, err := db.OpenLazy(ctx, tiles.PoolURL(url), db.MaxConns(tileConns))
		if err != nil {
			r.Close()
			return nil, err
		}
		r.pools = append(r.pools, tp)
		st := db.NewStandby(db.StandbyName(url), rp, log)
		r.standbys = append(r.standbys, st)
		reqRoutes = append(reqRoutes, db.Route{Standby: st, Pool: rp})
		tileRoutes = append(tileRoutes, db.Route{Standby: st, Pool: tp})
	}
	rr, tr := db.NewReads(pool, cfg.ReadWait, reqRoutes...), db.NewReads(tilePool, cfg.ReadWait, tileRoutes...)
	r.requests, r.tiles, r.reads = rr, tr, map[string]*db.Reads{"requests": rr, "tiles": tr}
	return r, nil
}

// run probes every replica, and measures its lag, until ctx ends.
func (r *replicas) run(ctx context.Context) {
	for _, st := range r.standbys {
		go st.Run(ctx, probeEvery, r.bound)
	}
}

// Close closes the replicas' pools.
func (r *replicas) Close() {
	for _, p := range r.pools {
		p.Close()
	}
}
