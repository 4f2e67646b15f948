// Command genledger writes a large XLSX, CSV or GeoJSON ledger of land parcels (WKT squares inside
// Xianning) for the memory benchmark: go run ./scripts/genledger -rows 200000 -o big.xlsx.
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

var header = []string{"资产编号", "资产名称", "资产类型", "持有人", "账面价值(万元)", "盘活方式", "盘活状态", "WKT"}

func main() {
	rows := flag.Int("rows", 200000, "parcels to write")
	out := flag.String("o", "ledger.xlsx", "output file: .xlsx, .csv or .geojson")
	flag.Parse()
	var err error
	switch strings.ToLower(filepath.Ext(*out)) {
	case ".csv":
		err = writeCSV(*out, *rows)
	case ".geojson":
		err = writeGeoJSON(*out, *rows)
	default:
		err = writeXLSX(*out, *rows)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genledger:", err)
		os.Exit(1)
	}
}

// row is parcel i: a square of 40–120 m near a point spread over the city.
func row(r *rand.Rand, i int) []string {
	lon, lat := 113.9+r.Float64()*0.8, 29.5+r.Float64()*0.5
	d := (40 + r.Float64()*80) / 100000
	wkt := fmt.Sprintf("POLYGON((%.7f %.7f,%.7f %.7f,%.7f %.7f,%.7f %.7f,%.7f %.7f))",
		lon, lat, lon+d, lat, lon+d, lat+d, lon, lat+d, lon, lat)
	return []string{
		fmt.Sprintf("BENCH-%07d", i), fmt.Sprintf("基准地块%d号", i), "land",
		fmt.Sprintf("咸宁市第%d国有资产管理单位", r.IntN(500)), fmt.Sprintf("%.2f", r.Float64()*5000),
		"租", "未盘活", wkt,
	}
}

func writeXLSX(path string, n int) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }() // temporary files only
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, 2))
	// Numbers as numbers, as ledgers hold them (and as GDAL needs to tell the header row).
	cells := func(s []string) []any {
		out := make([]any, len(s))
		for i, v := range s {
			out[i] = v
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				out[i] = f
			}
		}
		return out
	}
	if err := sw.SetRow("A1", cells(header)); err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+1) // column 1 and a positive row: no error
		if err := sw.SetRow(cell, cells(row(r, i))); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

func writeCSV(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	r := rand.New(rand.NewPCG(1, 2))
	_ = w.Write(header) // errors surface in w.Error
	for i := 1; i <= n; i++ {
		_ = w.Write(row(r, i))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// writeGeoJSON writes the parcels as a FeatureCollection, the WKT as a polygon.
func writeGeoJSON(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	r := rand.New(rand.NewPCG(1, 2))
	_, _ = w.WriteString(`{"type":"FeatureCollection","features":[`) // errors surface in Flush
	for i := 1; i <= n; i++ {
		c := row(r, i)
		props, _ := json.Marshal(map[string]string{"code": c[0], "name": c[1], "holder": c[3], "book_value": c[4]}) // strings cannot fail
		coords := strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(c[7], "POLYGON(("), "))"), ",", "],[")
		coords = strings.ReplaceAll(coords, " ", ",")
		if i > 1 {
			_ = w.WriteByte(',')
		}
		fmt.Fprintf(w, `{"type":"Feature","properties":%s,"geometry":{"type":"Polygon","coordinates":[[[%s]]]}}`, props, coords)
	}
	_, _ = w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
