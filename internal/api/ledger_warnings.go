package api

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/ledger"
	"github.com/onemap/onemap/internal/problem"
)

// mountWarnings adds 预警 (read by anyone who reads, within their region) and the lease terms of
// assets (changed by analysts within their region).
func (h *ledgerRoutes) mountWarnings(r fiber.Router) {
	r.Get("/warnings", h.warnings)
	r.Get("/warnings/geojson", h.warningPoints)
	r.Get("/assets/:id/leases", h.leases)
	r.Post("/assets/:id/leases", require(auth.Analyst), h.addLease)
	r.Delete("/assets/:id/leases/:lid", require(auth.Analyst), h.removeLease)
}

func (h *ledgerRoutes) warnings(c *fiber.Ctx) error {
	f, err := warningFilter(c)
	if err != nil {
		return err
	}
	if f.Limit, f.Offset, err = httpx.Page(c, 100, 1000); err != nil {
		return err
	}
	list, err := h.svc.ListWarnings(c.UserContext(), f)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(list)
}

func (h *ledgerRoutes) warningPoints(c *fiber.Ctx) error {
	f, err := warningFilter(c)
	if err != nil {
		return err
	}
	b, err := h.svc.WarningPoints(c.UserContext(), f)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "application/geo+json")
	return c.Send(b)
}

// warningFilter reads kind, region and within (days ahead, 0..90, default 90); the scope is the
// signed-in user's region (none for an anonymous reader where anonymous reads are allowed).
func warningFilter(c *fiber.Ctx) (ledger.WarningFilter, error) {
	f := ledger.WarningFilter{Kind: httpx.Query(c, "kind")}
	if f.Kind != "" && !ledger.ValidWarningKind(f.Kind) {
		return f, problem.Invalid("kind", "%q is not one of %v", f.Kind, ledger.WarningKinds)
	}
	if r := httpx.Query(c, "region"); r != "" {
		f.Region = &r
	}
	var err error
	if f.Within, err = httpx.Int(c, "within", ledger.WarningHorizon, 0, ledger.WarningHorizon); err != nil {
		return f, err
	}
	if u := currentUser(c); u != nil {
		f.Scope = u.RegionCode
	}
	return f, nil
}

func (h *ledgerRoutes) leases(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	list, err := h.svc.Leases(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"leases": append([]ledger.Lease{}, list...)})
}

func (h *ledgerRoutes) addLease(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	var in ledger.NewLease
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return problem.Invalid(te.Field, "must be a %s", te.Type)
		}
		return problem.Invalid("body", "is not a JSON object: %v", err)
	}
	l, err := h.svc.AddLease(c.UserContext(), id, projectActor(c), in)
	if err != nil {
		return err
	}
	if err := h.audit.Record(c.UserContext(), leaseEntry(c, audit.LeaseAdd, l)); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(l)
}

func (h *ledgerRoutes) removeLease(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	lid, err := httpx.PathInt(c, "lid")
	if err != nil {
		return err
	}
	l, err := h.svc.RemoveLease(c.UserContext(), id, lid, projectActor(c))
	if err != nil {
		return err
	}
	if err := h.audit.Record(c.UserContext(), leaseEntry(c, audit.LeaseDelete, l)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// leaseEntry audits a lease term added or deleted: who, on which asset, and the term itself.
func leaseEntry(c *fiber.Ctx, action string, l ledger.Lease) audit.Entry {
	return auditEntry(c, action, fmt.Sprintf("lease:%d", l.ID), map[string]any{"asset_id": l.AssetID, "lease": l})
}

// warningFeed subscribes to the ledger's warning counts for the event stream (nil without a ledger).
func warningFeed(svc *ledger.Service) func() (<-chan []byte, func()) {
	if svc == nil {
		return nil
	}
	return svc.SubscribeWarnings
}
