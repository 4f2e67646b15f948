package assets

import (
	"slices"

	"github.com/onemap/onemap/internal/problem"
)

// maxMerge bounds how many assets one merge joins.
const maxMerge = 50

// adjacentM is how far apart (metres) two parcels may lie and still count as touching: survey
// outlines of neighbours rarely share their vertices exactly.
const adjacentM = 0.01

// Merge joins adjacent assets of one kind into one. IDs come in the caller's order: the first
// gives the merged asset its fields, facts, code and name unless Code or Name are given.
// Versions, when given for an id, must match.
type Merge struct {
	IDs      []int64
	Versions map[int64]int
	Code     string
	Name     string
	Note     string
}

// check refuses fewer than two distinct ids or too many.
func (m *Merge) check() error {
	if len(m.IDs) < 2 {
		return problem.Unprocessable("ids", "name at least two assets to merge")
	}
	if len(m.IDs) > maxMerge {
		return problem.Unprocessable("ids", "names %d assets, at most %d merge at once", len(m.IDs), maxMerge)
	}
	seen := map[int64]bool{}
	for _, id := range m.IDs {
		if seen[id] {
			return problem.Unprocessable("ids", "names asset %d twice", id)
		}
		seen[id] = true
	}
	for id := range m.Versions {
		if !seen[id] {
			return problem.Unprocessable("versions", "gives a version for asset %d, which ids does not name", id)
		}
	}
	return nil
}

// connected tells whether the pairs (edges between ids) join every id into one group; when not,
// it answers an id that the first one cannot reach.
func connected(ids []int64, pairs [][2]int64) (bool, int64) {
	group := map[int64]int64{}
	for _, id := range ids {
		group[id] = id
	}
	var find func(int64) int64
	find = func(x int64) int64 {
		for group[x] != x {
			x = group[x]
		}
		return x
	}
	for _, p := range pairs {
		group[find(p[0])] = find(p[1])
	}
	root := find(ids[0])
	for _, id := range ids[1:] {
		if find(id) != root {
			return false, id
		}
	}
	return true, 0
}

// sameKind refuses parents of different kinds.
func sameKind(ids []int64, ls []locked) error {
	for i := range ls {
		if ls[i].kind != ls[0].kind {
			return problem.Unprocessable("ids", "asset %d is %s, asset %d is %s: only one kind merges", ids[0], ls[0].kind, ids[i], ls[i].kind)
		}
	}
	return nil
}

// lockOrder is the ids sorted: every merge locks its rows in one order, so two merges sharing
// an asset wait for each other instead of deadlocking.
func lockOrder(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func notAdjacent(id int64) error {
	return problem.Unprocessable("ids", "asset %d does not touch the others (within %.2f m): only adjacent parcels merge", id, adjacentM)
}
