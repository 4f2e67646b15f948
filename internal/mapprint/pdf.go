package mapprint

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // map rasters come as JPEG or PNG
	_ "image/png"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/onemap/onemap/internal/problem"
)

// Raster is the map image the browser drew: JPEG or PNG bytes.
type Raster []byte

// kind tells JPG or PNG by the content, or fails naming the part "file".
func (r Raster) kind() (string, image.Config, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(r))
	switch ct := http.DetectContentType(r); {
	case err != nil:
	case ct == "image/jpeg":
		return "JPG", cfg, nil
	case ct == "image/png":
		return "PNG", cfg, nil
	}
	return "", cfg, problem.Invalid("file", "the map must be a JPEG or PNG image")
}

// Render writes s with the map raster as a PDF to w.
func (p *Printer) Render(w io.Writer, s Sheet, r Raster, now time.Time) error {
	kind, cfg, err := r.kind()
	if err != nil {
		return err
	}
	fonts, err := p.fonts()
	if err != nil {
		return err
	}
	pw, ph := paperSize(s.Paper, s.Orientation)
	doc := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: pw, Ht: ph}, OrientationStr: "P"}) // pw × ph as they are: "L" would swap them again
	doc.SetCreator("OneMap", true)
	doc.SetTitle(s.Title, true)
	doc.SetAutoPageBreak(false, 0)
	doc.AddUTF8FontFromBytes(fontCJK, "", fonts[0])
	doc.AddUTF8FontFromBytes(fontLatin, "", fonts[1])
	doc.RegisterImageOptionsReader("map", fpdf.ImageOptions{ImageType: kind}, bytes.NewReader(r))
	if s.Date == "" {
		s.Date = now.Format("2006-01-02")
	}
	lines := legendLines(s.Legend)
	l := newLayout(pw, ph, len(lines))
	doc.AddPage()
	drawTitle(doc, l.Title, s.Title)
	img := fit(l.Map, cfg.Width, cfg.Height)
	drawMap(doc, img, l.Map)
	drawLegend(doc, l, lines)
	drawInfo(doc, l.Info, s, s.MetresPerPixel*float64(cfg.Width)/img.W)
	drawNorth(doc, rect{l.Map.X + l.Map.W - 16, l.Map.Y + 3, 13, 17}, s.Bearing, s.Words.North)
	if s.Table != nil {
		drawTable(doc, s, pw, ph)
	}
	if err := doc.Error(); err != nil {
		return fmt.Errorf("mapprint: %w", err)
	}
	return doc.Output(w)
}

func drawTitle(doc *fpdf.Fpdf, r rect, title string) {
	doc.SetTextColor(20, 30, 45)
	pen{doc, 18}.cell(rect{r.X, r.Y, r.W, r.H - 3}, title, "C")
}

func drawMap(doc *fpdf.Fpdf, img, frame rect) {
	doc.ImageOptions("map", img.X, img.Y, img.W, img.H, false, fpdf.ImageOptions{}, 0, "")
	doc.SetDrawColor(60, 70, 85)
	doc.SetLineWidth(0.4)
	doc.Rect(frame.X, frame.Y, frame.W, frame.H, "D")
}

// legendLine is one line of the legend: a heading (no colour) or a swatch and its text.
type legendLine struct {
	heading     bool
	color, text string
}

func legendLines(groups []LegendGroup) []legendLine {
	var out []legendLine
	for _, g := range groups {
		out = append(out, legendLine{heading: true, text: g.Title})
		for _, it := range g.Items {
			text := it.Label
			if it.Note != "" {
				text += "  " + it.Note
			}
			out = append(out, legendLine{color: it.Color, text: text})
		}
	}
	return out
}

// drawLegend fills the legend's columns top to bottom, left to right.
func drawLegend(doc *fpdf.Fpdf, l layout, lines []legendLine) {
	for i, ln := range lines {
		x := l.Legend.X + float64(i/l.Rows)*legendColW
		y := l.Legend.Y + 3 + float64(i%l.Rows)*lineH
		textX, size := x+7, 8.5
		if ln.heading {
			textX, size = x, 9.5
			doc.SetTextColor(20, 30, 45)
		} else {
			doc.SetTextColor(50, 60, 75)
			swatch(doc, ln.color, x+0.5, y+0.8, 5, 3.2)
		}
		pen{doc, size}.cell(rect{textX, y, legendColW - (textX - x) - 1, lineH}, ln.text, "L")
	}
}

func swatch(doc *fpdf.Fpdf, color string, x, y, w, h float64) {
	r, g, b := rgb(color)
	doc.SetFillColor(r, g, b)
	doc.SetDrawColor(90, 100, 115)
	doc.SetLineWidth(0.15)
	doc.Rect(x, y, w, h, "FD")
}

