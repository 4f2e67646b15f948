package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb/encoding/mvt"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/tiles"
	"github.com/onemap/onemap/tiles/tilestest"
)

// replicaRig is `onemap serve` on the test city reading from a real streaming standby.
type replicaRig struct {
	t       *testing.T
	pool    *pgxpool.Pool // the primary
	standby *dbtest.Standby
	base    string // instance A, which the edits go through
	other   string // instance B, on the same databases
	// bounded is instance C, whose replicas may lag 1 s (ONEMAP_READ_MAX_LAG); A and B have
	// no bound. boundedLog is its log.
	bounded    string
	boundedLog *syncBuffer
	replica    string // the standby's URL of the test database
	token      string // an analyst's
	log        *syncBuffer
	parcel     int64
	tile       tiles.TileID
}

// syncBuffer collects the server's log while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newReplicaRig(t *testing.T) *replicaRig {
	standby := dbtest.NewStandby(t) // first: skips when pg_basebackup is absent
	url := dbtest.NewURL(t)
	pool, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	tilestest.City(t, pool)
	ts, err := tiles.New(pool, tiles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Refresh(context.Background()); err != nil { // the overview is current: no rebuild at start
		t.Fatal(err)
	}
	r := &replicaRig{t: t, pool: pool, standby: standby, log: &syncBuffer{}, boundedLog: &syncBuffer{}, tile: tiles.TileAt(16, tilestest.Lon, tilestest.Lat)}
	r.token = analystToken(t, pool)
	r.parcel = r.parcelIn(r.tile)
	standby.CatchUp(t, pool)
	r.replica = standby.URL(t, url)
	r.other = r.serve(url, "0", r.log)
	r.base = r.serve(url, "0", r.log)
	r.bounded = r.serve(url, "1s", r.boundedLog)
	return r
}

