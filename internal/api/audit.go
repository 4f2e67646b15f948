package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// auditEntry is an audit entry of the request c: by its signed-in user, when there is one, from
// its address.
func auditEntry(c *fiber.Ctx, action, target string, detail map[string]any) audit.Entry {
	e := audit.Entry{Action: action, Target: target, IP: c.IP(), Detail: detail}
	if u := currentUser(c); u != nil {
		id := u.ID
		e.Actor, e.UserID = u.Username, &id
	}
	return e
}

// china is the time zone dates in audit filters are read in (UTC+8, no daylight saving).
func china() *time.Location { return time.FixedZone("CST", 8*3600) }

// auditRoutes serve GET /api/v1/audit (admins): a page of JSON, or every match as CSV.
type auditRoutes struct{ svc *audit.Service }

func (h *auditRoutes) mount(r fiber.Router) {
	r.Get("/audit", require(auth.Admin), h.search)
}

func (h *auditRoutes) search(c *fiber.Ctx) error {
	format := httpx.Query(c, "format")
	if format != "" && format != "json" && format != "csv" {
		return problem.Invalid("format", "must be json or csv")
	}
	q, err := auditQuery(c, format == "csv")
	if err != nil {
		return err
	}
	if format == "csv" {
		return h.csv(c, q)
	}
	page, err := h.svc.Search(c.UserContext(), q)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

// auditQuery reads from, to (dates or RFC 3339; a date as to includes that day), actor, action
// (comma list), q, limit and offset.
func auditQuery(c *fiber.Ctx, all bool) (audit.Query, error) {
	var q audit.Query
	var err error
	if q.From, err = httpx.Time(c, "from", china()); err != nil {
		return q, err
	}
	if q.To, err = httpx.Time(c, "to", china()); err != nil {
		return q, err
	}
	if len(httpx.Query(c, "to")) == len(time.DateOnly) {
		q.To = q.To.AddDate(0, 0, 1)
	}
	if q.Actions, err = httpx.List(c, "action", nil); err != nil {
		return q, err
	}
	q.Actor, q.Q = httpx.Query(c, "actor"), httpx.Query(c, "q")
	def := 100
	if all {
		def = audit.MaxLimit
	}
	q.Limit, q.Offset, err = httpx.Page(c, def, audit.MaxLimit)
	return q, err
}

// csv sends every row the query selects (UTF-8 with a BOM, for Excel) and audits the export.
func (h *auditRoutes) csv(c *fiber.Ctx, q audit.Query) error {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"id", "at", "actor", "user_id", "action", "target", "detail", "ip"}) // into a buffer: cannot fail
	n := 0
	err := h.svc.Each(c.UserContext(), q, func(r audit.Row) error {
		n++
		return w.Write(auditRecord(r))
	})
	w.Flush()
	if err != nil {
		return err
	}
	u := currentUser(c)
	if err := h.svc.Record(c.UserContext(), audit.Entry{
		Actor: u.Username, UserID: &u.ID, Action: audit.AuditExport, Target: "csv", IP: c.IP(),
		Detail: map[string]any{"filter": string(c.Request().URI().QueryString()), "rows": n},
	}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Attachment("audit-" + time.Now().In(china()).Format("20060102-150405") + ".csv")
	return c.Send(buf.Bytes())
}

func auditRecord(r audit.Row) []string {
	uid := ""
	if r.UserID != nil {
		uid = strconv.FormatInt(*r.UserID, 10)
	}
	detail, _ := json.Marshal(r.Detail) // a map read from jsonb: always marshals
	return []string{
		strconv.FormatInt(r.ID, 10), r.At.In(china()).Format(time.RFC3339), r.Actor, uid,
		r.Action, r.Target, string(detail), r.IP,
	}
}
