package imports_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/imports"
)

// BenchmarkImportShapefile imports ONEMAP_BENCH_PARCELS (default 100,000) 三调-style parcels from
// a zipped GBK Shapefile in CGCS2000 zone 38 into an empty database and reports parcels/s:
//
//	ONEMAP_BENCH_PARCELS=100000 go test ./internal/imports -run '^$' -bench ImportShapefile -benchtime 1x
func BenchmarkImportShapefile(b *testing.B) {
	n := 100_000
	if v := os.Getenv("ONEMAP_BENCH_PARCELS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	zipPath := bigShapefile(b, n)
	for b.Loop() {
		b.StopTimer()
		pool := dbtest.New(b)
		svc := imports.NewService(pool, assets.NewService(pool), imports.Limits{}, nil)
		b.StartTimer()
		start := time.Now()
		rep, err := svc.Import(context.Background(), zipPath, imports.Options{FileName: "dltb.zip", Kind: "land"})
		if err != nil || rep.RowsInserted != n {
			b.Fatalf("import: %v, %s", err, rep.Summary())
		}
		s := time.Since(start).Seconds()
		b.ReportMetric(s, "s/import")
		b.ReportMetric(float64(n)/s, "parcels/s")
	}
}

// bigShapefile writes n 30 m parcels on a grid as GeoJSON lines, then has GDAL make a zipped
// GBK Shapefile of them in EPSG:4526.
func bigShapefile(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	src := filepath.Join(dir, "src.geojsonl")
	f, err := os.Create(src)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		e, no := 38450000+float64(i%1000)*40, 3250000+float64(i/1000)*40
		fmt.Fprintf(w, `{"type":"Feature","properties":{"BSM":"%012d","DLBM":"0101","DLMC":"水田","QSDWMC":"温泉村民委员会","ZLDWMC":"咸安区温泉街道","TBMJ":900},`+
			`"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`+"\n",
			i+1, e, no, e+30, no, e+30, no+30, e, no+30, e, no)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	shp := filepath.Join(dir, "dltb.shp")
	translate(b, src, shp, "-f", "ESRI Shapefile", "-lco", "ENCODING=CP936", "-a_srs", "EPSG:4526")
	return zipFiles(b, filepath.Join(dir, "dltb.zip"), shapefileParts(shp)...)
}
