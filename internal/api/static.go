package api

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"log/slog"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// site serves the embedded UI. Every file's ETag is computed once at start (the files cannot
// change while the binary runs), so revalidation is a map lookup.
type site struct {
	fsys  fs.FS
	etags map[string]string
}

// newSite indexes fsys; a file that cannot be read is left out (it answers 404) and logged.
func newSite(fsys fs.FS, log *slog.Logger) *site {
	s := &site{fsys: fsys, etags: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			log.Error("static: unreadable file", "file", name, "err", err)
			return nil
		}
		sum := sha256.Sum256(b)
		s.etags[name] = `"` + hex.EncodeToString(sum[:8]) + `"`
		return nil
	})
	if err != nil {
		log.Error("static: cannot index the UI", "err", err)
	}
	return s
}

// serve answers GET and HEAD for UI files; anything else falls through to the 404 handler.
func (s *site) serve(c *fiber.Ctx) error {
	name := strings.TrimPrefix(path.Clean("/"+c.Path()), "/")
	if name == "" {
		name = "index.html"
	}
	tag, ok := s.etags[name]
	if !ok {
		return c.Next()
	}
	c.Set(fiber.HeaderCacheControl, cacheControl(name))
	c.Set(fiber.HeaderETag, tag)
	c.Set("X-Content-Type-Options", "nosniff")
	if c.Get(fiber.HeaderIfNoneMatch) == tag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	b, err := fs.ReadFile(s.fsys, name)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, contentType(name))
	return c.Send(b)
}

// cacheControl: vendor/ paths carry the library version (vendor/name@version/...), so they never
// change under one URL; the app's own files change with every release and are revalidated.
func cacheControl(name string) string {
	if strings.HasPrefix(name, "vendor/") {
		return "public, max-age=31536000, immutable"
	}
	return "no-cache"
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case "":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}
