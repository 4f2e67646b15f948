package api_test

import (
	"fmt"
	"testing"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/bookmarks"
)

// Bookmarks: each user sees the shared ones and their own; only an admin shares or deletes a
// shared one; bad views are 400s naming the field.
func TestBookmarks(t *testing.T) {
	app, pool := importApp(t)
	alice := login(t, app, pool, "alice", auth.Analyst, nil)
	bob := login(t, app, pool, "bob", auth.Planner, nil)
	root := login(t, app, pool, "root", auth.Admin, nil)
	view := `{"center":[114.32,29.84],"zoom":14.5,"layers":["land"],"filters":{"stage":["idle"]},"query":null}`
	var mine, shared bookmarks.Bookmark
	if st := send(t, app, "POST", "/api/v1/bookmarks", alice, `{"name":"横沟桥闲置地","view":`+view+`}`, &mine); st != 201 || mine.Shared || mine.View.Zoom != 14.5 {
		t.Fatalf("create: %d %+v", st, mine)
	}
	if st := send(t, app, "POST", "/api/v1/bookmarks", alice, `{"name":"x","shared":true,"view":`+view+`}`, nil); st != 403 {
		t.Errorf("analyst sharing: %d, want 403", st)
	}
	if st := send(t, app, "POST", "/api/v1/bookmarks", root, `{"name":"咸宁高新区","shared":true,"view":`+view+`}`, &shared); st != 201 || !shared.Shared {
		t.Fatalf("admin sharing: %d %+v", st, shared)
	}
	var list struct{ Items []bookmarks.Bookmark }
	if st := send(t, app, "GET", "/api/v1/bookmarks", alice, "", &list); st != 200 || len(list.Items) != 2 || list.Items[0].ID != shared.ID || list.Items[1].ID != mine.ID {
		t.Errorf("alice's list: %d %+v", st, list)
	}
	if string(list.Items[1].View.Filters) != `{"stage":["idle"]}` {
		t.Errorf("filters kept as given: %s", list.Items[1].View.Filters)
	}
	if st := send(t, app, "GET", "/api/v1/bookmarks", bob, "", &list); st != 200 || len(list.Items) != 1 || list.Items[0].ID != shared.ID {
		t.Errorf("bob sees only the shared one: %d %+v", st, list)
	}
	for who, tok := range map[string]string{"bob deleting alice's": bob, "alice deleting the shared": alice} {
		id := mine.ID
		if tok == alice {
			id = shared.ID
		}
		if st := send(t, app, "DELETE", fmt.Sprintf("/api/v1/bookmarks/%d", id), tok, "", nil); st != 404 {
			t.Errorf("%s: %d, want 404", who, st)
		}
	}
	if st := send(t, app, "DELETE", fmt.Sprintf("/api/v1/bookmarks/%d", mine.ID), alice, "", nil); st != 204 {
		t.Errorf("alice deleting hers: %d", st)
	}
	if st := send(t, app, "DELETE", fmt.Sprintf("/api/v1/bookmarks/%d", shared.ID), root, "", nil); st != 204 {
		t.Errorf("admin deleting the shared: %d", st)
	}
	var pb struct {
		Params []struct{ Name string } `json:"invalid_params"`
	}
	for body, param := range map[string]string{
		`{"name":"","view":` + view + `}`:                             "name",
		`{"name":"a","view":{"center":[200,29],"zoom":3}}`:            "view.center",
		`{"name":"a","view":{"center":[114,29],"zoom":40}}`:           "view.zoom",
		`{"name":"a","view":{"center":[114,29],"zoom":3,"layers":5}}`: "view.layers",
	} {
		pb.Params = nil
		if st := send(t, app, "POST", "/api/v1/bookmarks", alice, body, &pb); st != 400 || len(pb.Params) == 0 || pb.Params[0].Name != param {
			t.Errorf("%s: %d %+v, want 400 naming %s", body, st, pb, param)
		}
	}
	if st := send(t, app, "POST", "/api/v1/bookmarks", alice, `{"name":"a","bogus":1}`, nil); st != 400 {
		t.Errorf("unknown field: %d, want 400", st)
	}
	if st := send(t, app, "GET", "/api/v1/bookmarks", "", "", nil); st != 401 {
		t.Errorf("anonymous: %d, want 401", st)
	}
}
