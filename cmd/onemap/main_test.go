package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onemap/onemap/internal/db/dbtest"
)

// proxy forwards TCP to target until stopped, so a test can cut the database away and back.
type proxy struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func (p *proxy) start(t *testing.T) {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(u, c); u.Close() }()
			go func() { _, _ = io.Copy(c, u); c.Close() }()
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func status(t *testing.T, base, path string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Content-Type")
}

// TestServeSurvivesDatabaseOutage runs the real program on :0 behind a TCP proxy to its database:
// with the proxy down, data routes answer 503 problem+json and liveness stays up; with it back,
// the same process serves again without a restart.
func TestServeSurvivesDatabaseOutage(t *testing.T) {
	dbURL, err := url.Parse(dbtest.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{addr: "127.0.0.1:0", target: dbURL.Host}
	p.start(t)
	dbURL.Host = p.addr
	base := serveFor(t, map[string]string{"ONEMAP_DATABASE_URL": dbURL.String()})
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/assets"} {
		if st, _ := status(t, base, path); st != 200 {
			t.Fatalf("%s = %d before the outage", path, st)
		}
	}
	p.stop()
	for _, path := range []string{"/readyz", "/api/v1/assets", "/api/v1/stats"} {
		if st, ct := status(t, base, path); st != 503 || !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("%s during outage = %d %s, want 503 problem+json", path, st, ct)
		}
	}
	if st, _ := status(t, base, "/healthz"); st != 200 {
		t.Errorf("/healthz during outage = %d, want 200", st)
	}
	p.start(t)
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, _ := status(t, base, "/api/v1/assets")
		if st == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/api/v1/assets still %d after the database came back", st)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
