package mapprint

import (
	"fmt"
	"math"
	"strconv"
)

// Page geometry in millimetres. The map frame takes the page between the title band and the
// footer (legend on the left; north arrow, scale bar and the sheet's facts on the right).
const (
	margin     = 10.0
	titleH     = 14.0
	footerMinH = 40.0
	infoW      = 84.0 // the footer's right block
	legendColW = 46.0
	lineH      = 4.8
	minRows    = 7 // the legend fills columns downwards: (footerMinH - 6) / lineH
)

// rect is a box on the page: x, y of its top left corner, width, height (mm).
type rect struct{ X, Y, W, H float64 }

// paperSize is the page's width and height in mm.
func paperSize(paper, orientation string) (w, h float64) {
	w, h = 210, 297
	if paper == "A3" {
		w, h = 297, 420
	}
	if orientation == "landscape" {
		w, h = h, w
	}
	return w, h
}

// layout places the title, the map frame and the footer of a page w × h holding legendLines
// lines of legend: the footer grows to fit the legend in as many columns as its width allows.
type layout struct {
	Page, Title, Map, Legend, Info rect
	Cols, Rows                     int
}

func newLayout(w, h float64, legendLines int) layout {
	inner := w - 2*margin
	cols := max(1, int((inner-infoW)/legendColW))
	rows := max((legendLines+cols-1)/cols, minRows)
	footer := max(footerMinH, float64(rows)*lineH+6)
	mapH := h - 2*margin - titleH - footer - 2
	return layout{
		Page:   rect{0, 0, w, h},
		Title:  rect{margin, margin, inner, titleH},
		Map:    rect{margin, margin + titleH, inner, mapH},
		Legend: rect{margin, h - margin - footer, inner - infoW, footer},
		Info:   rect{w - margin - infoW, h - margin - footer, infoW, footer},
		Cols:   cols, Rows: rows,
	}
}

// fit is the largest box of the aspect imgW:imgH inside r, centred.
func fit(r rect, imgW, imgH int) rect {
	scale := math.Min(r.W/float64(imgW), r.H/float64(imgH))
	w, h := float64(imgW)*scale, float64(imgH)*scale
	return rect{r.X + (r.W-w)/2, r.Y + (r.H-h)/2, w, h}
}

// scaleBar picks a round ground length (1, 2 or 5 × 10ⁿ m) whose bar is at most maxMM long at
// metresPerMM, and returns it with the bar's length on paper.
func scaleBar(metresPerMM, maxMM float64) (metres, mm float64) {
	limit := metresPerMM * maxMM
	p := math.Pow(10, math.Floor(math.Log10(limit)))
	for _, m := range []float64{5, 2, 1} {
		if m*p <= limit {
			return m * p, m * p / metresPerMM
		}
	}
	return p, p / metresPerMM
}

// scaleText is the representative fraction, 1:N, with N rounded to three significant figures
// and grouped by thousands (1:12 300).
func scaleText(metresPerMM float64) string {
	n := metresPerMM * 1000
	if n >= 1000 {
		p := math.Pow(10, math.Floor(math.Log10(n))-2)
		n = math.Round(n/p) * p
	}
	return "1:" + group(int64(math.Round(n)))
}

func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}

// distanceText writes metres in the sheet's words: 米 below 1 km, 千米 from there.
func distanceText(m float64, w Words) string {
	if m >= 1000 {
		return fmt.Sprintf("%s %s", strconv.FormatFloat(m/1000, 'f', -1, 64), w.Km)
	}
	return fmt.Sprintf("%s %s", strconv.FormatFloat(m, 'f', -1, 64), w.Metre)
}
