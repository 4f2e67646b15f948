package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/geo"
)

// use is a parcel's land use with its codes in both classification systems (they collide: 1001
// is railway in GB/T 21010-2017 and industry in the 2023 用地用海分类), its price range in 万元
// per 亩, typical size in 亩, and how it is usually supplied.
type use struct {
	label          string
	gbt, tdly      []string
	priceLo        float64
	priceHi        float64
	medianMu       float64
	supplyMethods  []string
	supplyWeights  []float64
	urbanPriceOnly bool // price follows the county's urban land market
}

var (
	market  = []string{"出让（挂牌）", "出让（拍卖）", "出让（招标）", "协议出让", "划拨"}
	useInd  = use{"工业用地", []string{"0601"}, []string{"1001"}, 12, 25, 45, market, []float64{70, 0, 10, 10, 10}, false}
	useWare = use{"仓储用地", []string{"0604"}, []string{"1101"}, 12, 20, 30, market, []float64{70, 0, 10, 10, 10}, false}
	useRes  = use{"住宅用地", []string{"0701"}, []string{"0701"}, 60, 220, 25, market, []float64{60, 40, 0, 0, 0}, true}
	useCom  = use{"商服用地", []string{"0501", "0504", "0505"}, []string{"0901", "0902"}, 80, 260, 12, market, []float64{60, 40, 0, 0, 0}, true}
	usePub  = use{"公共服务用地", []string{"0801", "0803", "0805"}, []string{"0801", "0804", "0806"}, 20, 60, 15, market, []float64{0, 0, 0, 15, 85}, false}
	uses    = []use{useInd, useWare, useRes, useCom, usePub}
)

// Where a parcel lies decides its likely use and status.
type setting int

const (
	inZone setting = iota
	inTown
	inCountry
)

var (
	useWeights = [3][]float64{{80, 12, 0, 5, 3}, {16, 8, 38, 24, 14}, {36, 16, 22, 12, 14}}
	// Statuses in assets.LandStatuses order: approved_unsupplied, idle, inefficient, reserve, in_use.
	statusWeights = [3][]float64{{24, 16, 20, 8, 32}, {22, 8, 12, 20, 38}, {28, 12, 14, 10, 36}}
	statusPlans   = map[string]plan{
		"approved_unsupplied": {stages: [4]float64{40, 25, 17, 18}, modes: [4]float64{2, 6, 1, 1}},
		"idle":                {stages: [4]float64{50, 22, 16, 12}, modes: [4]float64{4, 3.5, 1, 1.5}},
		"inefficient":         {stages: [4]float64{45, 25, 18, 12}, modes: [4]float64{5, 2, 2, 1}},
		"reserve":             {stages: [4]float64{50, 25, 13, 12}, modes: [4]float64{0.5, 7, 1.5, 1.5}},
		"in_use":              {stages: [4]float64{0, 0, 10, 90}, modes: [4]float64{7, 0.5, 2, 1}},
	}
)

// parcelGen makes the parcels of one cell; each cell has its own random stream, so cells can
// be generated in any order (or in parallel) with the same result.
type parcelGen struct {
	seed  uint64
	g     *grid
	cs    []*county
	zones []*zone
}

// cell returns the parcels of pc, appended to out.
func (pg *parcelGen) cell(pc parcelCell, out []assets.NewAsset) []assets.NewAsset {
	r := rand.New(rand.NewPCG(pg.seed, 0x9e3779b97f4a7c15^uint64(pc.cell)))
	c := pg.cs[pg.g.owner[pc.cell]]
	b := pg.g.bound(pc.cell)
	f := newFrame(b.Min)
	for k, s := range pg.layout(r, pc, f, b) {
		out = append(out, pg.parcel(r, c, s, pc, pc.first+k, f))
	}
	return out
}

// slot is a lot of a cell's layout: its centre and size in metres from the cell's corner, and
// the zone holding its centre.
type slot struct {
	cx, cy, w, h float64
	z            *zone
}

// layout cuts the cell into a grid of lots with some to spare and picks the lots of its pc.n
// parcels, in row order. A zone's share of the parcels goes to lots inside the zone, so that
// dense land follows the zone's outline rather than the cells'; when a zone covers little of
// the cell, the lots shrink until enough of them lie inside.
func (pg *parcelGen) layout(r *rand.Rand, pc parcelCell, f frame, b orb.Bound) []slot {
	cw, ch := f.metres(b)
	nz := int(math.Round(float64(pc.n) * pc.zoneShare))
	total := int(math.Ceil(float64(pc.n) * 1.3))
	var all []slot
	var inside, outside []int
	for range 4 {
		cols := max(1, int(math.Round(math.Sqrt(float64(total)*cw/ch))))
		rows := (total + cols - 1) / cols
		all, inside, outside = pg.lots(f, cols, rows, cw/float64(cols), ch/float64(rows), pc.zoned)
		if len(inside) >= nz+nz/5 {
			break
		}
		total = 1 + int(float64(total)*1.3*float64(nz)/float64(max(len(inside), 1)))
	}
	nz = min(nz, len(inside))
	r.Shuffle(len(inside), func(i, j int) { inside[i], inside[j] = inside[j], inside[i] })
	rest := slices.Concat(outside, inside[nz:])
	r.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	chosen := slices.Concat(inside[:nz], rest[:pc.n-nz])
	slices.Sort(chosen)
	out := make([]slot, len(chosen))
	for i, k := range chosen {
		out[i] = all[k]
	}
	return out
}

