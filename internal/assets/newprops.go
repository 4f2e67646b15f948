package assets

import "github.com/paulmach/orb"

// NewAssetProps are a new asset's properties as the HTTP APIs name them: the GeoJSON Feature
// properties of POST /api/v1/assets and of the OGC API's Part 4 POST (land facts inline).
type NewAssetProps struct {
	Code              string         `json:"code"`
	Kind              Kind           `json:"kind"`
	Name              string         `json:"name"`
	RegionCode        string         `json:"region_code"`
	ZoneCode          string         `json:"zone_code"`
	Holder            string         `json:"holder"`
	HolderType        string         `json:"holder_type"`
	BookValue         *float64       `json:"book_value"`
	AppraisedValue    *float64       `json:"appraised_value"`
	Mode              string         `json:"mode"`
	Stage             string         `json:"stage"`
	ResponsibleUnit   string         `json:"responsible_unit"`
	ResponsiblePerson string         `json:"responsible_person"`
	Revenue           float64        `json:"revenue"`
	Facts             map[string]any `json:"facts"`
	Note              string         `json:"note"`
	OverlapReason     string         `json:"overlap_reason"`
	*LandFacts
}

// NewAsset is the asset to create from the properties and a geometry in EPSG:4490 lon/lat (the
// note goes to Create apart).
func (p NewAssetProps) NewAsset(g orb.Geometry) NewAsset {
	return NewAsset{
		Code: p.Code, Kind: p.Kind, Name: p.Name, RegionCode: p.RegionCode, ZoneCode: p.ZoneCode,
		Holder: p.Holder, HolderType: p.HolderType, BookValue: p.BookValue, AppraisedValue: p.AppraisedValue,
		Mode: p.Mode, Stage: p.Stage, ResponsibleUnit: p.ResponsibleUnit, ResponsiblePerson: p.ResponsiblePerson,
		Revenue: p.Revenue, Land: p.LandFacts, Facts: p.Facts, Geometry: g, SourceCRS: "EPSG:4490",
		OverlapReason: p.OverlapReason,
	}
}
