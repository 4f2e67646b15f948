package attachments

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // thumbnails of PNG files
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/image/draw"
)

// Thumbnails fit in a thumbSize square; a picture over maxPixels is not decoded for one (its
// bitmap alone would take 4 bytes a pixel).
const (
	thumbSize = 320
	maxPixels = 60_000_000
)

// thumbnail makes a JPEG of at most thumbSize×thumbSize from the JPEG or PNG at path; nil when
// the picture cannot be decoded or is too large to.
func thumbnail(path string) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil || cfg.Width*cfg.Height > maxPixels || cfg.Width == 0 || cfg.Height == 0 {
		return nil // not a picture this server can show: no thumbnail, the file is kept all the same
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil
	}
	src, _, err := image.Decode(f)
	if err != nil {
		return nil
	}
	w, h := fit(cfg.Width, cfg.Height)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil
	}
	return buf.Bytes()
}

// fit scales w×h down to fit in thumbSize×thumbSize, keeping its shape.
func fit(w, h int) (int, int) {
	if w <= thumbSize && h <= thumbSize {
		return w, h
	}
	if w >= h {
		return thumbSize, max(1, h*thumbSize/w)
	}
	return max(1, w*thumbSize/h), thumbSize
}

// heifConvert is Debian's libheif-examples tool that turns HEIC into JPEG.
const heifConvert = "heif-convert"

// fromHEIC converts the HEIC at path into a JPEG beside it (keeping its EXIF) and answers the
// JPEG's path; false when heif-convert is not installed or fails (the HEIC is then kept as is).
func fromHEIC(ctx context.Context, path string) (string, bool) {
	bin, err := exec.LookPath(heifConvert)
	if err != nil {
		return "", false
	}
	out := strings.TrimSuffix(path, filepath.Ext(path)) + ".jpg"
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := exec.CommandContext(ctx, bin, "-q", "90", path, out).Run(); err != nil {
		_ = os.Remove(out) // half written or never: nothing to keep
		return "", false
	}
	return out, true
}

// jpegName is name with a .jpg extension in place of its own.
func jpegName(name string) string {
	return fmt.Sprintf("%s.jpg", strings.TrimSuffix(name, filepath.Ext(name)))
}
