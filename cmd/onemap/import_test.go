package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onemap/onemap/internal/db/dbtest"
)

// runCLI executes one command line against url and returns its output and error.
func runCLI(t *testing.T, url string, args ...string) (string, string, error) {
	t.Helper()
	env := func(k string) string {
		if k == "ONEMAP_DATABASE_URL" {
			return url
		}
		return ""
	}
	m := NewMain(args, env)
	var out, errOut bytes.Buffer
	m.Stdout, m.Stderr = &out, &errOut
	err := m.Run(context.Background())
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return out.String(), errOut.String(), err
}

func TestImportExportCommands(t *testing.T) {
	url := dbtest.NewURL(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "parcels.geojson")
	body := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"BSM":"1","DKMC":"一号地"},"geometry":{"type":"Polygon","coordinates":[[[114.3,29.8],[114.301,29.8],[114.301,29.801],[114.3,29.801],[114.3,29.8]]]}},
{"type":"Feature","properties":{"BSM":"2","DKMC":"二号地"},"geometry":{"type":"Polygon","coordinates":[[[114.31,29.8],[114.311,29.8],[114.311,29.801],[114.31,29.801],[114.31,29.8]]]}}]}`
	if err := os.WriteFile(src, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, url, "import", "--kind", "land", "--dry-run", src)
	if err != nil || !strings.Contains(out, "would import 2 of 2 rows") || !strings.Contains(errOut, "2/2 read") {
		t.Fatalf("dry run: %v\n%s\n%s", err, out, errOut)
	}
	if out, _, err := runCLI(t, url, "import", "--kind=land", "-max-import-rows", "10", src); err != nil || !strings.Contains(out, "imported 2 of 2 rows") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, url, "import", "--kind", "land", src)
	if err == nil || !strings.Contains(out, "2 skipped") {
		t.Errorf("repeat import: err %v (want nothing imported)\n%s", err, out)
	}
	if _, _, err := runCLI(t, url, "import", "--kind", "land", "--on-conflict", "merge", src); err == nil {
		t.Error("--on-conflict merge: no error")
	}
	csv := filepath.Join(dir, "out.csv")
	if _, _, err := runCLI(t, url, "export", "--format", "csv", "--kind", "land", "-o", csv); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(csv)
	if err != nil || !bytes.HasPrefix(b, []byte("\ufeff资产编号,")) || !bytes.Contains(b, []byte("二号地")) {
		t.Errorf("exported CSV = %q, %v", b, err)
	}
	if _, _, err := runCLI(t, url, "export", "--format", "csv", "--kind", "land", "--wkt", "-o", csv); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(csv); err != nil || !bytes.Contains(b, []byte(",中心经度,中心纬度,WKT\r\n")) || !bytes.Contains(b, []byte("MULTIPOLYGON")) {
		t.Errorf("exported CSV --wkt = %q, %v", b, err)
	}
	if _, _, err := runCLI(t, url, "export", "--format", "csv", "--stage", "asleep"); err == nil {
		t.Error("--stage asleep: no error")
	}
	// --within: an area inline or in a file; only the first parcel lies in it, wholly.
	area := `{"type":"Polygon","coordinates":[[[114.299,29.799],[114.305,29.799],[114.305,29.805],[114.299,29.805],[114.299,29.799]]]}`
	areaFile := filepath.Join(dir, "area.geojson")
	if err := os.WriteFile(areaFile, []byte(area), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, within := range []string{area, areaFile} {
		if _, _, err := runCLI(t, url, "export", "--format", "csv", "--within", within, "-o", csv); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(csv)
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if err != nil || len(lines) != 2 || !strings.Contains(lines[0], ",重叠面积(亩),重叠比例,中心经度,中心纬度") || !strings.Contains(lines[1], "一号地") {
			t.Errorf("--within %.20s: CSV = %q, %v", within, b, err)
		}
	}
	if _, _, err := runCLI(t, url, "export", "--format", "csv", "--within", `{"type":"Point","coordinates":[114.3,29.8]}`); err == nil {
		t.Error("--within a point: no error")
	}
	// --near with --radius-m: the second parcel lies about 950 m east of the first.
	for radius, want := range map[string]int{"300": 1, "2000": 2} {
		if _, _, err := runCLI(t, url, "export", "--format", "csv", "--near", "114.3005,29.8005", "--radius-m", radius, "-o", csv); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(csv)
		if n := strings.Count(strings.TrimSpace(string(b)), "\n"); n != want {
			t.Errorf("--near --radius-m %s: %d parcels, want %d", radius, n, want)
		}
	}
	if _, _, err := runCLI(t, url, "export", "--format", "csv", "--near", "114.3,29.8"); err == nil {
		t.Error("--near without --radius-m: no error")
	}
}
