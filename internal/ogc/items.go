package ogc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/problem"
)

const (
	mediaGeoJSON = "application/geo+json"
	mediaJSON    = "application/json"
	mediaHTML    = "text/html"
)

// items serves /collections/{collectionId}/items.
func (s *Server) items(c *fiber.Ctx) error {
	coll, q, html, err := s.featureRequest(c)
	if err != nil {
		return err
	}
	iq, err := parseItems(coll, q)
	if err != nil {
		return err
	}
	p, err := s.store.items(c.UserContext(), iq)
	if err != nil {
		return err
	}
	links := pageLinks(s.base(c)+"/collections/"+coll.ID, q, iq, p)
	return s.sendFeatures(c, html, iq.crs, coll.Title+" — 要素", featureCollection(p, links))
}

// item serves /collections/{collectionId}/items/{featureId}.
func (s *Server) item(c *fiber.Ctx) error {
	coll, q, html, err := s.featureRequest(c)
	if err != nil {
		return err
	}
	crs, err := parseCRS("crs", q["crs"])
	if err != nil {
		return err
	}
	id, err := featureID(coll, c.Params("featureId"))
	if err != nil {
		return err
	}
	f, err := s.store.item(c.UserContext(), coll, id, crs)
	if err != nil {
		return err
	}
	if n, ok := id.(int64); ok && coll.Kind != "" {
		v, err := s.store.version(c.UserContext(), coll, n)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderETag, etag(v)) // the version a Part 4 write's If-Match names
	}
	base := s.base(c) + "/collections/" + coll.ID
	body := featureJSON(f, []link{
		{Href: base + "/items/" + url.PathEscape(fmt.Sprint(id)), Rel: "self", Type: mediaGeoJSON},
		{Href: base, Rel: "collection", Type: mediaJSON, Title: coll.Title},
	})
	return s.sendFeatures(c, html, crs, coll.Title+" "+fmt.Sprint(id), body)
}

// featureRequest reads what /items and /items/{featureId} share: the collection, the query and
// the format.
func (s *Server) featureRequest(c *fiber.Ctx) (*collection, map[string]string, bool, error) {
	coll, err := s.collection(c)
	if err != nil {
		return nil, nil, false, err
	}
	q := query(c)
	html, err := wantHTML(c, q)
	return coll, q, html, err
}

// sendFeatures writes GeoJSON (or its HTML page) with the Content-Crs header of Part 2.
func (s *Server) sendFeatures(c *fiber.Ctx, html bool, crs crsDef, title string, body []byte) error {
	c.Set("Content-Crs", "<"+crs.URI+">")
	if html {
		return s.renderHTML(c, title, body)
	}
	c.Set(fiber.HeaderContentType, mediaGeoJSON)
	return c.Send(body)
}

// featureID reads a feature id of the collection's type; an id that cannot exist is a 404.
func featureID(coll *collection, raw string) (any, error) {
	s, err := url.PathUnescape(raw)
	if err != nil {
		return nil, fmt.Errorf("feature %q: %w", raw, problem.ErrNotFound)
	}
	if coll.IDSQL != "a.id" {
		return s, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("feature %q of %s (ids are whole numbers): %w", s, coll.ID, problem.ErrNotFound)
	}
	return n, nil
}

// pageLinks are self, alternate, collection and, where they exist, next and prev.
func pageLinks(collURL string, q map[string]string, iq *itemsQuery, p page) []link {
	at := func(offset int, f string) string {
		v := url.Values{}
		for k, val := range q {
			v.Set(k, val)
		}
		v.Set("offset", strconv.Itoa(offset))
		v.Set("limit", strconv.Itoa(iq.limit))
		v.Set("f", f)
		return collURL + "/items?" + v.Encode()
	}
	links := []link{
		{Href: at(iq.offset, "json"), Rel: "self", Type: mediaGeoJSON, Title: "this page"},
		{Href: at(iq.offset, "html"), Rel: "alternate", Type: mediaHTML, Title: "this page as HTML"},
		{Href: collURL, Rel: "collection", Type: mediaJSON},
	}
	if p.More {
		links = append(links, link{Href: at(iq.offset+iq.limit, "json"), Rel: "next", Type: mediaGeoJSON, Title: "next page"})
	}
	if !iq.hits && iq.offset > 0 {
		links = append(links, link{Href: at(max(iq.offset-iq.limit, 0), "json"), Rel: "prev", Type: mediaGeoJSON, Title: "previous page"})
	}
	return links
}

// featureCollection writes the page as GeoJSON, features copied as the database wrote them.
func featureCollection(p page, links []link) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","numberMatched":`)
	b.WriteString(strconv.FormatInt(p.Matched, 10))
	b.WriteString(`,"numberReturned":` + strconv.Itoa(len(p.Features)))
	b.WriteString(`,"timeStamp":"` + time.Now().UTC().Format(time.RFC3339) + `","links":`)
	b.Write(mustJSON(links))
	b.WriteString(`,"features":[`)
	for i, f := range p.Features {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(featureJSON(f, nil))
	}
	b.WriteString("]}")
	return b.Bytes()
}

func featureJSON(f feature, links []link) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"Feature","id":`)
	b.Write(f.ID)
	b.WriteString(`,"geometry":`)
	b.Write(f.Geometry)
	b.WriteString(`,"properties":`)
	b.Write(f.Properties)
	if links != nil {
		b.WriteString(`,"links":`)
		b.Write(mustJSON(links))
	}
	b.WriteByte('}')
	return b.Bytes()
}

// mustJSON marshals values built here (links, maps of strings and numbers), which cannot fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("null")
	}
	return b
}

// wantHTML reads f (json, geojson or html), else the Accept header.
func wantHTML(c *fiber.Ctx, q map[string]string) (bool, error) {
	switch f := q["f"]; f {
	case "json", "geojson":
		return false, nil
	case "html":
		return true, nil
	case "":
		return strings.Contains(c.Get(fiber.HeaderAccept), mediaHTML), nil
	default:
		return false, problem.Invalid("f", "%q is not a format: use json or html", f)
	}
}
