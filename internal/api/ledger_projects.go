package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/ledger"
	"github.com/onemap/onemap/internal/problem"
)

// ledgerUploadMax bounds an imported 台账 (a city's few thousand rows are well under it).
const ledgerUploadMax = 20 << 20

// mountProjects adds the units and the 盘活项目: reads for any reader (within their region),
// changes for analysts within their region, units for admins.
func (h *ledgerRoutes) mountProjects(r fiber.Router) {
	analyst, admin := require(auth.Analyst), require(auth.Admin)
	r.Get("/units", h.units)
	r.Post("/units", admin, h.createUnit)
	r.Patch("/units/:code", admin, h.patchUnit)
	r.Get("/projects", h.projects)
	r.Get("/projects/export.xlsx", require(auth.Roles...), h.exportProjects)
	r.Post("/projects/import", analyst, h.importProjects)
	r.Post("/projects", analyst, h.createProject)
	r.Get("/projects/:id", h.project)
	r.Get("/projects/:id/geojson", h.projectGeoJSON)
	r.Patch("/projects/:id", analyst, h.updateProject)
	r.Delete("/projects/:id", analyst, h.deleteProject)
	r.Post("/projects/:id/restore", analyst, h.restoreProject)
	r.Put("/projects/:id/assets", analyst, h.projectAssets)
}

// projectActor is the caller as the ledger checks them (anonymous readers: no scope, no name).
func projectActor(c *fiber.Ctx) ledger.Actor {
	u := currentUser(c)
	if u == nil {
		return ledger.Actor{}
	}
	return ledger.Actor{Name: u.Username, UserID: u.ID, Role: u.Role, Region: u.RegionCode, Unit: u.UnitCode}
}

func (h *ledgerRoutes) units(c *fiber.Ctx) error {
	list, err := h.svc.Units(c.UserContext(), httpx.Query(c, "group"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"units": list})
}

