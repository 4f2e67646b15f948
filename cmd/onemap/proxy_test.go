package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb/encoding/mvt"

	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/tiles"
)

const proxyMetricsToken = "proxy-test-metrics-token"

// TestCachingProxy starts nginx from Debian on docs/nginx-onemap.conf in front of two instances
// on one database and checks what docs/caching-proxy.md promises: repeated versioned tiles come
// from the proxy (the instances' tile counts stay), an edit changes the URL TileJSON gives and
// nothing stale is served under it, unversioned tiles are not stored, and with reads needing a
// sign-in no tile is ever stored. Skips only when nginx is not installed (scripts/deps.sh test).
func TestCachingProxy(t *testing.T) {
	nginx := nginxBinary(t)
	url := tileCity(t)
	if _, _, err := runCLI(t, url, "user", "demo"); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ONEMAP_DATABASE_URL": url, "ONEMAP_METRICS_TOKEN": proxyMetricsToken, "ONEMAP_DB_MAX_CONNS": "4"}
	t.Run("public", func(t *testing.T) {
		a, b := serveFor(t, env), serveFor(t, env)
		p := startNginx(t, nginx, a, b)
		testPublicTiles(t, p, []string{a, b})
	})
	t.Run("signin", func(t *testing.T) {
		env["ONEMAP_ANONYMOUS_READ"] = "false"
		a, b := serveFor(t, env), serveFor(t, env)
		p := startNginx(t, nginx, a, b)
		testSignInTiles(t, p, []string{a, b})
	})
}

// nginxBinary finds nginx, skipping the test without it.
func nginxBinary(t *testing.T) string {
	for _, p := range []string{"nginx", "/usr/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("nginx is not installed (scripts/deps.sh test installs it)")
	return ""
}

// nginxProxy is a running nginx: its base URL and its cache directory.
type nginxProxy struct{ base, cache string }

// startNginx runs nginx in the foreground with its own prefix, on a free port, on the documented
// configuration with its marked lines pointed at this test's instances and directories.
func startNginx(t *testing.T, bin string, upstreams ...string) nginxProxy {
	t.Helper()
	dir := t.TempDir()
	port := dbtest.FreePort(t)
	doc, err := os.ReadFile("../../docs/nginx-onemap.conf")
	if err != nil {
		t.Fatal(err)
	}
	var servers []string
	for _, u := range upstreams {
		servers = append(servers, "server "+strings.TrimPrefix(u, "http://")+";")
	}
	conf := strings.NewReplacer(
		"/var/cache/nginx/onemap", filepath.Join(dir, "cache"),
		"server 127.0.0.1:8081;\n    server 127.0.0.1:8082;", strings.Join(servers, "\n    "),
		"listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", port),
	).Replace(string(doc))
	if !strings.Contains(conf, servers[0]) || !strings.Contains(conf, fmt.Sprint(port)) {
		t.Fatal("docs/nginx-onemap.conf no longer has the marked lines the test replaces")
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("onemap.conf", conf)
	write("nginx.conf", mainConf(dir))
	cmd := exec.Command(bin, "-p", dir, "-c", filepath.Join(dir, "nginx.conf")) //nolint:noctx // stopped below
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		_ = cmd.Wait()
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitFor(t, base+"/healthz", func() string { b, _ := os.ReadFile(filepath.Join(dir, "error.log")); return string(b) })
	return nginxProxy{base: base, cache: filepath.Join(dir, "cache")}
}

// mainConf is nginx's own frame around the OneMap part: everything under dir, in the foreground.
func mainConf(dir string) string {
	user := ""
	if os.Geteuid() == 0 {
		user = "user root root;\n" // workers reach the test's private directories
	}
	tmp := func(name string) string { return filepath.Join(dir, "tmp-"+name) }
	return user + fmt.Sprintf(`daemon off;
worker_processes 1;
pid %s;
error_log %s warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path %s; proxy_temp_path %s; fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;
    include %s;
}
`, filepath.Join(dir, "nginx.pid"), filepath.Join(dir, "error.log"), tmp("body"), tmp("proxy"), tmp("fastcgi"),
		tmp("uwsgi"), tmp("scgi"), filepath.Join(dir, "onemap.conf"))
}

// waitFor polls url until it answers 200 (10 s at most; log tells why not).
func waitFor(t *testing.T, url string, log func() string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url) //nolint:noctx // test
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not answering: %v\n%s", url, err, log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// get sends one GET with an optional bearer token and returns the answer and its body.
func get(t *testing.T, url, token string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), "GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// tileRenders sums, over the instances, the tile requests they answered (their /metrics).
func tileRenders(t *testing.T, instances []string) (total int, each []int) {
	t.Helper()
	for _, base := range instances {
		_, body := get(t, base+"/metrics", proxyMetricsToken)
		n := 0
		sc := bufio.NewScanner(strings.NewReader(string(body)))
		for sc.Scan() {
			line := sc.Text()
			if !strings.HasPrefix(line, "onemap_tile_duration_seconds_count{") {
				continue
			}
			v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			if err != nil {
				t.Fatal(err)
			}
			n += int(v)
		}
		total += n
		each = append(each, n)
	}
	return total, each
}

// tileJSON reads the composite TileJSON through the proxy: its tile URL template and version.
func tileJSON(t *testing.T, base, token string) (string, int64) {
	t.Helper()
	resp, body := get(t, base+"/tiles/onemap.json", token)
	var tj tiles.TileJSON
	if err := json.Unmarshal(body, &tj); err != nil || resp.StatusCode != 200 {
		t.Fatalf("TileJSON: %d %v", resp.StatusCode, err)
	}
	return tj.Tiles[0], tj.DataVersion
}

// settledTileJSON is tileJSON once the version holds for a second: an edit raises it, and the
// land overview's rebuild after it once more (the UI follows both through /api/v1/events).
func settledTileJSON(t *testing.T, base, token string) (string, int64) {
	t.Helper()
	template, v := tileJSON(t, base, token)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		time.Sleep(time.Second)
		t2, v2 := tileJSON(t, base, token)
		if v2 == v {
			return template, v
		}
		template, v = t2, v2
	}
	t.Fatalf("the data version did not settle (last %d)", v)
	return "", 0
}

