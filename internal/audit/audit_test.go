package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/db/dbtest"
)

// seeded returns a service with five rows, ids 1..5.
func seeded(t *testing.T) (*audit.Service, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	svc := audit.NewService(pool)
	for i, a := range []string{audit.LoginOK, audit.Export, audit.UserCreate, audit.TokenIssue, audit.Logout} {
		uid := int64(i + 1)
		e := audit.Entry{Actor: "admin", UserID: &uid, Action: a, Target: "t", Detail: map[string]any{"n": i, "名": "值"}, IP: "10.0.0.1"}
		if err := svc.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	return svc, pool
}

// tamper runs SQL with the append-only triggers off, as someone with database rights could.
func tamper(t *testing.T, pool *pgxpool.Pool, sql string) {
	t.Helper()
	ctx := context.Background()
	if _, err := pool.Exec(ctx, "ALTER TABLE audit_log DISABLE TRIGGER USER"); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "ALTER TABLE audit_log ENABLE TRIGGER USER"); err != nil {
		t.Fatal(err)
	}
}

func verify(t *testing.T, svc *audit.Service) audit.Report {
	t.Helper()
	rep, err := svc.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestVerify(t *testing.T) {
	t.Run("intact", func(t *testing.T) {
		svc, _ := seeded(t)
		if rep := verify(t, svc); !rep.OK() || rep.Rows != 5 {
			t.Fatalf("report = %+v, want 5 intact rows", rep)
		}
	})
	t.Run("changed row", func(t *testing.T) {
		svc, pool := seeded(t)
		tamper(t, pool, `UPDATE audit_log SET actor = 'someone' WHERE id = 3`)
		if rep := verify(t, svc); rep.BrokenID != 3 || !strings.Contains(rep.Reason, "changed") {
			t.Fatalf("report = %+v, want row 3 changed", rep)
		}
	})
	t.Run("changed detail", func(t *testing.T) {
		svc, pool := seeded(t)
		tamper(t, pool, `UPDATE audit_log SET detail = '{"n": 9}' WHERE id = 2`)
		if rep := verify(t, svc); rep.BrokenID != 2 {
			t.Fatalf("report = %+v, want row 2", rep)
		}
	})
	t.Run("deleted row", func(t *testing.T) {
		svc, pool := seeded(t)
		tamper(t, pool, `DELETE FROM audit_log WHERE id = 3`)
		if rep := verify(t, svc); rep.BrokenID != 4 || !strings.Contains(rep.Reason, "deleted") {
			t.Fatalf("report = %+v, want row 4 (after the deleted 3)", rep)
		}
	})
}

func TestAppendOnly(t *testing.T) {
	_, pool := seeded(t)
	ctx := context.Background()
	for _, sql := range []string{
		`UPDATE audit_log SET actor = 'x' WHERE id = 1`,
		`DELETE FROM audit_log WHERE id = 1`,
		`TRUNCATE audit_log`,
	} {
		if _, err := pool.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want refused", sql, err)
		}
	}
}

func TestPrune(t *testing.T) {
	svc, pool := seeded(t)
	ctx := context.Background()
	if _, err := svc.Prune(ctx, "admin", time.Now().Add(-179*24*time.Hour)); err == nil {
		t.Fatal("prune of rows younger than 180 days: no error")
	}
	// The database refuses it too, whoever calls.
	if _, err := pool.Exec(ctx, `SELECT audit_prune(now() - interval '10 days')`); err == nil {
		t.Fatal("audit_prune(10 days): no error")
	}
	// Age rows 1 and 2 (rehashing the whole chain as a migration of old data would), then prune.
	tamper(t, pool, `UPDATE audit_log SET at = at - interval '200 days' WHERE id <= 2`)
	tamper(t, pool, `DO $$ DECLARE r record; p bytea; BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    UPDATE audit_log SET prev_hash = p, hash = audit_row_hash(p, r.id, r.at, r.actor, r.user_id, r.action, r.target, r.detail, r.ip) WHERE id = r.id;
    SELECT hash INTO p FROM audit_log WHERE id = r.id;
  END LOOP; END $$`)
	n, err := svc.Prune(ctx, "admin", time.Now().Add(-190*24*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("prune = %d, %v; want 2 rows", n, err)
	}
	if rep := verify(t, svc); !rep.OK() || rep.Rows != 4 {
		t.Fatalf("after prune: %+v, want 4 intact rows (3 kept + the prune's own)", rep)
	}
}

func TestSearch(t *testing.T) {
	svc, _ := seeded(t)
	ctx := context.Background()
	p, err := svc.Search(ctx, audit.Query{Actions: []string{audit.Export, audit.Logout}, Limit: 10})
	if err != nil || p.Total != 2 || len(p.Items) != 2 || p.Items[0].Action != audit.Logout {
		t.Fatalf("search = %+v, %v", p, err)
	}
	p, err = svc.Search(ctx, audit.Query{Q: "值", Actor: "admin", From: time.Now().Add(-time.Hour), Limit: 2, Offset: 1})
	if err != nil || p.Total != 5 || len(p.Items) != 2 || p.Items[0].ID != 4 {
		t.Fatalf("search q = %+v, %v", p, err)
	}
	if _, err := svc.Search(ctx, audit.Query{Limit: 0}); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("limit 0: %v", err)
	}
}

// TestConcurrentAppendsStayLinear: appends from many connections at once still form one chain.
func TestConcurrentAppendsStayLinear(t *testing.T) {
	pool := dbtest.New(t)
	svc := audit.NewService(pool)
	errs := make(chan error, 40)
	for i := range 40 {
		go func() {
			errs <- svc.Record(context.Background(), audit.Entry{Actor: "a", Action: audit.Export, Detail: map[string]any{"i": i}})
		}()
	}
	for range 40 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if rep := verify(t, svc); !rep.OK() || rep.Rows != 40 {
		t.Fatalf("report = %+v, want 40 intact rows", rep)
	}
}
