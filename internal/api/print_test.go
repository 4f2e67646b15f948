package api_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/jpeg"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/auth"
)

// printAs posts a sheet and a raster to /api/v1/print: the status, the body and the problem's first parameter.
func printAs(t *testing.T, app *fiber.App, token, sheet string, raster []byte) (int, []byte, string) {
	t.Helper()
	st, b := postFile(t, app, "/api/v1/print", token, "map.jpg", raster, map[string]string{"sheet": sheet})
	var p struct {
		Params []struct{ Name string } `json:"invalid_params"`
	}
	if json.Unmarshal(b, &p) == nil && len(p.Params) > 0 {
		return st, b, p.Params[0].Name
	}
	return st, b, ""
}

// TestPrint: a leader (read-only) prints a PDF, which is audited; anonymous callers cannot; bad
// sheets and rasters are 400s naming the part.
func TestPrint(t *testing.T) {
	app, pool := fixture(t)
	token := login(t, app, pool, "lead", auth.Leader, nil)
	var img bytes.Buffer
	if err := jpeg.Encode(&img, image.NewGray(image.Rect(0, 0, 80, 40)), nil); err != nil {
		t.Fatal(err)
	}
	const sheet = `{"title":"测试专题图","paper":"A4","orientation":"landscape","metres_per_pixel":2}`
	st, body, _ := printAs(t, app, token, sheet, img.Bytes())
	if st != 200 || !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Fatalf("status %d, body %.200s", st, body)
	}
	var n int
	if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = 'print' AND actor = 'lead'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("audited %d times (%v), want 1", n, err)
	}
	if st, _, _ := printAs(t, app, "", sheet, img.Bytes()); st != 401 {
		t.Errorf("anonymous: status %d, want 401", st)
	}
	for _, c := range []struct {
		sheet, param string
		raster       []byte
	}{
		{`{"title":`, "sheet", img.Bytes()},
		{`{"paper":"B5","metres_per_pixel":2}`, "sheet.paper", img.Bytes()},
		{`{"metres_per_pixel":-1}`, "sheet.metres_per_pixel", img.Bytes()},
		{sheet, "file", []byte("not an image")},
	} {
		if st, _, p := printAs(t, app, token, c.sheet, c.raster); st != 400 || p != c.param {
			t.Errorf("%s: status %d naming %q, want 400 naming %q", c.sheet, st, p, c.param)
		}
	}
}
