package cql2

import (
	"strings"
	"testing"
)

func TestParseJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"op":"=","args":[{"property":"stage"},"idle"]}`, "stage = 'idle'"},
		{
			`{"op":"and","args":[{"op":"<","args":[{"property":"area_mu"},10]},{"op":"isNull","args":[{"property":"zone_code"}]},true]}`,
			"((area_mu < 10 AND zone_code IS NULL) AND TRUE)",
		},
		{
			`{"op":"not","args":[{"op":"like","args":[{"op":"casei","args":[{"property":"name"}]},{"op":"casei","args":["a%"]}]}]}`,
			"NOT CASEI(name) LIKE CASEI('a%')",
		},
		{`{"op":"in","args":[{"property":"stage"},["idle","done"]]}`, "stage IN ('idle', 'done')"},
		{`{"op":"between","args":[{"property":"area_mu"},1.5,2]}`, "area_mu BETWEEN 1.5 AND 2"},
		{`{"op":">","args":[{"property":"approval_date"},{"date":"2024-01-31"}]}`, "approval_date > DATE('2024-01-31')"},
		{`{"op":"<","args":[{"property":"updated_at"},{"timestamp":"2024-01-31T08:00:00Z"}]}`, "updated_at < TIMESTAMP('2024-01-31T08:00:00Z')"},
		{`{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[114,29,115,30]}]}`, "S_INTERSECTS(geometry, BBOX(114, 29, 115, 30))"},
		{
			`{"op":"s_within","args":[{"property":"geometry"},{"type":"Polygon","coordinates":[[[114,29],[115,29],[115,30],[114,29]]]}]}`,
			"S_WITHIN(geometry, POLYGON((114 29,115 29,115 30,114 29)))",
		},
		{
			`{"op":"s_contains","args":[{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2,3]}]},{"property":"geometry"}]}`,
			"S_CONTAINS(GEOMETRYCOLLECTION(POINT(1 2)), geometry)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			e, err := ParseJSON([]byte(tt.in))
			if err != nil {
				t.Fatalf("ParseJSON: %v", err)
			}
			if e.String() != tt.want {
				t.Errorf("String() = %s, want %s", e, tt.want)
			}
		})
	}
}

func TestParseJSONInvalid(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"op":"="`, "not JSON"},
		{`{} {}`, "more than one"},
		{`"stage"`, "expected an {\"op\""},
		{`{"op":"=","args":[{"property":"stage"}]}`, "takes 2 arguments"},
		{`{"op":"and","args":[true]}`, "at least two"},
		{`{"op":"in","args":[{"property":"stage"},"idle"]}`, "non-empty array"},
		{`{"op":"=","args":[{"property":""},1]}`, "non-empty string"},
		{`{"op":"=","args":[{"date":"31/01/2024"},1]}`, "yyyy-mm-dd"},
		{`{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[1,2,3]}]}`, "4 numbers"},
		{`{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}]}`, "at least 4 positions"},
		{`{"op":"t_after","args":[{"property":"updated_at"},{"date":"2024-01-01"}]}`, "temporal functions"},
		{`{"op":"upper","args":["a"]}`, "unknown operator"},
		{`{"op":"=","args":[{"op":"upper","args":["a"]},"A"]}`, "not a function"},
		{`{"op":"=","args":[[1],1]}`, "expected a value"},
		{strings.Repeat(`{"op":"not","args":[`, 100) + "true" + strings.Repeat("]}", 100), "nests deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := ParseJSON([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseJSON = %v, %v; want an error mentioning %q", e, err, tt.want)
			}
		})
	}
}

// FuzzParseJSON checks that no JSON input panics and that what parses renders as CQL2 text
// that parses again.
func FuzzParseJSON(f *testing.F) {
	f.Add(`{"op":"and","args":[{"op":"=","args":[{"property":"a"},1]},{"op":"s_intersects","args":[{"property":"g"},{"bbox":[1,2,3,4]}]}]}`)
	f.Add(`{"op":"in","args":[{"op":"casei","args":[{"property":"n"}]},["x","y"]]}`)
	f.Add(`{"op":"s_within","args":[{"property":"g"},{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseJSON([]byte(s))
		if err != nil {
			return
		}
		if _, err := ParseText(e.String()); err != nil {
			t.Fatalf("%s parsed, but its text %q does not: %v", s, e.String(), err)
		}
	})
}
