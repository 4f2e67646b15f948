package tiles

import (
	"context"
)

// renderData makes the bytes of tile t of layer l under filter f, reading through s.read (the
// replicas, ctx carrying what they must have replayed). Below ParcelMinZoom, at a past time and
// for layers without land, one statement makes the whole tile. Otherwise land parcels come as
// rows (land_rows.sql) that Go encodes (parcels.go) as they arrive, while the composite's other
// layers are rendered by their statement on another connection at the same time.
func (s *Service) renderData(ctx context.Context, l Layer, t TileID, f Filter) ([]byte, error) {
	sql, args := s.stmts.query(l, t, f)
	if !drawsParcels(l, t, f) {
		var data []byte
		err := s.read.QueryRow(ctx, sql, args...).Scan(&data)
		return data, err
	}
	var rest []byte
	restErr := make(chan error, 1)
	if sql != "" { // the composite's other layers
		go func() { restErr <- s.read.QueryRow(ctx, sql, args...).Scan(&rest) }()
	} else {
		restErr <- nil
	}
	data, err := s.landLayer(ctx, t, f, args)
	if rerr := <-restErr; err == nil {
		err = rerr
	}
	if err != nil {
		return nil, err
	}
	return append(data, rest...), nil
}

// landLayer encodes the land parcels of tile t under f.
func (s *Service) landLayer(ctx context.Context, t TileID, f Filter, args []any) ([]byte, error) {
	rows, err := s.read.Query(ctx, s.stmts.land(f), args...)
	if err != nil {
		return nil, err
	}
	return landLayer(rows, t)
}

// drawsParcels tells whether a tile of l holds land parcels as they are now.
func drawsParcels(l Layer, t TileID, f Filter) bool {
	return t.Z >= ParcelMinZoom && (l == Land || l == OneMap) && f.At == nil
}
