package api

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/exports"
	"github.com/onemap/onemap/internal/httpx"
)

// exportRoutes serve GET /api/v1/export: the assets the search filters select, as a file.
type exportRoutes struct{ svc *exports.Service }

func (h *exportRoutes) mount(r fiber.Router) {
	r.Get("/export", require(auth.Planner, auth.Analyst), h.export)
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
	if _, err := tmp.Seek(0, 0); err != nil {
		return errors.Join(fmt.Errorf("api: export: %w", err), tmp.Close())
	}
	c.Set(fiber.HeaderContentType, exports.ContentType(o.Format))
	c.Attachment(exports.FileName(o.Format, time.Now()))
	return c.SendStream(tmp)
}
