package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/problem"
)

// uploadFieldsMax bounds an upload's text fields, all together (a mapping is the longest).
const uploadFieldsMax = 64 << 10

// upload is a received multipart request: its text fields, and its "file" part in a temporary
// file that keeps the extension of the file's own name (which helps tell the format).
type upload struct {
	fields map[string]string
	path   string
	name   string
}

// field is a text field, trimmed.
func (u *upload) field(name string) string { return strings.TrimSpace(u.fields[name]) }

// remove deletes the temporary file.
func (u *upload) remove() {
	if u.path != "" {
		_ = os.Remove(u.path) // already gone is fine
		u.path = ""
	}
}

// receiveUpload reads c's multipart/form-data body as a stream, never whole: text fields (at
// most uploadFieldsMax in all) into memory, the part named "file" straight into a temporary
// file of at most limit bytes. Over either bound it is a 413 naming the part, and no file is
// left behind. Run it after the route's guards, so that nobody unauthenticated makes the server
// read more than the few kB that came with the headers.
func receiveUpload(c *fiber.Ctx, limit int64) (*upload, error) {
	if n := int64(c.Request().Header.ContentLength()); n > limit+uploadFieldsMax {
		return nil, uploadTooLarge("file", limit)
	}
	boundary := string(c.Request().Header.MultipartFormBoundary())
	if boundary == "" || len(c.Request().Header.Peek(fiber.HeaderContentEncoding)) > 0 {
		return nil, problem.Invalid("file", "send the file as multipart/form-data field \"file\"")
	}
	body := requestBody(c)
	u := &upload{fields: map[string]string{}}
	if err := u.read(multipart.NewReader(body, boundary), limit); err != nil {
		u.remove()
		return nil, err
	}
	// The epilogue after the closing boundary is all that may remain: read a little of it, so
	// that the connection can carry the next request.
	if n, _ := io.Copy(io.Discard, io.LimitReader(body, 64<<10)); n < 64<<10 {
		c.Locals(bodyDoneKey, true)
	}
	return u, nil
}

// requestBody is the body's stream, or its bytes when fasthttp already holds them all.
func requestBody(c *fiber.Ctx) io.Reader {
	if c.Request().IsBodyStream() {
		return c.Context().RequestBodyStream()
	}
	return bytes.NewReader(c.Request().Body())
}

// read walks the parts in order.
func (u *upload) read(mr *multipart.Reader, limit int64) error {
	fieldRoom := int64(uploadFieldsMax)
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return problem.Invalid("file", "the multipart body cannot be read: %v", err)
		}
		name := p.FormName()
		switch {
		case name == "file" && u.path != "":
			err = problem.Invalid("file", "send one file")
		case name == "file":
			err = u.save(p, limit)
		case p.FileName() != "":
			err = problem.Invalid(name, "only the part \"file\" may hold a file")
		default:
			err = u.keep(name, p, &fieldRoom)
		}
		if err != nil {
			return err
		}
	}
}

// keep reads a text field within what is left of the fields' room.
func (u *upload) keep(name string, p *multipart.Part, room *int64) error {
	b, err := io.ReadAll(io.LimitReader(p, *room+1))
	if err != nil {
		return problem.Invalid(name, "cannot be read: %v", err)
	}
	if *room -= int64(len(b)); *room < 0 {
		return uploadTooLarge(name, uploadFieldsMax)
	}
	u.fields[name] = string(b)
	return nil
}

// save copies the file part into a new temporary file, at most limit bytes.
func (u *upload) save(p *multipart.Part, limit int64) error {
	u.name = filepath.Base(filepath.Clean("/" + p.FileName()))
	f, err := os.CreateTemp("", "onemap-upload-*"+strings.ToLower(filepath.Ext(u.name)))
	if err != nil {
		return fmt.Errorf("api: upload: %w", err)
	}
	u.path = f.Name()
	n, err := io.Copy(f, io.LimitReader(p, limit+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case n > limit:
		return uploadTooLarge("file", limit)
	case err != nil:
		return problem.Invalid("file", "the upload broke off: %v", err)
	}
	return nil
}

// uploadTooLarge is the 413 for a part over max bytes.
func uploadTooLarge(name string, max int64) error {
	detail := fmt.Sprintf("%s: larger than %s", name, sizeText(max))
	if name == "file" {
		detail += " (ONEMAP_MAX_UPLOAD_MB)"
	}
	return &problem.Error{
		Status: http.StatusRequestEntityTooLarge, Title: "Content Too Large", Detail: detail,
		Params: []problem.Param{{Name: name, Reason: "larger than " + sizeText(max)}},
	}
}