// tilePath is the proxy's URL of tile id under data version v (0: unversioned).
func tilePath(base string, id tiles.TileID, v int64) string {
	u := base + "/tiles/onemap/" + id.String() + ".mvt"
	if v > 0 {
		u += "?v=" + strconv.FormatInt(v, 10)
	}
	return u
}

// someTiles are zoom-16 tiles of the test city's parcel grids (tilestest: 114.265–114.283°E and
// 114.315–114.333°E from 29.845°N), west and east.
func someTiles() []tiles.TileID {
	var out []tiles.TileID
	for _, lon := range []float64{114.268, 114.276, 114.318, 114.326} {
		out = append(out, tiles.TileAt(16, lon, 29.847))
	}
	return out
}

func testPublicTiles(t *testing.T, p nginxProxy, instances []string) {
	template, v := settledTileJSON(t, p.base, "")
	if !strings.HasSuffix(template, "?v="+strconv.FormatInt(v, 10)) {
		t.Fatalf("TileJSON template %q does not carry the version %d", template, v)
	}
	// First round: every tile misses and reaches an instance; both instances take some.
	for _, id := range someTiles() {
		if resp, _ := get(t, tilePath(p.base, id, v), ""); resp.StatusCode != 200 || resp.Header.Get("X-Cache-Status") != "MISS" {
			t.Fatalf("first %s: %d %s, want 200 MISS", id, resp.StatusCode, resp.Header.Get("X-Cache-Status"))
		}
	}
	before, each := tileRenders(t, instances)
	if each[0] == 0 || each[1] == 0 {
		t.Errorf("tile requests per instance %v: want both instances used", each)
	}
	for range 3 {
		for _, id := range someTiles() {
			if resp, _ := get(t, tilePath(p.base, id, v), ""); resp.Header.Get("X-Cache-Status") != "HIT" {
				t.Errorf("repeated %s: %s, want HIT", id, resp.Header.Get("X-Cache-Status"))
			}
		}
	}
	if after, _ := tileRenders(t, instances); after != before {
		t.Errorf("instances answered %d tile requests for 12 repeated ones, want 0", after-before)
	}
	// Unversioned tiles are not stored (s-maxage=0): each reaches an instance.
	for range 2 {
		if resp, _ := get(t, tilePath(p.base, someTiles()[0], 0), ""); resp.Header.Get("X-Cache-Status") == "HIT" {
			t.Error("an unversioned tile came from the proxy's store")
		}
	}
	testEditThroughProxy(t, p, v)
}

