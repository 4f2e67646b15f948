package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
)

// check is the part of a check answer the tests read.
type check struct {
	ID         int64
	AssetID    *int64  `json:"asset_id"`
	AssetCode  *string `json:"asset_code"`
	Result     string
	DistanceM  *float64 `json:"distance_m"`
	Flagged    bool
	RegionCode *string `json:"region_code"`
	PhotoCount int     `json:"photo_count"`
	Actor      string
}

// checksFixture is projectsFixture with an asset E in the second county (嘉鱼县) and an analyst
// scoped to it.
func checksFixture(t *testing.T) (*fiber.App, *pgxpool.Pool, map[string]string) {
	t.Helper()
	app, pool, tok := projectsFixture(t)
	list := []assets.NewAsset{{Code: "E", Kind: assets.Land, Name: "戊地块", Geometry: square(113.80, 29.90, 0.002)}}
	if _, err := assets.NewService(pool).Insert(context.Background(), "test", "fixture", list); err != nil {
		t.Fatal(err)
	}
	tok["jiayu"] = login(t, app, pool, "c-jiayu", auth.Analyst, ptr("421221"))
	return app, pool, tok
}

// lonMetres is the length of a degree of longitude at lat on the CGCS2000 ellipsoid (GRS 80).
func lonMetres(lat float64) float64 {
	const a, e2 = 6378137.0, 0.00669438002290
	s := math.Sin(lat * math.Pi / 180)
	return math.Pi / 180 * a * math.Cos(lat*math.Pi/180) / math.Sqrt(1-e2*s*s)
}

