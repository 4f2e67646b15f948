package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/static"
)

// newTestApp builds the app without a database: the routes under test never touch it.
func newTestApp(t *testing.T, cfg config.Config) *fiber.App {
	t.Helper()
	cfg.RequestTimeout = 5 * time.Second
	cfg.AnonymousRead = true
	return New(Deps{Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: NewMetrics(), Base: context.Background()})
}

// reply is what a test keeps of a response: its status and headers (the body is read and closed).
type reply struct {
	StatusCode int
	Header     http.Header
}

func do(t *testing.T, app *fiber.App, method, target string, hdr map[string]string) (reply, string) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return reply{StatusCode: res.StatusCode, Header: res.Header}, string(b)
}

func TestStaticServesTheUI(t *testing.T) {
	app := newTestApp(t, config.Config{})
	t.Run("index", func(t *testing.T) {
		res, body := do(t, app, "GET", "/", nil)
		if res.StatusCode != 200 || !strings.Contains(body, `id="map"`) {
			t.Fatalf("GET / = %d, body %.200q", res.StatusCode, body)
		}
		if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/html") {
			t.Errorf("Content-Type = %q", got)
		}
		if got := res.Header.Get("Cache-Control"); got != "no-cache" {
			t.Errorf("Cache-Control = %q, want no-cache", got)
		}
	})
	t.Run("module", func(t *testing.T) {
		res, _ := do(t, app, "GET", "/js/main.js", nil)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
			t.Fatalf("GET /js/main.js = %d %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
	})
	t.Run("vendor is immutable and revalidates", func(t *testing.T) {
		_, index := do(t, app, "GET", "/index.html", nil)
		src := "/" + regexp.MustCompile(`vendor/maplibre-gl@[^/"]+/maplibre-gl\.js`).FindString(index)
		if src == "/" {
			t.Fatal("index.html names no vendored maplibre-gl.js")
		}
		res, body := do(t, app, "GET", src, nil)
		if res.StatusCode != 200 || len(body) < 100_000 {
			t.Fatalf("GET %s = %d, %d bytes", src, res.StatusCode, len(body))
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("Cache-Control = %q, want immutable", cc)
		}
		res, _ = do(t, app, "GET", src, map[string]string{"If-None-Match": res.Header.Get("ETag")})
		if res.StatusCode != http.StatusNotModified {
			t.Errorf("revalidation = %d, want 304", res.StatusCode)
		}
	})
	t.Run("compressed once, decompresses to the file", func(t *testing.T) {
		want, err := fs.ReadFile(static.FS, "js/i18n.js")
		if err != nil {
			t.Fatal(err)
		}
		decoders := map[string]func(io.Reader) (io.Reader, error){
			"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
			"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		}
		tags := map[string]bool{}
		for _, enc := range []string{"br", "gzip", "identity"} {
			res, body := do(t, app, "GET", "/js/i18n.js", map[string]string{"Accept-Encoding": enc})
			got := []byte(body)
			if dec := decoders[enc]; dec != nil {
				if ce := res.Header.Get("Content-Encoding"); ce != enc {
					t.Fatalf("Accept-Encoding %s: Content-Encoding %q", enc, ce)
				}
				if len(body) >= len(want)/2 {
					t.Errorf("%s: %d bytes for a %d-byte file", enc, len(body), len(want))
				}
				r, err := dec(strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if got, err = io.ReadAll(r); err != nil {
					t.Fatalf("%s: %v", enc, err)
				}
			} else if ce := res.Header.Get("Content-Encoding"); ce != "" {
				t.Fatalf("identity: Content-Encoding %q", ce)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: body differs from the file (%d vs %d bytes)", enc, len(got), len(want))
			}
			if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s: Vary = %q", enc, res.Header.Get("Vary"))
			}
			tag := res.Header.Get("ETag")
			if tags[tag] {
				t.Errorf("%s: ETag %s shared with another encoding", enc, tag)
			}
			tags[tag] = true
			res, _ = do(t, app, "GET", "/js/i18n.js", map[string]string{"Accept-Encoding": enc, "If-None-Match": tag})
			if res.StatusCode != http.StatusNotModified {
				t.Errorf("%s: revalidation = %d, want 304", enc, res.StatusCode)
			}
		}
	})
	for _, target := range []string{"/nope.js", "/embed.go", "/vendor/../../go.mod", "/api/v1/nothing"} {
		t.Run("404 "+target, func(t *testing.T) {
			res, _ := do(t, app, "GET", target, nil)
			if res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("GET %s = %d %q, want 404 problem", target, res.StatusCode, res.Header.Get("Content-Type"))
			}
		})
	}
}

func TestUIConfig(t *testing.T) {
	app := newTestApp(t, config.Config{TiandituKey: "abc123", BasemapURL: "https://tiles.example/{z}/{x}/{y}.png"})
	res, body := do(t, app, "GET", "/api/v1/config", nil)
	if res.StatusCode != 200 {
		t.Fatalf("GET /api/v1/config = %d", res.StatusCode)
	}
	var got uiConfig
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	if got.TiandituKey != "abc123" || got.BasemapURL != "https://tiles.example/{z}/{x}/{y}.png" {
		t.Errorf("config = %+v", got)
	}
}

// TestBasemapCSP: the Tianditu hosts (or the configured Tianditu endpoint) may serve images and
// fetches only when a key is configured; the UI config names the endpoint then.
func TestBasemapCSP(t *testing.T) {
	origins := func(csp, directive string) string {
		for _, d := range strings.Split(csp, ";") {
			if d = strings.TrimSpace(d); strings.HasPrefix(d, directive+" ") {
				return d
			}
		}
		return ""
	}
	tests := []struct {
		name    string
		cfg     config.Config
		want    string // in img-src and connect-src
		wantURL string
	}{
		{"no key", config.Config{TiandituURL: config.DefaultTiandituURL}, "", ""},
		{"key", config.Config{TiandituKey: "k1", TiandituURL: config.DefaultTiandituURL}, "https://t7.tianditu.gov.cn", config.DefaultTiandituURL},
		{"key and receiver", config.Config{TiandituKey: "k1", TiandituURL: "http://127.0.0.1:9/{layer}_w/wmts"}, "http://127.0.0.1:9", "http://127.0.0.1:9/{layer}_w/wmts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := newTestApp(t, tt.cfg)
			res, body := do(t, app, "GET", "/api/v1/config", nil)
			csp := res.Header.Get("Content-Security-Policy")
			for _, d := range []string{"img-src", "connect-src"} {
				got := origins(csp, d)
				if tt.want == "" && strings.Contains(got, "tianditu") || tt.want != "" && !strings.Contains(got, " "+tt.want) {
					t.Errorf("%s = %q, want %q", d, got, tt.want)
				}
			}
			var ui uiConfig
			if err := json.Unmarshal([]byte(body), &ui); err != nil || ui.TiandituURL != tt.wantURL {
				t.Errorf("config = %s (%v), want tianditu_url %q", body, err, tt.wantURL)
			}
		})
	}
}
