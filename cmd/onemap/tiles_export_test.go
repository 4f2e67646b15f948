package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/protomaps/go-pmtiles/pmtiles"

	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/tiles"
	"github.com/onemap/onemap/tiles/tilestest"
)

// tileCity fills a fresh database with the tiles' test city, its land overview built, and
// returns its URL.
func tileCity(t *testing.T) string {
	t.Helper()
	url := dbtest.NewURL(t)
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	tilestest.City(t, pool)
	pool.Close()
	if _, _, err := runCLI(t, url, "tiles", "refresh"); err != nil {
		t.Fatal(err)
	}
	return url
}

// TestTilesExportPMTiles exports the test city as a PMTiles archive, reads it back with
// go-pmtiles (header, metadata, tiles) and compares its tiles with the server's; the server hands
// the archive out as /tiles/onemap.pmtiles, by byte ranges, once it exists.
func TestTilesExportPMTiles(t *testing.T) {
	url := tileCity(t)
	dir := t.TempDir()
	base := serveFor(t, map[string]string{"ONEMAP_DATABASE_URL": url, "ONEMAP_PMTILES_DIR": dir})
	if st, ct := status(t, base, "/tiles/onemap.pmtiles"); st != 404 || !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("package before any export = %d %s, want 404 problem+json", st, ct)
	}
	out, progress, err := runCLI(t, url, "tiles", "export", "--format", "pmtiles", "--minzoom", "8", "--maxzoom", "16",
		"-o", filepath.Join(dir, "city.pmtiles"))
	if err != nil {
		t.Fatalf("tiles export: %v\n%s", err, progress)
	}
	t.Logf("%s%s", progress, out)
	if !strings.Contains(progress, "tiles: zoom 16,") || !strings.Contains(progress, "(100%)") {
		t.Errorf("progress on stderr = %q, want lines up to zoom 16 and 100%%", progress)
	}
	t.Run("show", func(t *testing.T) { checkShow(t, dir) })
	t.Run("entries", func(t *testing.T) { checkEntries(t, filepath.Join(dir, "city.pmtiles")) })
	for _, z := range []int{10, 16} {
		id := tiles.TileAt(z, tilestest.Lon, tilestest.Lat)
		t.Run(fmt.Sprintf("tile-z%d", z), func(t *testing.T) {
			sameTile(t, archiveTile(t, dir, id), serverTile(t, base, id))
		})
	}
	t.Run("served", func(t *testing.T) { checkServed(t, base, filepath.Join(dir, "city.pmtiles")) })
	t.Run("flags", func(t *testing.T) { checkExportFlags(t, url, dir) })
}

// show runs go-pmtiles' show on the archive with the given mode and returns what it wrote.
func show(t *testing.T, dir string, header, metadata, tile bool, id tiles.TileID) []byte {
	t.Helper()
	var b bytes.Buffer
	err := pmtiles.Show(log.New(io.Discard, "", 0), &b, "file://"+dir, "city.pmtiles", header, metadata, false, "", tile, id.Z, id.X, id.Y)
	if err != nil {
		t.Fatalf("pmtiles show: %v", err)
	}
	return b.Bytes()
}

// checkShow reads the header and metadata as `pmtiles show --header-json / --metadata` do.
func checkShow(t *testing.T, dir string) {
	var h pmtiles.HeaderJson
	if err := json.Unmarshal(show(t, dir, true, false, false, tiles.TileID{}), &h); err != nil {
		t.Fatal(err)
	}
	// The test city lies within 114.20–114.40°E, 29.80–29.90°N.
	if h.TileType != "mvt" || h.TileCompression != "gzip" || h.MinZoom != 8 || h.MaxZoom != 16 ||
		h.Bounds[0] < 114.19 || h.Bounds[2] > 114.41 || h.Bounds[1] < 29.79 || h.Bounds[3] > 29.91 {
		t.Errorf("header = %+v", h)
	}
	var meta struct {
		VectorLayers []struct{ ID string } `json:"vector_layers"`
		DataVersion  int64                 `json:"data_version"`
	}
	if err := json.Unmarshal(show(t, dir, false, true, false, tiles.TileID{}), &meta); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range meta.VectorLayers {
		ids = append(ids, l.ID)
	}
	if want := []string{"land", "mine", "forest", "water", "building", "zone", "region"}; !slices.Equal(ids, want) || meta.DataVersion == 0 {
		t.Errorf("metadata: layers %v (want %v), data_version %d", ids, want, meta.DataVersion)
	}
}

// readArchive reads a PMTiles file whole, with its header.
func readArchive(t *testing.T, path string) ([]byte, pmtiles.HeaderV3) {
	t.Helper()
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := pmtiles.DeserializeHeader(file[:pmtiles.HeaderV3LenBytes])
	if err != nil {
		t.Fatal(err)
	}
	return file, h
}

