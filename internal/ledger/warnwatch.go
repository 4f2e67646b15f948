package ledger

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"
)

// warnState is the Service's live side of 预警: who listens for new counts, and the pokes that ask
// for an evaluation (lease writes). Its zero value is ready.
type warnState struct {
	mu   sync.Mutex
	subs map[chan []byte]struct{}
	poke chan struct{}
}

// pokes is the channel evaluation requests arrive on.
func (w *warnState) pokes() chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.poke == nil {
		w.poke = make(chan struct{}, 1)
	}
	return w.poke
}

// request asks the watch for an evaluation (dropped when one is already asked for).
func (w *warnState) request() {
	select {
	case w.pokes() <- struct{}{}:
	default:
	}
}

// publish sends counts (as JSON) to every subscriber; a slow one keeps only the newest.
func (w *warnState) publish(counts map[string]int64) {
	b, err := json.Marshal(map[string]any{"counts": counts})
	if err != nil {
		return // a map of strings to numbers always marshals
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for ch := range w.subs {
		select {
		case <-ch:
		default:
		}
		ch <- b
	}
}

// SubscribeWarnings returns a channel receiving {"counts":{kind:n}} (JSON) each time the open
// warnings change, and a function ending the subscription.
func (s *Service) SubscribeWarnings() (<-chan []byte, func()) {
	ch := make(chan []byte, 1)
	w := &s.warn
	w.mu.Lock()
	if w.subs == nil {
		w.subs = map[chan []byte]struct{}{}
	}
	w.subs[ch] = struct{}{}
	w.mu.Unlock()
	return ch, func() {
		w.mu.Lock()
		delete(w.subs, ch)
		w.mu.Unlock()
	}
}

// WarningWatch configures WatchWarnings.
type WarningWatch struct {
	// Versions delivers each new data version (tiles.Service.Subscribe); nil: none.
	Versions <-chan int64
	// Log receives failed evaluations and changing ones (required).
	Log *slog.Logger
	// Debounce is how long writes must pause before an evaluation (2 s when zero).
	Debounce time.Duration
	// Poll is how often project and report writes, and a new day, are looked for (1 min when zero).
	Poll time.Duration
}

// WatchWarnings evaluates the warnings now, then after data changes (debounced), after lease,
// project or report writes, and when the day turns, until ctx ends.
func (s *Service) WatchWarnings(ctx context.Context, o WarningWatch) {
	if o.Debounce <= 0 {
		o.Debounce = 2 * time.Second
	}
	if o.Poll <= 0 {
		o.Poll = time.Minute
	}
	evaluate := func(why string) {
		e, err := s.EvaluateWarnings(ctx)
		if err != nil && ctx.Err() == nil {
			o.Log.Error("warnings: evaluation failed", "why", why, "err", err)
			return
		}
		level := slog.LevelDebug
		if e.Changed() {
			level = slog.LevelInfo
		}
		o.Log.Log(ctx, level, "warnings evaluated", "why", why, "added", e.Added, "cleared", e.Cleared, "open", e.Open, "took", e.Took)
	}
	evaluate("start")
	seen := ledgerMark{day: dateOf(s.now())}
	seen.event, _ = s.lastProjectEvent(ctx) // 0 on failure: the first poll then evaluates again
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	poll := time.NewTicker(o.Poll)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-o.Versions:
			debounce.Reset(o.Debounce)
		case <-s.warn.pokes():
			debounce.Reset(o.Debounce)
		case <-debounce.C:
			evaluate("data changed")
		case <-poll.C:
			if s.ledgerMoved(ctx, &seen) {
				evaluate("ledger changed or a new day")
			}
		}
	}
}

// ledgerMark is what the watch last saw of what the data version does not cover: the day, and
// the newest project event (project and report writes).
type ledgerMark struct {
	day   time.Time
	event int64
}

// ledgerMoved tells whether the day turned or a project event came since seen, and moves seen.
func (s *Service) ledgerMoved(ctx context.Context, seen *ledgerMark) bool {
	ev, err := s.lastProjectEvent(ctx)
	today := dateOf(s.now())
	if err != nil || (ev == seen.event && today.Equal(seen.day)) {
		return false
	}
	*seen = ledgerMark{day: today, event: ev}
	return true
}
