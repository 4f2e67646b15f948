package mapprint

import (
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// The two embedded fonts: CJK fonts that ship as TrueType (not CFF) carry no Latin letters or
// digits, so text is cut into runs, each set in the font that has its characters.
const (
	fontCJK   = "cjk"
	fontLatin = "latin"
)

// isCJK tells the characters the CJK font sets: from the CJK radicals (U+2E80) up, which takes
// in the full-width punctuation (，：（）) and leaves Latin, ·, ©, °, ² and … to the Latin font.
func isCJK(r rune) bool { return r >= 0x2E80 }

// pen writes mixed Chinese and Latin text at one size.
type pen struct {
	doc  *fpdf.Fpdf
	size float64 // points
}

// runs cuts s where it changes font.
func runs(s string) (out []struct{ font, text string }) {
	var b strings.Builder
	cur := ""
	for _, r := range s {
		f := fontLatin
		if isCJK(r) {
			f = fontCJK
		}
		if f != cur && b.Len() > 0 {
			out = append(out, struct{ font, text string }{cur, b.String()})
			b.Reset()
		}
		cur = f
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		out = append(out, struct{ font, text string }{cur, b.String()})
	}
	return out
}

// width is the length of s in mm.
func (p pen) width(s string) float64 {
	w := 0.0
	for _, r := range runs(s) {
		p.doc.SetFont(r.font, "", p.size)
		w += p.doc.GetStringWidth(r.text)
	}
	return w
}

// text writes s from x on the baseline y.
func (p pen) text(x, y float64, s string) {
	for _, r := range runs(s) {
		p.doc.SetFont(r.font, "", p.size)
		p.doc.Text(x, y, r.text)
		x += p.doc.GetStringWidth(r.text)
	}
}

// cell writes s clipped to the box, centred vertically, aligned "L" or "C".
func (p pen) cell(b rect, s, align string) {
	s = p.clip(s, b.W)
	x := b.X
	if align == "C" {
		x += (b.W - p.width(s)) / 2
	}
	p.text(x, b.Y+b.H/2+p.size*0.3528*0.35, s)
}

// clip shortens s with an ellipsis to fit w mm.
func (p pen) clip(s string, w float64) string {
	if p.width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && p.width(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
