package api

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/tiles"
)

// eventsPath is where pages hear of data version changes.
const eventsPath = "/api/v1/events"

// eventRoutes serve GET /api/v1/events: Server-Sent Events announcing each new data version.
type eventRoutes struct {
	tiles *tiles.Service
	// base ends every stream when the server shuts down.
	base context.Context
	// heartbeat is how often a comment line keeps idle proxies from closing the stream.
	heartbeat time.Duration
	// lifetime ends a stream after a while: the browser reconnects at once, and the reconnection
	// passes the read guard again (a session that ended stops hearing).
	lifetime time.Duration
	// warnings subscribes to the 预警 counts, streamed as "warnings" events (nil: none).
	warnings func() (<-chan []byte, func())
}

func (h *eventRoutes) mount(r fiber.Router) {
	r.Get("/events", h.events)
}

// versionEvent is the data of a "version" event (and the JSON answer of a poll).
type versionEvent struct {
	Version int64 `json:"version"`
}

// events streams "version" events to an EventSource (Accept: text/event-stream): the current
// version at once, then each new one. Any other client is answered the current version as JSON,
// which is how a page without a stream polls.
func (h *eventRoutes) events(c *fiber.Ctx) error {
	v, err := h.tiles.Version(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !strings.Contains(c.Get(fiber.HeaderAccept), "text/event-stream") {
		return c.JSON(versionEvent{Version: v})
	}
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set("X-Accel-Buffering", "no") // nginx: pass each event on at once
	updates, stop := h.tiles.Subscribe()
	var warned <-chan []byte // nil without a ledger: never ready
	stopWarned := func() {}
	if h.warnings != nil {
		warned, stopWarned = h.warnings()
	}
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer stop()
		defer stopWarned()
		h.stream(w, v, updates, warned)
	})
	return nil
}

// stream writes events ("version", and "warnings" with the open counts when they change) until the client goes (a write fails), the server stops or the lifetime ends.
func (h *eventRoutes) stream(w *bufio.Writer, v int64, updates <-chan int64, warned <-chan []byte) {
	heartbeat := time.NewTicker(h.heartbeat)
	defer heartbeat.Stop()
	end := time.NewTimer(h.lifetime)
	defer end.Stop()
	fmt.Fprintf(w, "retry: 2000\n")
	for {
		if v > 0 {
			fmt.Fprintf(w, "event: version\nid: %d\ndata: {\"version\":%d}\n\n", v, v)
			v = 0
		}
		if w.Flush() != nil {
			return
		}
		select {
		case <-h.base.Done():
			return
		case <-end.C:
			return
		case v = <-updates:
		case counts := <-warned:
			fmt.Fprintf(w, "event: warnings\ndata: %s\n\n", counts)
		case <-heartbeat.C:
			fmt.Fprintf(w, ": heartbeat\n\n")
		}
	}
}

// DataVersionHeader names the data version a change's answer carries, so that the page that made
// the change shows it at once, without waiting for its event.
const DataVersionHeader = "OneMap-Data-Version"

// dataVersion adds DataVersionHeader to every successful change answered under /api/v1 (and
// /ogc, whose Part 4 writes change assets as well). It reads
// the version after the change committed, so the version covers it; this instance's tile cache
// learns it at the same time.
func dataVersion(ts *tiles.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := c.Next(); err != nil || !unsafeMethod(c.Method()) || c.Response().StatusCode() >= 300 {
			return err
		}
		// The change has committed: failing to read the version must not report it failed (the
		// page then learns the version from its event stream).
		if v, err := ts.SyncVersion(c.UserContext()); err == nil {
			c.Set(DataVersionHeader, strconv.FormatInt(v, 10))
		}
		return nil
	}
}
