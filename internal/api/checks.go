package api

import (
	"bytes"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/checks"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// checkRoutes serve 核查: assets near the device, checks made at an asset or at a position, and
// their list, map layer and export. Reads are any reader's within their region; analysts check.
type checkRoutes struct {
	svc   *checks.Service
	audit *audit.Service // exports are audited
}

// mount adds the routes; before the asset routes, so that /assets/near is not taken for an id.
func (h *checkRoutes) mount(r fiber.Router) {
	analyst := require(auth.Analyst)
	r.Get("/assets/near", h.near)
	r.Get("/assets/:id/checks", h.forAsset)
	r.Post("/assets/:id/checks", analyst, h.createAtAsset)
	r.Post("/checks", analyst, h.createFind)
	r.Get("/checks", h.list)
	r.Get("/checks.geojson", h.geojson)
	r.Get("/checks/export.xlsx", require(auth.Roles...), h.export)
}

// checkUploadPath matches the routes that take a check with photos as multipart/form-data.
var checkUploadPath = regexp.MustCompile(`^/api/v1/(assets/[^/]+/)?checks$`)

// checkUpload tells a check sent as multipart (its photos are streamed, not read whole by limitBody).
func checkUpload(c *fiber.Ctx, path string) bool {
	return checkUploadPath.MatchString(path) && strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), "multipart/form-data")
}

// checkActor is the caller as the check service scopes them (anonymous readers: no scope).
func checkActor(c *fiber.Ctx) checks.Actor {
	u := currentUser(c)
	if u == nil {
		return checks.Actor{}
	}
	return checks.Actor{Name: u.Username, UserID: u.ID, Region: u.RegionCode}
}

func (h *checkRoutes) near(c *fiber.Ctx) error {
	lon, lat, err := position(c)
	if err != nil {
		return err
	}
	radius, err := httpx.Int(c, "radius", 500, 1, checks.MaxRadiusM)
	if err != nil {
		return err
	}
	limit, err := httpx.Int(c, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	list, err := h.svc.Near(c.UserContext(), lon, lat, float64(radius), limit)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"assets": list, "lon": lon, "lat": lat, "radius": radius})
}

// position reads the required lon and lat query parameters (EPSG:4490 degrees).
func position(c *fiber.Ctx) (lon, lat float64, err error) {
	var ok [2]bool
	for i, p := range []struct {
		name string
		dst  *float64
	}{{"lon", &lon}, {"lat", &lat}} {
		if *p.dst, ok[i], err = httpx.Float(c, p.name); err != nil {
			return 0, 0, err
		}
		if !ok[i] {
			return 0, 0, problem.Invalid(p.name, "is required (degrees, EPSG:4490)")
		}
	}
	return lon, lat, nil
}

func (h *checkRoutes) forAsset(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	list, err := h.svc.ForAsset(c.UserContext(), checkActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"checks": list})
}

func (h *checkRoutes) createAtAsset(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	return h.create(c, &id)
}

func (h *checkRoutes) createFind(c *fiber.Ctx) error { return h.create(c, nil) }

// create reads a check (JSON, or multipart with photos), records it and answers 201 with it.
func (h *checkRoutes) create(c *fiber.Ctx, assetID *int64) error {
	n, err := readCheck(c)
	if err != nil {
		return err
	}
	n.AssetID = assetID
	chk, err := h.svc.Create(c.UserContext(), checkActor(c), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(chk)
}

func (h *checkRoutes) list(c *fiber.Ctx) error {
	f, err := checkFilter(c, 100)
	if err != nil {
		return err
	}
	list, total, err := h.svc.List(c.UserContext(), checkActor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"checks": list, "total": total, "limit": f.Limit, "offset": f.Offset})
}

func (h *checkRoutes) geojson(c *fiber.Ctx) error {
	f, err := checkFilter(c, 5000)
	if err != nil {
		return err
	}
	list, _, err := h.svc.List(c.UserContext(), checkActor(c), f)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	return c.JSON(checks.FeatureCollection(list))
}

func (h *checkRoutes) export(c *fiber.Ctx) error {
	f, err := checkFilter(c, 0)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	n, err := h.svc.Export(c.UserContext(), checkActor(c), f, &buf)
	if err != nil {
		return err
	}
	name := "核查记录-" + time.Now().Format("20060102") + ".xlsx"
	return sendDownload(c, h.audit, download{what: "checks", format: "xlsx", name: name, rows: n, body: buf.Bytes()})
}
