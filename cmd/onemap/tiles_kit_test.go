package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/protomaps/go-pmtiles/pmtiles"

	"github.com/onemap/onemap/internal/offline"
	"github.com/onemap/onemap/tiles/tilestest"
)

// kitFiles are the files of an offline kit besides the package (vendor paths as index.html names them).
var kitFiles = []string{
	"index.html", "viewer.js", "viewer.css", "kit.js", "favicon.svg",
	"vendor/maplibre-gl@5.24.1/maplibre-gl.js", "vendor/maplibre-gl@5.24.1/maplibre-gl.css", "vendor/pmtiles@4.5.0/pmtiles.js", "vendor/VERSIONS",
}

// TestTilesExportKit exports a region's package with --kit: the kit folder holds the viewer, the
// libraries and the package; the package's metadata carries the region's totals as SQL counts
// them; and the server hands the same kit out as /tiles/onemap-offline.zip.
func TestTilesExportKit(t *testing.T) {
	url := tileCity(t)
	dir, kitDir := t.TempDir(), t.TempDir()
	base := serveFor(t, map[string]string{"ONEMAP_DATABASE_URL": url, "ONEMAP_PMTILES_DIR": dir})
	if st, ct := status(t, base, "/tiles/onemap-offline.zip"); st != 404 || !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("kit before any export = %d %s, want 404 problem+json", st, ct)
	}
	pkg := filepath.Join(dir, "east.pmtiles")
	out, errOut, err := runCLI(t, url, "tiles", "export", "--region", tilestest.RegionEast, "--minzoom", "8", "--maxzoom", "12",
		"-o", pkg, "--kit", kitDir)
	if err != nil {
		t.Fatalf("tiles export --kit: %v\n%s", err, errOut)
	}
	root := filepath.Join(kitDir, "onemap-offline")
	if !strings.Contains(out, filepath.Join(root, "index.html")) {
		t.Errorf("stdout %q does not say where the kit's index.html is", out)
	}
	for _, f := range append(kitFiles, "east.pmtiles") {
		if info, err := os.Stat(filepath.Join(root, f)); err != nil || info.Size() == 0 {
			t.Errorf("kit file %s: %v", f, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(root, "viewer.js")); bytes.Contains(b, []byte("\nimport ")) || !bytes.Contains(b, []byte("region-fill")) {
		t.Error("viewer.js is not one classic script holding the map's layers")
	}
	if b, _ := os.ReadFile(filepath.Join(root, "kit.js")); !bytes.Contains(b, []byte(`"package":"east.pmtiles"`)) {
		t.Errorf("kit.js = %s, want it to name east.pmtiles", b)
	}
	t.Run("totals", func(t *testing.T) { checkTotals(t, url, filepath.Join(root, "east.pmtiles")) })
	t.Run("zip", func(t *testing.T) { checkKitZip(t, base, root) })
}

// packageTotals reads the totals from a package's metadata.
func packageTotals(t *testing.T, path string) offline.Totals {
	t.Helper()
	file, h := readArchive(t, path)
	meta, err := pmtiles.DeserializeMetadata(bytes.NewReader(file[h.MetadataOffset:h.MetadataOffset+h.MetadataLength]), h.InternalCompression)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Region string         `json:"region"`
		Totals offline.Totals `json:"totals"`
		Names  offline.Names  `json:"names"`
	}
	b, _ := json.Marshal(meta)
	if err := json.Unmarshal(b, &m); err != nil || m.Region != tilestest.RegionEast {
		t.Fatalf("metadata %s: region %q, %v", b, m.Region, err)
	}
	if m.Names.Regions[tilestest.RegionEast] == "" || len(m.Names.Regions) != 1 {
		t.Errorf("metadata names the regions %v, want the east region alone", m.Names.Regions)
	}
	return m.Totals
}

// checkTotals compares the package's totals with the region's assets counted in SQL.
func checkTotals(t *testing.T, url, path string) {
	got := packageTotals(t, path)
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	const q = `SELECT g, count(*), sum(area_mu) FROM (SELECT CASE WHEN $2 THEN stage ELSE mode END AS g, area_mu
		FROM assets WHERE region_code = $1 AND deleted_at IS NULL) a GROUP BY ROLLUP (g)`
	for _, byStage := range []bool{true, false} {
		want := map[string]offline.Count{}
		rows, err := pool.Query(context.Background(), q, tilestest.RegionEast, byStage)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var g *string
			var c offline.Count
			if err := rows.Scan(&g, &c.Count, &c.AreaMu); err != nil {
				t.Fatal(err)
			}
			if g == nil {
				want["total"] = c
			} else {
				want[*g] = c
			}
		}
		if rows.Err() != nil || want["total"].Count == 0 {
			t.Fatalf("SQL totals %v: %v", want, rows.Err())
		}
		groups := map[bool]map[string]offline.Count{true: got.Stage, false: got.Mode}[byStage]
		sameCounts(t, "total", got.Count, want["total"])
		for g, c := range want {
			if g != "total" {
				sameCounts(t, g, groups[g], c)
			}
		}
		if len(groups) != len(want)-1 {
			t.Errorf("package groups %v, SQL %v", groups, want)
		}
	}
}

func sameCounts(t *testing.T, what string, got, want offline.Count) {
	t.Helper()
	if got.Count != want.Count || got.AreaMu-want.AreaMu > 1e-6 || want.AreaMu-got.AreaMu > 1e-6 {
		t.Errorf("%s: package %+v, SQL %+v", what, got, want)
	}
}

// checkKitZip downloads the kit and compares it, file by file, with the one the CLI wrote.
func checkKitZip(t *testing.T, base, root string) {
	resp, err := http.Get(base + "/tiles/onemap-offline.zip") //nolint:noctx // test
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("kit zip = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		want, err := os.ReadFile(filepath.Join(filepath.Dir(root), filepath.FromSlash(f.Name)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("zip entry %s differs from the CLI's kit (%v)", f.Name, err)
		}
		seen++
	}
	if seen != len(kitFiles)+2 { // + the package and the licence
		t.Errorf("zip holds %d files, want %d", seen, len(kitFiles)+2)
	}
}
