package imports

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/problem"
)

// Mapping maps source field names to asset fields, e.g. {"DKMC": "name", "XMMC": "holder",
// "BZ": "-"} ("-" ignores a field). It overrides the default map, which knows the asset column
// names, their Chinese headers and DBF names, and the 三调 fields (BSM, DLBM, DLMC, QSDWMC,
// ZLDWMC, QSXZ, TBMJ).
type Mapping map[string]string

// Targets an import can fill besides the asset columns: declared areas are checked against the
// computed area, the 三调 land-class and location names make a name when none is given, and
// "facts.KEY" sets one kind-specific fact.
const (
	targetIgnore        = "-"
	targetDeclaredM2    = "declared_area_m2"
	targetDeclaredHa    = "declared_area_ha"
	targetClassName     = "land_class_name"
	targetLocationName  = "location_name"
	factsPrefix         = "facts."
	defaultClassSystem  = "gbt21010_2017"
	declaredAreaWarnPct = 1.0
)

// defaultAliases extends the column table with the names 三调 data, 勘测定界 files and common
// ledgers use (squashed: lower case, no spaces, underscores or brackets).
var defaultAliases = map[string]string{
	"bsm": "code", "编号": "code", "dkbh": "code", "zcbh": "code", "地块编号": "code",
	"名称": "name", "dkmc": "name", "地块名称": "name", "xmmc": "name", "项目名称": "name", "mc": "name",
	"类型": "kind", "资产类别": "kind",
	"qsdwmc": "holder", "权属单位名称": "holder", "持有人": "holder", "权利人": "holder",
	"qsxz": "holder_type", "权属性质": "holder_type",
	"账面价值": "book_value", "评估价值": "appraised_value", "收益": "revenue", "处置方式": "mode",
	"xzqdm": "region_code", "区划代码": "region_code",
	"dlbm": "land_class_code", "地类代码": "land_class_code", "分类体系": "land_class_system",
	"pzwh": "approval_no",
	"dlmc": targetClassName, "地类名称": targetClassName,
	"zldwmc": targetLocationName, "坐落单位名称": targetLocationName,
	"tbmj": targetDeclaredM2, "图斑面积": targetDeclaredM2, "面积平方米": targetDeclaredM2,
	"地块面积": targetDeclaredHa, "面积公顷": targetDeclaredHa,
	"id": targetIgnore, "version": targetIgnore, "regionname": targetIgnore, "zonename": targetIgnore,
	"createdat": targetIgnore, "updatedat": targetIgnore, "界址点数": targetIgnore, "图形属性": targetIgnore,
	"图幅号": targetIgnore, "地块用途": targetIgnore,
	"所属区县": targetIgnore, "所属园区": targetIgnore, "中心经度": targetIgnore, "中心纬度": targetIgnore,
	"centerlon": targetIgnore, "centerlat": targetIgnore, "重叠面积亩": targetIgnore, "重叠比例": targetIgnore,
	"overlapmu": targetIgnore, "overlapshare": targetIgnore, "附件数": targetIgnore, "attachments": targetIgnore,
	"矿种": "facts.mineral", "许可证号": "facts.licence_no", "林场名称": "facts.farm_name",
	"主要树种": "facts.main_species", "蓄积量": "facts.stock_m3", "建筑面积": "facts.floor_area_m2",
	"层数": "facts.floors", "建成年份": "facts.year_built", "用途": "facts.use",
}

// mapper turns one source's records into assets; it resolves each field name once.
type mapper struct {
	user       map[string]string
	kind       assets.Kind
	layerKinds []assets.Kind
	cache      map[string]string
	ignored    map[string]bool
}

func newMapper(user Mapping, kind string, layers []Layer) (*mapper, error) {
	m := &mapper{user: map[string]string{}, cache: map[string]string{}, ignored: map[string]bool{}}
	for src, dst := range user {
		if !validTarget(dst) {
			return nil, problem.Invalid("mapping", "%q → %q: no such asset field", src, dst)
		}
		m.user[squashName(src)] = dst
	}
	if kind != "" {
		k, ok := parseKind(kind)
		if !ok {
			return nil, problem.Invalid("kind", "%q is not one of land, mine, forest, water, building", kind)
		}
		m.kind = k
	}
	for _, l := range layers {
		k, _ := parseKind(l.Name)
		m.layerKinds = append(m.layerKinds, k)
	}
	return m, nil
}

// validTarget allows the asset columns an import sets, the helper targets, and facts.KEY.
func validTarget(t string) bool {
	switch t {
	case targetIgnore, targetDeclaredM2, targetDeclaredHa, targetClassName, targetLocationName:
		return true
	}
	if strings.HasPrefix(t, factsPrefix) {
		return len(t) > len(factsPrefix)
	}
	_, ok := setters[t]
	return ok || t == "kind"
}

// target resolves a field name: the user's mapping, the column table, the aliases.
func (m *mapper) target(field string) string {
	if t, ok := m.cache[field]; ok {
		return t
	}
	s := squashName(field)
	t, ok := m.user[s]
	if !ok {
		t = defaultTarget(s)
	}
	if t == "" {
		m.ignored[field] = true
	}
	m.cache[field] = t
	return t
}

func defaultTarget(s string) string {
	for _, c := range Columns {
		if s == squashName(c.Name) || s == squashName(c.Label) || s == squashName(c.DBF) {
			if derived[c.Name] {
				return targetIgnore
			}
			return c.Name
		}
	}
	if t, ok := defaultAliases[s]; ok {
		return t
	}
	for _, k := range assets.Kinds {
		for _, key := range assets.FactKeys(k) {
			if s == squashName(key) {
				return factsPrefix + key
			}
		}
	}
	return ""
}

