package db

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Monitor tracks whether the database answers, so that an outage is logged once when it begins
// and once when it ends rather than as one error per request.
type Monitor struct {
	base  context.Context
	log   *slog.Logger
	ping  func(context.Context) error
	every time.Duration
	mu    sync.Mutex
	down  bool
}

// NewMonitor returns a Monitor that, once told of an outage, pings every interval (under base)
// until the database answers again.
func NewMonitor(base context.Context, log *slog.Logger, ping func(context.Context) error, every time.Duration) *Monitor {
	return &Monitor{base: base, log: log, ping: ping, every: every}
}

// Down records that a request found the database unavailable; only the first report of an
// outage is logged, with its cause.
func (m *Monitor) Down(cause error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return
	}
	m.down = true
	m.log.Error("database unavailable; requests answer 503 until it is back", "err", cause)
	go m.watch()
}

// IsDown tells whether an outage is under way.
func (m *Monitor) IsDown() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.down
}

// watch pings until the database answers, then logs that it is back.
func (m *Monitor) watch() {
	t := time.NewTicker(m.every)
	defer t.Stop()
	for {
		select {
		case <-m.base.Done():
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(m.base, m.every)
		err := m.ping(ctx)
		cancel()
		if err == nil {
			m.mu.Lock()
			m.down = false
			m.mu.Unlock()
			m.log.Info("database back up")
			return
		}
	}
}
