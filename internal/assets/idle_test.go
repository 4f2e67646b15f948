package assets

import (
	"testing"
	"time"
)

func day(s string) *Date {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &Date{t}
}

func ptr[T any](v T) *T { return &v }

func TestAssess(t *testing.T) {
	today := day("2026-06-01").Time
	tests := []struct {
		name string
		f    LandFacts
		want Assessment
	}{
		{"no agreed start", LandFacts{}, Assessment{}},
		{"within the year", LandFacts{AgreedStart: day("2025-09-01")}, Assessment{}},
		{
			"one year overdue owes the fee",
			LandFacts{AgreedStart: day("2025-01-01")},
			Assessment{Idle: true, DaysOverdue: 151, FeeDue: true},
		},
		{
			"two years allows recovery",
			LandFacts{AgreedStart: day("2023-06-01")},
			Assessment{Idle: true, DaysOverdue: 730, FeeDue: true, Recoverable: true},
		},
		{
			"government cause: idle but no fee",
			LandFacts{AgreedStart: day("2023-06-01"), IdleCause: ptr("government")},
			Assessment{Idle: true, DaysOverdue: 730},
		},
		{
			"started and built enough",
			LandFacts{AgreedStart: day("2020-01-01"), ActualStart: day("2020-06-01"), DevelopedShare: ptr(0.5), InvestedShare: ptr(0.6)},
			Assessment{},
		},
		{
			"started on too little, halted a year",
			LandFacts{AgreedStart: day("2020-01-01"), ActualStart: day("2025-01-01"), DevelopedShare: ptr(0.2)},
			Assessment{Idle: true, DaysOverdue: 151, FeeDue: true},
		},
		{
			"override to in use",
			LandFacts{AgreedStart: day("2020-01-01"), IdleOverride: ptr("in_use"), IdleOverrideReason: ptr("已核实在建")},
			Assessment{Idle: false, DaysOverdue: 1977, FeeDue: true, Recoverable: true, Overridden: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Assess(&tt.f, today)
			got.Basis = ""
			if got != tt.want {
				t.Errorf("Assess = %+v, want %+v", got, tt.want)
			}
		})
	}
}
