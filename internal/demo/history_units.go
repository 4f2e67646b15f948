package demo

import "strings"

// Departments of the city (市级组) with the 工作领域 each leads, and the city's state enterprises
// (国有企业组) named in the plans. Codes carry the city's code so they never meet a region's.
var (
	departments = []Unit{
		{Code: "421200-ZRZY", Name: "市自然资源和规划局", abbr: "ZRZY", field: "natural_resources"},
		{Code: "421200-SLHB", Name: "市水利和湖泊局", abbr: "SLHB", field: "water"},
		{Code: "421200-LYJ", Name: "市林业局", abbr: "LYJ", field: "forestry"},
		{Code: "421200-FGW", Name: "市发展改革委（能源局）", abbr: "FGW", field: "zones_energy"},
		{Code: "421200-SJJ", Name: "市数据局", abbr: "SJJ", field: "data"},
		{Code: "421200-WHLY", Name: "市文化和旅游局", abbr: "WHLY", field: "culture_tourism"},
		{Code: "421200-JGSW", Name: "市机关事务服务中心", abbr: "JGSW", field: "party_gov_assets"},
		{Code: "421200-CZJ", Name: "市财政局", abbr: "CZJ", field: "institution_assets"},
		{Code: "421200-GZW", Name: "市国资委", abbr: "GZW", field: "enterprise_assets"},
		{Code: "421200-JTYS", Name: "市交通运输局", abbr: "JTYS", field: "concession"},
	}
	enterprises = []Unit{
		{Code: "421200-CFJT", Name: "咸宁城发集团", abbr: "CFJT", field: "enterprise_assets"},
		{Code: "421200-GTJT", Name: "咸宁高投集团", abbr: "GTJT", field: "enterprise_assets"},
		{Code: "421200-JTJT", Name: "咸宁交投集团", abbr: "JTJT", field: "enterprise_assets"},
		{Code: "421200-WLJT", Name: "咸宁文旅集团", abbr: "WLJT", field: "culture_tourism"},
		{Code: "421200-GZYY", Name: "咸宁国资运营公司", abbr: "GZYY", field: "enterprise_assets"},
		{Code: "421200-SWJT", Name: "咸宁水务集团", abbr: "SWJT", field: "concession"},
	}
)

// Short codes of the counties and zones in project codes (XN2025-XA-0012).
var (
	countyAbbr = map[string]string{"421202": "XA", "421221": "JY", "421222": "TC", "421223": "CY", "421224": "TS", "421281": "CB"}
	zoneAbbr   = map[string]string{
		"421202-YQ01": "GXQ", "421202-YQ02": "WQ", "421202-YQ03": "GH", "421202-YQ04": "ZSH", "421281-YQ01": "CBKF",
		"421221-YQ01": "JYKF", "421222-YQ01": "TCKF", "421223-YQ01": "CYGY", "421224-YQ01": "TSKF",
	}
)

// cityUnits returns the departments and enterprises the demo adds as units, in their sort order.
func cityUnits() []Unit {
	out := make([]Unit, 0, len(departments)+len(enterprises))
	for i, u := range departments {
		u.Group, u.Sort = "city", i+1
		out = append(out, u)
	}
	for i, u := range enterprises {
		u.Group, u.Sort = "enterprise", i+1
		out = append(out, u)
	}
	return out
}

// unit is a unit as the generator sees it: the added ones and those the regions and zones bring.
type unit struct {
	code, name, group, abbr, field string
	// county is the county a region or zone unit lies in (nil for departments and enterprises).
	county *county
}

// units indexes the units of the city by code, in the order projects are generated.
type units struct {
	order  []*unit
	byCode map[string]*unit
}

// unitIndex lists the county and district units (as the schema's trigger groups them: a county
// whose name ends in 区 is a district), the zones, then the departments and enterprises.
func unitIndex(city *City, added []Unit) units {
	ix := units{byCode: map[string]*unit{}}
	add := func(u *unit) {
		ix.order = append(ix.order, u)
		ix.byCode[u.code] = u
	}
	for _, c := range city.gen.cs {
		g := "county"
		if strings.HasSuffix(c.name, "区") {
			g = "district"
		}
		add(&unit{code: c.code, name: c.name, group: g, abbr: countyAbbr[c.code], field: "natural_resources", county: c})
	}
	for _, z := range city.gen.zones {
		add(&unit{code: z.spec.code, name: z.spec.name, group: "zone", abbr: zoneAbbr[z.spec.code], field: "zones_energy", county: z.county})
	}
	for _, u := range added {
		add(&unit{code: u.Code, name: u.Name, group: u.Group, abbr: u.abbr, field: u.field})
	}
	return ix
}
