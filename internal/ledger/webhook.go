package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// Webhook delivers each new warning to an outside system (ONEMAP_WEBHOOK_URL) as a JSON POST
// with the header X-OneMap-Event: warning. Deliveries are rows of webhook_deliveries, so they
// survive restarts; a failed one is retried after 1 s, 2 s, 4 s … (at most 5 min apart) until
// it succeeds (any 2xx) or a day has passed since the warning opened.
type Webhook struct {
	svc    *Service
	url    string
	client *http.Client
	log    *slog.Logger
	// Poll is how often due deliveries are looked for.
	Poll time.Duration
}

// Webhook returns the delivery worker posting to url.
func (s *Service) Webhook(url string, log *slog.Logger) *Webhook {
	return &Webhook{svc: s, url: url, client: &http.Client{Timeout: 10 * time.Second}, log: log, Poll: time.Second}
}

// The retry schedule.
const (
	firstRetry  = time.Second
	maxRetryGap = 5 * time.Minute
	giveUpAfter = 24 * time.Hour
	// claimFor keeps a claimed delivery from other workers while it is being posted.
	claimFor = 2 * time.Minute
)

// errTooLate marks a delivery not attempted: its warning opened more than a day ago (the
// webhook was set up later, or the server was down).
var errTooLate = errors.New("not delivered within a day")

// retryAfter is the wait after the n-th failed attempt (n ≥ 1): 1 s doubling, capped.
func retryAfter(n int) time.Duration {
	if n > 12 {
		return maxRetryGap
	}
	return min(firstRetry<<(n-1), maxRetryGap)
}

// Run delivers due deliveries every Poll until ctx ends.
func (w *Webhook) Run(ctx context.Context) {
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	for {
		if _, err := w.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("webhook: deliveries not read", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// delivery is a claimed webhook_deliveries row and the warning it carries.
type delivery struct {
	id       int64
	attempts int
	opened   time.Time
	warning  Warning
}

// batch is how many deliveries one claim takes.
const batch = 50

// DeliverDue posts every delivery now due, once each, a batch at a time, and returns how many
// were delivered.
func (w *Webhook) DeliverDue(ctx context.Context) (int, error) {
	total := 0
	for {
		due, err := w.svc.claimDeliveries(ctx, batch)
		if err != nil {
			return total, err
		}
		n, err := w.deliver(ctx, due)
		total += n
		if err != nil || len(due) < batch {
			return total, err
		}
	}
}

// deliver posts each claimed delivery (not one whose warning opened over a day ago) and records
// how it went.
func (w *Webhook) deliver(ctx context.Context, due []delivery) (int, error) {
	delivered := 0
	for _, d := range due {
		now := w.svc.now()
		d.warning.finish(now)
		postErr := errTooLate
		if now.Sub(d.opened) <= giveUpAfter {
			postErr = w.post(ctx, d.warning)
		}
		if postErr == nil {
			delivered++
		}
		if err := w.svc.recordDelivery(ctx, d, now, postErr); err != nil {
			return delivered, err
		}
		if postErr != nil && !errors.Is(postErr, errTooLate) {
			w.log.Warn("webhook: delivery failed", "warning", d.warning.ID, "attempt", d.attempts+1, "err", postErr)
		}
	}
	return delivered, nil
}

// post sends one warning; any answer but 2xx is an error.
func (w *Webhook) post(ctx context.Context, wa Warning) error {
	body, err := json.Marshal(wa.WarningEvent)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-OneMap-Event", "warning")
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16)) // lets the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}
