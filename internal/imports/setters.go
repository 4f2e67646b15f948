package imports

import (
	"github.com/onemap/onemap/internal/assets"
)

// setter stores one text value in an asset field.
type setter func(a *assets.NewAsset, v string) error

// setters holds one setter per asset column an import fills.
var setters = map[string]setter{
	"code":               func(a *assets.NewAsset, v string) error { a.Code = v; return nil },
	"name":               func(a *assets.NewAsset, v string) error { a.Name = v; return nil },
	"region_code":        func(a *assets.NewAsset, v string) error { a.RegionCode = v; return nil },
	"zone_code":          func(a *assets.NewAsset, v string) error { a.ZoneCode = v; return nil },
	"holder":             func(a *assets.NewAsset, v string) error { a.Holder = v; return nil },
	"holder_type":        func(a *assets.NewAsset, v string) error { a.HolderType = v; return nil },
	"responsible_unit":   func(a *assets.NewAsset, v string) error { a.ResponsibleUnit = v; return nil },
	"responsible_person": func(a *assets.NewAsset, v string) error { a.ResponsiblePerson = v; return nil },
	"book_value":         func(a *assets.NewAsset, v string) error { return optNumber(&a.BookValue, v) },
	"appraised_value":    func(a *assets.NewAsset, v string) error { return optNumber(&a.AppraisedValue, v) },
	"revenue": func(a *assets.NewAsset, v string) (err error) {
		a.Revenue, err = number(v)
		return err
	},
	"mode": func(a *assets.NewAsset, v string) (err error) {
		a.Mode, err = labelled(v, assets.ValidMode, assets.ModeLabels, map[string]string{"使用": "use", "出售": "sell", "出租": "lease", "融资": "finance"})
		return err
	},
	"stage": func(a *assets.NewAsset, v string) (err error) {
		a.Stage, err = labelled(v, assets.ValidStage, assets.StageLabels, nil)
		return err
	},
	"facts":             rawFacts,
	"land_status":       landText(func(l *assets.LandFacts) **string { return &l.Status }, assets.ValidLandStatus, assets.LandStatusLabels, nil),
	"land_class_system": landText(func(l *assets.LandFacts) **string { return &l.ClassSystem }, validClassSystem, ClassSystemLabels, nil),
	"land_class_code":   landText(func(l *assets.LandFacts) **string { return &l.ClassCode }, nil, nil, nil),
	"approval_no":       landText(func(l *assets.LandFacts) **string { return &l.ApprovalNo }, nil, nil, nil),
	"supply_method":     landText(func(l *assets.LandFacts) **string { return &l.SupplyMethod }, nil, nil, nil),
	"idle_cause": landText(func(l *assets.LandFacts) **string { return &l.IdleCause },
		func(s string) bool { return s == "government" || s == "enterprise" }, nil,
		map[string]string{"政府": "government", "政府原因": "government", "企业": "enterprise", "企业原因": "enterprise"}),
	"approval_date":   landDate(func(l *assets.LandFacts) **assets.Date { return &l.ApprovalDate }),
	"supply_date":     landDate(func(l *assets.LandFacts) **assets.Date { return &l.SupplyDate }),
	"agreed_start":    landDate(func(l *assets.LandFacts) **assets.Date { return &l.AgreedStart }),
	"actual_start":    landDate(func(l *assets.LandFacts) **assets.Date { return &l.ActualStart }),
	"developed_share": landShare(func(l *assets.LandFacts) **float64 { return &l.DevelopedShare }),
	"invested_share":  landShare(func(l *assets.LandFacts) **float64 { return &l.InvestedShare }),
}

// ClassSystemLabels are the Chinese names of the land-class systems (exports write them).
var ClassSystemLabels = map[string]string{"gbt21010_2017": "GB/T 21010-2017", "tdly2023": "国土空间用地用海分类"}

func validClassSystem(s string) bool { return s == "gbt21010_2017" || s == "tdly2023" }

func land(a *assets.NewAsset) *assets.LandFacts {
	if a.Land == nil {
		a.Land = &assets.LandFacts{}
	}
	return a.Land
}

// landText sets a land text field, read through labels when the field is enumerated.
func landText(field func(*assets.LandFacts) **string, valid func(string) bool, labels, extra map[string]string) setter {
	return func(a *assets.NewAsset, v string) error {
		if valid != nil {
			s, err := labelled(v, valid, labels, extra)
			if err != nil {
				return err
			}
			v = s
		}
		*field(land(a)) = &v
		return nil
	}
}

func landDate(field func(*assets.LandFacts) **assets.Date) setter {
	return func(a *assets.NewAsset, v string) error {
		t, err := date(v)
		if err != nil {
			return err
		}
		*field(land(a)) = &assets.Date{Time: t}
		return nil
	}
}

// landShare reads a share as 0.4 or 40%.
func landShare(field func(*assets.LandFacts) **float64) setter {
	return func(a *assets.NewAsset, v string) error {
		pct := len(v) > 0 && v[len(v)-1] == '%'
		if pct {
			v = v[:len(v)-1]
		}
		n, err := number(v)
		if pct {
			n /= 100
		}
		*field(land(a)) = &n
		return err
	}
}

func optNumber(dst **float64, v string) error {
	n, err := number(v)
	*dst = &n
	return err
}
