package ogc

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Property names are written into SQL as string literals and JSON keys: they must stay plain
// lower-case words, unique per collection.
func TestCatalogNames(t *testing.T) {
	plain := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	for _, c := range catalog() {
		seen := map[string]bool{"id": true, "geometry": true}
		for _, p := range c.Props {
			if !plain.MatchString(p.Name) || seen[p.Name] {
				t.Errorf("%s: property %q is not a unique plain name", c.ID, p.Name)
			}
			seen[p.Name] = true
			if p.Title == "" {
				t.Errorf("%s: property %s has no title", c.ID, p.Name)
			}
		}
	}
}

// The contract fixes property names to the assets columns (tiles and /api/v1 use the same).
func TestAssetPropertiesAreColumnNames(t *testing.T) {
	land := catalog()[0]
	for _, p := range land.Props {
		if p.Name == "region_name" || p.Name == "zone_name" {
			continue
		}
		if col := strings.TrimSuffix(strings.TrimPrefix(p.SQL, "a."), "::float8"); col != p.Name {
			t.Errorf("land property %s reads %s", p.Name, p.SQL)
		}
	}
}

// Only the store files talk to pgx; the CQL2 package imports neither pgx nor Fiber.
func TestImportsKeepTheLayers(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("cql2/*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, more...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			store := strings.HasPrefix(filepath.Base(f), "store")
			if strings.Contains(path, "jackc/pgx") && !store {
				t.Errorf("%s imports %s: only store files may", f, path)
			}
			if strings.HasPrefix(f, "cql2/") && (strings.Contains(path, "gofiber") || strings.Contains(path, "onemap/")) {
				t.Errorf("%s imports %s: cql2 stays pure", f, path)
			}
		}
	}
}
