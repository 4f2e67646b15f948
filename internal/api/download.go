package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/audit"
)

// download is a file a GET answers with, built in memory: what it holds (projects, reports,
// leaderboard, checks, changes), its format (xlsx, csv), its name, rows and content.
type download struct {
	what, format, name string
	rows               int
	body               []byte
}

// xlsxType is the media type of workbooks.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// downloadTypes are the media types of the downloads' formats.
var downloadTypes = map[string]string{"xlsx": xlsxType, "csv": "text/csv; charset=utf-8"}

// sendDownload records d in the audit trail as an export, as /api/v1/export's files are (who,
// the format, what it holds, the query as its filter, rows and bytes), then sends it to save.
func sendDownload(c *fiber.Ctx, trail *audit.Service, d download) error {
	e := auditEntry(c, audit.Export, d.format, map[string]any{
		"format": d.format, "data": d.what, "filter": string(c.Request().URI().QueryString()), "rows": d.rows, "bytes": len(d.body),
	})
	if err := trail.Record(c.UserContext(), e); err != nil {
		return err
	}
	c.Attachment(d.name)
	c.Set(fiber.HeaderContentType, downloadTypes[d.format])
	return c.Send(d.body)
}
