package db

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// primaryLSNSQL is where the primary's write-ahead log stands (written, so a standby can have it).
const primaryLSNSQL = `SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint`

// maxTrail is how many primary positions a standby that lags keeps; past it every second one is
// dropped, so the lag of a standby that stopped long ago stays measured, more coarsely.
const maxTrail = 1024

// LagBound is how a standby's lag behind the primary is measured and bounded: Primary is the pool
// whose write-ahead log position it is compared with; a standby lagging more than Max is out of
// service until its lag is down to Max/2 (0: no bound, the lag is only measured).
type LagBound struct {
	Primary *pgxpool.Pool
	Max     time.Duration
}

// over tells whether lag puts a standby out of service; behind is whether it is out for lagging
// already (it comes back only at half the bound, so that one at the edge does not flap).
func (b LagBound) over(lag time.Duration, behind bool) bool {
	switch {
	case b.Max <= 0:
		return false
	case behind:
		return lag > b.Max/2
	default:
		return lag > b.Max
	}
}

// primaryLSN reads where the primary's write-ahead log stands.
func (b LagBound) primaryLSN(ctx context.Context) (LSN, error) {
	var n int64
	err := b.Primary.QueryRow(ctx, primaryLSNSQL).Scan(&n)
	return LSN(n), err
}

// walMark is where the primary's write-ahead log stood at a time.
type walMark struct {
	at  time.Time
	lsn LSN
}

// trail holds the primary's positions a standby had not replayed when last measured, oldest
// first. A standby's lag is how long ago the primary first stood past what the standby has
// replayed: a time measured on this server's clock, from positions compared on the primary's
// log. It is not now() - pg_last_xact_replay_timestamp(), which after an idle hour on the
// primary says an hour although the standby has replayed everything there is.
type trail []walMark

// add appends the primary's position m (also while the standby does not answer, so that one
// coming back far behind is measured from when it fell behind).
func (t *trail) add(m walMark) {
	*t = append(*t, m)
	if len(*t) > maxTrail {
		t.thin()
	}
}

// lag drops the positions the standby has replayed and returns how long it has been behind at
// now: since the oldest position it has not replayed (0 when none, to the precision of how often
// positions are added).
func (t *trail) lag(replayed LSN, now time.Time) time.Duration {
	i := 0
	for i < len(*t) && (*t)[i].lsn <= replayed {
		i++
	}
	*t = (*t)[i:]
	if len(*t) == 0 {
		return 0
	}
	return now.Sub((*t)[0].at)
}

// thin keeps the oldest mark and every second one after it.
func (t *trail) thin() {
	kept := (*t)[:1]
	for i := 2; i < len(*t); i += 2 {
		kept = append(kept, (*t)[i])
	}
	*t = append(trail(nil), kept...)
}
