package exports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/geo"
	"github.com/onemap/onemap/internal/imports"
)

// errFirst stops a walk after its first asset.
var errFirst = errors.New("first asset seen")

// txt writes the land parcels f selects as a 勘测定界 coordinate file in one Gauss-Krüger zone:
// the one asked for, else the 3° zone of the first parcel. Parcels that are points are left out.
func (s *Service) txt(ctx context.Context, f assets.Filter, o Options, w io.Writer) error {
	f.Kinds = []assets.Kind{assets.Land}
	zone, err := s.txtZone(ctx, f, o)
	if err != nil {
		return err
	}
	var out io.WriteCloser = nopCloser{w}
	if o.Encoding == "GBK" {
		// A character GBK lacks becomes a substitute rather than failing the whole file.
		out = transform.NewWriter(w, encoding.ReplaceUnsupported(simplifiedchinese.GBK.NewEncoder()))
	}
	tw, err := imports.NewTXTWriter(out, zone, s.now().Format(time.DateOnly))
	if err != nil {
		return err
	}
	err = s.assets.EachWKB(ctx, f, zone.EPSG(), func(a assets.Asset, b []byte) error {
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return fmt.Errorf("exports: asset %d geometry: %w", a.ID, err)
		}
		mp, ok := g.(orb.MultiPolygon)
		if !ok {
			return nil
		}
		class := ""
		if a.Land != nil && a.Land.ClassCode != nil {
			class = *a.Land.ClassCode
		}
		return tw.Parcel(a.Code, a.Name, class, a.AreaM2, mp)
	})
	if err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return out.Close()
}

// nopCloser lets UTF-8 output share the encoder's Close.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// txtZone is the zone asked for, else the prefixed 3° zone of the first parcel's longitude.
func (s *Service) txtZone(ctx context.Context, f assets.Filter, o Options) (geo.GKZone, error) {
	if c, err := geo.ParseSRS(o.SRS); err == nil && c.Zone != nil {
		return *c.Zone, nil
	}
	zone := geo.ZoneForLon(114) // no parcel: any zone makes an empty file
	err := s.assets.EachWKB(ctx, f, geo.SRIDCGCS2000, func(_ assets.Asset, b []byte) error {
		g, err := wkb.Unmarshal(b)
		if err == nil {
			zone = geo.ZoneForLon(g.Bound().Center()[0])
		}
		return errFirst
	})
	if err != nil && !errors.Is(err, errFirst) {
		return zone, err
	}
	return zone, nil
}
