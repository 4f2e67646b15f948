package ogc_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func testLandingConformanceCollections(t *testing.T, e *env) {
	landing, _ := e.get(t, "", 200)
	l := links(landing)
	for _, rel := range []string{"self", "service-desc", "conformance", "data"} {
		if !strings.HasPrefix(l[rel], "http://127.0.0.1") {
			t.Errorf("landing link %s = %q, want an absolute URL", rel, l[rel])
		}
	}
	conf, _ := e.get(t, "/conformance", 200)
	classes := conf["conformsTo"].([]any)
	if !slices.Contains(classes, any("http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter")) {
		t.Errorf("conformance lacks Part 3 filter: %v", classes)
	}
	if slices.ContainsFunc(classes, func(c any) bool { return strings.Contains(c.(string), "ogcapi-tiles") }) {
		t.Errorf("tiles declared without a tile source: %v", classes)
	}
	cols, _ := e.get(t, "/collections", 200)
	var ids []string
	for _, c := range cols["collections"].([]any) {
		m := c.(map[string]any)
		ids = append(ids, m["id"].(string))
		if m["storageCrs"] != "http://www.opengis.net/def/crs/EPSG/0/4490" {
			t.Errorf("%s storageCrs = %v", m["id"], m["storageCrs"])
		}
	}
	if want := []string{"land", "mine", "forest", "water", "building", "zones", "regions"}; !slices.Equal(ids, want) {
		t.Errorf("collections = %v, want %v", ids, want)
	}
	land, _ := e.get(t, "/collections/land", 200)
	bbox := land["extent"].(map[string]any)["spatial"].(map[string]any)["bbox"].([]any)[0].([]any)
	if bbox[0].(float64) < 113.9 || bbox[0].(float64) > 113.92 || bbox[3].(float64) < 29.85 {
		t.Errorf("land bbox = %v, want the fixture's extent from 113.91", bbox)
	}
	if land["title"] != "土地" {
		t.Errorf("land title = %v", land["title"])
	}
	e.get(t, "/collections/parcels", 404)
}

