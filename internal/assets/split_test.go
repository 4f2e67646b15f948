package assets

import "testing"

func TestApportion(t *testing.T) {
	v := 100.0
	got := apportion(&v, []Piece{{AreaM2: 1}, {AreaM2: 1}, {AreaM2: 1}})
	if *got[0] != 33.33 || *got[1] != 33.33 || *got[2] != 33.34 {
		t.Errorf("100 in thirds: %v %v %v", *got[0], *got[1], *got[2])
	}
	if got := apportion(nil, []Piece{{AreaM2: 1}, {AreaM2: 2}}); got[0] != nil || got[1] != nil {
		t.Errorf("nil shared: %v", got)
	}
}

func TestChildCodes(t *testing.T) {
	if got, _ := childCodes("A", nil, 3); got[0] != "A-1" || got[2] != "A-3" {
		t.Errorf("default codes %v", got)
	}
	for _, given := range [][]string{{"X"}, {"X", "X"}, {"X", ""}} {
		if _, err := childCodes("A", given, 2); err == nil {
			t.Errorf("codes %q accepted for 2 pieces", given)
		}
	}
}

func TestConnected(t *testing.T) {
	ids := []int64{1, 2, 3, 4}
	if ok, _ := connected(ids, [][2]int64{{1, 2}, {3, 4}, {2, 4}}); !ok {
		t.Error("a chain 1-2-4-3 is not connected")
	}
	if ok, stray := connected(ids, [][2]int64{{1, 2}, {3, 4}}); ok || stray != 3 {
		t.Errorf("two pairs: %v, stray %d", ok, stray)
	}
}
