package cql2

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

var testSchema = Schema{
	"stage":         {SQL: "a.stage", Type: TypeString},
	"name":          {SQL: "a.name", Type: TypeString},
	"area_mu":       {SQL: "a.area_mu", Type: TypeNumber},
	"id":            {SQL: "a.id", Type: TypeInteger},
	"floors":        {SQL: "(a.facts->>'floors')::numeric", Type: TypeInteger},
	"approval_date": {SQL: "a.approval_date", Type: TypeDate},
	"updated_at":    {SQL: "a.updated_at", Type: TypeTimestamp},
	"certified":     {SQL: "a.certified", Type: TypeBool},
	"geometry":      {SQL: "a.geom", Type: TypeGeometry},
}

func compileText(t *testing.T, src string, o Options) (string, []any, error) {
	t.Helper()
	e, err := ParseText(src)
	if err != nil {
		t.Fatalf("ParseText(%q): %v", src, err)
	}
	return Compile(e, testSchema, o)
}

func TestCompile(t *testing.T) {
	day := time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in, sql string
		args    []any
	}{
		{"stage = 'idle'", "(a.stage = $1::text)", []any{"idle"}},
		{"'idle' = stage", "($1::text = a.stage)", []any{"idle"}},
		{"area_mu >= 10", "(a.area_mu >= $1::float8)", []any{10.0}},
		{"id = 7", "(a.id = $1::bigint)", []any{int64(7)}},
		{"id < 7.5", "(a.id < $1::float8)", []any{7.5}},
		{"floors > area_mu", "((a.facts->>'floors')::numeric > a.area_mu)", nil},
		{"1 = 1", "($1::float8 = $2::float8)", []any{1.0, 1.0}},
		{"certified = TRUE", "(a.certified = $1::boolean)", []any{true}},
		{
			"stage = 'idle' AND NOT (area_mu < 1 OR id IS NULL)",
			"((a.stage = $1::text) AND NOT ((a.area_mu < $2::float8) OR (a.id IS NULL)))",
			[]any{"idle", 1.0},
		},
		{"name LIKE '%矿%'", "(a.name LIKE $1::text)", []any{"%矿%"}},
		{"name NOT LIKE 'x'", "(a.name NOT LIKE $1::text)", []any{"x"}},
		{"name ILIKE 'ab%'", "(lower(a.name) LIKE lower($1::text))", []any{"ab%"}},
		{"stage IN ('idle', 'planned')", "(a.stage IN ($1::text, $2::text))", []any{"idle", "planned"}},
		{"id NOT IN (1, 2)", "(a.id NOT IN ($1::bigint, $2::bigint))", []any{int64(1), int64(2)}},
		{"area_mu BETWEEN 1 AND 2", "(a.area_mu BETWEEN $1::float8 AND $2::float8)", []any{1.0, 2.0}},
		{
			"approval_date NOT BETWEEN DATE('2024-01-31') AND '2025-01-01T'",
			"(a.approval_date NOT BETWEEN $1::date AND $2::date)",
			[]any{"2024-01-31", "2025-01-01"},
		},
		{"updated_at > TIMESTAMP('2024-01-31T00:00:00Z')", "(a.updated_at > $1::timestamptz)", []any{day}},
		{"approval_date = '2024-01-31'", "(a.approval_date = $1::date)", []any{"2024-01-31"}},
		{"geometry IS NOT NULL", "(a.geom IS NOT NULL)", nil},
		{"TRUE OR FALSE", "(TRUE OR FALSE)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			sql, args, err := compileText(t, tt.in, Options{SRID: 4326, StorageSRID: 4490})
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if sql != tt.sql {
				t.Errorf("sql = %s\n want %s", sql, tt.sql)
			}
			if fmt.Sprint(args) != fmt.Sprint(tt.args) {
				t.Errorf("args = %#v, want %#v", args, tt.args)
			}
		})
	}
}

func TestCompileSpatial(t *testing.T) {
	sql, args, err := compileText(t, "S_WITHIN(geometry, BBOX(29, 114, 30, 115))",
		Options{SRID: 4490, SwapXY: true, StorageSRID: 4490, FirstArg: 3})
	if err != nil {
		t.Fatal(err)
	}
	if want := "ST_Within(a.geom, ST_SetSRID(ST_GeomFromWKB($3::bytea), 4490))"; sql != want {
		t.Errorf("sql = %s, want %s", sql, want)
	}
	g, err := wkb.Unmarshal(args[0].([]byte))
	if err != nil {
		t.Fatal(err)
	}
	// Written lat/lon, handed to PostGIS lon/lat.
	if b := g.Bound(); b.Min != (orb.Point{114, 29}) || b.Max != (orb.Point{115, 30}) {
		t.Errorf("bbox = %v, want lon/lat 114,29 .. 115,30", b)
	}
	sql, _, err = compileText(t, "S_CONTAINS(POINT(12700000 3470000), geometry)", Options{SRID: 3857, StorageSRID: 4490})
	if err != nil {
		t.Fatal(err)
	}
	if want := "ST_Contains(ST_Transform(ST_SetSRID(ST_GeomFromWKB($1::bytea), 3857), 4490), a.geom)"; sql != want {
		t.Errorf("sql = %s, want %s", sql, want)
	}
}

func TestCompileRejects(t *testing.T) {
	tests := []struct{ in, want string }{
		{"colour = 'red'", `unknown property "colour"`},
		{"stage = 5", "5 is a number and cannot be compared with a string"},
		{"area_mu = 'big'", "'big' is a string and cannot be compared with a number"},
		{"area_mu = stage", "stage is a string and cannot be compared with a number"},
		{"approval_date > 'soon'", "'soon' is a string and cannot be compared with a date"},
		{"stage = DATE('2024-01-01')", "is a date and cannot be compared with a string"},
		{"certified = 'yes'", "cannot be compared with a boolean"},
		{"area_mu LIKE '1%'", "area_mu is a number"},
		{"CASEI(area_mu) = '1'", "area_mu is a number"},
		{"geometry = 'x'", "geometries cannot be compared"},
		{"S_INTERSECTS(stage, POINT(1 2))", "stage is a string, not a geometry"},
		{"S_INTERSECTS(shape, POINT(1 2))", `unknown property "shape"`},
		{"stage IN ('idle', 3)", "3 is a number"},
		{"certified BETWEEN TRUE AND FALSE", "BETWEEN needs numbers"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, _, err := compileText(t, tt.in, Options{SRID: 4326, StorageSRID: 4490})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
