package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/auth"
)

// post sends body to path on the server at addr (chunked when body has no known length) and
// returns the status, content type and the problem's first parameter.
func post(t *testing.T, addr, path, token, contentType string, body io.Reader) (int, string, string) {
	t.Helper()
	st, ct, param, err := tryPost(addr, path, token, contentType, body)
	if err != nil {
		t.Fatal(err)
	}
	return st, ct, param
}

func tryPost(addr, path, token, contentType string, body io.Reader) (int, string, string, error) {
	req, err := http.NewRequestWithContext(context.Background(), "POST", "http://"+addr+path, body)
	if err != nil {
		return 0, "", "", err
	}
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	var pb problemBody
	_ = json.NewDecoder(resp.Body).Decode(&pb) // not every answer is a problem
	param := ""
	if len(pb.Params) > 0 {
		param = pb.Params[0].Name
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), param, nil
}

// Every route but an upload takes at most 1 MB, whether the body says its length or is chunked.
func TestBodyOverOneMB(t *testing.T) {
	app, pool := importApp(t)
	addr := listen(t, app)
	big := `{"username":"` + strings.Repeat("a", 1<<20) + `","password":"x"}`
	st, ct, param := post(t, addr, "/api/v1/login", "", "application/json", strings.NewReader(big))
	if st != 413 || ct != "application/problem+json" || param != "body" {
		t.Errorf("1 MB login: %d %s %q, want 413 problem+json naming body", st, ct, param)
	}
	chunked := io.MultiReader(strings.NewReader(big)) // no known length: sent chunked
	if st, ct, param := post(t, addr, "/api/v1/login", "", "application/json", chunked); st != 413 || ct != "application/problem+json" || param != "body" {
		t.Errorf("chunked 1 MB login: %d %s %q, want 413 problem+json naming body", st, ct, param)
	}
	login(t, app, pool, "analyst1", auth.Analyst, nil)
	small := io.MultiReader(strings.NewReader(`{"username":"analyst1","password":"` + userPassword + `"}`))
	if st, _, param := post(t, addr, "/api/v1/login", "", "application/json", small); st != 200 {
		t.Errorf("a small chunked login: %d naming %q, want 200", st, param)
	}
}

// An upload runs the route's guards before reading its body: announcing 2 GB without a token
// is a 401 answered after the first few kB (what fasthttp reads with the headers), and the
// connection closes, the rest never read.
func TestUploadUnauthenticatedBeforeBody(t *testing.T) {
	app, _ := importApp(t)
	addr := listen(t, app)
	resp, closed := announce(t, addr, "", 2<<30)
	if resp.StatusCode != 401 || resp.Header.Get("Content-Type") != "application/problem+json" || !closed {
		t.Errorf("anonymous 2 GB upload: %d %s closed=%v, want 401 problem+json, closed", resp.StatusCode, resp.Header.Get("Content-Type"), closed)
	}
}

// An upload over ONEMAP_MAX_UPLOAD_MB (1 MB here) is a 413 naming file, told by its announced
// length or found while streaming it, and leaves no temporary file behind.
func TestUploadOverLimit(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	app, pool := importApp(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	addr := listen(t, app)
	for _, chunked := range []bool{false, true} {
		body, ct := multipartFile(t, "p.geojson", 1<<20+1, map[string]string{"kind": "land"})
		var r io.Reader = body
		if chunked {
			r = io.MultiReader(body)
		}
		if st, _, param := post(t, addr, "/api/v1/imports", tok, ct, r); st != 413 || param != "file" {
			t.Errorf("upload of 1 MB + 1 byte (chunked %v): %d naming %q, want 413 naming file", chunked, st, param)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("refused uploads left %d files in TMPDIR, e.g. %s", len(left), left[0].Name())
	}
	resp, _ := announce(t, addr, tok, 2<<30)
	if resp.StatusCode != 413 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("announced 2 GB upload: %d %s, want 413 problem+json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// multipartFile is a multipart body with fields and a "file" part of size bytes.
func multipartFile(t *testing.T, name string, size int, fields map[string]string) (*strings.Reader, string) {
	t.Helper()
	var b strings.Builder
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(fw, strings.Repeat(" ", size)); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return strings.NewReader(b.String()), mw.FormDataContentType()
}

// listen serves app on a real loopback listener (app.Test cannot answer before a body it was
// given is sent) and returns its address.
func listen(t *testing.T, app *fiber.App) string {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return ln.Addr().String()
}

// announce sends the headers of an upload of length bytes and its first 16 kB, and reads the
// answer without sending the rest; closed tells that the server then closed the connection
// (after lingering a moment for the rest of the body) rather than waiting for more.
func announce(t *testing.T, addr, token string, length int64) (resp *http.Response, closed bool) {
	t.Helper()
	conn, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	head := fmt.Sprintf("POST /api/v1/imports HTTP/1.1\r\nHost: onemap\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n", length)
	if token != "" {
		head += "Authorization: Bearer " + token + "\r\n"
	}
	if _, err := io.WriteString(conn, head+"\r\n"+strings.Repeat("-", 16<<10)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body) // a problem+json; its headers are what matters
	_ = resp.Body.Close()
	if err := conn.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	_, err = br.ReadByte()
	var ne net.Error
	return resp, err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

// A client that waited for "100 Continue" and is still sending a body the server refuses reads
// the 413 (the server discards what follows for a moment before it closes) instead of a reset.
func TestRefusedBodyAfterContinue(t *testing.T) {
	app, _ := importApp(t)
	conn, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", listen(t, app))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	head := "POST /api/v1/login HTTP/1.1\r\nHost: onemap\r\nContent-Type: application/json\r\nContent-Length: 419430400\r\nExpect: 100-continue\r\n\r\n"
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 100 {
		t.Fatalf("before the body: %v %v, want 100 Continue", resp, err)
	}
	go func() { _, _ = conn.Write(make([]byte, 4<<20)) }() // part of the body, then nothing
	if resp, err = http.ReadResponse(br, nil); err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 413 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("400 MB login after 100 Continue: %d %s, want 413 problem+json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
