package ogc

import (
	"slices"
	"strings"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/ogc/cql2"
)

// property is one feature property: the name the contract fixes (it equals the column name used
// by the tiles and /api/v1), a Chinese title, its SQL and type, and its accepted values if an
// enumeration. The SQL is written here, never taken from a request.
type property struct {
	Name  string
	Title string
	SQL   string
	Type  cql2.Type
	Enum  []string
}

// collection is one feature collection and everything its SQL needs.
type collection struct {
	ID, Title, Description string
	// Layer is the tile layer that draws this collection.
	Layer string
	// From and Where select the collection's rows; Where may use $1 = Kind.
	From, Where string
	Kind        string
	// IDSQL is the feature id: assets.id, or the code of a zone or region.
	IDSQL  string
	IDType cql2.Type
	// Geom is the storage geometry (EPSG:4490), Geom3857 its stored Web-Mercator copy.
	Geom, Geom3857 string
	// Time is the temporal property datetime filters on ("" when the collection has none).
	Time  string
	Props []property
}

const assetFrom = `assets a LEFT JOIN regions ar ON ar.code = a.region_code LEFT JOIN zones az ON az.code = a.zone_code`

// catalog builds the seven collections: one per asset kind, then zones and regions.
func catalog() []*collection {
	var out []*collection
	for _, k := range assets.Kinds {
		out = append(out, assetCollection(k))
	}
	return append(out, zonesCollection(), regionsCollection())
}

func assetCollection(k assets.Kind) *collection {
	props := assetProps()
	if k == assets.Land {
		props = append(props, landProps()...)
	}
	props = append(props, factProps(k)...)
	return &collection{
		ID: string(k), Title: assets.KindLabels[string(k)], Layer: string(k),
		Description: assets.KindLabels[string(k)] + "资产台账：基本信息、持有人、盘活方式与盘活状态（国有\"三资\"一张图）",
		From:        assetFrom, Where: "a.kind = $1 AND a.deleted_at IS NULL", Kind: string(k),
		IDSQL: "a.id", IDType: cql2.TypeInteger, Geom: "a.geom", Geom3857: "a.geom_3857",
		Time: "a.updated_at", Props: props,
	}
}

func str(name, title, sql string, enum ...string) property {
	return property{Name: name, Title: title, SQL: sql, Type: cql2.TypeString, Enum: enum}
}

func num(name, title, sql string) property {
	return property{Name: name, Title: title, SQL: sql, Type: cql2.TypeNumber}
}

func date(name, title, sql string) property {
	return property{Name: name, Title: title, SQL: sql, Type: cql2.TypeDate}
}

func assetProps() []property {
	kinds := make([]string, len(assets.Kinds))
	for i, k := range assets.Kinds {
		kinds[i] = string(k)
	}
	return []property{
		str("code", "资产编号", "a.code"),
		str("name", "名称", "a.name"),
		str("kind", "资产类型", "a.kind", kinds...),
		str("region_code", "行政区划代码", "a.region_code"),
		str("region_name", "所在区县", "ar.name"),
		str("zone_code", "园区代码", "a.zone_code"),
		str("zone_name", "所在园区", "az.name"),
		str("holder", "资产持有人", "a.holder"),
		str("holder_type", "持有人类型", "a.holder_type"),
		num("book_value", "账面价值（万元）", "a.book_value::float8"),
		num("appraised_value", "评估价值（万元）", "a.appraised_value::float8"),
		str("mode", "盘活方式", "a.mode", assets.Modes...),
		str("stage", "盘活状态", "a.stage", assets.Stages...),
		str("responsible_unit", "责任单位", "a.responsible_unit"),
		str("responsible_person", "责任人", "a.responsible_person"),
		num("revenue", "盘活收益（万元）", "a.revenue::float8"),
		num("area_m2", "面积（平方米）", "a.area_m2"),
		num("area_mu", "面积（亩）", "a.area_mu"),
		{Name: "updated_at", Title: "更新时间", SQL: "a.updated_at", Type: cql2.TypeTimestamp},
	}
}

func landProps() []property {
	return []property{
		str("land_status", "土地状态", "a.land_status", assets.LandStatuses...),
		str("land_class_system", "地类分类体系", "a.land_class_system", "gbt21010_2017", "tdly2023"),
		str("land_class_code", "地类编码", "a.land_class_code"),
		str("approval_no", "批准文号", "a.approval_no"),
		date("approval_date", "批准日期", "a.approval_date"),
		str("supply_method", "供地方式", "a.supply_method"),
		date("supply_date", "供地日期", "a.supply_date"),
		date("agreed_start", "约定动工日期", "a.agreed_start"),
		date("actual_start", "实际动工日期", "a.actual_start"),
		num("developed_share", "已开发比例", "a.developed_share"),
		num("invested_share", "已投资比例", "a.invested_share"),
		str("idle_cause", "闲置原因", "a.idle_cause", "government", "enterprise"),
		str("idle_override", "人工认定状态", "a.idle_override", assets.LandStatuses...),
		str("idle_override_reason", "人工认定理由", "a.idle_override_reason"),
	}
}

