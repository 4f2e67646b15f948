package api

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/checks"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// A check's photos: each at most photoMax bytes, at most photosMax of them.
const (
	photoMax  = 10 << 20
	photosMax = 6
)

// checkFilter reads the list's, the layer's and the export's filter (limit's default def; 0:
// no limit parameter).
func checkFilter(c *fiber.Ctx, def int) (checks.Filter, error) {
	var f checks.Filter
	var err error
	if f.From, err = httpx.Time(c, "from", china()); err != nil {
		return f, err
	}
	if f.To, err = httpx.Time(c, "to", china()); err != nil {
		return f, err
	}
	if len(httpx.Query(c, "to")) == len(time.DateOnly) {
		f.To = f.To.AddDate(0, 0, 1) // a date as "to" takes the whole day
	}
	if f.Results, err = httpx.List(c, "result", func(s string) bool { return slices.Contains(checks.Results, s) }); err != nil {
		return f, err
	}
	if f.Flagged, err = optionalBool(c, "flagged"); err != nil {
		return f, err
	}
	asset, err := httpx.Int(c, "asset", 0, 1, 1<<62)
	f.AssetID = int64(asset)
	if err != nil || def == 0 {
		return f, err
	}
	if f.Limit, err = httpx.Int(c, "limit", def, 1, max(def, 1000)); err != nil {
		return f, err
	}
	f.Offset, err = httpx.Int(c, "offset", 0, 0, 1<<30)
	return f, err
}

// optionalBool reads true/false (nil when absent).
func optionalBool(c *fiber.Ctx, name string) (*bool, error) {
	s := httpx.Query(c, name)
	if s == "" {
		return nil, nil //nolint:nilnil // absent is no filter, not an error
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, problem.Invalid(name, "%q is neither true nor false", s)
	}
	return &b, nil
}

// readCheck reads a check as JSON, or as multipart/form-data fields with "photo" parts.
func readCheck(c *fiber.Ctx) (checks.NewCheck, error) {
	var n checks.NewCheck
	if !checkUpload(c, c.Path()) {
		return n, decodeStrict(c, &n)
	}
	if n := int64(c.Request().Header.ContentLength()); n > photosMax*photoMax+uploadFieldsMax {
		return checks.NewCheck{}, uploadTooLarge("photo", photosMax*photoMax)
	}
	boundary := string(c.Request().Header.MultipartFormBoundary())
	if boundary == "" {
		return n, problem.Invalid("body", "multipart/form-data without a boundary")
	}
	body := requestBody(c)
	f := checkForm{form: upload{fields: map[string]string{}}, room: uploadFieldsMax}
	if err := f.read(multipart.NewReader(body, boundary)); err != nil {
		return n, err
	}
	if m, _ := io.Copy(io.Discard, io.LimitReader(body, 64<<10)); m < 64<<10 {
		c.Locals(bodyDoneKey, true)
	}
	return f.check()
}

// checkForm is a multipart check as it is read: text fields and photos, each bounded.
type checkForm struct {
	form   upload
	photos []checks.Photo
	room   int64
}

func (f *checkForm) read(mr *multipart.Reader) error {
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return problem.Invalid("body", "the multipart body cannot be read: %v", err)
		}
		if p.FormName() == "photo" {
			err = f.photo(p)
		} else {
			err = f.field(p)
		}
		if err != nil {
			return err
		}
	}
}

// photo reads one photo part of at most photoMax bytes; its type is sniffed from its bytes
// (an image, or 415), never taken from what the client says.
func (f *checkForm) photo(p *multipart.Part) error {
	if len(f.photos) == photosMax {
		return problem.Invalid("photo", "send at most %d photos with a check", photosMax)
	}
	b, err := io.ReadAll(io.LimitReader(p, photoMax+1))
	switch {
	case err != nil:
		return problem.Invalid("photo", "the upload broke off: %v", err)
	case len(b) > photoMax:
		return uploadTooLarge("photo", photoMax)
	}
	ct := http.DetectContentType(b)
	if !strings.HasPrefix(ct, "image/") {
		return &problem.Error{Status: fiber.StatusUnsupportedMediaType, Title: "Unsupported Media Type",
			Detail: "photo: " + ct + " is not an image", Params: []problem.Param{{Name: "photo", Reason: "is not an image (JPEG, PNG, WebP, GIF)"}}}
	}
	f.photos = append(f.photos, checks.Photo{Content: b, ContentType: ct})
	return nil
}

// field keeps a text field as receiveUpload does, within the fields' room, if it can be stored as text.
func (f *checkForm) field(p *multipart.Part) error {
	if p.FileName() != "" {
		return problem.Invalid(p.FormName(), "only the parts \"photo\" may hold a file")
	}
	if err := f.form.keep(p.FormName(), p, &f.room); err != nil {
		return err
	}
	// CheckText leaves multipart bodies to their handlers: a NUL or invalid UTF-8 is refused here.
	if why := httpx.BadText(f.form.fields[p.FormName()]); why != "" {
		return problem.Invalid(p.FormName(), "%s", why)
	}
	return nil
}

// check turns the fields into a check; a number or time that does not parse is a 400 naming it.
func (f *checkForm) check() (checks.NewCheck, error) {
	n := checks.NewCheck{Result: f.form.field("result"), Note: f.form.field("note"), Photos: f.photos}
	var errs []*problem.Error
	for name, dst := range map[string]**float64{"lon": &n.Lon, "lat": &n.Lat, "accuracy_m": &n.AccuracyM} {
		*dst, errs = formFloat(f.form.field(name), name, errs)
	}
	if s := f.form.field("taken_at"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			errs = append(errs, problem.Invalid("taken_at", "%q is not an RFC 3339 time", s))
		}
		n.TakenAt = &t
		for i := range n.Photos {
			n.Photos[i].TakenAt = &t
		}
	}
	for name := range f.form.fields {
		if !slices.Contains([]string{"result", "note", "lon", "lat", "accuracy_m", "taken_at"}, name) {
			errs = append(errs, problem.Invalid(name, "is not a field of this request"))
		}
	}
	if e := problem.Join(errs...); e != nil {
		return n, e
	}
	return n, nil
}

// formFloat parses an optional number field, adding a problem naming it when it does not parse.
func formFloat(s, name string, errs []*problem.Error) (*float64, []*problem.Error) {
	if s == "" {
		return nil, errs
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, append(errs, problem.Invalid(name, "%q is not a number", s))
	}
	return &v, errs
}
