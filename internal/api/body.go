package api

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/problem"
)

// The server streams request bodies (fiber.Config.StreamRequestBody): fasthttp reads the first
// few kB with the headers and leaves the rest on the connection, so that no route holds a body
// it has not asked for. limitBody decides, before any handler reads a byte, what each route may
// take: an upload route (uploadRoute) streams its multipart body to disk after its guards
// (receiveUpload), bounded by ONEMAP_MAX_UPLOAD_MB; every other route takes at most
// smallBodyMax, read here whole, so that its handlers see an ordinary body.

// smallBodyMax is the largest body a route other than an upload takes: a JSON edit, a drawn
// polygon, a login.
const smallBodyMax = 1 << 20

// bodyDoneKey marks, in Locals, an upload whose body was read to its end.
const bodyDoneKey = "onemap.body.done"

// uploadRoute tells the routes that take a multipart file.
func uploadRoute(c *fiber.Ctx) bool {
	if c.Method() != fiber.MethodPost {
		return false
	}
	path := strings.TrimSuffix(strings.ToLower(c.Path()), "/")
	return path == "/api/v1/imports" || checkUpload(c, path) || attachmentUploadPath(path)
}

// limitBody reads a small body whole or refuses it (413 naming body); it leaves an upload's body
// to the upload's handler and closes the connection when that left any of it unread (the next
// request would otherwise start inside it).
func limitBody(c *fiber.Ctx) error {
	if ce := strings.ToLower(strings.TrimSpace(c.Get(fiber.HeaderContentEncoding))); ce != "" && ce != "identity" {
		// Fiber would inflate a compressed body on reading it: 1 MB of gzip can hold 1 GB.
		return &problem.Error{
			Status: fiber.StatusUnsupportedMediaType, Title: "Unsupported Media Type",
			Detail: "Content-Encoding " + ce + ": send request bodies uncompressed",
			Params: []problem.Param{{Name: "Content-Encoding", Reason: "request bodies are taken uncompressed"}},
		}
	}
	if uploadRoute(c) {
		err := c.Next()
		if done, _ := c.Locals(bodyDoneKey).(bool); !done && c.Request().IsBodyStream() {
			leaveRest(c)
		}
		return err
	}
	if err := readSmallBody(c); err != nil {
		return err
	}
	return c.Next()
}

// readSmallBody reads a streamed body of at most smallBodyMax bytes into the request: by its
// Content-Length when it has one, else (chunked) through a limited reader.
func readSmallBody(c *fiber.Ctx) error {
	req := c.Request()
	if !req.IsBodyStream() {
		return nil
	}
	n := req.Header.ContentLength()
	if n > smallBodyMax {
		return bodyTooLarge(c, smallBodyMax)
	}
	if n >= 0 {
		_ = req.Body() // reads the n bytes; a short body is the client's loss
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(c.Context().RequestBodyStream(), smallBodyMax+1))
	if err != nil {
		c.Context().SetConnectionClose()
		return problem.Invalid("body", "cannot be read: %v", err)
	}
	if len(b) > smallBodyMax {
		return bodyTooLarge(c, smallBodyMax)
	}
	req.SetBody(b)
	return nil
}

// bodyTooLarge is the 413 for a body over max bytes; the rest of the body stays unread.
func bodyTooLarge(c *fiber.Ctx, max int64) error {
	leaveRest(c)
	return &problem.Error{
		Status: http.StatusRequestEntityTooLarge, Title: "Content Too Large",
		Detail: "body: this route takes at most " + sizeText(max),
		Params: []problem.Param{{Name: "body", Reason: "larger than " + sizeText(max)}},
	}
}

// lingerFor and lingerMax bound how long and how much of a body left unread the server discards
// after its answer, before it closes the connection (what net/http does too).
const (
	lingerFor = 2 * time.Second
	lingerMax = 64 << 20
)

// leaveRest closes the connection after the answer, the rest of the body unread: the next
// request would otherwise start inside it. The client may still be sending (a body sent with its
// headers, or one it was told to send by "100 Continue"): closing at once, with its bytes unread,
// resets the connection, and the reset can reach the client before the answer does (it then sees
// no answer at all). So the server lingers, as net/http does: it writes the answer itself with
// "Connection: close" (fasthttp would close at once, without lingering, when the answer says
// so), ends its side of the connection, discards what still comes for a bounded time and
// amount, and only then closes.
// A connection that cannot half-close (not TCP: fiber's in-memory test connection) has no reset
// to fear and simply closes.
func leaveRest(c *fiber.Ctx) {
	ctx := c.Context()
	tcp, ok := ctx.Conn().(interface{ CloseWrite() error })
	if !ok {
		ctx.SetConnectionClose()
		return
	}
	ctx.HijackSetNoResponse(true)
	ctx.Hijack(func(conn net.Conn) {
		ctx.Response.Header.SetConnectionClose()
		w := bufio.NewWriter(conn)
		if ctx.Response.Write(w) != nil || w.Flush() != nil {
			return
		}
		_ = tcp.CloseWrite()
		if conn.SetReadDeadline(time.Now().Add(lingerFor)) == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(conn, lingerMax)) // until EOF or the deadline
		}
	})
}

// sizeText renders a byte count in MB or kB.
func sizeText(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(n>>10, 10) + " kB"
}