// Ignored lists the fields no mapping names, for the report.
func (m *mapper) Ignored() []string {
	return slices.Sorted(maps.Keys(m.ignored))
}

// mapped is one record turned into an asset, with what the checks after it need.
type mapped struct {
	asset        assets.NewAsset
	declaredM2   float64
	columns      []string
	fieldProblem *problem.Error
}

// asset maps r; a value that cannot be read names its field in fieldProblem.
func (m *mapper) asset(r Record, layerName string) mapped {
	var out mapped
	a := &out.asset
	values := map[string]string{}
	for field, v := range r.Attrs {
		v = strings.TrimSpace(v)
		if t := m.target(field); t != "" && t != targetIgnore && v != "" {
			values[t] = v
		}
	}
	a.Kind = m.kind
	if a.Kind == "" {
		a.Kind = m.rowKind(values["kind"], r.Layer)
	}
	if a.Kind == "" {
		out.fieldProblem = problem.Unprocessable("kind", "unknown: give kind, or a kind column, or name the layer after a kind")
		return out
	}
	for _, t := range slices.Sorted(maps.Keys(values)) {
		if err := m.set(&out, t, values[t]); err != nil {
			out.fieldProblem = problem.Unprocessable(t, "%v", err)
			return out
		}
	}
	if a.Name == "" {
		a.Name = strings.TrimSpace(values[targetLocationName] + " " + values[targetClassName])
	}
	if a.Land != nil && a.Land.ClassCode != nil && a.Land.ClassSystem == nil {
		sys := defaultClassSystem
		a.Land.ClassSystem = &sys
		out.columns = append(out.columns, "land_class_system")
	}
	return out
}

func (m *mapper) rowKind(v string, layer int) assets.Kind {
	if v != "" {
		k, _ := parseKind(v)
		return k
	}
	if layer < len(m.layerKinds) {
		return m.layerKinds[layer]
	}
	return ""
}

// set stores one value under its target.
func (m *mapper) set(out *mapped, t, v string) error {
	a := &out.asset
	switch {
	case t == "kind" || t == targetClassName || t == targetLocationName:
		return nil
	case t == targetDeclaredM2 || t == targetDeclaredHa:
		n, err := number(v)
		if t == targetDeclaredHa {
			n *= 10000
		}
		out.declaredM2 = n
		return err
	case strings.HasPrefix(t, factsPrefix):
		out.columns = appendOnce(out.columns, "facts")
		return setFact(a, strings.TrimPrefix(t, factsPrefix), v)
	}
	if t != "code" {
		out.columns = append(out.columns, t)
	}
	return setters[t](a, v)
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// setFact converts v to the fact's type; a fact the kind lacks is kept as text and left to
// validation to name.
func setFact(a *assets.NewAsset, key, v string) error {
	if a.Facts == nil {
		a.Facts = map[string]any{}
	}
	typ, _ := assets.FactType(a.Kind, key)
	switch typ {
	case "number", "int":
		n, err := number(v)
		a.Facts[key] = n
		return err
	case "date":
		d, err := date(v)
		if err == nil {
			a.Facts[key] = d.Format(time.DateOnly)
		}
		return err
	}
	a.Facts[key] = v
	return nil
}

// parseKind reads a kind in English or Chinese.
func parseKind(s string) (assets.Kind, bool) {
	s = strings.TrimSpace(s)
	if assets.ValidKind(strings.ToLower(s)) {
		return assets.Kind(strings.ToLower(s)), true
	}
	for k, label := range assets.KindLabels {
		if s == label || strings.HasPrefix(s, label) {
			return assets.Kind(k), true
		}
	}
	aliases := map[string]assets.Kind{"房产": assets.Building, "建筑": assets.Building, "矿山": assets.Mine, "林地": assets.Forest, "森林": assets.Forest, "地块": assets.Land}
	k, ok := aliases[s]
	return k, ok
}

// number reads a number written with thousands separators or a unit after it.
func number(v string) (float64, error) {
	s := strings.NewReplacer(",", "", "，", "", " ", "", "万元", "", "元", "").Replace(v)
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", v)
	}
	return n, nil
}

// dateLayouts are the ways ledgers write a date.
var dateLayouts = []string{time.DateOnly, "2006/1/2", "2006.1.2", "20060102", "2006年1月2日", time.RFC3339, "2006-1-2", "2006/01/02 15:04:05"}

func date(v string) (time.Time, error) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, nil
		}
	}
	// A spreadsheet's date cell holds its serial number: days since 1899-12-30 (from 1927 on).
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 10000 && n < 2958466 {
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date such as 2025-09-05", v)
}

// labelled reads an enumerated value in English or by its Chinese label.
func labelled(v string, valid func(string) bool, labels map[string]string, extra map[string]string) (string, error) {
	if valid(v) {
		return v, nil
	}
	for k, l := range labels {
		if v == l {
			return k, nil
		}
	}
	if k, ok := extra[v]; ok {
		return k, nil
	}
	return "", fmt.Errorf("%q is not an accepted value", v)
}

// rawFacts reads a facts column: a JSON object.
func rawFacts(a *assets.NewAsset, v string) error {
	var f map[string]any
	if err := json.Unmarshal([]byte(v), &f); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	if a.Facts == nil {
		a.Facts = map[string]any{}
	}
	maps.Copy(a.Facts, f)
	return nil
}
