package attachments

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
)

// chunkSize is the largest piece of content one row of attachment_chunks holds.
const chunkSize = 256 << 10

// headLen is how much of a file's start is read for its type and EXIF (APP1 is at most 64 kB).
const headLen = 128 << 10

// Service stores, lists, streams and deletes attachments.
type Service struct {
	pool *pgxpool.Pool
	// decoding admits one picture at a time to be decoded for its thumbnail: a decoded photo
	// takes 1.5 to 4 bytes a pixel, and uploads arriving together must not add theirs up.
	decoding chan struct{}
}

// NewService returns a Service on pool.
func NewService(pool *pgxpool.Pool) *Service {
	return &Service{pool: pool, decoding: make(chan struct{}, 1)}
}

// Add stores the file n.Path as an attachment of owner: refused outside actor's scope (403), for
// a bad category (400) or for content that is not an accepted type or not what its name says (415).
func (s *Service) Add(ctx context.Context, actor Actor, owner Owner, n New) (Attachment, error) {
	if err := n.check(); err != nil {
		return Attachment{}, err
	}
	region, err := s.ownerRegion(ctx, owner)
	if err != nil {
		return Attachment{}, err
	}
	if err := actor.scope(region); err != nil {
		return Attachment{}, err
	}
	a, path, err := s.describe(ctx, n)
	if err != nil {
		return Attachment{}, err
	}
	if path != n.Path {
		defer func() { _ = os.Remove(path) }() // the JPEG made from a HEIC
	}
	a.Uploader, a.CheckID = actor.Name, n.CheckID
	if actor.UserID != 0 {
		a.UploaderID = &actor.UserID
	}
	return s.insert(ctx, owner, a, path)
}

// describe tells the file's type by its content, converts a HEIC into JPEG when it can, and
// reads a picture's EXIF and thumbnail; it answers the path whose content is to be stored.
func (s *Service) describe(ctx context.Context, n New) (Attachment, string, error) {
	head, err := readHead(n.Path)
	if err != nil {
		return Attachment{}, "", err
	}
	ct, err := contentType(n.Filename, head[:min(len(head), sniffLen)])
	if err != nil {
		return Attachment{}, "", err
	}
	a := Attachment{Category: n.Category, Note: n.Note, Filename: n.Filename, ContentType: ct}
	path := n.Path
	if ct == typeHEIC.mime {
		if jpg, ok := fromHEIC(ctx, n.Path); ok {
			path, a.Filename, a.ContentType = jpg, jpegName(n.Filename), typeJPEG.mime
			if head, err = readHead(jpg); err != nil {
				return Attachment{}, "", errors.Join(err, os.Remove(jpg))
			}
		}
	}
	if a.ContentType == typeJPEG.mime {
		x := readExif(head)
		a.ExifLon, a.ExifLat, a.ExifTakenAt = x.Lon, x.Lat, x.TakenAt
	}
	if a.ContentType == typeJPEG.mime || a.ContentType == typePNG.mime {
		a.thumb, err = s.thumbnail1(ctx, path)
	}
	return a, path, err
}

// thumbnail1 makes the thumbnail of the picture at path once no other is being decoded.
func (s *Service) thumbnail1(ctx context.Context, path string) ([]byte, error) {
	select {
	case s.decoding <- struct{}{}:
		defer func() { <-s.decoding }()
		return thumbnail(path), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// readHead reads the first headLen bytes of the file at path.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("attachments: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, headLen))
	if err != nil {
		return nil, fmt.Errorf("attachments: %w", err)
	}
	return b, nil
}

// List is owner's live attachments, newest first.
func (s *Service) List(ctx context.Context, actor Actor, owner Owner) ([]Attachment, error) {
	region, err := s.ownerRegion(ctx, owner)
	if err != nil {
		return nil, err
	}
	if err := actor.scope(region); err != nil {
		return nil, err
	}
	return s.list(ctx, owner)
}

// Get is the live attachment id, if actor may read it.
func (s *Service) Get(ctx context.Context, actor Actor, id int64) (Attachment, error) {
	a, err := s.get(ctx, id)
	if err != nil {
		return Attachment{}, err
	}
	return a, actor.scope(a.region)
}

// Content streams the attachment id's content chunk by chunk: ctx must outlive the handler
// that hands the reader over (the body is written after it returns); Close ends the stream.
func (s *Service) Content(ctx context.Context, id int64) io.ReadCloser {
	return &chunkReader{s: s, ctx: ctx, id: id}
}

// Thumbnail is the attachment id's thumbnail (JPEG), if actor may read it; ErrNotFound without.
func (s *Service) Thumbnail(ctx context.Context, actor Actor, id int64) ([]byte, error) {
	if _, err := s.Get(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.thumbnail(ctx, id)
}

// Delete marks the attachment id deleted (its content is kept) if actor may change it.
func (s *Service) Delete(ctx context.Context, actor Actor, id int64) (Attachment, error) {
	a, err := s.Get(ctx, actor, id)
	if err != nil {
		return Attachment{}, err
	}
	return a, s.softDelete(ctx, id, actor.Name)
}

// chunkReader reads an attachment's chunks in order, one query and one chunk at a time.
type chunkReader struct {
	s   *Service
	ctx context.Context
	id  int64
	n   int
	buf []byte
	eof bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.eof {
			return 0, io.EOF
		}
		b, ok, err := r.s.chunk(r.ctx, r.id, r.n)
		if err != nil {
			return 0, err
		}
		r.buf, r.eof, r.n = b, !ok, r.n+1
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// Close ends the stream.
func (r *chunkReader) Close() error {
	r.eof, r.buf = true, nil
	return nil
}
