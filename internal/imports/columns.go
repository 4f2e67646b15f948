package imports

// Column is one asset field as files carry it: its column name (as the API and GeoJSON name
// it), its Chinese header (XLSX, ledgers) and its DBF name (at most 10 letters, for Shapefiles).
// Imports read all three; exports write them, so an export imports back unchanged.
type Column struct {
	Name  string
	Label string
	DBF   string
}

// Columns lists the asset fields that exports write and imports read by default, in order.
var Columns = []Column{
	{"code", "资产编号", "code"},
	{"name", "资产名称", "name"},
	{"kind", "资产类型", "kind"},
	{"region_code", "行政区划代码", "region"},
	{"zone_code", "园区代码", "zone"},
	{"holder", "资产持有人", "holder"},
	{"holder_type", "持有人类型", "holder_typ"},
	{"book_value", "账面价值(万元)", "book_value"},
	{"appraised_value", "评估价值(万元)", "appraised"},
	{"mode", "盘活方式", "mode"},
	{"stage", "盘活状态", "stage"},
	{"responsible_unit", "责任单位", "resp_unit"},
	{"responsible_person", "责任人", "resp_pers"},
	{"revenue", "盘活收益(万元)", "revenue"},
	{"land_status", "土地状态", "land_stat"},
	{"land_class_system", "地类分类体系", "class_sys"},
	{"land_class_code", "地类编码", "class_code"},
	{"approval_no", "批准文号", "approv_no"},
	{"approval_date", "批准日期", "approv_dt"},
	{"supply_method", "供地方式", "supply_mth"},
	{"supply_date", "供地日期", "supply_dt"},
	{"agreed_start", "约定动工日期", "agreed_st"},
	{"actual_start", "实际动工日期", "actual_st"},
	{"developed_share", "已开发比例", "dev_share"},
	{"invested_share", "已投资比例", "inv_share"},
	{"idle_cause", "闲置原因", "idle_cause"},
	{"facts", "扩展属性", "facts"},
	{"area_m2", "面积(平方米)", "area_m2"},
	{"area_mu", "面积(亩)", "area_mu"},
	{"source_crs", "来源坐标系", "src_crs"},
}

// derived are the columns exports write that an import never reads back: the database
// computes them.
var derived = map[string]bool{"area_m2": true, "area_mu": true, "source_crs": true}

// Labels of columns exports write for people and an import ignores: the region and zone names
// (the codes beside them are read).
const (
	RegionNameLabel = "所属区县"
	ZoneNameLabel   = "所属园区"
)