// TestCheckDistanceAndFlag: a check inside parcel A is 0 m from it; one 145 m east of its east
// edge is not flagged, one 290 m east is — distances as the ellipsoid gives them (±1 m).
func TestCheckDistanceAndFlag(t *testing.T) {
	app, pool, tok := checksFixture(t)
	path := "/api/v1/assets/" + assetID(t, pool, "A") + "/checks"
	const lat = 29.803 // A spans 114.302..114.304 × 29.802..29.804
	for _, c := range []struct {
		dLon    float64
		flagged bool
	}{{-0.001, false}, {0.0015, false}, {0.003, true}} {
		lon := 114.304 + c.dLon
		var got check
		body := fmt.Sprintf(`{"result":"consistent","note":"现场一致","lon":%v,"lat":%v,"accuracy_m":8,"taken_at":"2026-12-01T09:30:00+08:00"}`, lon, lat)
		if st := send(t, app, "POST", path, tok["analyst"], body, &got); st != 201 {
			t.Fatalf("POST at %v: %d", lon, st)
		}
		want := math.Max(c.dLon, 0) * lonMetres(lat)
		if got.DistanceM == nil || math.Abs(*got.DistanceM-want) > 1 || got.Flagged != c.flagged {
			t.Errorf("check at %v: distance %v flagged %v, want %.1f m flagged %v", lon, deref(got.DistanceM), got.Flagged, want, c.flagged)
		}
		if got.AssetCode == nil || *got.AssetCode != "A" || got.RegionCode == nil || *got.RegionCode != "421202" || got.Actor != "p-analyst" {
			t.Errorf("check = %+v", got)
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestCheckNewFindAndScope: a 新发现 has a position only (no distance, the region at it); any
// other result without an asset is a 422; a region-scoped analyst checks only within their
// region and lists only its checks; readers may not check.
func TestCheckNewFindAndScope(t *testing.T) {
	app, pool, tok := checksFixture(t)
	var find check
	if st := send(t, app, "POST", "/api/v1/checks", tok["scoped"], `{"result":"new_find","note":"未登记的棚房","lon":114.2,"lat":29.6}`, &find); st != 201 {
		t.Fatalf("new find: %d", st)
	}
	if find.AssetID != nil || find.DistanceM != nil || find.Flagged || find.RegionCode == nil || *find.RegionCode != "421202" {
		t.Errorf("new find = %+v", find)
	}
	var p problemBody
	if st := send(t, app, "POST", "/api/v1/checks", tok["analyst"], `{"result":"consistent","lon":114.2,"lat":29.6}`, &p); st != 422 || !p.names("result") {
		t.Errorf("consistent without an asset: %d %+v", st, p)
	}
	e := "/api/v1/assets/" + assetID(t, pool, "E") + "/checks"
	at := `{"result":"unreachable","lon":113.801,"lat":29.901}`
	for _, c := range []struct {
		who, path, body string
		want            int
	}{
		{"scoped", e, at, 403}, {"scoped", "/api/v1/checks", `{"result":"new_find","lon":113.8,"lat":29.9}`, 403},
		{"jiayu", e, at, 201}, {"planner", e, at, 403}, {"", e, at, 401},
		{"analyst", "/api/v1/assets/999999/checks", at, 404},
	} {
		if st := send(t, app, "POST", c.path, tok[c.who], c.body, nil); st != c.want {
			t.Errorf("%s POST %s = %d, want %d", c.who, c.path, st, c.want)
		}
	}
	var list struct {
		Checks []check
		Total  int
	}
	for who, want := range map[string]int{"scoped": 1, "jiayu": 1, "analyst": 2} {
		if st := send(t, app, "GET", "/api/v1/checks", tok[who], "", &list); st != 200 || list.Total != want || len(list.Checks) != want {
			t.Errorf("%s lists %d checks (total %d): %d, want %d", who, len(list.Checks), list.Total, st, want)
		}
	}
	if st := send(t, app, "GET", e, tok["scoped"], "", &list); st != 200 || len(list.Checks) != 0 {
		t.Errorf("scoped reads E's checks: %d %d, want none", st, len(list.Checks))
	}
}

// TestCheckBadInput: bad positions, radius, results, filters and photos are 4xx naming the
// parameter, never 500.
func TestCheckBadInput(t *testing.T) {
	app, pool, tok := checksFixture(t)
	a := "/api/v1/assets/" + assetID(t, pool, "A") + "/checks"
	for _, c := range []struct {
		method, path, body, param string
		want                      int
	}{
		{"GET", "/api/v1/assets/near?lat=29.8", "", "lon", 400},
		{"GET", "/api/v1/assets/near?lon=abc&lat=29.8", "", "lon", 400},
		{"GET", "/api/v1/assets/near?lon=114.3&lat=95", "", "lat", 400},
		{"GET", "/api/v1/assets/near?lon=114.3&lat=29.8&radius=6000", "", "radius", 400},
		{"GET", "/api/v1/checks?result=maybe", "", "result", 400},
		{"GET", "/api/v1/checks?flagged=perhaps", "", "flagged", 400},
		{"GET", "/api/v1/checks?from=yesterday", "", "from", 400},
		{"GET", "/api/v1/checks?from=2026-12-02&to=2026-11-01", "", "to", 400},
		{"POST", a, `{"result":"maybe","lon":114.3,"lat":29.8}`, "result", 400},
		{"POST", a, `{"result":"consistent","lat":29.8}`, "lon", 400},
		{"POST", a, `{"result":"consistent","lon":114.3,"lat":-91}`, "lat", 400},
		{"POST", a, `{"result":"consistent","lon":114.3,"lat":29.8,"accuracy_m":-3}`, "accuracy_m", 400},
		{"POST", a, `{"result":"consistent","lon":114.3,"lat":29.8,"taken_at":"2099-01-01T00:00:00Z"}`, "taken_at", 422},
		{"POST", a, `{"result":"consistent","lon":114.3,"lat":29.8,"colour":"red"}`, "colour", 400},
	} {
		var p problemBody
		if st := send(t, app, c.method, c.path, tok["analyst"], c.body, &p); st != c.want || !p.names(c.param) {
			t.Errorf("%s %s %s = %d %+v, want %d naming %s", c.method, c.path, c.body, st, p, c.want, c.param)
		}
	}
	st, p := postForm(t, app, a, tok["analyst"], map[string]string{"result": "consistent", "lon": "114.303", "lat": "x"}, nil)
	if st != 400 || !p.names("lat") {
		t.Errorf("form with lat=x: %d %+v", st, p)
	}
	st, p = postForm(t, app, a, tok["analyst"], map[string]string{"result": "consistent", "lon": "114.303", "lat": "29.803", "note": "a\x00b"}, nil)
	if st != 400 || !p.names("note") {
		t.Errorf("form with a NUL in note: %d %+v", st, p)
	}
	st, p = postForm(t, app, a, tok["analyst"], map[string]string{"result": "consistent", "lon": "114.303", "lat": "29.803", "note": "\xff\xfe"}, nil)
	if st != 400 || !p.names("note") {
		t.Errorf("form with invalid UTF-8 in note: %d %+v", st, p)
	}
	st, p = postForm(t, app, a, tok["analyst"], map[string]string{"result": "consistent", "lon": "114.303", "lat": "29.803"}, []byte("%PDF-1.4 not a photo"))
	if st != 415 || !p.names("photo") {
		t.Errorf("a PDF as photo: %d %+v, want 415", st, p)
	}
	// A phone's photo is larger than the server's smallest upload limit (1 MB here): it is taken.
	mid := append(append([]byte{}, pngBytes...), make([]byte, 3<<20)...)
	if st, p = postForm(t, app, a, tok["analyst"], map[string]string{"result": "consistent", "lon": "114.303", "lat": "29.803"}, mid); st != 201 {
		t.Errorf("a 3 MB photo: %d %+v, want 201", st, p)
	}
	big := append(append([]byte{}, pngBytes...), make([]byte, 10<<20)...)
	st, p = postForm(t, app, a, tok["analyst"], map[string]string{"result": "consistent", "lon": "114.303", "lat": "29.803"}, big)
	if st != 413 || !p.names("photo") {
		t.Errorf("a photo over 10 MB: %d %+v, want 413", st, p)
	}
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

// postForm posts a check as multipart/form-data with one photo part (none when photo is nil).
func postForm(t *testing.T, app *fiber.App, path, token string, fields map[string]string, photo []byte) (int, problemBody) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if photo != nil {
		f, _ := w.CreateFormFile("photo", "IMG_0001.jpg")
		_, _ = f.Write(photo)
	}
	_ = w.Close()
	req := httptest.NewRequest("POST", path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := app.Test(req, 20_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p problemBody
	_ = json.NewDecoder(resp.Body).Decode(&p) // a 201 is no problem: p stays empty
	return resp.StatusCode, p
}

// TestCheckNearListExport: near-me orders by distance within the radius; a check with a photo
// sent as a form; the list's filters; the layer marks flagged checks; the export reads back with
// Chinese headers.
func TestCheckNearListExport(t *testing.T) {
	app, pool, tok := checksFixture(t)
	var near struct {
		Assets []struct {
			Code      string
			DistanceM float64 `json:"distance_m"`
		}
	}
	if st := send(t, app, "GET", "/api/v1/assets/near?lon=114.303&lat=29.803&radius=500", tok["analyst"], "", &near); st != 200 {
		t.Fatalf("near: %d", st)
	}
	if len(near.Assets) != 2 || near.Assets[0].Code != "A" || near.Assets[0].DistanceM != 0 || near.Assets[1].Code != "D" ||
		math.Abs(near.Assets[1].DistanceM-294) > 5 {
		t.Errorf("near = %+v, want A at 0 m, D at ≈294 m", near.Assets)
	}
	a := "/api/v1/assets/" + assetID(t, pool, "A") + "/checks"
	fields := map[string]string{"result": "inconsistent", "note": "现状为停车场", "lon": "114.303", "lat": "29.803", "taken_at": "2026-12-02T10:00:00+08:00"}
	if st, p := postForm(t, app, a, tok["analyst"], fields, pngBytes); st != 201 {
		t.Fatalf("form with photo: %d %+v", st, p)
	}
	send(t, app, "POST", a, tok["analyst"], `{"result":"consistent","lon":114.31,"lat":29.803}`, nil) // ≈580 m: flagged
	var list struct {
		Checks []check
		Total  int
	}
	for q, want := range map[string]string{
		"": "consistent,inconsistent", "?result=inconsistent": "inconsistent", "?flagged=true": "consistent",
		"?flagged=false&result=consistent": "", "?from=2000-01-01&to=2000-12-31": "", "?to=2999-01-01": "consistent,inconsistent",
	} {
		send(t, app, "GET", "/api/v1/checks"+q, tok["analyst"], "", &list)
		if got := results(list.Checks); got != want {
			t.Errorf("checks%s = %q, want %q", q, got, want)
		}
	}
	send(t, app, "GET", a[:len(a)-len("/checks")]+"/checks", "", "", &list)
	if len(list.Checks) != 2 || list.Checks[1].PhotoCount != 1 {
		t.Errorf("A's checks = %+v, want 2, the form's with its photo", list.Checks)
	}
	var fc struct {
		Features []struct{ Properties map[string]any }
	}
	send(t, app, "GET", "/api/v1/checks.geojson", "", "", &fc)
	if len(fc.Features) != 2 || fc.Features[0].Properties["flagged"] != true || fc.Features[0].Properties["result_label"] != "一致" {
		t.Errorf("layer = %+v", fc.Features)
	}
	rows := exportRows(t, app, "/api/v1/checks/export.xlsx?"+url.Values{"result": {"inconsistent"}}.Encode(), tok["planner"])
	if len(rows) != 2 || rows[0][0] != "核查编号" || rows[0][3] != "核查结果" || rows[1][1] != "A" || rows[1][3] != "不一致" || rows[1][10] != "1" {
		t.Errorf("export = %q", rows)
	}
}

// results joins the checks' results, newest first.
func results(list []check) string {
	var out bytes.Buffer
	for i, c := range list {
		if i > 0 {
			out.WriteByte(',')
		}
		out.WriteString(c.Result)
	}
	return out.String()
}

// exportRows fetches an .xlsx and reads its first sheet back.
func exportRows(t *testing.T, app *fiber.App, path, token string) [][]string {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := app.Test(req, 20_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	b, _ := io.ReadAll(resp.Body)
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
