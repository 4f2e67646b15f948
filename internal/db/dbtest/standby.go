package dbtest

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	osexec "os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pgBin is where Debian's PostgreSQL 15 keeps its server programs (as scripts/pg.sh uses them).
const pgBin = "/usr/lib/postgresql/15/bin"

// maxCopy is the largest test cluster a standby is copied from (pg_basebackup copies all of it).
const maxCopy = 1 << 30

// cluster is a PostgreSQL server of a test's own, under /var/tmp/replica-*, removed when the
// test ends.
type cluster struct {
	dir  string
	port int
	// opts are the server options it starts with.
	opts string
}

// newCluster makes the directory of a cluster on a free port (its data still to be made).
func newCluster(t testing.TB, opts string) *cluster {
	t.Helper()
	dir, err := os.MkdirTemp("/var/tmp", "replica-")
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{dir: dir, port: FreePort(t), opts: opts}
	t.Cleanup(func() { c.Stop(t); _ = os.RemoveAll(dir) })
	own(t, dir)
	return c
}

func (c *cluster) data() string { return filepath.Join(c.dir, "data") }

// Start starts the server (again, after Stop).
func (c *cluster) Start(t testing.TB) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c shared_buffers=64MB %s", c.port, c.dir, c.opts)
	run(t, "pg_ctl", "-D", c.data(), "-o", opts, "-l", filepath.Join(c.dir, "server.log"), "-w", "start")
}

// Stop shuts the server down at once (a server failing); stopping twice is harmless.
func (c *cluster) Stop(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(c.data(), "postmaster.pid")); err != nil {
		return
	}
	run(t, "pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop")
}

// URL is u pointed at this server.
func (c *cluster) URL(t testing.TB, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	p.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port))
	return p.String()
}

// Standby is a streaming replica of the test cluster, for one test: a physical copy of the whole
// cluster, so every database a test creates on the primary appears on it too.
type Standby struct{ *cluster }

// NewStandby copies the test cluster with pg_basebackup -R into /var/tmp/replica-*, starts it
// on a port of its own (hot standby, streaming from the test cluster) and stops and removes it
// when the test ends. A test cluster holding more than test databases (over 1 GB: a benchmark
// city, say) would take minutes to copy: the test then gets a fresh primary of its own, and
// ONEMAP_TEST_DATABASE_URL names it for the rest of the test. It skips the test only when
// pg_basebackup is not installed.
func NewStandby(t testing.TB) *Standby {
	t.Helper()
	if _, err := os.Stat(filepath.Join(pgBin, "pg_basebackup")); err != nil {
		t.Skipf("no streaming standby: %s/pg_basebackup is not installed (Debian postgresql-15)", pgBin)
	}
	if size := clusterSize(t); size > maxCopy {
		t.Logf("the test cluster holds %d MB: the standby copies a fresh primary instead", size>>20)
		primary := newCluster(t, "")
		run(t, "initdb", "-D", primary.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
		primary.Start(t)
		t.Setenv("ONEMAP_TEST_DATABASE_URL", primary.URL(t, withDB(t, URL(t), "postgres")))
	}
	primary, err := url.Parse(URL(t))
	if err != nil {
		t.Fatal(err)
	}
	s := &Standby{newCluster(t, "-c hot_standby=on")}
	run(t, "pg_basebackup", "-h", primary.Hostname(), "-p", primary.Port(), "-U", "postgres",
		"-D", s.data(), "-R", "-X", "stream", "-c", "fast", "--no-sync", "--no-manifest") // a throwaway copy
	s.Start(t)
	return s
}

// Exec runs sql on the standby (pg_wal_replay_pause() and pg_wal_replay_resume(), say).
func (s *Standby) Exec(t testing.TB, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.URL(t, withDB(t, URL(t), "postgres")))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("standby: %s: %v", sql, err)
	}
}

// CatchUp waits until the standby has replayed everything the primary behind pool has written.
func (s *Standby) CatchUp(t testing.TB, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	var want string
	if err := pool.QueryRow(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&want); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, s.URL(t, withDB(t, URL(t), "postgres")))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var done bool
		if err := conn.QueryRow(ctx, "SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn", want).Scan(&done); err != nil {
			t.Fatal(err)
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("standby has not replayed %s in 20 s", want)
		}
	}
}

// clusterSize is how many bytes the test cluster's databases hold.
func clusterSize(t testing.TB) int64 {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, withDB(t, URL(t), "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var size int64
	if err := conn.QueryRow(ctx, "SELECT sum(pg_database_size(oid))::bigint FROM pg_database").Scan(&size); err != nil {
		t.Fatal(err)
	}
	return size
}

// run runs a PostgreSQL program, as user postgres when the test runs as root (the server
// refuses root).
func run(t testing.TB, prog string, args ...string) {
	t.Helper()
	name, all := filepath.Join(pgBin, prog), args
	if os.Geteuid() == 0 {
		name, all = "runuser", append([]string{"-u", "postgres", "--", name}, args...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if out, err := osexec.CommandContext(ctx, name, all...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", prog, err, out)
	}
}

// own hands dir to user postgres when the test runs as root.
func own(t testing.TB, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid) // numeric ids from the system's user database
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
}

// FreePort returns a TCP port on 127.0.0.1 nothing listens on now, for a server a test starts.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