func testItemsFilters(t *testing.T, e *env) {
	base := "SELECT count(*) FROM assets a WHERE a.kind = 'land' AND a.deleted_at IS NULL"
	tests := []struct{ query, where string }{
		{"", ""},
		{"stage=idle", "stage = 'idle'"},
		{"stage=idle,planned", "stage IN ('idle', 'planned')"},
		{"filter=" + url.QueryEscape("stage = 'idle' AND mode <> 'use'"), "stage = 'idle' AND mode <> 'use'"},
		{"filter=" + url.QueryEscape("stage IN ('done','planned') OR holder LIKE '交投%'"), "stage IN ('done','planned') OR holder LIKE '交投%'"},
		{"filter=" + url.QueryEscape("area_mu BETWEEN 10 AND 20"), "area_mu BETWEEN 10 AND 20"},
		{"filter=" + url.QueryEscape("zone_code IS NULL"), "zone_code IS NULL"},
		{"filter=" + url.QueryEscape("region_name = '咸安区' AND land_status = 'idle'"), "region_code = '421202' AND land_status = 'idle'"},
		{"filter=" + url.QueryEscape("CASEI(code) LIKE 'l-0%'"), "code LIKE 'L-0%'"},
		{
			"filter=" + url.QueryEscape("S_INTERSECTS(geometry, BBOX(114.2, 29.7, 114.4, 29.9))"),
			"ST_Intersects(geom, ST_MakeEnvelope(114.2, 29.7, 114.4, 29.9, 4490))",
		},
		{
			"filter=" + url.QueryEscape("S_WITHIN(geometry, POLYGON((114.2 29.7, 114.4 29.7, 114.4 29.9, 114.2 29.9, 114.2 29.7)))"),
			"ST_Within(geom, ST_MakeEnvelope(114.2, 29.7, 114.4, 29.9, 4490))",
		},
		{"filter=" + url.QueryEscape("S_CONTAINS(geometry, POINT(114.2705 29.7805))"), "ST_Contains(geom, ST_SetSRID(ST_MakePoint(114.2705, 29.7805), 4490))"},
		{
			"filter-crs=" + url.QueryEscape("http://www.opengis.net/def/crs/EPSG/0/4490") + "&filter=" +
				url.QueryEscape("S_INTERSECTS(geometry, BBOX(29.7, 114.2, 29.9, 114.4))"),
			"ST_Intersects(geom, ST_MakeEnvelope(114.2, 29.7, 114.4, 29.9, 4490))",
		},
		{
			"filter-lang=cql2-json&filter=" + url.QueryEscape(`{"op":"and","args":[{"op":"=","args":[{"property":"stage"},"idle"]},{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[114.2,29.7,114.4,29.9]}]}]}`),
			"stage = 'idle' AND ST_Intersects(geom, ST_MakeEnvelope(114.2, 29.7, 114.4, 29.9, 4490))",
		},
		{"bbox=114.2,29.7,114.4,29.9", "ST_Intersects(geom, ST_MakeEnvelope(114.2, 29.7, 114.4, 29.9, 4490))"},
		{
			"bbox-crs=" + url.QueryEscape("http://www.opengis.net/def/crs/EPSG/0/4326") + "&bbox=29.7,114.2,29.9,114.4",
			"ST_Intersects(geom, ST_MakeEnvelope(114.2, 29.7, 114.4, 29.9, 4490))",
		},
		{
			"bbox-crs=" + url.QueryEscape("http://www.opengis.net/def/crs/EPSG/0/3857") + "&bbox=12712000,3468000,12735000,3494000",
			"ST_Intersects(geom_3857, ST_MakeEnvelope(12712000, 3468000, 12735000, 3494000, 3857))",
		},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			sql := base
			if tt.where != "" {
				sql += " AND (" + tt.where + ")"
			}
			want := e.count(t, sql)
			doc, hdr := e.get(t, "/collections/land/items?limit=1000&"+tt.query, 200)
			if got := int(doc["numberMatched"].(float64)); got != want {
				t.Errorf("numberMatched = %d, want %d", got, want)
			}
			if got := len(doc["features"].([]any)); got != want {
				t.Errorf("features = %d, want %d", got, want)
			}
			if hdr.Get("Content-Type") != "application/geo+json" {
				t.Errorf("Content-Type = %q", hdr.Get("Content-Type"))
			}
		})
	}
	if n := e.count(t, base+" AND stage = 'idle'"); n == 0 || n == 40 {
		t.Fatalf("fixture: %d idle parcels, want some but not all", n)
	}
}

func testItemsRejectBadInput(t *testing.T, e *env) {
	tests := []struct{ query, param, mention string }{
		{"filter=" + url.QueryEscape("colour = 'red'"), "filter", `unknown property \"colour\"`},
		{"filter=" + url.QueryEscape("stage = "), "filter", "expected a property name or a value"},
		{"filter=" + url.QueryEscape("area_mu > 'big'"), "filter", "is a string"},
		{"filter-lang=cql3&filter=a", "filter-lang", "not supported"},
		{"filter-lang=cql2-json&filter=" + url.QueryEscape(`{"op":"=","args":[{"property":"x"},1]}`), "filter", "unknown property"},
		{"limit=0", "limit", "at least 1"},
		{"limit=ten", "limit", "whole number"},
		{"offset=-1", "offset", "at least 0"},
		{"bbox=1,2,3", "bbox", "4 numbers"},
		{"crs=EPSG:2000", "crs", "not a supported CRS"},
		{"sortby=geometry", "sortby", "not a sortable"},
		{"properties=colour", "properties", "not a property"},
		{"area_mu=big", "area_mu", "not a number"},
		{"colour=red", "colour", "is not a parameter"},
		{"datetime=yesterday", "datetime", "neither a date"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			doc, hdr := e.get(t, "/collections/land/items?"+tt.query, 400)
			if !strings.Contains(hdr.Get("Content-Type"), "problem+json") {
				t.Errorf("Content-Type = %q", hdr.Get("Content-Type"))
			}
			p := doc["invalid_params"].([]any)[0].(map[string]any)
			if p["name"] != tt.param || !strings.Contains(strings.ReplaceAll(p["reason"].(string), `"`, `\"`), tt.mention) {
				t.Errorf("problem = %v, want param %s mentioning %s", p, tt.param, tt.mention)
			}
		})
	}
	e.get(t, "/collections/land/items/abc", 404)
	e.get(t, "/collections/land/items/999999", 404)
}

