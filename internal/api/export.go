package api

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/exports"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// exportRoutes serve GET /api/v1/export: the assets the search filters select, as a file.
type exportRoutes struct {
	svc    *exports.Service
	audit  *audit.Service
	assets *assets.Service // counts the rows for the audit trail
}

func (h *exportRoutes) mount(r fiber.Router) {
	r.Get("/export/columns", h.columns)
	r.Get("/export", require(auth.Planner, auth.Analyst), h.export)
}

// columns serves the definition of the exports' table (headers, value labels, decimals), which
// the page builds its own exports with: one table whoever exports.
func (h *exportRoutes) columns(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.JSON(fiber.Map{"columns": exports.Table(false), "spatial": exports.Table(true), "wkt": "WKT"})
}

// wantWKT reads wkt (true or false, default false): the geometry as WKT in CSV and XLSX.
func wantWKT(c *fiber.Ctx) (bool, error) {
	switch v := httpx.Query(c, "wkt"); v {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	default:
		return false, problem.Invalid("wkt", "%q is not true or false", v)
	}
}

// export writes the file to a temporary file first, so that a failure is still a clean
// problem+json answer, then streams it.
func (h *exportRoutes) export(c *fiber.Ctx) error {
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	o := exports.Options{
		Format: httpx.Query(c, "format"), SRS: httpx.Query(c, "srs"),
		Encoding: httpx.Query(c, "encoding"), Sheets: httpx.Query(c, "sheets"),
	}
	if o.Format == "" {
		o.Format = "geojson"
	}
	if o.WKT, err = wantWKT(c); err != nil {
		return err
	}
	if err := o.Check(); err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "onemap-export-*")
	if err != nil {
		return fmt.Errorf("api: export: %w", err)
	}
	// Unlinked at once: the open handle keeps the data until the response has been sent.
	_ = os.Remove(tmp.Name())
	if err := h.svc.Export(c.UserContext(), f, o, tmp); err != nil {
		return errors.Join(err, tmp.Close())
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("api: export: %w", err), tmp.Close())
	}
	n, err := h.assets.Search(c.UserContext(), f, assets.Page{}, assets.NoShape)
	if err != nil {
		return errors.Join(err, tmp.Close())
	}
	if err := h.audit.Record(c.UserContext(), exportEntry(c, o, n.Total, size)); err != nil {
		return errors.Join(err, tmp.Close())
	}
	c.Set(fiber.HeaderContentType, exports.ContentType(o.Format))
	c.Attachment(exports.FileName(o.Format, time.Now()))
	return c.SendStream(tmp)
}

// exportEntry audits an export: who, the format, the filter as its query string, the rows (as
// counted just after the file was written: the exporters stream without counting) and the size.
func exportEntry(c *fiber.Ctx, o exports.Options, rows, size int64) audit.Entry {
	return auditEntry(c, audit.Export, o.Format, map[string]any{
		"format": o.Format, "filter": string(c.Request().URI().QueryString()), "rows": rows, "bytes": size,
		"srs": o.SRS, "encoding": o.Encoding,
	})
}