func (h *ledgerRoutes) createUnit(c *fiber.Ctx) error {
	var u ledger.Unit
	if err := decodeStrict(c, &u); err != nil {
		return err
	}
	u, err := h.svc.CreateUnit(c.UserContext(), u)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (h *ledgerRoutes) patchUnit(c *fiber.Ctx) error {
	var p ledger.UnitPatch
	if err := decodeStrict(c, &p); err != nil {
		return err
	}
	u, err := h.svc.PatchUnit(c.UserContext(), c.Params("code"), p)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

// projectFilter reads the list's (and the export's) filter from the query.
func projectFilter(c *fiber.Ctx) (ledger.ProjectFilter, error) {
	f := ledger.ProjectFilter{Group: httpx.Query(c, "group"), Unit: httpx.Query(c, "unit"), Field: httpx.Query(c, "field"),
		Mode: httpx.Query(c, "mode"), Status: httpx.Query(c, "status"), Region: httpx.Query(c, "region"), Q: httpx.Query(c, "q")}
	var err error
	var asset int
	for _, p := range []struct {
		name        string
		dst         *int
		def, lo, hi int
	}{{"year", &f.Year, 0, 2000, 2100}, {"limit", &f.Limit, 100, 1, 10000}, {"offset", &f.Offset, 0, 0, 1 << 30}, {"asset", &asset, 0, 1, 1<<31 - 1}} {
		if *p.dst, err = httpx.Int(c, p.name, p.def, p.lo, p.hi); err != nil {
			return f, err
		}
	}
	f.Asset = int64(asset)
	return f, nil
}

func (h *ledgerRoutes) projects(c *fiber.Ctx) error {
	f, err := projectFilter(c)
	if err != nil {
		return err
	}
	list, total, err := h.svc.Projects(c.UserContext(), projectActor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"projects": list, "total": total, "limit": f.Limit, "offset": f.Offset})
}

func (h *ledgerRoutes) project(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	d, err := h.svc.Project(c.UserContext(), projectActor(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, `"`+strconv.Itoa(d.Version)+`"`)
	return c.JSON(d)
}

func (h *ledgerRoutes) projectGeoJSON(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	b, err := h.svc.GeoJSON(c.UserContext(), projectActor(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	return c.Send(b)
}

// sendProject answers with a project and its version as ETag.
func sendProject(c *fiber.Ctx, status int, p ledger.Project) error {
	c.Set(fiber.HeaderETag, `"`+strconv.Itoa(p.Version)+`"`)
	return c.Status(status).JSON(p)
}

func (h *ledgerRoutes) createProject(c *fiber.Ctx) error {
	var in struct {
		ledger.ProjectFields
		AssetIDs []int64 `json:"asset_ids"`
		Note     string  `json:"note"`
	}
	if err := decodeProject(c, &in); err != nil {
		return err
	}
	p, err := h.svc.CreateProject(c.UserContext(), projectActor(c), in.ProjectFields, in.AssetIDs, in.Note)
	if err != nil {
		return err
	}
	return sendProject(c, fiber.StatusCreated, p)
}

// decodeProject is decodeStrict for a body holding the project's fields: a field at fault is
// named as the client wrote it, not by its path through the embedded struct.
func decodeProject(c *fiber.Ctx, dst any) error {
	err := decodeStrict(c, dst)
	var pe *problem.Error
	if errors.As(err, &pe) {
		for i := range pe.Params {
			pe.Params[i].Name = strings.TrimPrefix(pe.Params[i].Name, "ProjectFields.")
		}
		pe.Detail = strings.TrimPrefix(pe.Detail, "ProjectFields.")
	}
	return err
}

// projectPatch is a PATCH body laid over the project's current fields: the fields it names
// change (null clears a date), the others stay.
type projectPatch struct {
	*ledger.ProjectFields
	Version json.RawMessage `json:"version"`
	Note    string          `json:"note"`
}

func (h *ledgerRoutes) updateProject(c *fiber.Ctx) error {
	id, v, body, err := versioned(c)
	if err != nil {
		return err
	}
	note, err := noteOf(body)
	if err != nil {
		return err
	}
	p, err := h.svc.UpdateProject(c.UserContext(), projectActor(c), id, v, note, func(f *ledger.ProjectFields) error {
		return decodeProject(c, &projectPatch{ProjectFields: f})
	})
	if err != nil {
		return err
	}
	return sendProject(c, fiber.StatusOK, p)
}

// versioned reads the path's id, the body as a JSON object (none is an empty one) and the
// version the change was made on.
func versioned(c *fiber.Ctx) (int64, int, map[string]json.RawMessage, error) {
	id, body, err := idAndBody(c)
	if err != nil {
		return 0, 0, nil, err
	}
	v, err := version(c, body)
	return id, v, body, err
}

func idAndBody(c *fiber.Ctx) (int64, map[string]json.RawMessage, error) {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return 0, nil, err
	}
	body := map[string]json.RawMessage{}
	if len(c.Body()) > 0 && json.Unmarshal(c.Body(), &body) != nil {
		return 0, nil, problem.Invalid("body", "is not a JSON object")
	}
	return id, body, nil
}

// noteOf is the body's "note" (why the change is made), if any.
func noteOf(body map[string]json.RawMessage) (string, error) {
	var note string
	if raw, ok := body["note"]; ok && json.Unmarshal(raw, &note) != nil {
		return "", problem.Invalid("note", "must be a string")
	}
	return note, nil
}

// optionalVersion reads a delete's or restore's id, version (nil: not sent, not checked) and note.
func optionalVersion(c *fiber.Ctx) (int64, *int, string, error) {
	id, body, err := idAndBody(c)
	if err != nil {
		return 0, nil, "", err
	}
	note, err := noteOf(body)
	if err != nil {
		return 0, nil, "", err
	}
	if _, ok := body["version"]; !ok && c.Get(fiber.HeaderIfMatch) == "" {
		return id, nil, note, nil
	}
	v, err := version(c, body)
	return id, &v, note, err
}

func (h *ledgerRoutes) deleteProject(c *fiber.Ctx) error {
	id, v, note, err := optionalVersion(c)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteProject(c.UserContext(), projectActor(c), id, v, note); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *ledgerRoutes) restoreProject(c *fiber.Ctx) error {
	id, v, note, err := optionalVersion(c)
	if err != nil {
		return err
	}
	p, err := h.svc.RestoreProject(c.UserContext(), projectActor(c), id, v, note)
	if err != nil {
		return err
	}
	return sendProject(c, fiber.StatusOK, p)
}

func (h *ledgerRoutes) projectAssets(c *fiber.Ctx) error {
	id, v, _, err := versioned(c)
	if err != nil {
		return err
	}
	var in struct {
		Version  json.RawMessage `json:"version"`
		AssetIDs *[]int64        `json:"asset_ids"`
		Note     string          `json:"note"`
	}
	if err := decodeStrict(c, &in); err != nil {
		return err
	}
	if in.AssetIDs == nil {
		return problem.Invalid("asset_ids", "is required (an empty list removes every asset)")
	}
	p, err := h.svc.SetAssets(c.UserContext(), projectActor(c), id, v, *in.AssetIDs, in.Note)
	if err != nil {
		return err
	}
	return sendProject(c, fiber.StatusOK, p)
}

func (h *ledgerRoutes) exportProjects(c *fiber.Ctx) error {
	f, err := projectFilter(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	n, err := h.svc.ExportProjects(c.UserContext(), projectActor(c), f, &buf)
	if err != nil {
		return err
	}
	name := "盘活项目台账-" + time.Now().Format("20060102") + ".xlsx"
	return sendDownload(c, h.audit, download{what: "projects", format: "xlsx", name: name, rows: n, body: buf.Bytes()})
}

// importProjects reads a 台账 upload (multipart "file"; dry_run=true as a field or in the
// query): 200 with the report, or 422 with it when a row fails (nothing is written then).
func (h *ledgerRoutes) importProjects(c *fiber.Ctx) error {
	up, err := receiveUpload(c, ledgerUploadMax)
	if err != nil {
		return err
	}
	defer up.remove()
	if up.path == "" {
		return problem.Invalid("file", "send the 台账 as multipart/form-data field \"file\"")
	}
	file, err := os.Open(up.path)
	if err != nil {
		return err
	}
	defer file.Close()
	dry := up.field("dry_run") == "true" || httpx.Query(c, "dry_run") == "true"
	rep, err := h.svc.ImportProjects(c.UserContext(), projectActor(c), file, dry)
	if err != nil {
		return err
	}
	if len(rep.Errors) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return c.JSON(rep)
}
