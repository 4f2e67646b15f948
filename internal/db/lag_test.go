package db

import (
	"testing"
	"time"
)

// TestTrailLag measures lag from the primary positions a standby has not replayed, on a clock
// of the test's own: an idle primary is no lag, however long ago its last write was.
func TestTrailLag(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	var tr trail
	steps := []struct {
		sec           int
		primary, repl LSN
		want          time.Duration
	}{
		{0, 100, 100, 0},              // caught up
		{3600, 100, 100, 0},           // an idle hour: still no lag
		{3601, 200, 100, 0},           // a write at last: behind since now
		{3602, 300, 100, time.Second}, // replay stopped
		{3605, 300, 150, 4 * time.Second},
		{3606, 300, 200, 4 * time.Second}, // replayed the first write: behind since the second
		{3607, 300, 300, 0},               // caught up
	}
	for _, s := range steps {
		tr.add(walMark{at: at(s.sec), lsn: s.primary})
		if got := tr.lag(s.repl, at(s.sec)); got != s.want {
			t.Errorf("at %d s (primary %d, replayed %d): lag %s, want %s", s.sec, s.primary, s.repl, got, s.want)
		}
	}
}

// TestTrailThin keeps the start of a long lag when the trail grows past maxTrail.
func TestTrailThin(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	var tr trail
	var got time.Duration
	for i := range 3 * maxTrail {
		now := t0.Add(time.Duration(i) * time.Second)
		tr.add(walMark{at: now, lsn: LSN(i + 1)})
		got = tr.lag(0, now)
	}
	if want := time.Duration(3*maxTrail-1) * time.Second; got != want || len(tr) > maxTrail {
		t.Errorf("lag %s over %d marks, want %s over at most %d", got, len(tr), want, maxTrail)
	}
}

// TestLagBound takes a standby out past the bound and back only at half of it.
func TestLagBound(t *testing.T) {
	b := LagBound{Max: 10 * time.Second}
	for _, c := range []struct {
		lag          time.Duration
		behind, want bool
	}{{9 * time.Second, false, false}, {11 * time.Second, false, true}, {6 * time.Second, true, true}, {5 * time.Second, true, false}} {
		if got := b.over(c.lag, c.behind); got != c.want {
			t.Errorf("lag %s (behind %v): over = %v, want %v", c.lag, c.behind, got, c.want)
		}
	}
	if (LagBound{}).over(time.Hour, true) {
		t.Error("no bound took a standby out")
	}
}

// TestTrailDown counts the positions added while the standby did not answer once it is back:
// one that returns far behind is out at once, not after the bound has passed again.
func TestTrailDown(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	var tr trail
	for i := range 600 {
		tr.add(walMark{at: t0.Add(time.Duration(i) * time.Second), lsn: LSN(100 + i)})
	}
	if got, want := tr.lag(100, t0.Add(600*time.Second)), 599*time.Second; got != want {
		t.Errorf("back after 10 min down, replayed up to the first position: lag %s, want %s", got, want)
	}
}
