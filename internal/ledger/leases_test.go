package ledger

import (
	"errors"
	"testing"

	"github.com/onemap/onemap/internal/problem"
)

func TestLeasesValidateScopeAndRemove(t *testing.T) {
	f := newFixture(t)
	id := f.asset("R-1", "building", nil)
	xianan, chibi := "421202", "421281"
	good := NewLease{Tenant: "咸宁某公司", StartDate: "2024-01-01", EndDate: "2026-12-31", AnnualRent: 12.345, RentReceived: 6}
	for _, c := range []struct {
		name  string
		edit  func(*NewLease)
		field string
	}{
		{"no tenant", func(l *NewLease) { l.Tenant = " " }, "tenant"},
		{"bad kind", func(l *NewLease) { l.Kind = "rent" }, "kind"},
		{"bad start", func(l *NewLease) { l.StartDate = "2024-13-01" }, "start_date"},
		{"end before start", func(l *NewLease) { l.EndDate = "2023-12-31" }, "end_date"},
		{"negative rent", func(l *NewLease) { l.AnnualRent = -1 }, "annual_rent"},
		{"huge received", func(l *NewLease) { l.RentReceived = 1e15 }, "rent_received"},
	} {
		l := good
		c.edit(&l)
		_, err := f.svc.AddLease(f.ctx, id, Actor{Name: "a"}, l)
		var pe *problem.Error
		if !errors.As(err, &pe) || pe.Status != 422 || len(pe.Params) != 1 || pe.Params[0].Name != c.field {
			t.Errorf("%s: %v, want 422 naming %s", c.name, err, c.field)
		}
	}
	if _, err := f.svc.AddLease(f.ctx, id, Actor{Name: "b", Region: &chibi}, good); problem.Status(err) != 403 {
		t.Errorf("out of scope: %v, want 403", err)
	}
	if _, err := f.svc.AddLease(f.ctx, id+100, Actor{Name: "a"}, good); problem.Status(err) != 404 {
		t.Errorf("no asset: %v, want 404", err)
	}
	l, err := f.svc.AddLease(f.ctx, id, Actor{Name: "a", Region: &xianan}, good)
	if err != nil || l.Kind != "lease" || l.AnnualRent != 12.35 || l.EndDate != "2026-12-31" {
		t.Fatalf("AddLease = %+v, %v", l, err)
	}
	select {
	case <-f.svc.warn.pokes():
	default:
		t.Error("a lease write asked for no evaluation")
	}
	list, err := f.svc.Leases(f.ctx, id)
	if err != nil || len(list) != 1 || list[0].ID != l.ID || list[0].Tenant != "咸宁某公司" {
		t.Fatalf("Leases = %+v, %v", list, err)
	}
	if _, err := f.svc.RemoveLease(f.ctx, id, l.ID, Actor{Region: &chibi}); problem.Status(err) != 403 {
		t.Errorf("remove out of scope: %v, want 403", err)
	}
	if gone, err := f.svc.RemoveLease(f.ctx, id, l.ID, Actor{Region: &xianan}); err != nil || gone.ID != l.ID || gone.Tenant != "咸宁某公司" {
		t.Fatalf("RemoveLease = %+v, %v; want the lease removed", gone, err)
	}
	if _, err := f.svc.RemoveLease(f.ctx, id, l.ID, Actor{}); problem.Status(err) != 404 {
		t.Errorf("removed twice: %v, want 404", err)
	}
	if list, err := f.svc.Leases(f.ctx, id); err != nil || len(list) != 0 {
		t.Errorf("after removal: %+v, %v", list, err)
	}
}