// checkEntries walks every directory entry (root and leaves) with go-pmtiles: the entries are in
// tile-ID order, address as many tiles as the header counts, and each holds a gzipped MVT tile.
func checkEntries(t *testing.T, path string) {
	file, h := readArchive(t, path)
	var addressed, entries, last uint64
	fetch := func(off, n uint64) ([]byte, error) { return file[off : off+n], nil }
	err := pmtiles.IterateEntries(h, fetch, func(e pmtiles.EntryV3) {
		if entries > 0 && e.TileID <= last {
			t.Errorf("entry %d: tile %d after %d", entries, e.TileID, last)
		}
		addressed, entries, last = addressed+uint64(e.RunLength), entries+1, e.TileID+uint64(e.RunLength)-1
		r, err := gzip.NewReader(bytes.NewReader(file[h.TileDataOffset+e.Offset : h.TileDataOffset+e.Offset+uint64(e.Length)]))
		if err != nil {
			t.Fatalf("tile %d: %v", e.TileID, err)
		}
		data, err := io.ReadAll(r)
		if err != nil || len(data) == 0 {
			t.Fatalf("tile %d: %d bytes, %v", e.TileID, len(data), err)
		}
		if _, err := mvt.Unmarshal(data); err != nil {
			t.Fatalf("tile %d: %v", e.TileID, err)
		}
	})
	if err != nil || addressed != h.AddressedTilesCount || entries != h.TileEntriesCount || entries == 0 {
		t.Errorf("entries: %d addressing %d tiles (%v), header says %d addressing %d", entries, addressed, err,
			h.TileEntriesCount, h.AddressedTilesCount)
	}
}

// archiveTile is one tile as `pmtiles show z x y` gives it, inflated.
func archiveTile(t *testing.T, dir string, id tiles.TileID) []byte {
	t.Helper()
	gz := show(t, dir, false, false, true, id)
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatalf("tile %s in the archive: %v", id, err)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// serverTile is the server's composite tile, uncompressed.
func serverTile(t *testing.T, base string, id tiles.TileID) []byte {
	t.Helper()
	resp, err := http.Get(base + "/tiles/onemap/" + id.String() + ".mvt") //nolint:noctx // test
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("server tile %s: %d %v", id, resp.StatusCode, err)
	}
	return data
}

// sameTile decodes both tiles and compares them layer by layer, feature by feature.
func sameTile(t *testing.T, got, want []byte) {
	t.Helper()
	dump := func(data []byte) []string {
		ls, err := mvt.Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range ls {
			for _, f := range l.Features {
				b, err := json.Marshal(f)
				if err != nil {
					t.Fatal(err)
				}
				lines = append(lines, l.Name+" "+string(b))
			}
		}
		slices.Sort(lines)
		return lines
	}
	g, w := dump(got), dump(want)
	if len(w) == 0 {
		t.Fatal("the server's tile is empty: nothing compared")
	}
	if !slices.Equal(g, w) {
		t.Errorf("archive tile has %d features, server's %d, or they differ", len(g), len(w))
	}
}

// checkServed fetches the archive's header by a Range request and the whole file.
func checkServed(t *testing.T, base, path string) {
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(context.Background(), "GET", base+"/tiles/onemap.pmtiles", nil)
	req.Header.Set("Range", fmt.Sprintf("bytes=0-%d", pmtiles.HeaderV3LenBytes-1))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, file[:pmtiles.HeaderV3LenBytes]) {
		t.Fatalf("range 0-126 = %d, %d bytes, want 206 and the file's header", resp.StatusCode, len(part))
	}
	if _, err := pmtiles.DeserializeHeader(part); err != nil {
		t.Errorf("served header: %v", err)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-cache") {
		t.Errorf("Cache-Control = %q, want revalidation (no-cache)", cc)
	}
	resp, err = http.Get(base + "/tiles/onemap.pmtiles") //nolint:noctx // test
	if err != nil {
		t.Fatal(err)
	}
	whole, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(whole, file) {
		t.Errorf("whole package = %d, %d bytes, want 200 and %d bytes", resp.StatusCode, len(whole), len(file))
	}
}

// checkExportFlags: a region's package lies within it; bad flags are refused by name.
func checkExportFlags(t *testing.T, url, dir string) {
	region := filepath.Join(t.TempDir(), "east.pmtiles")
	if _, errOut, err := runCLI(t, url, "tiles", "export", "--region", tilestest.RegionEast, "--maxzoom", "12", "-o", region); err != nil {
		t.Fatalf("--region: %v\n%s", err, errOut)
	}
	if _, h := readArchive(t, region); h.MinLonE7 != 114_3000000 || h.MaxLonE7 != 114_4000000 {
		t.Errorf("region package header %+v: want the east region's 114.3–114.4°E", h)
	}
	for flag, args := range map[string][]string{
		"bbox":   {"--bbox", "114,29,115", "-o", filepath.Join(dir, "x.pmtiles")},
		"region": {"--region", "999999", "-o", filepath.Join(dir, "x.pmtiles")},
		"format": {"--format", "mbtiles", "-o", filepath.Join(dir, "x.pmtiles")},
		"o":      {"--maxzoom", "3"},
	} {
		_, _, err := runCLI(t, url, append([]string{"tiles", "export"}, args...)...)
		if err == nil || !strings.Contains(err.Error(), flag) {
			t.Errorf("export %v: error %v, want one naming %s", args, err, flag)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.pmtiles")); err == nil {
		t.Error("a refused export left a file")
	}
}