// testEditThroughProxy edits a parcel of a cached tile: TileJSON gives a new version, and the
// tile under it shows the edit on every request, from an instance first and the proxy after.
func testEditThroughProxy(t *testing.T, p nginxProxy, v int64) {
	id := someTiles()[0]
	_, old := get(t, tilePath(p.base, id, v), "")
	asset, stage := firstParcel(t, old)
	token := signInThrough(t, p.base, "analyst")
	_, body := get(t, fmt.Sprintf("%s/api/v1/assets/%d", p.base, asset), token)
	var cur struct{ Version int }
	if err := json.Unmarshal(body, &cur); err != nil {
		t.Fatal(err)
	}
	next := map[string]string{"idle": "done"}[stage]
	if next == "" {
		next = "idle"
	}
	req, _ := http.NewRequestWithContext(context.Background(), "PATCH", fmt.Sprintf("%s/api/v1/assets/%d", p.base, asset),
		strings.NewReader(fmt.Sprintf(`{"version":%d,"stage":%q}`, cur.Version, next)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("PATCH through the proxy: %d", resp.StatusCode)
	}
	template, v2 := settledTileJSON(t, p.base, "")
	if v2 <= v || !strings.HasSuffix(template, "?v="+strconv.FormatInt(v2, 10)) {
		t.Fatalf("after the edit TileJSON gives %q (version %d), want a version above %d", template, v2, v)
	}
	for i, want := range []string{"MISS", "HIT", "HIT"} {
		resp, data := get(t, tilePath(p.base, id, v2), "")
		if got := resp.Header.Get("X-Cache-Status"); got != want {
			t.Errorf("request %d of the new URL: %s, want %s", i+1, got, want)
		}
		if _, s := parcelStage(t, data, asset); s != next {
			t.Errorf("request %d of the new URL shows stage %q, want the edit's %q", i+1, s, next)
		}
	}
}

// firstParcel is the id and stage of the first land parcel in an MVT tile.
func firstParcel(t *testing.T, data []byte) (int64, string) {
	t.Helper()
	return parcelStage(t, data, 0)
}

// parcelStage finds the land parcel id in the tile (any when id is 0) and returns its id and stage.
func parcelStage(t *testing.T, data []byte, id int64) (int64, string) {
	t.Helper()
	ls, err := mvt.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Name != "land" {
			continue
		}
		for _, f := range l.Features {
			fid, _ := f.Properties["id"].(float64)
			if id == 0 || int64(fid) == id {
				s, _ := f.Properties["stage"].(string)
				return int64(fid), s
			}
		}
	}
	t.Fatalf("no land parcel %d in the tile", id)
	return 0, ""
}

// signInThrough signs a demo account in through base and returns its token.
func signInThrough(t *testing.T, base, user string) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), "POST", base+"/api/v1/login",
		strings.NewReader(fmt.Sprintf(`{"username":%q,"password":"onemap-demo"}`, user)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || s.Token == "" {
		t.Fatalf("sign-in of %s: %d %v", user, resp.StatusCode, err)
	}
	return s.Token
}

// testSignInTiles: with reads needing a sign-in, tiles are private; the proxy stores none.
func testSignInTiles(t *testing.T, p nginxProxy, instances []string) {
	token := signInThrough(t, p.base, "leader")
	_, v := settledTileJSON(t, p.base, token)
	id := someTiles()[0]
	if resp, _ := get(t, tilePath(p.base, id, v), ""); resp.StatusCode != 401 {
		t.Errorf("tile without a sign-in through the proxy: %d, want 401", resp.StatusCode)
	}
	before, _ := tileRenders(t, instances)
	for i := range 3 {
		resp, _ := get(t, tilePath(p.base, id, v), token)
		if resp.StatusCode != 200 || resp.Header.Get("X-Cache-Status") == "HIT" || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "private") {
			t.Errorf("signed-in request %d: %d %s %q, want 200 from an instance, private", i+1, resp.StatusCode,
				resp.Header.Get("X-Cache-Status"), resp.Header.Get("Cache-Control"))
		}
	}
	if after, _ := tileRenders(t, instances); after-before != 3 {
		t.Errorf("instances answered %d of 3 signed-in tile requests, want all 3", after-before)
	}
	stored := 0
	_ = filepath.WalkDir(p.cache, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			stored++
		}
		return nil
	})
	if stored != 0 {
		t.Errorf("the proxy stored %d files of sign-in tiles, want none", stored)
	}
}
