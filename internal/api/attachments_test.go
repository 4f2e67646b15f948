package api_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
)

// attachApp is the fixture with attachments of up to maxMB, an analyst's and a 赤壁 reader's tokens.
func attachApp(t *testing.T, maxMB int) (app *fiber.App, pool *pgxpool.Pool, analyst, outsider string) {
	t.Helper()
	app, pool = fixtureWith(t, config.Config{MaxUploadMB: 1, AttachmentMaxMB: maxMB, AnonymousRead: false}, nil)
	if _, err := pool.Exec(context.Background(), `INSERT INTO regions (code, name, geom) VALUES ('421281', '赤壁市', ST_Multi(ST_MakeEnvelope(113.5, 29.5, 114.0, 30.0, 4490)))`); err != nil {
		t.Fatal(err)
	}
	chibi := "421281"
	return app, pool, login(t, app, pool, "ana", auth.Analyst, nil), login(t, app, pool, "far", auth.Leader, &chibi)
}

// multipartBody is a multipart form with fields and the file part.
func multipartBody(t *testing.T, name string, content []byte, fields map[string]string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err == nil {
		_, err = fw.Write(content)
	}
	if err != nil || mw.Close() != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

// attach uploads content as name to path and decodes the answer into out.
func attach(t *testing.T, app *fiber.App, path, token, name string, content []byte, category string, out any) int {
	t.Helper()
	st, b := postFile(t, app, path, token, name, content, map[string]string{"category": category, "note": "测试"})
	if out != nil && json.Unmarshal(b, out) != nil {
		t.Logf("answer: %s", b)
	}
	return st
}

// postFile POSTs a multipart form (fields and the part "file") to path, with token unless it is
// "", answering the status and the body.
func postFile(t *testing.T, app *fiber.App, path, token, name string, content []byte, fields map[string]string) (int, []byte) {
	t.Helper()
	body, ct := multipartBody(t, name, content, fields)
	req := httptest.NewRequest("POST", path, body)
	req.Header.Set("Content-Type", ct)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := app.Test(req, 60_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// fetch GETs path with token, answering the response and its body.
func fetch(t *testing.T, app *fiber.App, path, token string) (*http.Response, []byte) {
	t.Helper()
	resp, b := request(t, app, "GET", path, "", "Authorization", "Bearer "+token)
	return resp, []byte(b)
}

// exifTIFF is a little-endian TIFF holding DateTimeOriginal and a GPS position (degrees north
// and east), as a camera writes in its APP1 segment.
func exifTIFF(lon, lat float64, taken string) []byte {
	var b bytes.Buffer
	w := func(v ...any) {
		for _, x := range v {
			_ = binary.Write(&b, binary.LittleEndian, x)
		}
	}
	entry := func(tag, typ uint16, count, value uint32) { w(tag, typ, count, value) }
	b.WriteString("II")
	w(uint16(42), uint32(8))
	w(uint16(2)) // IFD0 at 8: the Exif and GPS pointers
	entry(0x8769, 4, 1, 38)
	entry(0x8825, 4, 1, 76)
	w(uint32(0))
	w(uint16(1)) // Exif IFD at 38: DateTimeOriginal, its 20 bytes at 56
	entry(0x9003, 2, 20, 56)
	w(uint32(0))
	b.WriteString(taken + "\x00")
	w(uint16(4)) // GPS IFD at 76: the latitude's three rationals at 130, the longitude's at 154
	entry(1, 2, 2, uint32('N'))
	entry(2, 5, 3, 130)
	entry(3, 2, 2, uint32('E'))
	entry(4, 5, 3, 154)
	w(uint32(0))
	for _, v := range []float64{lat, lon} {
		deg, mins := int(v), int((v-float64(int(v)))*60)
		secs := (v - float64(deg) - float64(mins)/60) * 3600
		w(uint32(deg), uint32(1), uint32(mins), uint32(1), uint32(secs*1000+0.5), uint32(1000))
	}
	return b.Bytes()
}

// photo is a w×h JPEG of noise (quality q) carrying exif in an APP1 segment when given.
func photo(t *testing.T, w, h, q int, exif []byte) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.UintN(256))
	}
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	jpg := buf.Bytes()
	if exif == nil {
		return jpg
	}
	seg := append([]byte("Exif\x00\x00"), exif...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	return append(append(out, seg...), jpg[2:]...)
}

// pdf is a tiny PDF.
var pdf = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// TestAttachmentsPhotoAndScope: a photo with GPS EXIF gets its position, time and a thumbnail; a
// PDF is listed beside it; content that does not match its name is refused; a reader of another
// region reads none of it; a delete is soft and audited.
func TestAttachmentsPhotoAndScope(t *testing.T) {
	app, pool, analyst, outsider := attachApp(t, 5)
	base := "/api/v1/assets/" + assetID(t, pool, "A") + "/attachments"
	var a struct {
		ID          int64
		ContentType string   `json:"content_type"`
		Size        int64    `json:"size"`
		Lon         *float64 `json:"exif_lon"`
		Lat         *float64 `json:"exif_lat"`
		Taken       *string  `json:"exif_taken_at"`
		HasThumb    bool     `json:"has_thumbnail"`
	}
	jpg := photo(t, 800, 600, 80, exifTIFF(114.303, 29.803, "2026:11:30 09:15:00"))
	if st := attach(t, app, base, analyst, "现场照片 1.jpg", jpg, "photo", &a); st != 201 {
		t.Fatalf("photo upload: %d", st)
	}
	if a.ContentType != "image/jpeg" || a.Size != int64(len(jpg)) || !a.HasThumb || a.Lon == nil || a.Lat == nil || a.Taken == nil {
		t.Fatalf("photo: %+v", a)
	}
	if d := *a.Lon - 114.303; d*d > 1e-10 || *a.Taken != "2026-11-30T09:15:00Z" {
		t.Errorf("EXIF: lon %v lat %v taken %v", *a.Lon, *a.Lat, *a.Taken)
	}
	one := fmt.Sprintf("/api/v1/attachments/%d", a.ID)
	resp, body := fetch(t, app, one+"/thumbnail", analyst)
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(body)); resp.StatusCode != 200 || err != nil || cfg.Width != 320 || cfg.Height != 240 {
		t.Errorf("thumbnail: %d %v %+v", resp.StatusCode, err, cfg)
	}
	resp, body = fetch(t, app, one+"?download=1", analyst)
	if !bytes.Equal(body, jpg) || !strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''%E7%8E%B0") {
		t.Errorf("download: %d bytes of %d, %q", len(body), len(jpg), resp.Header.Get("Content-Disposition"))
	}
	if st := attach(t, app, base, analyst, "评估报告.pdf", pdf, "appraisal", nil); st != 201 {
		t.Errorf("PDF upload: %d", st)
	}
	var list struct{ Attachments []struct{ Filename string } }
	if resp, body := fetch(t, app, base, analyst); resp.StatusCode != 200 || json.Unmarshal(body, &list) != nil || len(list.Attachments) != 2 {
		t.Errorf("list: %d %s", resp.StatusCode, body)
	}
	var asset struct{ Attachments int }
	if resp, body := fetch(t, app, strings.TrimSuffix(base, "/attachments"), analyst); json.Unmarshal(body, &asset) != nil || asset.Attachments != 2 {
		t.Errorf("the asset's attachments (附件数): %d %s", resp.StatusCode, body)
	}
	refusals(t, app, base, analyst)
	for _, path := range []string{base, one, one + "/thumbnail"} {
		if resp, _ := fetch(t, app, path, outsider); resp.StatusCode != 403 {
			t.Errorf("GET %s by a reader of another region = %d, want 403", path, resp.StatusCode)
		}
	}
	softDelete(t, app, pool, one, analyst)
}

