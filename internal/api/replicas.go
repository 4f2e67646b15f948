package api

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/tiles"
)

// replicaReads lets every GET and HEAD read from a streaming replica (ONEMAP_READ_DATABASE_URL)
// once it has replayed the signed-in user's last write and every change this instance has
// announced (the tiles' floor: a page refreshing its lists on a new data version gets that
// version's data); other methods read where they write, on the primary. After a write that
// succeeded, it notes on the user's token where the primary's write-ahead log stands, so that the
// user's next reads see the write on every server instance.
func replicaReads(svc *auth.Service, ts *tiles.Service, log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		if !unsafeMethod(c.Method()) {
			var lsn db.LSN
			if u != nil {
				lsn = db.LSN(u.WriteLSN)
			}
			if ts != nil {
				lsn = max(lsn, ts.Floor())
			}
			c.SetUserContext(db.ReplicaRead(c.UserContext(), lsn))
			return c.Next()
		}
		if err := c.Next(); err != nil || u == nil || c.Response().StatusCode() >= 300 {
			return err
		}
		// The write has committed: failing to note it must not report it failed (the user's
		// reads may then lag behind it until the replicas catch up).
		if _, err := svc.NoteWrite(c.UserContext(), u.TokenID); err != nil {
			log.Warn("read replicas: could not note a write's position; the writer's reads may lag", "err", err)
		}
		return nil
	}
}

// replicaCollector reports the read replicas in /metrics: each standby's service state, how often
// it changed, how far it has replayed and how far it lags, and where the reads of each pool went.
type replicaCollector struct {
	reads                          map[string]*db.Reads
	up, changes, replayed, lag, to *prometheus.Desc
}

// WatchReads adds the read replicas behind reads (by pool name: requests, tiles) to /metrics.
func (m *Metrics) WatchReads(reads map[string]*db.Reads) {
	m.reg.MustRegister(&replicaCollector{
		reads: reads,
		up:    prometheus.NewDesc("onemap_db_replica_up", "Whether a read replica is in service (1) or its reads go elsewhere (0).", []string{"replica"}, nil),
		changes: prometheus.NewDesc("onemap_db_replica_state_changes_total",
			"Times a read replica went out of or back into service.", []string{"replica"}, nil),
		replayed: prometheus.NewDesc("onemap_db_replica_replayed_bytes",
			"How far a read replica has replayed the primary's write-ahead log (its LSN in bytes).", []string{"replica"}, nil),
		lag: prometheus.NewDesc("onemap_db_replica_lag_seconds",
			"How long a read replica has been behind the primary's write-ahead log, as last measured (0: it had replayed all of it); past ONEMAP_READ_MAX_LAG it is out of service.", []string{"replica"}, nil),
		to: prometheus.NewDesc("onemap_db_reads_total",
			"Reads by pool and route: replica; primary (no replica asked for); lagging or no_replica (sent to the primary); failover (a replica failed, the read went on).",
			[]string{"pool", "route"}, nil),
	})
}

// Describe sends the descriptors.
func (rc *replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{rc.up, rc.changes, rc.replayed, rc.lag, rc.to} {
		ch <- d
	}
}

// Collect sends each standby's state once and each pool's read counts.
func (rc *replicaCollector) Collect(ch chan<- prometheus.Metric) {
	seen := map[*db.Standby]bool{}
	for pool, r := range rc.reads {
		for _, st := range r.Standbys() {
			if !seen[st] {
				seen[st] = true
				rc.collectStandby(ch, st)
			}
		}
		for route, n := range r.ReadCounts() {
			ch <- prometheus.MustNewConstMetric(rc.to, prometheus.CounterValue, float64(n), pool, db.TargetNames[route])
		}
	}
}

func (rc *replicaCollector) collectStandby(ch chan<- prometheus.Metric, st *db.Standby) {
	s := st.Status()
	v := 0.0
	if s.InService {
		v = 1
	}
	ch <- prometheus.MustNewConstMetric(rc.up, prometheus.GaugeValue, v, st.Name())
	ch <- prometheus.MustNewConstMetric(rc.changes, prometheus.CounterValue, float64(s.Changes), st.Name())
	ch <- prometheus.MustNewConstMetric(rc.replayed, prometheus.GaugeValue, float64(s.Replayed), st.Name())
	ch <- prometheus.MustNewConstMetric(rc.lag, prometheus.GaugeValue, s.Lag.Seconds(), st.Name())
}
