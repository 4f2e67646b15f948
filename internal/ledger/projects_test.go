package ledger

import (
	"strings"
	"testing"

	"github.com/onemap/onemap/internal/problem"
)

func TestProjectFieldsValidate(t *testing.T) {
	day := func(s string) *string { return &s }
	good := ProjectFields{Code: " P1 ", Name: "项目", Year: 2026, UnitCode: "421202", Field: "water", Mode: "use",
		PlannedStart: day("2026-01-01"), PlannedEnd: day("2026-01-01"), ExpectedBenefit: 1.005}
	if err := good.validate(); err != nil {
		t.Fatalf("good: %v", err)
	}
	if good.Code != "P1" || good.Instrument != "other" || good.Status != "active" {
		t.Errorf("normalized: %+v", good)
	}
	for name, edit := range map[string]func(*ProjectFields){
		"planned_end":      func(f *ProjectFields) { f.PlannedEnd = day("2025-12-31") },
		"planned_start":    func(f *ProjectFields) { f.PlannedStart = day("01/01/2026") },
		"expected_benefit": func(f *ProjectFields) { f.ExpectedBenefit = -0.5 },
		"status":           func(f *ProjectFields) { f.Status = "open" },
		"group":            func(f *ProjectFields) { f.Group = "town" },
	} {
		f := good
		edit(&f)
		err := f.validate()
		if err == nil || !strings.Contains(err.Error(), name) || problem.Status(err) != 422 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestCodeOf(t *testing.T) {
	for in, want := range map[string]string{"县市组": "county", "自然资源": "natural_resources", "REITs": "reits", "sell": "sell", "农业": "农业"} {
		got := in
		for _, m := range []map[string]string{GroupLabels, FieldLabels, instrumentLabels, modeLabels} {
			if c := codeOf(m, in); c != in {
				got = c
			}
		}
		if got != want {
			t.Errorf("codeOf(%q) = %q, want %q", in, got, want)
		}
	}
}