func testLimitIsCappedAndSortAndProperties(t *testing.T, e *env) {
	doc, _ := e.get(t, "/collections/land/items?limit=50000&sortby=-area_mu,code&properties=code,area_mu", 200)
	feats := doc["features"].([]any)
	if len(feats) != 40 {
		t.Fatalf("features = %d, want all 40 (limit capped at 10000, not refused)", len(feats))
	}
	prev := 1e18
	for _, f := range feats {
		props := f.(map[string]any)["properties"].(map[string]any)
		if len(props) != 2 {
			t.Fatalf("properties = %v, want only code and area_mu", props)
		}
		if a := props["area_mu"].(float64); a > prev {
			t.Fatalf("area_mu %f after %f: not sorted descending", a, prev)
		}
		prev = props["area_mu"].(float64)
	}
	doc, _ = e.get(t, "/collections/land/items?resultType=hits&stage=done", 200)
	if doc["numberMatched"].(float64) != 10 || len(doc["features"].([]any)) != 0 {
		t.Errorf("hits: numberMatched %v, %d features; want 10 and none", doc["numberMatched"], len(doc["features"].([]any)))
	}
}

// TestPagingVisitsEveryFeatureOnce walks next links (and back along prev) and checks each
// feature comes exactly once, also when the sort key has ties.
func testPagingVisitsEveryFeatureOnce(t *testing.T, e *env) {
	for _, q := range []string{"limit=7", "limit=7&sortby=stage", "limit=3&sortby=-holder&stage=idle,done", "limit=4&sortby=-area_mu&bbox=114.0,29.7,114.4,29.9"} {
		t.Run(q, func(t *testing.T) {
			seen := map[float64]int{}
			next, pages, matched := "/collections/land/items?"+q, 0, 0.0
			var last string
			for next != "" {
				doc, _ := e.get(t, next, 200)
				matched = doc["numberMatched"].(float64)
				for _, f := range doc["features"].([]any) {
					seen[f.(map[string]any)["id"].(float64)]++
				}
				last, next = next, links(doc)["next"]
				if pages++; pages > 50 {
					t.Fatal("next links do not end")
				}
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("feature %v seen %d times", id, n)
				}
			}
			if float64(len(seen)) != matched || matched == 0 {
				t.Errorf("visited %d features, numberMatched %v", len(seen), matched)
			}
			doc, _ := e.get(t, last, 200)
			if pages > 1 && links(doc)["prev"] == "" {
				t.Errorf("last page %s has no prev link", last)
			}
		})
	}
}

func testCRS(t *testing.T, e *env) {
	first := func(q string) ([]any, string) {
		doc, hdr := e.get(t, "/collections/land/items?limit=1&sortby=code&"+q, 200)
		g := doc["features"].([]any)[0].(map[string]any)["geometry"].(map[string]any)
		return g["coordinates"].([]any)[0].([]any)[0].([]any)[0].([]any), hdr.Get("Content-Crs")
	}
	pt, crs := first("")
	if pt[0].(float64) < 113 || pt[1].(float64) > 31 || crs != "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>" {
		t.Errorf("CRS84: first point %v, Content-Crs %s; want lon, lat", pt, crs)
	}
	for _, code := range []string{"4490", "4326"} {
		pt, crs = first("crs=" + url.QueryEscape("http://www.opengis.net/def/crs/EPSG/0/"+code))
		if pt[0].(float64) > 31 || pt[1].(float64) < 113 || crs != "<http://www.opengis.net/def/crs/EPSG/0/"+code+">" {
			t.Errorf("EPSG:%s: first point %v, Content-Crs %s; want lat, lon", code, pt, crs)
		}
	}
	pt, _ = first("crs=EPSG:3857")
	if pt[0].(float64) < 1.2e7 || pt[1].(float64) < 3.4e6 {
		t.Errorf("EPSG:3857: first point %v, want metres", pt)
	}
	doc, hdr := e.get(t, "/collections/regions/items/421202?crs="+url.QueryEscape("[EPSG:4490]"), 200)
	if hdr.Get("Content-Crs") != "<http://www.opengis.net/def/crs/EPSG/0/4490>" || doc["id"] != "421202" {
		t.Errorf("region item: id %v, Content-Crs %s", doc["id"], hdr.Get("Content-Crs"))
	}
}

