package demo

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/planar"

	"github.com/onemap/onemap/internal/assets"
)

// generate returns every asset of a city: the others first, then the parcels.
func generate(t *testing.T, seed uint64, parcels int) (*City, []assets.NewAsset) {
	t.Helper()
	c, err := Generate(Options{Seed: seed, Parcels: parcels})
	if err != nil {
		t.Fatal(err)
	}
	all := slices.Clone(c.Assets)
	err = c.Parcels(context.Background(), 1000, func(b []assets.NewAsset) error {
		all = append(all, b...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, all
}

// digest hashes everything about the assets that is written to the database.
func digest(t *testing.T, c *City, all []assets.NewAsset) string {
	t.Helper()
	h := sha256.New()
	for _, z := range c.Zones {
		writeGeom(t, h, z.Geometry)
		fmt.Fprintln(h, z.Code, z.Name)
	}
	for _, a := range all {
		b, err := json.Marshal(a) // the geometry too, as coordinate arrays
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func writeGeom(t *testing.T, h hash.Hash, g orb.Geometry) {
	t.Helper()
	b, err := wkb.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	h.Write(b)
}

func TestGenerateIsDeterministic(t *testing.T) {
	c1, a1 := generate(t, 7, 3000)
	c2, a2 := generate(t, 7, 3000)
	c3, a3 := generate(t, 8, 3000)
	if d1, d2 := digest(t, c1, a1), digest(t, c2, a2); d1 != d2 {
		t.Fatalf("the same seed gave different cities: %s and %s", d1, d2)
	}
	if digest(t, c1, a1) == digest(t, c3, a3) {
		t.Fatal("seeds 7 and 8 gave the same city")
	}
	if len(a1) != len(c1.Assets)+3000 || c1.ParcelCount() != 3000 {
		t.Fatalf("%d assets with %d parcels, want %d others + 3000 parcels", len(a1), c1.ParcelCount(), len(c1.Assets))
	}
}

func TestGenerateIsValidAndInsideItsCounty(t *testing.T) {
	c, all := generate(t, 1, 3000)
	regions := map[string]orb.MultiPolygon{}
	for _, r := range c.Regions {
		regions[r.Code] = r.Geometry
	}
	codes := map[string]bool{}
	for i := range all {
		a := &all[i]
		if err := a.Validate(); err != nil {
			t.Fatalf("%s: %v", a.Code, err)
		}
		key := string(a.Kind) + "/" + a.Code
		if codes[key] {
			t.Fatalf("code %s repeats within kind %s", a.Code, a.Kind)
		}
		codes[key] = true
		for _, p := range a.Geometry.(orb.Polygon)[0] {
			if !planar.MultiPolygonContains(regions[a.RegionCode], p) {
				t.Fatalf("%s %s has a corner %v outside county %s", a.Kind, a.Code, p, a.RegionCode)
			}
		}
	}
}

func TestParcelsLookLikeParcels(t *testing.T) {
	c, all := generate(t, 1, 20_000)
	var mus []float64
	pentagons, straddle := 0, 0
	zones := map[string]orb.Polygon{}
	for _, z := range c.Zones {
		zones[z.Code] = z.Geometry[0]
	}
	for _, a := range all {
		if a.Kind != assets.Land {
			continue
		}
		ring := a.Geometry.(orb.Polygon)[0]
		mus = append(mus, planarM2(a.Geometry.(orb.Polygon))*0.0015)
		if len(ring) == 6 {
			pentagons++
		}
		if z, ok := zones[a.ZoneCode]; ok && slices.ContainsFunc(ring, func(p orb.Point) bool { return !planar.PolygonContains(z, p) }) {
			straddle++
		}
	}
	slices.Sort(mus)
	median, p95 := mus[len(mus)/2], mus[len(mus)*95/100]
	if median < 8 || median > 60 || p95 > 150 || mus[len(mus)/100] < 1 {
		t.Errorf("parcel sizes in 亩: median %.1f, 1st percentile %.1f, 95th %.1f; want a median of 8–60 and most within 2–150", median, mus[len(mus)/100], p95)
	}
	if pentagons < len(mus)/5 || pentagons > len(mus)/2 {
		t.Errorf("%d pentagons of %d parcels, want about a third", pentagons, len(mus))
	}
	if straddle == 0 {
		t.Error("no parcel crosses a zone border")
	}
}

func TestLandDatesGiveAMixOfIdleVerdicts(t *testing.T) {
	_, all := generate(t, 1, 20_000)
	statuses := map[string]int{}
	verdicts := map[string]int{}
	for _, a := range all {
		if a.Land == nil {
			continue
		}
		statuses[*a.Land.Status]++
		v := assets.Assess(a.Land, asOf)
		switch {
		case v.Idle && v.Recoverable:
			verdicts["recoverable"]++
		case v.Idle && v.FeeDue:
			verdicts["fee"]++
		case v.Idle:
			verdicts["government"]++
		case a.Land.AgreedStart != nil:
			verdicts["not idle"]++
		}
		if v.Idle && *a.Land.Status != "idle" {
			t.Fatalf("%s is %s but the rules find it idle: %+v", a.Code, *a.Land.Status, v)
		}
	}
	for _, s := range assets.LandStatuses {
		if share := float64(statuses[s]) / 20_000; share < 0.05 || share > 0.5 {
			t.Errorf("land status %s: %.0f %% of parcels, want 5–50 %%", s, share*100)
		}
	}
	for _, v := range []string{"recoverable", "fee", "government", "not idle"} {
		if verdicts[v] < 50 {
			t.Errorf("idle verdict %q: %d parcels, want a good few (%v)", v, verdicts[v], verdicts)
		}
	}
}

func TestDisposalIsConsistent(t *testing.T) {
	_, all := generate(t, 3, 5000)
	for _, a := range all {
		switch {
		case a.Holder == "" || a.HolderType == "" || a.ResponsibleUnit == "" || a.ResponsiblePerson == "":
			t.Fatalf("%s lacks holder or responsibility: %+v", a.Code, a)
		case a.BookValue == nil || a.AppraisedValue == nil || *a.BookValue <= 0 || *a.AppraisedValue <= 0:
			t.Fatalf("%s lacks values", a.Code)
		case a.Stage == "done" && (a.Revenue <= 0 || a.Mode == "undecided"):
			t.Fatalf("%s is done with mode %s and revenue %.2f", a.Code, a.Mode, a.Revenue)
		case (a.Stage == "idle" || a.Stage == "planned") && a.Revenue != 0:
			t.Fatalf("%s is %s but has revenue %.2f", a.Code, a.Stage, a.Revenue)
		case a.Stage != "idle" && a.Mode == "undecided":
			t.Fatalf("%s is %s with no mode", a.Code, a.Stage)
		}
	}
}

func TestParcelsComeInSpatialBatches(t *testing.T) {
	c, err := Generate(Options{Seed: 1, Parcels: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	var spans []float64
	err = c.Parcels(context.Background(), 2000, func(b []assets.NewAsset) error {
		sizes = append(sizes, len(b))
		var bound orb.Bound
		for i, a := range b {
			if i == 0 {
				bound = a.Geometry.Bound()
			}
			bound = bound.Union(a.Geometry.Bound())
		}
		spans = append(spans, (bound.Max[0]-bound.Min[0])*(bound.Max[1]-bound.Min[1]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range sizes[:len(sizes)-1] {
		if n < 2000 || n > 2000+c.limit {
			t.Errorf("batch %d holds %d parcels, want 2000 plus at most one cell", i, n)
		}
	}
	// Hilbert order: a batch of a fifth of the parcels covers well under the whole city's box.
	city := c.gen.g
	whole := float64(city.nx*city.ny) * cellDeg * cellDeg
	slices.Sort(spans)
	if med := spans[len(spans)/2]; med > whole/2 {
		t.Errorf("median batch bound %.3f deg², the city's %.3f: batches are not local", med, whole)
	}
}

func TestEverySeedFindsRoom(t *testing.T) {
	for seed := range uint64(12) {
		c, err := Generate(Options{Seed: seed * 7919, Parcels: 100})
		if err != nil {
			t.Fatalf("seed %d: %v", seed*7919, err)
		}
		if len(c.Assets) != 15+len(jiayuLakes)+len(reservoirs)+45+183 {
			t.Fatalf("seed %d: %d other assets", seed*7919, len(c.Assets))
		}
	}
}

func TestGenerateRefusesWhatCannotFit(t *testing.T) {
	if _, err := Generate(Options{Seed: 1, Parcels: -1}); err == nil {
		t.Error("negative parcels accepted")
	}
	_, err := Generate(Options{Seed: 1, Parcels: 50_000_000})
	if err == nil || !strings.Contains(err.Error(), "do not fit: at most ") {
		t.Errorf("50 million parcels: error %v, want one saying how many fit", err)
	}
}

// A big city is only its allocation until its parcels are asked for, so 3M and 5M are cheap to
// check: every parcel placed, the density capped, and the densest cells' parcels still
// separate lots of a plausible size.
func TestBigCitiesFit(t *testing.T) {
	for _, n := range []int{3_000_000, 5_000_000} {
		c, err := Generate(Options{Seed: 1, Parcels: n})
		if err != nil {
			t.Fatalf("%d parcels: %v", n, err)
		}
		if c.ParcelCount() != n || c.limit > cellCapMax || c.limit <= cellCap {
			t.Fatalf("%d parcels: %d placed, cap %d a cell; want all, a cap in (%d, %d]", n, c.ParcelCount(), c.limit, cellCap, cellCapMax)
		}
		dense := slices.SortedFunc(slices.Values(c.cells), func(a, b parcelCell) int { return b.n - a.n })[:8]
		if dense[0].n > c.limit {
			t.Fatalf("%d parcels: a cell holds %d, over the cap of %d", n, dense[0].n, c.limit)
		}
		for _, pc := range dense {
			checkCell(t, c, pc)
		}
	}
}

// checkCell makes the parcels of pc and checks that their boxes do not overlap (each keeps to
// its own lot) and that they are at least a quarter of a 亩 (a dense town's
// smallest plots).
func checkCell(t *testing.T, c *City, pc parcelCell) {
	t.Helper()
	ps := c.gen.cell(pc, nil)
	if len(ps) != pc.n {
		t.Fatalf("cell %d: %d parcels, want %d", pc.cell, len(ps), pc.n)
	}
	for i, a := range ps {
		p := a.Geometry.(orb.Polygon)
		if mu := planarM2(p) * 0.0015; mu < 0.25 {
			t.Fatalf("cell %d (%d parcels): %s is %.2f 亩", pc.cell, pc.n, a.Code, mu)
		}
		for _, b := range ps[:i] {
			if p.Bound().Intersects(b.Geometry.Bound()) {
				t.Fatalf("cell %d (%d parcels): %s and %s overlap", pc.cell, pc.n, a.Code, b.Code)
			}
		}
	}
}
