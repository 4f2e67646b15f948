package httpx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onemap/onemap/internal/db"
)

// TestErrorHandlerDatabaseErrors: a full cluster is a 503 with Retry-After, logged once for many
// requests; a numeric overflow is a 422 in the user's terms; neither shows PostgreSQL's words.
func TestErrorHandlerDatabaseErrors(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mon := db.NewMonitor(ctx, log, func(context.Context) error { return errors.New("still down") }, time.Hour)
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(log, mon)})
	full := &pgconn.PgError{Severity: "FATAL", Code: "53300", Message: "sorry, too many clients already"}
	overflow := &pgconn.PgError{Severity: "ERROR", Code: "22003", Message: "numeric field overflow", Detail: "A field with precision 16, scale 2 must round to an absolute value less than 10^14."}
	app.Get("/full", func(*fiber.Ctx) error { return fmt.Errorf("assets: search: %w", full) })
	app.Get("/overflow", func(*fiber.Ctx) error { return fmt.Errorf("assets: write: %w", overflow) })
	for range 5 {
		resp, err := app.Test(httptest.NewRequest("GET", "/full", nil))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || strings.Contains(string(body), "too many") {
			t.Fatalf("full cluster: %d, Retry-After %q: %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
	if n := strings.Count(logs.String(), "database unavailable"); n != 1 {
		t.Errorf("an outage of 5 requests logged %d lines, want 1:\n%s", n, logs.String())
	}
	resp, err := app.Test(httptest.NewRequest("GET", "/overflow", nil))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 422 || strings.Contains(string(body), "numeric field") || strings.Contains(string(body), "precision") {
		t.Errorf("overflow: %d %s", resp.StatusCode, body)
	}
}