func analystToken(t *testing.T, pool *pgxpool.Pool) string {
	ctx := context.Background()
	users := auth.NewService(pool)
	u, err := users.CreateUser(ctx, auth.Actor{Name: "test"}, auth.User{Username: "replica-analyst", Role: auth.Analyst}, "Replica-test-2026", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE users SET must_change_password = false WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	token, err := users.IssueToken(ctx, u.ID, "replica", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// parcelIn is a land parcel inside tile id.
func (r *replicaRig) parcelIn(id tiles.TileID) int64 {
	var n int64
	err := r.pool.QueryRow(context.Background(), `SELECT id FROM assets WHERE kind = 'land'
		AND ST_Within(geom_3857, ST_TileEnvelope($1, $2, $3)) ORDER BY id LIMIT 1`, id.Z, id.X, id.Y).Scan(&n)
	if err != nil {
		r.t.Fatal(err)
	}
	return n
}

// serve runs the real program against primary, reading from the standby whose lag may reach
// maxLag, until the test ends; it returns its base URL.
func (r *replicaRig) serve(primary, maxLag string, log io.Writer) string {
	env := map[string]string{
		"ONEMAP_DATABASE_URL": primary, "ONEMAP_READ_DATABASE_URL": r.replica,
		"ONEMAP_READ_WAIT": "300ms", "ONEMAP_READ_MAX_LAG": maxLag, "ONEMAP_METRICS_TOKEN": "replica-metrics",
	}
	return serveLogged(r.t, env, log)
}

// onOther is the rig talking to instance B.
func (r *replicaRig) onOther() *replicaRig { return r.on(r.other) }

// onBounded is the rig talking to instance C.
func (r *replicaRig) onBounded() *replicaRig { return r.on(r.bounded) }

// on is the rig talking to the instance at base.
func (r *replicaRig) on(base string) *replicaRig {
	b := *r
	b.base = base
	return &b
}

// do sends a request (with the analyst's token when signed) and fails on anything but 200.
func (r *replicaRig) do(method, path, body string, signed bool, header ...string) (*http.Response, []byte) {
	r.t.Helper()
	req, _ := http.NewRequest(method, r.base+path, strings.NewReader(body))
	if signed {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		r.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	return res, b
}

// get answers path, anonymously or as the analyst.
func (r *replicaRig) get(path string, signed bool) []byte {
	r.t.Helper()
	_, b := r.do("GET", path, "", signed)
	return b
}

// stage is the parcel's stage as GET /api/v1/assets/{id} answers it.
func (r *replicaRig) stage(signed bool) string {
	r.t.Helper()
	var a struct{ Stage string }
	if err := json.Unmarshal(r.get(fmt.Sprintf("/api/v1/assets/%d", r.parcel), signed), &a); err != nil {
		r.t.Fatal(err)
	}
	return a.Stage
}

// tileStage is the parcel's stage in the zoom-16 land tile.
func (r *replicaRig) tileStage(query string) string {
	r.t.Helper()
	ls, err := mvt.Unmarshal(r.get("/tiles/land/"+r.tile.String()+".mvt"+query, false))
	if err != nil {
		r.t.Fatal(err)
	}
	for _, l := range ls {
		for _, f := range l.Features {
			if id, _ := f.ID.(float64); int64(id) == r.parcel {
				s, _ := f.Properties["stage"].(string)
				return s
			}
		}
	}
	r.t.Fatalf("parcel %d not in tile %s", r.parcel, r.tile)
	return ""
}

// patch sets the parcel's stage through the API as the analyst; it returns the new data version.
func (r *replicaRig) patch(stage string) string {
	r.t.Helper()
	var version int64
	if err := r.pool.QueryRow(context.Background(), "SELECT version FROM assets WHERE id = $1", r.parcel).Scan(&version); err != nil {
		r.t.Fatal(err)
	}
	body := fmt.Sprintf(`{"version":%d,"stage":%q}`, version, stage)
	res, _ := r.do("PATCH", fmt.Sprintf("/api/v1/assets/%d", r.parcel), body, true, "Content-Type", "application/json")
	return res.Header.Get("OneMap-Data-Version")
}

// dataVersion is the data version the server knows (TileJSON's).
func (r *replicaRig) dataVersion() int64 {
	var tj tiles.TileJSON
	if err := json.Unmarshal(r.get("/tiles/land.json", false), &tj); err != nil {
		r.t.Fatal(err)
	}
	return tj.DataVersion
}

// readsWait checks db.Reads itself on the paused standby: a read needing only what the standby
// has answers from it without the probe row; one needing the primary's position now waits, then
// reads the primary; one not marked for replicas reads the primary at once.
func (r *replicaRig) readsWait() {
	r.t.Helper()
	ctx := context.Background()
	var now int64
	if err := r.pool.QueryRow(ctx, "SELECT (pg_current_wal_lsn() - '0/0')::bigint").Scan(&now); err != nil {
		r.t.Fatal(err)
	}
	rp, err := db.Open(ctx, r.replica)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rp.Close()
	reads := db.NewReads(r.pool, 100*time.Millisecond, db.Route{Standby: db.NewStandby("probe", rp, slog.New(slog.DiscardHandler)), Pool: rp})
	const q = "SELECT count(*) FROM asset_events WHERE note = 'replica-probe'"
	for _, c := range []struct {
		ctx  context.Context
		want int
	}{{db.ReplicaRead(ctx, 0), 0}, {db.ReplicaRead(ctx, db.LSN(now)), 1}, {ctx, 1}} {
		var n int
		if err := reads.QueryRow(c.ctx, q).Scan(&n); err != nil || n != c.want {
			r.t.Errorf("probe rows %d (%v), want %d", n, err, c.want)
		}
	}
	if got := reads.ReadCounts(); got[db.ToReplica] != 1 || got[db.Lagging] != 1 || got[db.ToPrimary] != 1 {
		r.t.Errorf("reads went %v (%v), want one each to the replica, lagging and primary", got, db.TargetNames)
	}
}

// TestReadReplica serves reads from a real streaming standby whose replay is paused: the editor
// reads its own edit at once (on both instances), no read or tile without the edit is served or
// cached once the server knows of it, reads do come from the standby, an instance with a lag bound
// takes the standby out of service while it lags past it and back once caught up, everything
// converges when replay resumes, reads are still answered when the standby stops, and it comes back.
func TestReadReplica(t *testing.T) {
	r := newReplicaRig(t)
	before := r.stage(false)
	if got := r.tileStage(""); got != before {
		t.Fatalf("tile stage %q, asset %q", got, before)
	}
	if r.metric(`onemap_db_reads_total{pool="requests",route="replica"}`) == 0 {
		t.Fatal("no read went to the replica")
	}

	r.standby.CatchUp(t, r.pool) // past every change the instances know of
	r.standby.Exec(t, "SELECT pg_wal_replay_pause()")
	// A change no notice announces (an event row) shows only where it was replayed: reads come
	// from the standby.
	if _, err := r.pool.Exec(context.Background(), `INSERT INTO asset_events (asset_id, action, actor, note)
		VALUES ($1, 'update', 'test', 'replica-probe')`, r.parcel); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(r.get(fmt.Sprintf("/api/v1/assets/%d", r.parcel), false), []byte("replica-probe")) {
		t.Error("an anonymous read saw a change the paused standby has not replayed: it did not read the standby")
	}
	r.readsWait()
	r.lagBound()

	edited := otherStage(before)
	var lsn0 int64
	if err := r.pool.QueryRow(context.Background(), "SELECT (pg_current_wal_lsn() - '0/0')::bigint").Scan(&lsn0); err != nil {
		t.Fatal(err)
	}
	v1 := r.patch(edited)
	var noted int64
	if err := r.pool.QueryRow(context.Background(), "SELECT coalesce((write_lsn - '0/0')::bigint, 0) FROM tokens WHERE name = 'replica'").Scan(&noted); err != nil || noted <= lsn0 {
		t.Errorf("the token's write_lsn is %d after the edit, want past %d (%v)", noted, lsn0, err)
	}
	if got := r.stage(true); got != edited {
		t.Errorf("the editor reads stage %q after the edit, want %q (read-your-writes)", got, edited)
	}
	if got := r.onOther().stage(true); got != edited {
		t.Errorf("the editor reads stage %q on instance B after the edit, want %q (read-your-writes across instances)", got, edited)
	}
	if got := r.stage(false); got != edited {
		t.Errorf("an anonymous read answered %q after the edit: want %q (reads see every change the instance announced)", got, edited)
	}
	for _, q := range []string{"", "", "?v=" + v1, "?v=" + v1} { // twice each: rendered, then cached
		if got := r.tileStage(q); got != edited {
			t.Errorf("tile%s after the edit: stage %q, want %q", q, got, edited)
		}
	}

	// Instance B learns of the edit by its notice; then a write A too learns of only so.
	b := r.onOther()
	b.awaitVersion(v1)
	for range 2 {
		if got := b.tileStage(""); got != edited {
			t.Errorf("instance B's tile after the notice: stage %q, want %q", got, edited)
		}
	}
	again, known := otherStage(edited), r.dataVersion()
	if _, err := r.pool.Exec(context.Background(), "UPDATE assets SET stage = $2, version = version + 1 WHERE id = $1", r.parcel, again); err != nil {
		t.Fatal(err)
	}
	r.awaitVersion(strconv.FormatInt(known+1, 10))
	for range 2 {
		if got := r.tileStage(""); got != again {
			t.Errorf("tile after the notice: stage %q, want %q", got, again)
		}
	}
	if r.metric(`onemap_db_reads_total{pool="tiles",route="lagging"}`) == 0 {
		t.Error("no tile went to the primary while the standby lagged")
	}

	r.standby.Exec(t, "SELECT pg_wal_replay_resume()")
	r.standby.CatchUp(t, r.pool)
	r.onBounded().awaitMetric(r.upMetric(), 1)
	if !strings.Contains(r.boundedLog.String(), "read replica back in service") {
		t.Errorf("no log line of instance C says the replica came back once caught up:\n%s", r.boundedLog)
	}
	if !bytes.Contains(r.get(fmt.Sprintf("/api/v1/assets/%d", r.parcel), false), []byte("replica-probe")) {
		t.Error("the standby replayed the event row, but an anonymous read does not show it")
	}
	if got := r.stage(false); got != again {
		t.Errorf("after replay resumed an anonymous read answered %q, want %q", got, again)
	}
	if got := r.tileStage(""); got != again {
		t.Errorf("after replay resumed the tile shows %q, want %q", got, again)
	}

	r.standby.Stop(t)
	if got := r.stage(false); got != again {
		t.Errorf("with the standby stopped an anonymous read answered %q, want %q", got, again)
	}
	r.get("/api/v1/stats?group_by=region", false)
	r.get("/ogc/collections/land/items?limit=5", false)
	r.get("/tiles/land/"+tiles.TileAt(15, tilestest.Lon, tilestest.Lat).String()+".mvt", false)
	if !strings.Contains(r.log.String(), "read replica out of service") {
		t.Errorf("no log line says the replica went out of service:\n%s", r.log)
	}
	if v := r.metric(r.upMetric()); v != 0 {
		t.Errorf("%s = %v with the standby stopped, want 0", r.upMetric(), v)
	}

	r.standby.Start(t)
	r.awaitMetric(r.upMetric(), 1)
	if !strings.Contains(r.log.String(), "read replica back in service") {
		t.Errorf("no log line says the replica came back:\n%s", r.log)
	}
}

// lagBound checks ONEMAP_READ_MAX_LAG while replay is paused after a change no notice announced
// (the probe row): instance C, whose bound is 1 s, takes the standby out of service once it lags
// past it, so that an anonymous read there sees the change, while instance A, with no bound,
// still reads the stale standby.
func (r *replicaRig) lagBound() {
	r.t.Helper()
	c, path := r.onBounded(), fmt.Sprintf("/api/v1/assets/%d", r.parcel)
	c.awaitMetric(r.upMetric(), 0)
	if lag := c.metric(r.lagMetric()); lag <= 1 {
		r.t.Errorf("instance C took the standby out at a lag of %v s, want over its bound of 1 s", lag)
	}
	if !strings.Contains(r.boundedLog.String(), "over the bound of 1s") {
		r.t.Errorf("no log line of instance C says the replica lags past its bound:\n%s", r.boundedLog)
	}
	if !bytes.Contains(c.get(path, false), []byte("replica-probe")) {
		r.t.Error("instance C read the standby lagging past its bound: its anonymous read misses the probe row")
	}
	if bytes.Contains(r.get(path, false), []byte("replica-probe")) {
		r.t.Error("instance A, with no bound, does not read the stale standby: the test proves nothing")
	}
	if up, lag := r.metric(r.upMetric()), r.metric(r.lagMetric()); up != 1 || lag <= 0 {
		r.t.Errorf("instance A, with no bound: %s = %v, %s = %v; want 1 and a lag measured", r.upMetric(), up, r.lagMetric(), lag)
	}
}

// upMetric and lagMetric are the standby's lines in /metrics.
func (r *replicaRig) upMetric() string {
	return `onemap_db_replica_up{replica="` + db.StandbyName(r.replica) + `"}`
}

func (r *replicaRig) lagMetric() string {
	return `onemap_db_replica_lag_seconds{replica="` + db.StandbyName(r.replica) + `"}`
}

// awaitMetric waits until the line name of /metrics reads want (probes run every second).
func (r *replicaRig) awaitMetric(name string, want float64) {
	r.t.Helper()
	for deadline := time.Now().Add(15 * time.Second); r.metric(name) != want; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			r.t.Fatalf("%s is not %v after 15 s", name, want)
		}
	}
}

// awaitVersion waits until the server knows data version v (or a later one).
func (r *replicaRig) awaitVersion(v string) {
	r.t.Helper()
	want, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r.t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); r.dataVersion() < want; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			r.t.Fatalf("the server has not heard of data version %d", want)
		}
	}
}

// metric is the value of one line of /metrics, which must be there.
func (r *replicaRig) metric(name string) float64 {
	r.t.Helper()
	_, b := r.do("GET", "/metrics", "", false, "Authorization", "Bearer replica-metrics")
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindSubmatch(b)
	if m == nil {
		r.t.Fatalf("no %s in /metrics:\n%s", name, b)
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}

// otherStage is a stage other than s.
func otherStage(s string) string {
	if s == "done" {
		return "planned"
	}
	return "done"
}