// refusals: a PDF named .jpg, a text file and an unknown category are refused, naming the field.
func refusals(t *testing.T, app *fiber.App, base, token string) {
	t.Helper()
	for _, c := range []struct {
		name     string
		content  []byte
		category string
		status   int
		param    string
	}{
		{"照片.jpg", pdf, "photo", 415, "file"},
		{"notes.txt", []byte("hello"), "other", 415, "file"},
		{"a.pdf", pdf, "secret", 400, "category"},
	} {
		var p struct {
			Params []struct{ Name string } `json:"invalid_params"`
		}
		if st := attach(t, app, base, token, c.name, c.content, c.category, &p); st != c.status || len(p.Params) == 0 || p.Params[0].Name != c.param {
			t.Errorf("%s as %s: %d %+v, want %d naming %s", c.name, c.category, st, p, c.status, c.param)
		}
	}
}

// softDelete: the attachment leaves the list and its download, its row stays, the audit has it.
func softDelete(t *testing.T, app *fiber.App, pool *pgxpool.Pool, one, token string) {
	t.Helper()
	if st := send(t, app, "DELETE", one, token, "", nil); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	if resp, _ := fetch(t, app, one, token); resp.StatusCode != 404 {
		t.Errorf("download after delete = %d, want 404", resp.StatusCode)
	}
	var rows, audited int
	err := pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM attachments WHERE deleted_at IS NOT NULL AND deleted_by = 'ana'),
	  (SELECT count(*) FROM audit_log WHERE action = 'attachment.delete' AND target = $1)`, "attachment:"+strings.TrimPrefix(one, "/api/v1/attachments/")).Scan(&rows, &audited)
	if err != nil || rows != 1 || audited != 1 {
		t.Errorf("soft delete: %d rows marked, %d audited, %v", rows, audited, err)
	}
}

// TestAttachmentTooLarge: a file over ONEMAP_ATTACHMENT_MAX_MB is a 413 naming file.
func TestAttachmentTooLarge(t *testing.T) {
	app, pool, analyst, _ := attachApp(t, 1)
	big := append(append([]byte{}, pdf...), make([]byte, 3<<19)...)
	var p struct{ Detail string }
	if st := attach(t, app, "/api/v1/assets/"+assetID(t, pool, "A")+"/attachments", analyst, "big.pdf", big, "other", &p); st != 413 || !strings.Contains(p.Detail, "ONEMAP_ATTACHMENT_MAX_MB") {
		t.Errorf("1.5 MB over a 1 MB limit: %d %q", st, p.Detail)
	}
}

// TestAttachmentLargeStreamed uploads a 20 MB JPEG over a real connection, streamed from disk,
// and downloads it back: the heap in use grows by the decoded picture for its thumbnail (1.5
// bytes a pixel for a 4:2:0 JPEG, and the scaler's garbage), not by the file: without the
// thumbnail, it grows by about 5 MB.
func TestAttachmentLargeStreamed(t *testing.T) {
	app, pool, analyst, _ := attachApp(t, 50)
	path := filepath.Join(t.TempDir(), "big.jpg")
	jpg := photo(t, 3300, 3300, 100, nil)
	if err := os.WriteFile(path, jpg, 0o600); err != nil {
		t.Fatal(err)
	}
	size := int64(len(jpg))
	jpg = nil
	if size < 20<<20 {
		t.Fatalf("the test photo is %d bytes, not 20 MB", size)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	url := "http://" + ln.Addr().String() + "/api/v1/assets/" + assetID(t, pool, "A") + "/attachments"
	peak, stop := heapPeak()
	id := streamUpload(t, url, analyst, path)
	n := streamDownload(t, fmt.Sprintf("http://%s/api/v1/attachments/%d", ln.Addr(), id), analyst)
	grown := stop()
	t.Logf("20 MB JPEG (%d bytes, 3300×3300): heap in use grew by at most %.1f MB over %.1f MB at the start", size, float64(grown)/(1<<20), float64(peak)/(1<<20))
	if n != size {
		t.Errorf("downloaded %d bytes of %d", n, size)
	}
	if bitmap := int64(3300 * 3300 * 3 / 2); int64(grown) > bitmap+20<<20 {
		t.Errorf("heap grew by %d bytes for a %d-byte file: more than its bitmap and 20 MB", grown, size)
	}
}

// heapPeak samples HeapInuse every 5 ms from now on: it answers the start, and a stop that
// answers the largest growth over it.
func heapPeak() (uint64, func() uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	start := m.HeapInuse
	var top atomic.Uint64
	done := make(chan struct{})
	go func() {
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > top.Load() {
				top.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return start, func() uint64 { close(done); return top.Load() - min(top.Load(), start) }
}

// streamUpload posts the file at path as a multipart body written while it is sent.
func streamUpload(t *testing.T, url, token, path string) int64 {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		f, err := os.Open(path)
		if err == nil {
			defer f.Close()
			err = mw.WriteField("category", "photo")
		}
		var fw io.Writer
		if err == nil {
			fw, err = mw.CreateFormFile("file", "大照片.jpg")
		}
		if err == nil {
			_, err = io.Copy(fw, f)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequestWithContext(context.Background(), "POST", url, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct{ ID int64 }
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || resp.StatusCode != 201 {
		t.Fatalf("upload: %d %v", resp.StatusCode, err)
	}
	return a.ID
}

// streamDownload reads url's body through, answering its length.
func streamDownload(t *testing.T, url, token string) int64 {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), "GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("download: %d %v", resp.StatusCode, err)
	}
	return n
}

// TestAttachmentHEIC: with libheif-examples installed, a HEIC photo is stored as a JPEG (named
// .jpg) with its thumbnail; heif-enc makes the HEIC from a JPEG.
func TestAttachmentHEIC(t *testing.T) {
	enc, err := exec.LookPath("heif-enc")
	if err != nil {
		t.Skip("heif-enc (libheif-examples) is not installed: HEIC is then kept as is")
	}
	dir := t.TempDir()
	src, heic := filepath.Join(dir, "p.jpg"), filepath.Join(dir, "p.heic")
	if err := os.WriteFile(src, photo(t, 640, 480, 90, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.CommandContext(context.Background(), enc, "-q", "50", "-o", heic, src).CombinedOutput(); err != nil {
		t.Fatalf("heif-enc: %v %s", err, out)
	}
	content, err := os.ReadFile(heic)
	if err != nil {
		t.Fatal(err)
	}
	app, pool, analyst, _ := attachApp(t, 5)
	var a struct {
		Filename    string
		ContentType string `json:"content_type"`
		HasThumb    bool   `json:"has_thumbnail"`
	}
	st := attach(t, app, "/api/v1/assets/"+assetID(t, pool, "A")+"/attachments", analyst, "手机照片.HEIC", content, "photo", &a)
	if st != 201 || a.Filename != "手机照片.jpg" || a.ContentType != "image/jpeg" || !a.HasThumb {
		t.Errorf("HEIC upload: %d %+v", st, a)
	}
}

// TestProjectAttachments: a project's files follow its unit's region.
func TestProjectAttachments(t *testing.T) {
	app, pool, analyst, outsider := attachApp(t, 5)
	var id int64
	err := pool.QueryRow(context.Background(), `WITH u AS (INSERT INTO units (code, name, grp, region_code) VALUES ('U1', '测试单位', 'city', '421202') RETURNING code)
	  INSERT INTO projects (code, name, year, unit_code, field, mode) SELECT 'P1', '测试项目', 2026, code, 'natural_resources', 'sell' FROM u RETURNING id`).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("/api/v1/projects/%d/attachments", id)
	if st := attach(t, app, base, analyst, "合同.pdf", pdf, "contract", nil); st != 201 {
		t.Fatalf("project upload: %d", st)
	}
	if resp, body := fetch(t, app, base, analyst); resp.StatusCode != 200 || !strings.Contains(string(body), "合同.pdf") {
		t.Errorf("project list: %d %s", resp.StatusCode, body)
	}
	if resp, _ := fetch(t, app, base, outsider); resp.StatusCode != 403 {
		t.Errorf("project list by a reader of another region = %d, want 403", resp.StatusCode)
	}
	if st := attach(t, app, "/api/v1/projects/999999/attachments", analyst, "a.pdf", pdf, "other", nil); st != 404 {
		t.Errorf("upload to no project = %d, want 404", st)
	}
}
