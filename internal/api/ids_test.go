package api_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestIDsFilter: ids= keeps a list, its statistics and its export to the named assets (the
// attribute table's selection), and a bad or too long list is a 400 naming ids.
func TestIDsFilter(t *testing.T) {
	app, _ := fixture(t)
	var all struct {
		Items []struct{ ID int64 }
	}
	get(t, app, "/api/v1/assets?sort=id", &all)
	if len(all.Items) < 3 {
		t.Fatalf("fixture has %d assets", len(all.Items))
	}
	ids := fmt.Sprintf("%d,%d", all.Items[0].ID, all.Items[2].ID)
	var list struct {
		Total int
		Items []struct{ ID int64 }
	}
	get(t, app, "/api/v1/assets?sort=id&ids="+ids, &list)
	if list.Total != 2 || list.Items[0].ID != all.Items[0].ID || list.Items[1].ID != all.Items[2].ID {
		t.Errorf("assets?ids=%s = %+v", ids, list)
	}
	var st struct{ Totals struct{ Count int } }
	get(t, app, "/api/v1/stats?group_by=kind&ids="+ids, &st)
	if st.Totals.Count != 2 {
		t.Errorf("stats?ids=%s count %d, want 2", ids, st.Totals.Count)
	}
	many := strings.Repeat("1,", 5000) + "1"
	for _, bad := range []string{"abc", "0", "-3", "1.5", many} {
		var p struct {
			Params []struct{ Name string } `json:"invalid_params"`
		}
		if code := get(t, app, "/api/v1/assets?ids="+bad, &p); code != 400 || len(p.Params) == 0 || p.Params[0].Name != "ids" {
			t.Errorf("ids=%.20s: status %d, params %+v", bad, code, p.Params)
		}
	}
}
