package main

import (
	"context"
	"io"
	"maps"
	"testing"
)

// serveFor runs the real `onemap serve` on 127.0.0.1:0 with the given environment until the test
// ends (then it must stop cleanly) and returns its base URL.
func serveFor(t *testing.T, env map[string]string) string {
	t.Helper()
	return serveLogged(t, env, io.Discard)
}

// serveLogged is serveFor with the server's log written to stderr.
func serveLogged(t *testing.T, env map[string]string, stderr io.Writer) string {
	t.Helper()
	env = maps.Clone(env)
	env["ONEMAP_LISTEN"] = "127.0.0.1:0"
	ready := make(chan string, 1)
	m := NewMain([]string{"serve"}, func(k string) string { return env[k] })
	m.Stdout, m.Stderr, m.Ready = io.Discard, stderr, ready
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		_ = m.Close()
	})
	select {
	case addr := <-ready:
		return "http://" + addr
	case err := <-done:
		done <- err // for the cleanup
		t.Fatalf("serve ended early: %v", err)
	}
	return ""
}