func testQueryablesAndAPI(t *testing.T, e *env) {
	q, hdr := e.get(t, "/collections/mine/queryables", 200)
	props := q["properties"].(map[string]any)
	for _, name := range []string{"stage", "mode", "area_mu", "code", "name", "holder", "mineral", "reserves", "geometry", "id"} {
		if props[name] == nil {
			t.Errorf("mine queryables lack %s", name)
		}
	}
	if props["reserves"].(map[string]any)["type"] != "number" || hdr.Get("Content-Type") != "application/schema+json" {
		t.Errorf("reserves = %v, Content-Type %s", props["reserves"], hdr.Get("Content-Type"))
	}
	doc, _ := e.get(t, "/collections/mine/items?mineral="+url.QueryEscape("金"), 200)
	if doc["numberMatched"].(float64) != 3 {
		t.Errorf("mineral=金: %v mines, want 3", doc["numberMatched"])
	}
	api, hdr := e.get(t, "/api", 200)
	if !strings.HasPrefix(hdr.Get("Content-Type"), "application/vnd.oai.openapi+json") || api["openapi"] != "3.0.3" {
		t.Fatalf("api: %s %v", hdr.Get("Content-Type"), api["openapi"])
	}
	params := api["paths"].(map[string]any)["/collections/land/items"].(map[string]any)["get"].(map[string]any)["parameters"].([]any)
	var names []string
	for _, p := range params {
		m := p.(map[string]any)
		if r, ok := m["$ref"].(string); ok {
			names = append(names, r[strings.LastIndex(r, "/")+1:])
		} else {
			names = append(names, m["name"].(string))
		}
	}
	for _, want := range []string{"bbox", "limit", "offset", "crs", "bbox-crs", "filter", "filter-lang", "filter-crs", "sortby", "properties", "datetime", "stage", "land_status"} {
		if !slices.Contains(names, want) {
			t.Errorf("OpenAPI items parameters lack %s: %v", want, names)
		}
	}
	page, hdr := e.get(t, "/collections/land/items?f=html&limit=2", 200)
	if page != nil || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		t.Errorf("f=html: Content-Type %s", hdr.Get("Content-Type"))
	}
}

func testBoundariesDatetimeAndRouting(t *testing.T, e *env) {
	doc, _ := e.get(t, "/collections/zones/items", 200)
	f := doc["features"].([]any)[0].(map[string]any)
	props := f["properties"].(map[string]any)
	if f["id"] != "Z1" || props["name"] != "咸宁高新区" || props["type"] != "high_tech_zone" || props["area_mu"].(float64) < 1000 {
		t.Errorf("zone feature = %v", f)
	}
	doc, _ = e.get(t, "/collections/regions/items?filter="+url.QueryEscape("S_CONTAINS(geometry, POINT(114.27 29.78))"), 200)
	if doc["numberMatched"].(float64) != 1 || doc["features"].([]any)[0].(map[string]any)["id"] != "421202" {
		t.Errorf("region containing the zone: %v", doc["features"])
	}
	e.get(t, "/collections/regions/items/999999", 404)
	doc, _ = e.get(t, "/collections/land/items?datetime=2000-01-01/..", 200)
	if doc["numberMatched"].(float64) != 40 {
		t.Errorf("datetime from 2000: %v parcels, want 40", doc["numberMatched"])
	}
	doc, _ = e.get(t, "/collections/land/items?datetime=../2000-01-01", 200)
	if doc["numberMatched"].(float64) != 0 {
		t.Errorf("datetime up to 2000: %v parcels, want 0", doc["numberMatched"])
	}
	e.get(t, "/collections/zones/items?datetime=2024-01-01", 400)
	if landing, _ := e.get(t, "/", 200); landing["title"] == nil {
		t.Errorf("/ogc/ (trailing slash) does not serve the landing page")
	}
	if status, _, _ := fetch(t, http.MethodHead, e.base+"/collections/land/items?limit=1"); status != 200 {
		t.Errorf("HEAD items = %d, want 200", status)
	}
	if status, _, _ := fetch(t, http.MethodDelete, e.base+"/collections/land/items/1"); status < 400 {
		t.Errorf("DELETE must not be served (read-only): %d", status)
	}
}
