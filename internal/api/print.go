package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/mapprint"
	"github.com/onemap/onemap/internal/problem"
)

// printMaxRaster bounds the map raster: an A3 sheet at 300 dpi is about 5000 × 3400 px, a few MB
// as JPEG and under 40 MB even as PNG.
const printMaxRaster = 40 << 20

// printRoutes serve POST /api/v1/print: the 专题图 as a PDF (tools/print.js).
type printRoutes struct {
	printer *mapprint.Printer
	audit   *audit.Service
}

func (h *printRoutes) mount(r fiber.Router) {
	r.Post("/print", require(auth.Roles...), h.print)
}

// print takes the multipart fields "file" (the map raster the browser drew, JPEG or PNG) and
// "sheet" (mapprint.Sheet as JSON) and answers the PDF, audited as who printed what.
func (h *printRoutes) print(c *fiber.Ctx) error {
	up, err := receiveUpload(c, printMaxRaster)
	if err != nil {
		return err
	}
	defer up.remove()
	var s mapprint.Sheet
	if err := json.Unmarshal([]byte(up.fields["sheet"]), &s); err != nil {
		return problem.Invalid("sheet", "is not a sheet as JSON: %v", err)
	}
	if err := s.Check(); err != nil {
		return err
	}
	if up.path == "" {
		return problem.Invalid("file", "send the map as an image in the part \"file\"")
	}
	raster, err := os.ReadFile(up.path)
	if err != nil {
		return fmt.Errorf("api: print: %w", err)
	}
	var pdf bytes.Buffer
	if err := h.printer.Render(&pdf, s, raster, time.Now()); err != nil {
		return err
	}
	if err := h.audit.Record(c.UserContext(), printEntry(c, s, len(raster), pdf.Len())); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Attachment("onemap-" + time.Now().Format("20060102-150405") + ".pdf")
	return c.Send(pdf.Bytes())
}

// printEntry audits a print: who, the title, the paper and how many result rows went with it.
func printEntry(c *fiber.Ctx, s mapprint.Sheet, rasterBytes, pdfBytes int) audit.Entry {
	rows := 0
	if s.Table != nil {
		rows = len(s.Table.Rows)
	}
	return auditEntry(c, audit.Print, s.Paper+"-"+s.Orientation, map[string]any{
		"title": s.Title, "unit": s.Unit, "rows": rows, "raster_bytes": rasterBytes, "bytes": pdfBytes,
	})
}
