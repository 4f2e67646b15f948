package imports

import (
	"errors"
	"fmt"

	"github.com/onemap/onemap/internal/geo"
	"github.com/onemap/onemap/internal/problem"
)

// resolveCRS decides each layer's source CRS: the user's srs when given; else what the layer's
// metadata says; else what its coordinates say. GeoJSON and KML are WGS 84 by definition, but
// files in the wild carry Gauss-Krüger metres in them: the coordinates win there, with a warning.
func resolveCRS(layers []Layer, srs string, rep *Report) ([]geo.CRS, error) {
	out := make([]geo.CRS, len(layers))
	if srs != "" {
		c, err := geo.ParseSRS(srs)
		if err != nil {
			return nil, problem.Unprocessable("srs", "%v", err)
		}
		for i := range out {
			out[i] = c
		}
		return out, nil
	}
	for i, l := range layers {
		c, err := layerCRSOf(l, rep)
		if err != nil {
			return nil, problem.Unprocessable("srs", "layer %s: %v", l.Name, err)
		}
		out[i] = c
	}
	return out, nil
}

func layerCRSOf(l Layer, rep *Report) (geo.CRS, error) {
	switch {
	case l.Count == 0:
		return geo.CRS{SRID: geo.SRIDCGCS2000}, nil
	case l.crsErr != nil:
		return geo.CRS{}, l.crsErr
	case l.CRS.SRID != 0 && !l.CRS.Projected() && l.geographicDefault:
		guess, err := geo.Guess(l.Bounds)
		if err == nil && guess.Projected() {
			rep.add(Issue{
				Layer: l.Name, Action: ActionWarning, Field: "srs",
				Reason: fmt.Sprintf("the format says WGS 84 but the coordinates are %s metres: read as %s", guess.Label(), guess.Label()),
			})
			return guess, nil
		}
		return l.CRS, nil
	case l.CRS.SRID != 0:
		return l.CRS, nil
	}
	c, err := geo.Guess(l.Bounds)
	if errors.Is(err, geo.ErrUnknownCRS) || err == nil {
		return c, err
	}
	return c, fmt.Errorf("%w (%w)", err, geo.ErrUnknownCRS)
}
