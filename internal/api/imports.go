package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/imports"
	"github.com/onemap/onemap/internal/problem"
)

// importWait is how long POST /imports waits for a run before answering 202 with its progress.
const importWait = 3 * time.Second

// importRoutes serve /api/v1/imports: analysts upload files, and anyone who may import reads
// the runs. Runs outlive their request: they belong to the server's lifetime context.
type importRoutes struct {
	svc   *imports.Service
	base  context.Context
	audit *audit.Service
	// maxUpload is the largest file accepted, in bytes (ONEMAP_MAX_UPLOAD_MB).
	maxUpload int64
}

func (h *importRoutes) mount(r fiber.Router) {
	analyst := require(auth.Analyst)
	r.Post("/imports", analyst, h.create)
	r.Get("/imports", analyst, h.list)
	r.Get("/imports/:id", analyst, h.get)
	r.Get("/imports/:id/assets", analyst, h.assets)
}

// create takes a multipart upload (file, kind, srs, encoding, dry_run, on_conflict, mapping),
// streamed to disk after the route's guards, and answers 201 with the report when the run ends
// within importWait, else 202 with its progress.
func (h *importRoutes) create(c *fiber.Ctx) error {
	up, err := receiveUpload(c, h.maxUpload)
	if err != nil {
		return err
	}
	if kind := up.field("kind"); imports.IsPlaceKind(kind) {
		defer up.remove()
		return h.places(c, up, kind)
	}
	o, err := importOptions(up)
	if err != nil {
		up.remove()
		return err
	}
	o.FileName, o.RemoveFile = up.name, true
	if u := currentUser(c); u != nil {
		o.Actor, o.UserID = u.Username, u.ID
		if u.RegionCode != nil {
			o.Region = *u.RegionCode
		}
	}
	entry := importEntry(currentUser(c), c.IP(), o)
	run, err := h.svc.Start(h.base, up.path, o)
	if err != nil {
		return errors.Join(err, h.audit.Record(c.UserContext(), importOutcome(entry, imports.Report{}, err)))
	}
	go h.recordWhenDone(run, entry)
	select {
	case <-run.Done():
		rep, err := run.Result()
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(rep)
	case <-time.After(importWait):
		rep, err := h.svc.Get(c.UserContext(), run.ID)
		if err != nil {
			return err
		}
		c.Location(fmt.Sprintf("/api/v1/imports/%d", run.ID))
		return c.Status(fiber.StatusAccepted).JSON(rep)
	}
}

// importOptions reads the form fields of an upload.
func importOptions(up *upload) (imports.Options, error) {
	if up.path == "" {
		return imports.Options{}, problem.Invalid("file", "send the file as multipart/form-data field \"file\"")
	}
	o := imports.Options{
		Kind: up.field("kind"), SRS: up.field("srs"), Encoding: up.field("encoding"),
		OnConflict: up.field("on_conflict"),
	}
	if v := up.field("dry_run"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return o, problem.Invalid("dry_run", "%q is not true or false", v)
		}
		o.DryRun = b
	}
	if v := up.field("mapping"); v != "" {
		if err := json.Unmarshal([]byte(v), &o.Mapping); err != nil {
			return o, problem.Invalid("mapping", "is not a JSON object of source field → asset field: %v", err)
		}
	}
	return o, o.Check()
}

func (h *importRoutes) get(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	rep, err := h.svc.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

// assets lists what a run wrote, with their extent: the UI frames them after a commit.
func (h *importRoutes) assets(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	limit, err := httpx.Int(c, "limit", 200, 1, 1000)
	if err != nil {
		return err
	}
	out, err := h.svc.Assets(c.UserContext(), id, limit)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *importRoutes) list(c *fiber.Ctx) error {
	limit, offset, err := httpx.Page(c, 50, 1000)
	if err != nil {
		return err
	}
	runs, err := h.svc.List(c.UserContext(), limit, offset)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": runs, "limit": limit, "offset": offset})
}

// importEntry is the audit entry of an upload: who, which file, kind and whether a dry run.
func importEntry(u *auth.User, ip string, o imports.Options) audit.Entry {
	e := audit.Entry{Action: audit.Import, Target: o.FileName, IP: ip, Detail: map[string]any{
		"file": o.FileName, "kind": o.Kind, "dry_run": o.DryRun, "on_conflict": o.OnConflict,
	}}
	if u != nil {
		id := u.ID
		e.Actor, e.UserID = u.Username, &id
	}
	return e
}

// importOutcome completes e with how the run ended.
func importOutcome(e audit.Entry, rep imports.Report, err error) audit.Entry {
	e.Detail["outcome"] = rep.Status
	if rep.ID != 0 {
		e.Detail["import_id"] = rep.ID
		e.Detail["rows_written"] = rep.RowsWritten
		e.Detail["rows_rejected"] = rep.RowsRejected
	}
	if err != nil {
		e.Detail["outcome"] = "failed"
		e.Detail["error"] = err.Error()
	}
	return e
}

// recordWhenDone audits the run once it ends, which may be long after its request.
func (h *importRoutes) recordWhenDone(run *imports.Run, e audit.Entry) {
	<-run.Done()
	rep, err := run.Result()
	// The server's context may be ending; the record must still be written.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(h.base), 10*time.Second)
	defer cancel()
	_ = h.audit.Record(ctx, importOutcome(e, rep, err)) // nowhere to report to: the request has ended
}