// factTitles are the Chinese labels of the kind-specific facts (assets.FactSchemas).
func factTitles() map[string]string {
	return map[string]string{
		"right_type": "矿业权类型", "mineral": "矿种", "licence_no": "许可证号", "valid_from": "有效期起",
		"valid_to": "有效期止", "reserves": "储量", "reserves_unit": "储量单位", "scale": "规模",
		"farm_name": "林场名称", "forest_type": "林种", "main_species": "主要树种", "stock_m3": "蓄积量（立方米）",
		"water_type": "水域类型", "capacity_wan_m3": "库容（万立方米）", "aquaculture": "养殖情况",
		"water_rights": "水权", "floor_area_m2": "建筑面积（平方米）", "floors": "层数",
		"year_built": "建成年份", "use": "用途", "idle_since": "闲置起始日期", "title_status": "权证状态",
	}
}

// factProps exposes a kind's facts (stored in assets.facts) as properties of their own, in name
// order. Fact names come from assets.FactSchemas, lower-case words only (checked in tests).
func factProps(k assets.Kind) []property {
	schema := assets.FactSchemas[k]
	names := make([]string, 0, len(schema))
	for n := range schema {
		names = append(names, n)
	}
	slices.Sort(names)
	out, titles := make([]property, 0, len(names)), factTitles()
	for _, n := range names {
		ft := schema[n]
		text := "(a.facts->>'" + n + "')"
		p := property{Name: n, Title: titles[n], SQL: text, Type: cql2.TypeString, Enum: ft.Values()}
		switch ft.Type() {
		case "number":
			p.SQL, p.Type = text+"::float8", cql2.TypeNumber
		case "int":
			p.SQL, p.Type = text+"::numeric::bigint", cql2.TypeInteger
		case "date":
			p.SQL, p.Type = text+"::date", cql2.TypeDate
		case "bool":
			p.SQL, p.Type = text+"::boolean", cql2.TypeBool
		}
		out = append(out, p)
	}
	return out
}

// boundary is a collection of areas keyed by code (zones, regions) in table t aliased a.
func boundary(id, title, layer, desc, t, a string, props ...property) *collection {
	head := []property{str("code", title+"代码", a+".code"), str("name", "名称", a+".name")}
	tail := []property{num("area_m2", "面积（平方米）", a+".area_m2"), num("area_mu", "面积（亩）", a+".area_m2 * 0.0015")}
	return &collection{
		ID: id, Title: title, Layer: layer, Description: desc, From: t + " " + a, Where: "TRUE",
		IDSQL: a + ".code", IDType: cql2.TypeString, Geom: a + ".geom", Geom3857: a + ".geom_3857",
		Props: append(append(head, props...), tail...),
	}
}

func zonesCollection() *collection {
	return boundary("zones", "园区", "zone", "开发区、高新区、集聚区与产业园区的范围", "zones", "z",
		str("type", "园区类型", "z.type", "high_tech_zone", "development_zone", "cluster_zone", "industrial_park", "other"),
		str("level", "级别", "z.level", "national", "provincial", "city", "county"),
		str("region_code", "行政区划代码", "z.region_code"))
}

func regionsCollection() *collection {
	return boundary("regions", "行政区划", "region", "区县行政区划（行政区划代码6位）", "regions", "r",
		str("level", "级别", "r.level", "province", "city", "county"),
		str("parent_code", "上级行政区划代码", "r.parent_code"))
}

// prop finds a property by name.
func (c *collection) prop(name string) (property, bool) {
	i := slices.IndexFunc(c.Props, func(p property) bool { return p.Name == name })
	if i < 0 {
		return property{}, false
	}
	return c.Props[i], true
}

// schema is the CQL2 allowlist: every property, plus id and geometry.
func (c *collection) schema() cql2.Schema {
	s := cql2.Schema{
		"id":       {SQL: c.IDSQL, Type: c.IDType},
		"geometry": {SQL: c.Geom, Type: cql2.TypeGeometry},
	}
	for _, p := range c.Props {
		s[p.Name] = cql2.Column{SQL: p.SQL, Type: p.Type}
	}
	return s
}

// names lists the property names, for error messages.
func (c *collection) names() string {
	n := make([]string, len(c.Props))
	for i, p := range c.Props {
		n[i] = p.Name
	}
	return strings.Join(n, ", ")
}