// lots is a cols × rows grid of lots, with the indexes of those inside a zone and outside.
func (pg *parcelGen) lots(f frame, cols, rows int, w, h float64, zoned bool) (all []slot, inside, outside []int) {
	all = make([]slot, cols*rows)
	for k := range all {
		s := slot{cx: (float64(k%cols) + 0.5) * w, cy: (float64(k/cols) + 0.5) * h, w: w, h: h}
		if zoned {
			s.z = zoneAt(pg.zones, f.lonLat(s.cx, s.cy))
		}
		all[k] = s
		if s.z != nil {
			inside = append(inside, k)
		} else {
			outside = append(outside, k)
		}
	}
	return all, inside, outside
}

// parcel makes the seq-th parcel of county c in lot s.
func (pg *parcelGen) parcel(r *rand.Rand, c *county, s slot, pc parcelCell, seq int, f frame) assets.NewAsset {
	z := s.z
	set := inCountry
	switch {
	case z != nil:
		set = inZone
	case r.Float64() < pc.pSeat:
		set = inTown
	}
	u := pick(r, uses, useWeights[set])
	mu := math.Min(150, math.Max(2, u.medianMu*math.Exp(0.7*r.NormFloat64())))
	pts, ox, oy := outline(r, s, mu)
	a := assets.NewAsset{
		Code: fmt.Sprintf("%s-TD-%06d", c.code, seq), Kind: assets.Land, RegionCode: c.code,
		Geometry: f.polygon(pts),
	}
	if pc.zoned {
		// The zone is the one holding the parcel's own centre (inside it: the outline is
		// star-shaped about it), which may differ from its lot's near a border.
		z = zoneAt(pg.zones, f.lonLat(ox, oy))
	}
	place := townStem(c.towns[0])
	if z != nil {
		a.ZoneCode, place = z.spec.code, z.spec.name
	} else if set == inCountry {
		place = townStem(one(r, c.towns[1:]))
	}
	a.Name = fmt.Sprintf("%s%s%d号地块", place, u.label, seq)
	status := pick(r, assets.LandStatuses, statusWeights[set])
	a.Land = landFacts(r, status, u)
	pg.ledger(r, &a, c, z, status, u, geo.Mu(math.Abs(shoelace(pts))))
	return a
}

// outline draws a parcel of about mu 亩 at a random spot inside lot s (shrunk to fit a small
// lot), returning its corners in metres from the cell's corner and its centre.
func outline(r *rand.Rand, s slot, mu float64) (pts [][2]float64, ox, oy float64) {
	pts = fitInto(plot(r, mu/0.0015), 0.46*s.w, 0.46*s.h)
	hw, hh := extent(pts)
	ox, oy = s.cx+(0.48*s.w-hw)*(2*r.Float64()-1), s.cy+(0.48*s.h-hh)*(2*r.Float64()-1)
	for i := range pts {
		pts[i][0] += ox
		pts[i][1] += oy
	}
	return pts, ox, oy
}

// ledger fills holder, responsible unit and person, values and disposal of a parcel.
func (pg *parcelGen) ledger(r *rand.Rand, a *assets.NewAsset, c *county, z *zone, status string, u use, mu float64) {
	a.ResponsibleUnit, a.ResponsiblePerson = c.name+"自然资源和规划局", person(r)
	switch status {
	case "approved_unsupplied":
		a.Holder, a.HolderType = c.name+"自然资源和规划局", "行政机关"
		if z != nil && r.IntN(2) == 0 {
			a.Holder, a.HolderType = z.spec.name+"管理委员会", "事业单位"
		}
	case "reserve":
		a.Holder, a.HolderType = c.name+"土地储备中心", "事业单位"
	default:
		a.Holder, a.HolderType = enterprise(r, c.short), pick(r, []string{"国有企业", "民营企业"}, []float64{3, 7})
		if u.label == usePub.label {
			a.Holder, a.HolderType = c.name+one(r, []string{"教育局", "卫生健康局", "机关事务服务中心"}), "行政机关"
		}
		if z != nil && status != "in_use" {
			a.ResponsibleUnit = z.spec.name + "管理委员会"
		} else if r.IntN(5) < 2 {
			a.ResponsibleUnit = one(r, c.towns) + "人民政府"
		}
	}
	price := between(r, u.priceLo, u.priceHi)
	if u.urbanPriceOnly {
		price *= 0.6 + 0.4*c.weight
	}
	dispose(r, a, statusPlans[status], c.done, mu*price*between(r, 0.6, 0.9), mu*price*between(r, 0.9, 1.3))
}
