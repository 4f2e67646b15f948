package imports_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestRecoverStale: a run whose server died is marked failed and its temporary files removed;
// a run alive (holding its lock, as a running import's transaction does) is left alone, as is a
// run still queued moments ago.
func TestRecoverStale(t *testing.T) {
	svc, pool := newService(t)
	ctx := context.Background()
	scratch, err := os.MkdirTemp("", "onemap-import-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(scratch) })
	upload := filepath.Join(os.TempDir(), "onemap-upload-stale-test.zip")
	if err := os.WriteFile(upload, []byte("PK"), 0o600); err != nil {
		t.Fatal(err)
	}
	var dead, alive, queued int64
	q := `INSERT INTO imports (file_name, format, phase, temp_paths) VALUES ($1, 'geojson', $2, coalesce($3, '{}'::text[])) RETURNING id`
	for _, r := range []struct {
		id    *int64
		phase string
		paths []string
	}{{&dead, "writing", []string{scratch, upload, "/etc"}}, {&alive, "reading", nil}, {&queued, "queued", nil}} {
		if err := pool.QueryRow(ctx, q, "f.geojson", r.phase, r.paths).Scan(r.id); err != nil {
			t.Fatal(err)
		}
	}
	holder, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = holder.Rollback(ctx) }()
	if _, err := holder.Exec(ctx, "SELECT pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::integer)", 0x4f4d4950, alive); err != nil {
		t.Fatal(err)
	}
	ids, err := svc.RecoverStale(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []int64{dead}) {
		t.Fatalf("recovered %v, want [%d]", ids, dead)
	}
	rep, err := svc.Get(ctx, dead)
	if err != nil || rep.Status != "failed" || rep.Error == nil || rep.FinishedAt == nil {
		t.Errorf("dead run = %+v (%v)", rep, err)
	}
	for _, p := range []string{scratch, upload} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s still exists (%v)", p, err)
		}
	}
	if _, err := os.Stat("/etc"); err != nil {
		t.Error("a recorded path outside the temporary directory was touched")
	}
	for _, id := range []int64{alive, queued} {
		if n := count(t, pool, "SELECT count(*) FROM imports WHERE id = $1 AND status = 'running'", id); n != 1 {
			t.Errorf("run %d is no longer running", id)
		}
	}
}
