package mapprint

import (
	"fmt"
	"net/http"
	"os"
	"sync"

	"github.com/onemap/onemap/internal/problem"
)

// The fonts used when none is configured (TrueType with glyf outlines: fpdf embeds no CFF and
// no .ttc): Debian's fonts-droid-fallback for Chinese, fonts-dejavu-core for the rest.
const (
	DefaultCJKFont   = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
	DefaultLatinFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

// Printer makes the PDFs; it reads its fonts once, at the first print.
type Printer struct {
	paths [2]string // CJK, Latin
	once  sync.Once
	ttf   [2][]byte
	err   error
}

// New is a Printer with the CJK and the Latin TrueType fonts at these paths ("" for the default).
func New(cjk, latin string) *Printer {
	return &Printer{paths: [2]string{or(cjk, DefaultCJKFont), or(latin, DefaultLatinFont)}}
}

// fonts are the CJK and the Latin font's bytes, or a 503 saying what to install.
func (p *Printer) fonts() ([2][]byte, error) {
	p.once.Do(func() {
		for i, path := range p.paths {
			p.ttf[i], p.err = os.ReadFile(path)
			if p.err != nil {
				return
			}
		}
	})
	if p.err != nil {
		return p.ttf, &problem.Error{Status: http.StatusServiceUnavailable, Title: "No font to print with",
			Detail: fmt.Sprintf("printing needs TrueType fonts: install fonts-droid-fallback and fonts-dejavu-core, or set ONEMAP_PRINT_FONT and ONEMAP_PRINT_LATIN_FONT (%v)", p.err)}
	}
	return p.ttf, nil
}
