package cql2

import (
	"strings"
	"testing"
)

func TestParseTextValid(t *testing.T) {
	tests := []struct{ in, want string }{
		{"stage = 'idle'", "stage = 'idle'"},
		{"stage='idle'", "stage = 'idle'"},
		{`"stage" <> 'done'`, "stage <> 'done'"},
		{"area_mu >= 10.5", "area_mu >= 10.5"},
		{"area_mu < -3", "area_mu < -3"},
		{"area_mu > 1.5e3", "area_mu > 1500"},
		{"area_mu <= .5", "area_mu <= 0.5"},
		{"10 < area_mu", "10 < area_mu"},
		{"name = 'O''Brien'", "name = 'O''Brien'"},
		{"name = '咸安区'", "name = '咸安区'"},
		{"stage = 'idle' AND mode = 'sell'", "(stage = 'idle' AND mode = 'sell')"},
		{"stage = 'idle' and mode = 'sell' or mode = 'lease'", "((stage = 'idle' AND mode = 'sell') OR mode = 'lease')"},
		{"stage = 'idle' AND (mode = 'sell' OR mode = 'lease')", "(stage = 'idle' AND (mode = 'sell' OR mode = 'lease'))"},
		{"NOT stage = 'done'", "NOT stage = 'done'"},
		{"NOT (stage = 'done' OR stage = 'idle')", "NOT (stage = 'done' OR stage = 'idle')"},
		{"name LIKE '%矿%'", "name LIKE '%矿%'"},
		{"name NOT LIKE 'A_'", "name NOT LIKE 'A_'"},
		{"name ILIKE 'abc%'", "CASEI(name) LIKE CASEI('abc%')"},
		{"CASEI(name) = CASEI('ABC')", "CASEI(name) = CASEI('ABC')"},
		{"stage IN ('idle', 'planned')", "stage IN ('idle', 'planned')"},
		{"stage NOT IN ('done')", "stage NOT IN ('done')"},
		{"area_mu BETWEEN 1 AND 100", "area_mu BETWEEN 1 AND 100"},
		{"area_mu NOT BETWEEN 1 AND 100 AND stage = 'idle'", "(area_mu NOT BETWEEN 1 AND 100 AND stage = 'idle')"},
		{"zone_code IS NULL", "zone_code IS NULL"},
		{"zone_code is not null", "zone_code IS NOT NULL"},
		{"TRUE", "TRUE"},
		{"false OR stage = 'idle'", "(FALSE OR stage = 'idle')"},
		{"TRUE = TRUE", "TRUE = TRUE"},
		{"approval_date > DATE('2024-01-31')", "approval_date > DATE('2024-01-31')"},
		{"updated_at < TIMESTAMP('2024-01-31T08:00:00Z')", "updated_at < TIMESTAMP('2024-01-31T08:00:00Z')"},
		{"S_INTERSECTS(geometry, POINT(114.3 29.8))", "S_INTERSECTS(geometry, POINT(114.3 29.8))"},
		{"s_intersects(geometry, BBOX(114, 29, 115, 30))", "S_INTERSECTS(geometry, BBOX(114, 29, 115, 30))"},
		{"S_INTERSECTS(geometry, ENVELOPE(114, 29, 0, 115, 30, 9))", "S_INTERSECTS(geometry, BBOX(114, 29, 115, 30))"},
		{"S_WITHIN(geometry, POLYGON((114 29, 115 29, 115 30, 114 30, 114 29)))", "S_WITHIN(geometry, POLYGON((114 29,115 29,115 30,114 30,114 29)))"},
		{"S_CONTAINS(POLYGON((114 29,115 29,115 30,114 29)), geometry)", "S_CONTAINS(POLYGON((114 29,115 29,115 30,114 29)), geometry)"},
		{"S_INTERSECTS(geometry, LINESTRING(1 2, 3 4 5))", "S_INTERSECTS(geometry, LINESTRING(1 2,3 4))"},
		{"S_INTERSECTS(geometry, MULTIPOINT(1 2, 3 4))", "S_INTERSECTS(geometry, MULTIPOINT((1 2),(3 4)))"},
		{"S_INTERSECTS(geometry, MULTIPOINT((1 2), (3 4)))", "S_INTERSECTS(geometry, MULTIPOINT((1 2),(3 4)))"},
		{"S_DISJOINT(geometry, MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5))))", "S_DISJOINT(geometry, MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5))))"},
		{"S_CROSSES(geometry, MULTILINESTRING((0 0,1 1),(2 2,3 3)))", "S_CROSSES(geometry, MULTILINESTRING((0 0,1 1),(2 2,3 3)))"},
		{"S_TOUCHES(geometry, GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1)))", "S_TOUCHES(geometry, GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1)))"},
		{`"and" = 1`, `"and" = 1`},
		{"facts.mineral = 'gold'", "facts.mineral = 'gold'"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := ParseText(tt.in)
			if err != nil {
				t.Fatalf("ParseText(%q): %v", tt.in, err)
			}
			if got := e.String(); got != tt.want {
				t.Errorf("String() = %s, want %s", got, tt.want)
			}
			again, err := ParseText(e.String())
			if err != nil || again.String() != e.String() {
				t.Errorf("round trip of %s: %v, %v", e, again, err)
			}
		})
	}
}

