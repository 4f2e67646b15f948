// Package archtest keeps the import direction of STYLE.md: Fiber only in the HTTP packages, pgx
// only in db, tiles and the store files of the domain packages.
package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// allowed says, for an import path prefix, which files may import it.
var allowed = map[string]func(path string) bool{
	"github.com/gofiber/fiber": func(p string) bool {
		return under(p, "internal/api", "internal/httpx", "internal/ogc", "cmd/onemap") && !under(p, "internal/ogc/cql2")
	},
	"github.com/jackc/pgx": func(p string) bool {
		base := filepath.Base(p)
		return under(p, "internal/db", "tiles", "cmd/onemap", "internal/auth") ||
			strings.HasPrefix(base, "store") || base == "service.go" || strings.HasSuffix(p, "_test.go") ||
			p == "internal/api/app.go" || p == "internal/api/health.go"
	},
}

func under(p string, dirs ...string) bool {
	for _, d := range dirs {
		if strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

func TestImportDirection(t *testing.T) {
	root := "../.."
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path) // path is below root by construction
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			ip := strings.Trim(imp.Path.Value, `"`)
			for prefix, ok := range allowed {
				if strings.HasPrefix(ip, prefix) && !ok(rel) {
					t.Errorf("%s imports %s, which STYLE.md keeps out of it", rel, ip)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked only %d files: is the walk rooted right?", checked)
	}
}
