package checks

// Feature is one check on the map: a point with what the layer shows and filters on.
type Feature struct {
	Type       string         `json:"type"`
	ID         int64          `json:"id"`
	Geometry   map[string]any `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// FeatureCollection is the 核查点 layer: each check at the device's position, flagged ones
// marked (properties.flagged) and labelled with their result's Chinese name.
func FeatureCollection(list []Check) map[string]any {
	features := make([]Feature, len(list))
	for i, c := range list {
		features[i] = Feature{
			Type: "Feature", ID: c.ID,
			Geometry: map[string]any{"type": "Point", "coordinates": []float64{c.Lon, c.Lat}},
			Properties: map[string]any{
				"id": c.ID, "asset_id": c.AssetID, "asset_code": c.AssetCode, "asset_name": c.AssetName,
				"result": c.Result, "result_label": ResultLabels[c.Result], "note": c.Note,
				"distance_m": c.DistanceM, "flagged": c.Flagged, "taken_at": c.TakenAt, "created_at": c.CreatedAt,
				"actor": c.Actor, "photo_count": c.PhotoCount,
			},
		}
	}
	return map[string]any{"type": "FeatureCollection", "features": features}
}