// drawInfo writes the scale (bar and fraction) and the sheet's facts in the footer's right block.
// metresPerMM is the ground distance one mm of the printed map spans.
func drawInfo(doc *fpdf.Fpdf, r rect, s Sheet, metresPerMM float64) {
	metres, mm := scaleBar(metresPerMM, r.W-24)
	x, y := r.X+2, r.Y+4
	doc.SetTextColor(20, 30, 45)
	pen{doc, 9}.text(x, y+2, s.Words.Scale+" "+scaleText(metresPerMM))
	y += 5
	doc.SetDrawColor(30, 40, 55)
	doc.SetLineWidth(0.2)
	for i := range 4 { // four alternating blocks
		shade := 255
		if i%2 == 0 {
			shade = 40
		}
		doc.SetFillColor(shade, shade, shade)
		doc.Rect(x+float64(i)*mm/4, y, mm/4, 1.6, "FD")
	}
	small := pen{doc, 7.5}
	for _, tick := range []struct{ at, m float64 }{{0, 0}, {mm / 2, metres / 2}, {mm, metres}} {
		label := distanceText(tick.m, s.Words)
		if tick.m == 0 {
			label = "0"
		}
		small.text(x+tick.at-small.width(label)/2, y+5, label)
	}
	y += 10
	doc.SetTextColor(50, 60, 75)
	facts := pen{doc, 8}
	for _, kv := range [][2]string{{s.Words.Unit, s.Unit}, {s.Words.Date, s.Date}, {s.Words.CRS, s.CRS}, {s.Words.Source, s.Attribution}} {
		if kv[1] == "" || y > r.Y+r.H-2 {
			continue
		}
		facts.text(x, y, facts.clip(kv[0]+"："+kv[1], r.W-4))
		y += 4.4
	}
}

// drawNorth draws a north arrow in r, turned by the map's bearing.
func drawNorth(doc *fpdf.Fpdf, r rect, bearing float64, north string) {
	cx, cy := r.X+r.W/2, r.Y+r.H/2+2
	doc.SetFillColor(255, 255, 255)
	doc.Circle(cx, cy, r.W/2+1, "F")
	doc.TransformBegin()
	doc.TransformRotate(-bearing, cx, cy)
	tip, base, half := cy-r.W/2+1, cy+r.W/2-1.5, r.W/4
	doc.SetFillColor(30, 40, 55)
	doc.SetDrawColor(30, 40, 55)
	doc.SetLineWidth(0.2)
	doc.Polygon([]fpdf.PointType{{X: cx, Y: tip}, {X: cx + half, Y: base}, {X: cx, Y: base - 2.5}}, "FD")
	doc.SetFillColor(255, 255, 255)
	doc.Polygon([]fpdf.PointType{{X: cx, Y: tip}, {X: cx - half, Y: base}, {X: cx, Y: base - 2.5}}, "FD")
	doc.SetTextColor(20, 30, 45)
	p := pen{doc, 8}
	p.text(cx-p.width(north)/2, tip-1.2, north)
	doc.TransformEnd()
}

// drawTable prints the result list on pages of its own, its header on each.
func drawTable(doc *fpdf.Fpdf, s Sheet, pw, ph float64) {
	t := s.Table
	p := pen{doc, 8}
	widths := columnWidths(p, t, pw-2*margin)
	const rowH = 6.0
	page := 1
	y := ph // forces the first page
	for i := 0; i <= len(t.Rows); i++ {
		if y+rowH > ph-margin-6 {
			doc.AddPage()
			page++
			doc.SetTextColor(90, 100, 115)
			p.text(margin, ph-margin+2, p.clip(s.Title, pw/2)+" · "+fmt.Sprintf(s.Words.Page, page))
			doc.SetTextColor(20, 30, 45)
			head := pen{doc, 12}
			head.text(margin, margin+5, head.clip(or(t.Title, s.Words.Results), pw-2*margin))
			y = margin + 9
			row(p, t.Columns, widths, y, rowH, true)
			y += rowH
		}
		if i == len(t.Rows) {
			break
		}
		row(p, t.Rows[i], widths, y, rowH, false)
		y += rowH
	}
}

func row(p pen, cells []string, widths []float64, y, h float64, head bool) {
	doc := p.doc
	doc.SetTextColor(20, 30, 45)
	doc.SetDrawColor(200, 207, 218)
	doc.SetFillColor(232, 238, 246)
	doc.SetLineWidth(0.15)
	style := "D"
	if head {
		style = "FD"
	}
	x := margin
	for i, c := range cells {
		doc.Rect(x, y, widths[i], h, style)
		p.cell(rect{x + 1, y, widths[i] - 2, h}, c, "L")
		x += widths[i]
	}
}

// columnWidths shares width among the columns by their widest text (capped), header included.
func columnWidths(p pen, t *Table, width float64) []float64 {
	want := make([]float64, len(t.Columns))
	total := 0.0
	for i, c := range t.Columns {
		w := p.width(c)
		for _, r := range t.Rows {
			w = math.Max(w, p.width(r[i]))
		}
		want[i] = math.Min(w+3, 70)
		total += want[i]
	}
	for i := range want {
		want[i] *= width / total
	}
	return want
}

func rgb(hex string) (int, int, int) {
	if !colorRE.MatchString(hex) {
		return 200, 200, 200
	}
	v, _ := strconv.ParseUint(hex[1:], 16, 32) // checked by colorRE
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
