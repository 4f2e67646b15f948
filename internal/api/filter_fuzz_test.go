package api

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/problem"
)

// FuzzParseFilter: the search filter parser never panics, and refuses any query it cannot read
// with a 400 naming a parameter, for every raw query string an HTTP request line can carry.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"kind=land,mine&stage=idle&region=421202&min_area_mu=10",
		"near=114.3,29.8&radius_m=500", "q=%00", "zone=%FF", "within=%7B",
		"min_area_mu=NaN&max_area_mu=-1", "land_status=idle,,", "kind=",
	} {
		f.Add(s)
	}
	var failure error
	app := fiber.New()
	app.Get("/f", func(c *fiber.Ctx) error {
		if _, err := parseFilter(c); err != nil {
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Status != 400 || len(pe.Params) == 0 || pe.Params[0].Name == "" {
				failure = err
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, q string) {
		if strings.ContainsAny(q, " \r\n#") {
			return // not a query string a request line can carry
		}
		req := httptest.NewRequest("GET", "/f", nil)
		req.URL.RawQuery = q
		failure = nil
		if _, err := app.Test(req, -1); err != nil {
			return
		}
		if failure != nil {
			t.Fatalf("%q: %v is not a 400 naming a parameter", q, failure)
		}
	})
}
