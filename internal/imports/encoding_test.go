package imports_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onemap/onemap/internal/imports"
)

// A .cpg saying UTF-8 beside a GBK DBF (a common mistake of export tools): the user's explicit
// encoding wins over the .cpg; without it, the undecodable rows are rejected one by one with a
// reason that says how to import them, never a server error.
func TestImportShapefileWithWrongCodePage(t *testing.T) {
	for _, enc := range []string{"GBK", ""} {
		t.Run("encoding="+enc, func(t *testing.T) {
			svc, pool := newService(t)
			dir := t.TempDir()
			shp := gbkShapefile(t, dir)
			if err := os.WriteFile(strings.TrimSuffix(shp, ".shp")+".cpg", []byte("UTF-8"), 0o600); err != nil {
				t.Fatal(err)
			}
			zipPath := zipFiles(t, filepath.Join(dir, "dltb.zip"), shapefileParts(shp)...)
			rep, err := svc.Import(t.Context(), zipPath, imports.Options{Kind: "land", Encoding: enc})
			if enc == "GBK" {
				if err != nil || rep.RowsInserted != 3 || *rep.Encoding != "GBK" {
					t.Fatalf("report = %s (%v)", rep.Summary(), err)
				}
				checkSanDiao(t, pool)
				return
			}
			if err != nil {
				t.Fatalf("err = %v, want a report", err)
			}
			if rep.RowsInserted != 0 || rep.RowsRejected != 3 || len(rep.Issues) == 0 || !strings.Contains(rep.Issues[0].Reason, "encoding=GBK") {
				t.Errorf("report = %s %+v", rep.Summary(), rep.Issues)
			}
		})
	}
}