func TestParseTextInvalid(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty"},
		{"   ", "empty"},
		{"stage", "expected a comparison"},
		{"stage =", "expected a property name or a value but found the end"},
		{"stage = 'idle", "unterminated character literal"},
		{`"stage = 'idle'`, "unterminated quoted property"},
		{"stage = 'idle' mode = 'sell'", "missing AND/OR"},
		{"stage == 'idle'", "expected a property name or a value"},
		{"(stage = 'idle'", "expected a closing parenthesis"},
		{"stage = 'idle')", "unexpected \")\""},
		{"stage IN 'idle'", "parenthesised list after IN"},
		{"stage IN ('idle' 'done')", "a comma or a closing parenthesis"},
		{"area_mu BETWEEN 1 OR 2", "AND between the bounds"},
		{"zone_code IS 'x'", "NULL after IS"},
		{"stage NOT = 'x'", "LIKE, BETWEEN or IN after NOT"},
		{"stage = NULL", "write x IS NULL"},
		{"area_mu > 1e", "exponent without digits"},
		{"area_mu > 1e999", "out of range"},
		{"area_mu > 12abc", "runs into"},
		{"stage = 'idle' ; DROP TABLE assets", "unexpected character \";\""},
		{"S_INTERSECTS(geometry)", "a comma between the two geometries"},
		{"S_INTERSECTS(geometry, POINT(1))", "expected a coordinate"},
		{"S_INTERSECTS(geometry, POINT EMPTY)", "empty geometries"},
		{"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 0.5)))", "end at its first point"},
		{"S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 0 0)))", "at least 4 points"},
		{"S_INTERSECTS(geometry, BBOX(1, 2, 3))", "needs 4 numbers"},
		{"S_INTERSECTS(geometry, BBOX(3, 2, 1, 4))", "lower bound exceeds"},
		{"S_INTERSECTS(geometry, 'POINT(1 2)')", "expected a geometry property"},
		{"T_BEFORE(updated_at, DATE('2020-01-01'))", "temporal functions"},
		{"A_CONTAINS(tags, ('a'))", "array functions"},
		{"ACCENTI(name) = 'e'", "ACCENTI is not supported"},
		{"upper(name) = 'A'", "unknown function upper"},
		{"approval_date > DATE('2024-13-01')", "DATE needs yyyy-mm-dd"},
		{"updated_at > TIMESTAMP('2024-01-01')", "TIMESTAMP needs"},
		{"stage = AND", "found the keyword AND"},
		{"name = 'a' AND", "found the end"},
		{"\xff = 1", "not valid UTF-8"},
		{strings.Repeat("(", 100) + "a = 1" + strings.Repeat(")", 100), "nests deeper"},
		{strings.Repeat("NOT ", 100) + "a = 1", "nests deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := ParseText(tt.in)
			if err == nil {
				t.Fatalf("ParseText(%q) = %s, want an error", tt.in, e)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

// FuzzParse checks that no input panics, and that whatever parses prints as text that parses
// back to the same expression.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"stage = 'idle'", "a = 1 AND (b < 2 OR NOT c IS NULL)", "name LIKE '%x%'",
		"x IN (1, 2, 3)", "x NOT BETWEEN -1 AND 2.5e3", "S_INTERSECTS(geometry, BBOX(1,2,3,4))",
		"S_WITHIN(geometry, POLYGON((0 0,1 0,1 1,0 0)))", "CASEI(name) = CASEI('A''b')",
		"d > DATE('2024-01-01') AND t < TIMESTAMP('2024-01-01T00:00:00Z')", `"a b" = TRUE`,
		"S_TOUCHES(geometry, GEOMETRYCOLLECTION(POINT(1 2), MULTIPOINT(3 4, 5 6)))",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseText(s)
		if err != nil {
			return
		}
		text := e.String()
		again, err := ParseText(text)
		if err != nil {
			t.Fatalf("%q parsed, but its rendering %q does not: %v", s, text, err)
		}
		if again.String() != text {
			t.Fatalf("%q renders as %q, which renders as %q", s, text, again.String())
		}
	})
}
