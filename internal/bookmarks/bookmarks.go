// Package bookmarks keeps saved map views (书签): each user's own, and shared ones an admin sets
// for everyone, e.g. one per development zone.
package bookmarks

import (
	"encoding/json"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onemap/onemap/internal/problem"
)

// maxView bounds a view's JSON: a centre, a zoom, layers, filters and a query fit in far less.
const maxView = 16 << 10

// maxPerUser bounds how many bookmarks one user keeps.
const maxPerUser = 200

// Bookmark is one saved view. Shared bookmarks belong to no one and show to every user.
type Bookmark struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Shared    bool      `json:"shared"`
	View      View      `json:"view"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// View is what a bookmark brings back: the map's centre ([lon, lat], CGCS2000) and zoom, and
// the UI's layers, filters and query as it writes them (kept as given).
type View struct {
	Center  [2]float64      `json:"center"`
	Zoom    float64         `json:"zoom"`
	Layers  json.RawMessage `json:"layers,omitempty"`
	Filters json.RawMessage `json:"filters,omitempty"`
	Query   json.RawMessage `json:"query,omitempty"`
}

// New is a bookmark to save; Shared needs an admin.
type New struct {
	Name   string `json:"name"`
	Shared bool   `json:"shared"`
	View   View   `json:"view"`
}

// User is who asks: their id, name and whether an admin.
type User struct {
	ID    int64
	Name  string
	Admin bool
}

// Validate checks a new bookmark: a name, a centre on the earth, a map zoom, JSON parts of the
// kinds the UI writes.
func (n *New) Validate() error {
	n.Name = strings.TrimSpace(n.Name)
	switch {
	case n.Name == "" || utf8.RuneCountInString(n.Name) > 100:
		return problem.Invalid("name", "give a name of 1 to 100 characters")
	case !finite(n.View.Center[0]) || math.Abs(n.View.Center[0]) > 180 || !finite(n.View.Center[1]) || math.Abs(n.View.Center[1]) > 90:
		return problem.Invalid("view.center", "[lon, lat] in degrees")
	case !finite(n.View.Zoom) || n.View.Zoom < 0 || n.View.Zoom > 24:
		return problem.Invalid("view.zoom", "a zoom from 0 to 24")
	}
	for name, raw := range map[string]json.RawMessage{"view.layers": n.View.Layers, "view.filters": n.View.Filters, "view.query": n.View.Query} {
		if err := checkPart(name, raw); err != nil {
			return err
		}
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// checkPart admits a missing part, null, an array or an object.
func checkPart(name string, raw json.RawMessage) error {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" || s[0] == '[' || s[0] == '{' {
		return nil
	}
	return problem.Invalid(name, "an array or an object")
}
