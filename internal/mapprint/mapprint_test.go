package mapprint

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onemap/onemap/internal/problem"
)

// raster is a w × h JPEG of one colour, standing in for the browser's map.
func raster(t *testing.T, w, h int, c color.Color) Raster {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sheet() Sheet {
	return Sheet{
		Title: "咸宁市闲置土地专题图", Unit: "咸宁市自然资源和规划局", MetresPerPixel: 1, Bearing: 30,
		Attribution: "© OneMap 演示底图", CRS: "CGCS2000 (EPSG:4490)",
		Legend: []LegendGroup{
			{Title: "图层", Items: []LegendItem{{Color: "#c0392b", Label: "土地"}, {Color: "#2e86c1", Label: "水域"}}},
			{Title: "盘活阶段", Items: []LegendItem{{Color: "#e74c3c", Label: "未盘活", Note: "32 宗 · 1 234 亩"}}},
		},
		Table: &Table{Columns: []string{"资产编号", "名称", "面积（亩）"}, Rows: [][]string{{"XN-0001", "横沟桥地块", "12.5"}}},
	}
}

// render prints s and returns the PDF's file.
func render(t *testing.T, s Sheet, r Raster) string {
	t.Helper()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := New("", "").Render(&b, s, r, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(os.Getenv("MAPPRINT_KEEP"), "sheet-"+s.Orientation+".pdf")
	if os.Getenv("MAPPRINT_KEEP") == "" {
		path = filepath.Join(t.TempDir(), "sheet.pdf")
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRenderText reads the PDF back with poppler's pdftotext: the words are text, not pixels.
func TestRenderText(t *testing.T) {
	for _, o := range []string{"landscape", "portrait"} {
		t.Run(o, func(t *testing.T) {
			s := sheet()
			s.Orientation, s.Paper = o, "A3"
			out, err := exec.Command("pdftotext", "-layout", render(t, s, raster(t, 600, 400, color.RGBA{40, 160, 90, 255})), "-").Output()
			if err != nil {
				t.Fatalf("pdftotext (poppler-utils, scripts/deps.sh test): %v", err)
			}
			text := string(out)
			for _, want := range []string{"咸宁市闲置土地专题图", "土地", "水域", "未盘活", "32 宗", "比例尺 1:", "米",
				"制图单位：咸宁市自然资源和规划局", "制图日期：2026-12-02", "© OneMap 演示底图", "XN-0001", "横沟桥地块", "第 2 页"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s: no %q in\n%s", o, want, text)
				}
			}
			if n := strings.Count(text, "\f"); n != 2 {
				t.Errorf("%d pages, want 2 (map and table)", n)
			}
		})
	}
}

// TestScaleOnPaper fills an A4 landscape frame (277 × 134 mm) with a raster of 277 × 134 px of
// 5 m each: 5 m per mm on paper, 1:5 000, a bar of 200 m.
func TestScaleOnPaper(t *testing.T) {
	s := sheet()
	s.MetresPerPixel, s.Table = 5, nil
	out, err := exec.Command("pdftotext", render(t, s, raster(t, 277, 134, color.RGBA{40, 160, 90, 255})), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"比例尺 1:5 000", "100 米", "200 米"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

func TestScaleBar(t *testing.T) {
	for _, c := range []struct{ mpm, max, metres float64 }{{12.3, 60, 500}, {1.9, 60, 100}, {0.5, 60, 20}, {250, 60, 10000}, {33, 60, 1000}} {
		m, mm := scaleBar(c.mpm, c.max)
		if m != c.metres || mm > c.max || mm < c.max/5 {
			t.Errorf("scaleBar(%g, %g) = %g m, %g mm; want %g m", c.mpm, c.max, m, mm, c.metres)
		}
	}
	if got := scaleText(24567); got != "1:24 600 000" {
		t.Errorf("scaleText = %q", got)
	}
}

func TestCheck(t *testing.T) {
	for name, mod := range map[string]func(*Sheet){
		"sheet.paper":            func(s *Sheet) { s.Paper = "B5" },
		"sheet.orientation":      func(s *Sheet) { s.Orientation = "up" },
		"sheet.metres_per_pixel": func(s *Sheet) { s.MetresPerPixel = 0 },
		"sheet.legend":           func(s *Sheet) { s.Legend[0].Items[0].Color = "red" },
		"sheet.table.rows":       func(s *Sheet) { s.Table.Rows[0] = []string{"x"} },
		"sheet.table.columns":    func(s *Sheet) { s.Table.Columns = nil },
		"sheet.title":            func(s *Sheet) { s.Title = strings.Repeat("长", maxText+1) },
	} {
		s := sheet()
		mod(&s)
		err := s.Check()
		var pe *problem.Error
		if !errors.As(err, &pe) || pe.Params[0].Name != name {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestNoFont(t *testing.T) {
	var b bytes.Buffer
	err := New("/nonexistent/font.ttf", "").Render(&b, sheet(), raster(t, 10, 10, color.White), time.Now())
	if problem.Status(err) != 503 {
		t.Errorf("got %v, want a 503", err)
	}
}

func TestNotAnImage(t *testing.T) {
	var b bytes.Buffer
	err := New("", "").Render(&b, sheet(), Raster("GIF89a..."), time.Now())
	if problem.Status(err) != 400 {
		t.Errorf("got %v, want a 400", err)
	}
}
