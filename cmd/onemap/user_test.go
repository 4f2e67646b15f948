package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/db/dbtest"
)

func TestUserAndAuditCommands(t *testing.T) {
	url := dbtest.NewURL(t)
	env := func(k string) string {
		if k == "ONEMAP_DATABASE_URL" {
			return url
		}
		return ""
	}
	run := func(args ...string) (string, error) {
		m := NewMain(args, env)
		var out bytes.Buffer
		m.Stdout, m.Stderr = &out, &out
		err := m.Run(context.Background())
		if cerr := m.Close(); err == nil {
			err = cerr
		}
		return out.String() + errString(err), err
	}
	ctx := context.Background()
	pool, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	svc := auth.NewService(pool)
	signIn := func(user, pw string) (auth.Session, error) {
		return svc.Login(ctx, auth.Attempt{Username: user, Password: pw, IP: "cli-test"}, time.Hour)
	}
	steps := []struct {
		args  []string
		want  string
		fails bool
	}{
		{[]string{"user", "demo"}, "onemap-demo", false},
		{[]string{"user", "add", "-username", "clerk", "-role", "planner", "-password", "weak"}, "at least 8", true},
		{[]string{"user", "add", "-username", "clerk", "-role", "planner", "-password", "Desk-Pass-1"}, "must be changed", false},
		{[]string{"user", "passwd", "-username", "nobody"}, "no user", true},
		{[]string{"user", "frobnicate"}, "usage", true},
		{[]string{"audit", "verify"}, "intact", false},
		{[]string{"audit", "prune", "-before", time.Now().AddDate(0, 0, -10).Format(time.DateOnly)}, "180 days", true},
	}
	for _, s := range steps {
		out, err := run(s.args...)
		if (err != nil) != s.fails || !strings.Contains(out, s.want) {
			t.Fatalf("%v: %q; want %q (fails %v)", s.args, out, s.want, s.fails)
		}
	}
	// The demo accounts keep the documented password and no forced change.
	if ses, err := signIn("admin", "onemap-demo"); err != nil || ses.User.MustChangePassword {
		t.Fatalf("demo admin: %+v, %v", ses.User, err)
	}
	ses, err := signIn("analyst", "onemap-demo")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := run("user", "revoke", "-username", "analyst"); err != nil || !strings.Contains(out, "1 sessions") {
		t.Fatalf("revoke: %q", out)
	}
	if _, err := svc.Verify(ctx, ses.Token); err == nil {
		t.Fatal("session survived revoke")
	}
	ses, _ = signIn("analyst", "onemap-demo")
	out, err := run("user", "passwd", "-username", "analyst")
	if err != nil || !strings.Contains(out, "password: ") {
		t.Fatalf("passwd: %q", out)
	}
	if _, err := svc.Verify(ctx, ses.Token); err == nil {
		t.Fatal("session survived passwd")
	}
	generated := strings.TrimSpace(out[strings.Index(out, "password: ")+len("password: "):])
	if ses, err := signIn("analyst", generated); err != nil || !ses.User.MustChangePassword {
		t.Fatalf("sign-in with the generated password: %+v, %v", ses.User, err)
	}
	ses, _ = signIn("planner", "onemap-demo")
	if out, err := run("user", "disable", "-username", "planner"); err != nil {
		t.Fatalf("disable: %q", out)
	}
	if _, err := svc.Verify(ctx, ses.Token); err == nil {
		t.Fatal("session survived disable")
	}
	if _, err := signIn("planner", "onemap-demo"); err == nil {
		t.Fatal("a disabled account signed in")
	}
	// A row changed behind the application's back: verify fails naming it.
	for _, q := range []string{
		"ALTER TABLE audit_log DISABLE TRIGGER USER",
		"UPDATE audit_log SET actor = 'x' WHERE id = 2",
		"ALTER TABLE audit_log ENABLE TRIGGER USER",
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := run("audit", "verify"); err == nil || !strings.Contains(out, "broken at row 2") {
		t.Fatalf("verify after tampering: %q, %v", out, err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
