package tiles

import "context"

// OGCSource adapts a Service to OGC API – Tiles (internal/ogc's TileSource): unfiltered tiles of
// one layer named by its string.
type OGCSource struct{ svc *Service }

// NewOGCSource returns the OGC API – Tiles view of svc.
func NewOGCSource(svc *Service) OGCSource { return OGCSource{svc: svc} }

// Tile returns the MVT bytes of tile z/x/y (x the column, y the row) of layer; empty bytes for an
// empty tile. An unknown layer is a problem.Invalid error.
func (o OGCSource) Tile(ctx context.Context, layer string, z, x, y int) ([]byte, error) {
	l, err := ParseLayer(layer)
	if err != nil {
		return nil, err
	}
	t, err := o.svc.Tile(ctx, l, TileID{Z: z, X: x, Y: y}, Filter{})
	if err != nil {
		return nil, err
	}
	return t.Data()
}
