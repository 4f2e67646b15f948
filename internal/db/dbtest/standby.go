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

// Standby is a streaming replica of the test cluster, for one test: a physical copy of the whole
// cluster, so every database a test creates on the primary appears on it too.
type Standby struct {
	dir  string
	port int
}

// NewStandby copies the test cluster with pg_basebackup -R into /var/tmp/replica-*, starts it
// on a port of its own (hot standby, streaming from the test cluster) and stops and removes it
// when the test ends. It skips the test only when pg_basebackup is not installed.
func NewStandby(t testing.TB) *Standby {
	t.Helper()
	if _, err := os.Stat(filepath.Join(pgBin, "pg_basebackup")); err != nil {
		t.Skipf("no streaming standby: %s/pg_basebackup is not installed (Debian postgresql-15)", pgBin)
	}
	primary, err := url.Parse(URL(t))
	if err != nil {
		t.Fatal(err)
	}
	checkSize(t)
	dir, err := os.MkdirTemp("/var/tmp", "replica-")
	if err != nil {
		t.Fatal(err)
	}
	s := &Standby{dir: dir, port: freePort(t)}
	t.Cleanup(func() { s.Stop(t); _ = os.RemoveAll(dir) })
	s.own(t)
	s.run(t, "pg_basebackup", "-h", primary.Hostname(), "-p", primary.Port(), "-U", "postgres",
		"-D", s.data(), "-R", "-X", "stream", "-c", "fast", "--no-sync", "--no-manifest") // a throwaway copy
	s.Start(t)
	return s
}

// Start starts the standby (again, after Stop).
func (s *Standby) Start(t testing.TB) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c hot_standby=on -c shared_buffers=64MB", s.port, s.dir)
	s.run(t, "pg_ctl", "-D", s.data(), "-o", opts, "-l", filepath.Join(s.dir, "server.log"), "-w", "start")
}

func (s *Standby) data() string { return filepath.Join(s.dir, "data") }

// URL is u (a URL on the test cluster) pointed at the standby.
func (s *Standby) URL(t testing.TB, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	p.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
	return p.String()
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

// Stop shuts the standby down at once (a replica failing); stopping twice is harmless.
func (s *Standby) Stop(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(s.data(), "postmaster.pid")); err != nil {
		return
	}
	s.run(t, "pg_ctl", "-D", s.data(), "-m", "immediate", "-w", "stop")
}

// run runs a PostgreSQL program, as user postgres when the test runs as root (the server
// refuses root).
func (s *Standby) run(t testing.TB, prog string, args ...string) {
	t.Helper()
	name, all := filepath.Join(pgBin, prog), args
	if os.Geteuid() == 0 {
		name, all = "runuser", append([]string{"-u", "postgres", "--", name}, args...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if out, err := osexec.CommandContext(ctx, name, all...).CombinedOutput(); err != nil {
		t.Fatalf("standby: %s: %v\n%s", prog, err, out)
	}
}

// own hands the standby's directory to user postgres when the test runs as root.
func (s *Standby) own(t testing.TB) {
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
	if err := os.Chown(s.dir, uid, gid); err != nil {
		t.Fatal(err)
	}
}

// maxCopy is the largest test cluster a standby is made of (pg_basebackup copies all of it).
const maxCopy = 1 << 30

// checkSize fails the test at once when the test cluster is too large to copy quickly (it holds
// more than test databases: a benchmark city, say), rather than after a copy timing out.
func checkSize(t testing.TB) {
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
	if size > maxCopy {
		t.Fatalf("the test cluster holds %d MB, and a standby copies all of it: point ONEMAP_TEST_DATABASE_URL at a cluster of test databases only", size>>20)
	}
}

// freePort returns a TCP port nothing listens on now.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
