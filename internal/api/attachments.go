package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/attachments"
	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// downloadLifetime bounds how long one attachment's download may stream.
const downloadLifetime = 30 * time.Minute

// attachmentRoutes serve the files kept with assets and projects: anyone who may read the asset
// or project reads them (within their region), analysts within their region add and delete.
type attachmentRoutes struct {
	svc   *attachments.Service
	audit *audit.Service
	// base outlives a request: a download streams after its handler returns.
	base context.Context
	// maxUpload is the largest file accepted, in bytes (ONEMAP_ATTACHMENT_MAX_MB).
	maxUpload int64
}

func (h *attachmentRoutes) mount(r fiber.Router) {
	analyst := require(auth.Analyst)
	for _, kind := range []string{attachments.OnAsset, attachments.OnProject} {
		base := "/" + kind + "s/:id/attachments"
		r.Get(base, h.list(kind))
		r.Post(base, analyst, h.add(kind))
	}
	r.Get("/attachments/:aid", h.download)
	r.Get("/attachments/:aid/thumbnail", h.thumbnail)
	r.Delete("/attachments/:aid", analyst, h.remove)
}

// attachmentActor is the caller as the attachments check them (anonymous readers: no scope).
func attachmentActor(c *fiber.Ctx) attachments.Actor {
	u := currentUser(c)
	if u == nil {
		return attachments.Actor{}
	}
	return attachments.Actor{Name: u.Username, UserID: u.ID, Region: u.RegionCode}
}

// attachmentUploadPath matches the routes that take an attachment (uploadRoute).
func attachmentUploadPath(path string) bool {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	return len(parts) == 5 && parts[0] == "api" && parts[1] == "v1" &&
		(parts[2] == "assets" || parts[2] == "projects") && parts[4] == "attachments"
}

func (h *attachmentRoutes) list(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := httpx.PathInt(c, "id")
		if err != nil {
			return err
		}
		list, err := h.svc.List(c.UserContext(), attachmentActor(c), attachments.Owner{Kind: kind, ID: id})
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"attachments": list, "categories": attachments.CategoryLabels})
	}
}

// add takes a multipart upload (file, category, note), streamed to disk after the guards, and
// answers 201 with the stored attachment.
func (h *attachmentRoutes) add(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := httpx.PathInt(c, "id")
		if err != nil {
			return err
		}
		up, err := receiveUpload(c, h.maxUpload)
		if err != nil {
			return attachmentLimit(err)
		}
		defer up.remove()
		n := attachments.New{Path: up.path, Filename: up.name, Category: up.field("category"), Note: up.field("note")}
		a, err := h.svc.Add(c.UserContext(), attachmentActor(c), attachments.Owner{Kind: kind, ID: id}, n)
		if err != nil {
			return err
		}
		if err := h.audit.Record(c.UserContext(), attachmentEntry(c, audit.AttachmentAdd, a)); err != nil {
			return err
		}
		c.Location(fmt.Sprintf("/api/v1/attachments/%d", a.ID))
		return c.Status(fiber.StatusCreated).JSON(a)
	}
}

// attachmentLimit names the attachments' own setting in a 413.
func attachmentLimit(err error) error {
	var p *problem.Error
	if errors.As(err, &p) && p.Status == fiber.StatusRequestEntityTooLarge {
		p.Detail = strings.ReplaceAll(p.Detail, "ONEMAP_MAX_UPLOAD_MB", "ONEMAP_ATTACHMENT_MAX_MB")
	}
	return err
}

// download streams the content: pictures and PDFs shown in place, other files (and any with
// ?download=1) as a download, under their own (UTF-8) name.
func (h *attachmentRoutes) download(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "aid")
	if err != nil {
		return err
	}
	a, err := h.svc.Get(c.UserContext(), attachmentActor(c), id)
	if err != nil {
		return err
	}
	inline := (strings.HasPrefix(a.ContentType, "image/") || a.ContentType == "application/pdf") && c.Query("download") == ""
	c.Set(fiber.HeaderContentType, a.ContentType)
	c.Set(fiber.HeaderContentDisposition, contentDisposition(inline, a.Filename))
	c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	c.Set(fiber.HeaderETag, strconv.Quote(a.SHA256))
	ctx, cancel := context.WithTimeout(h.base, downloadLifetime)
	return c.SendStream(&cancelOnClose{ReadCloser: h.svc.Content(ctx, id), cancel: cancel}, int(a.Size))
}

// contentDisposition names the file: an ASCII fallback and the UTF-8 name (RFC 6266, 5987).
func contentDisposition(inline bool, name string) string {
	kind := "attachment"
	if inline {
		kind = "inline"
	}
	if v := mime.FormatMediaType(kind, map[string]string{"filename": name}); v != "" && !strings.Contains(v, "*=") {
		return v
	}
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, kind, fallback, url.PathEscape(name))
}

func (h *attachmentRoutes) thumbnail(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "aid")
	if err != nil {
		return err
	}
	b, err := h.svc.Thumbnail(c.UserContext(), attachmentActor(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/jpeg")
	c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	return c.Send(b)
}

// remove marks the attachment deleted (its content stays, for the audit) and records who did.
func (h *attachmentRoutes) remove(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "aid")
	if err != nil {
		return err
	}
	a, err := h.svc.Delete(c.UserContext(), attachmentActor(c), id)
	if err != nil {
		return err
	}
	if err := h.audit.Record(c.UserContext(), attachmentEntry(c, audit.AttachmentDelete, a)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// attachmentEntry audits an attachment added or deleted: who, which file, on what.
func attachmentEntry(c *fiber.Ctx, action string, a attachments.Attachment) audit.Entry {
	return auditEntry(c, action, fmt.Sprintf("attachment:%d", a.ID), map[string]any{
		"filename": a.Filename, "category": a.Category, "size": a.Size, "sha256": a.SHA256,
		"asset_id": a.AssetID, "project_id": a.ProjectID,
	})
}

// cancelOnClose releases a download's context when the stream is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close ends the stream and its context.
func (r *cancelOnClose) Close() error {
	defer r.cancel()
	return r.ReadCloser.Close()
}
