package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"log/slog"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
)

// site serves the embedded UI. Every file's ETag is computed once at start (the files cannot
// change while the binary runs), so revalidation is a map lookup. Text files are compressed
// once, on first request, with brotli or gzip at a high level and kept: MapLibre's 1 MB goes out
// as ~250 kB of brotli instead of being gzipped at the fastest level on every request, which
// counts on the slow links between a city's bureau and its counties.
type site struct {
	fsys   fs.FS
	etags  map[string]string
	log    *slog.Logger
	packed sync.Map // name + "\x00" + encoding → *packedFile
}

// packedFile is one file compressed with one encoding, made once.
type packedFile struct {
	once sync.Once
	body []byte // nil when compressing did not pay (or failed): send the file as it is
}

// minPacked is the size below which a file is sent as it is.
const minPacked = 1024

// newSite indexes fsys; a file that cannot be read is left out (it answers 404) and logged.
func newSite(fsys fs.FS, log *slog.Logger) *site {
	s := &site{fsys: fsys, etags: map[string]string{}, log: log}
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
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set(fiber.HeaderContentType, contentType(name))
	c.Vary(fiber.HeaderAcceptEncoding)
	enc := ""
	// Without Accept-Encoding fiber would pick the first offer: plain bytes for such clients.
	if compressible(name) && c.Get(fiber.HeaderAcceptEncoding) != "" {
		enc = c.AcceptsEncodings("br", "gzip")
	}
	var packed []byte
	if enc == "br" || enc == "gzip" {
		if packed = s.pack(name, enc); packed != nil {
			// Each encoding is its own representation, with its own strong ETag.
			tag = strings.TrimSuffix(tag, `"`) + "-" + enc + `"`
		}
	}
	c.Set(fiber.HeaderETag, tag)
	if c.Get(fiber.HeaderIfNoneMatch) == tag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if packed != nil {
		c.Set(fiber.HeaderContentEncoding, enc)
		return c.Send(packed)
	}
	b, err := fs.ReadFile(s.fsys, name)
	if err != nil {
		return err
	}
	return c.Send(b)
}

// pack returns file name compressed with enc (br or gzip), compressing it on first use; nil
// means send it as it is.
func (s *site) pack(name, enc string) []byte {
	v, _ := s.packed.LoadOrStore(name+"\x00"+enc, &packedFile{})
	p := v.(*packedFile)
	p.once.Do(func() {
		b, err := fs.ReadFile(s.fsys, name)
		if err != nil || len(b) < minPacked {
			return
		}
		var out bytes.Buffer
		if enc == "br" {
			w := brotli.NewWriterLevel(&out, 9)
			_, err = w.Write(b)
			err = errors.Join(err, w.Close())
		} else {
			w, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
			_, err = w.Write(b)
			err = errors.Join(err, w.Close())
		}
		if err != nil {
			s.log.Error("static: cannot compress", "file", name, "encoding", enc, "err", err)
			return
		}
		if out.Len() < len(b) {
			p.body = out.Bytes()
		}
	})
	return p.body
}

// compressible tells the text files worth compressing from images and fonts.
func compressible(name string) bool {
	switch path.Ext(name) {
	case ".js", ".mjs", ".css", ".html", ".svg", ".json", ".txt", "":
		return true
	}
	return false
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
