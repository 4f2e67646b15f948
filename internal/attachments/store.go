package attachments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

// Where an owner lies: an asset's region, a project's unit's region.
const (
	assetRegion   = `SELECT region_code FROM assets WHERE id = $1 AND deleted_at IS NULL`
	projectRegion = `SELECT u.region_code FROM projects p JOIN units u ON u.code = p.unit_code
WHERE p.id = $1 AND p.deleted_at IS NULL`
)

// ownerRegion is where owner lies, or ErrNotFound.
func (s *Service) ownerRegion(ctx context.Context, o Owner) (*string, error) {
	q := assetRegion
	if o.Kind == OnProject {
		q = projectRegion
	}
	var region *string
	err := s.pool.QueryRow(ctx, q, o.ID).Scan(&region)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("attachments: %s %d: %w", o.Kind, o.ID, problem.ErrNotFound)
	}
	return region, err
}

const insertAttachment = `INSERT INTO attachments (asset_id, project_id, category, note, filename, content_type,
  size, sha256, exif_lon, exif_lat, exif_taken_at, thumbnail, uploader_id, uploader, check_id)
VALUES ($1, $2, $3, $4, $5, $6, 0, '', $7, $8, $9, $10, $11, $12, $13) RETURNING id`

const insertChunk = `INSERT INTO attachment_chunks (attachment_id, n, data) VALUES ($1, $2, $3)`

const finishAttachment = `UPDATE attachments SET size = $2, sha256 = $3 WHERE id = $1`

// insert stores a and the content at path, chunk by chunk, in one transaction.
func (s *Service) insert(ctx context.Context, o Owner, a Attachment, path string) (Attachment, error) {
	if o.Kind == OnProject {
		a.ProjectID = &o.ID
	} else {
		a.AssetID = &o.ID
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, insertAttachment, a.AssetID, a.ProjectID, a.Category, a.Note, a.Filename,
			a.ContentType, a.ExifLon, a.ExifLat, a.ExifTakenAt, a.thumb, a.UploaderID, a.Uploader, a.CheckID).Scan(&a.ID)
		if err != nil {
			return err
		}
		if a.Size, a.SHA256, err = writeChunks(ctx, tx, a.ID, path); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, finishAttachment, a.ID, a.Size, a.SHA256)
		return err
	})
	if err != nil {
		return Attachment{}, fmt.Errorf("attachments: store %s: %w", a.Filename, err)
	}
	return s.get(ctx, a.ID)
}

// writeChunks copies the file at path into attachment id's chunks, answering its size and SHA-256.
func writeChunks(ctx context.Context, tx pgx.Tx, id int64, path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h, buf := sha256.New(), make([]byte, chunkSize)
	var size int64
	for n := 0; ; n++ {
		k, err := io.ReadFull(f, buf)
		if k > 0 {
			h.Write(buf[:k])
			size += int64(k)
			if _, err := tx.Exec(ctx, insertChunk, id, n, buf[:k]); err != nil {
				return 0, "", err
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return size, hex.EncodeToString(h.Sum(nil)), nil
		}
		if err != nil {
			return 0, "", err
		}
	}
}

// selectAttachment reads attachments with where they lie (for the scope).
const selectAttachment = `SELECT a.id, a.asset_id, a.project_id, a.category, a.note, a.filename, a.content_type,
  a.size, a.sha256, a.exif_lon, a.exif_lat, a.exif_taken_at, a.thumbnail IS NOT NULL, a.uploader_id,
  a.uploader, a.created_at, a.check_id, COALESCE(s.region_code, u.region_code)
FROM attachments a
LEFT JOIN assets s ON s.id = a.asset_id
LEFT JOIN projects p ON p.id = a.project_id
LEFT JOIN units u ON u.code = p.unit_code
WHERE a.deleted_at IS NULL`

func scanAttachment(r pgx.CollectableRow) (Attachment, error) {
	var a Attachment
	err := r.Scan(&a.ID, &a.AssetID, &a.ProjectID, &a.Category, &a.Note, &a.Filename, &a.ContentType,
		&a.Size, &a.SHA256, &a.ExifLon, &a.ExifLat, &a.ExifTakenAt, &a.HasThumb, &a.UploaderID,
		&a.Uploader, &a.CreatedAt, &a.CheckID, &a.region)
	return a, err
}

// get reads the live attachment id, or ErrNotFound.
func (s *Service) get(ctx context.Context, id int64) (Attachment, error) {
	rows, _ := s.pool.Query(ctx, selectAttachment+` AND a.id = $1`, id)
	a, err := pgx.CollectExactlyOneRow(rows, scanAttachment)
	if errors.Is(err, pgx.ErrNoRows) {
		return Attachment{}, fmt.Errorf("attachments: attachment %d: %w", id, problem.ErrNotFound)
	}
	return a, err
}

// list reads owner's live attachments, newest first.
func (s *Service) list(ctx context.Context, o Owner) ([]Attachment, error) {
	cond := ` AND a.asset_id = $1`
	if o.Kind == OnProject {
		cond = ` AND a.project_id = $1`
	}
	rows, _ := s.pool.Query(ctx, selectAttachment+cond+` ORDER BY a.created_at DESC, a.id DESC`, o.ID)
	list, err := pgx.CollectRows(rows, scanAttachment)
	if err != nil {
		return nil, fmt.Errorf("attachments: list: %w", err)
	}
	return list, nil
}

const selectChunk = `SELECT data FROM attachment_chunks WHERE attachment_id = $1 AND n = $2`

// chunk reads chunk n of attachment id; false past the last.
func (s *Service) chunk(ctx context.Context, id int64, n int) ([]byte, bool, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, selectChunk, id, n).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("attachments: chunk %d of %d: %w", n, id, err)
	}
	return b, true, nil
}

// thumbnail reads attachment id's thumbnail, or ErrNotFound.
func (s *Service) thumbnail(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, `SELECT thumbnail FROM attachments WHERE id = $1`, id).Scan(&b)
	if err == nil && b == nil {
		err = pgx.ErrNoRows
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("attachments: thumbnail of %d: %w", id, problem.ErrNotFound)
	}
	return b, err
}

const softDelete = `UPDATE attachments SET deleted_at = now(), deleted_by = $2 WHERE id = $1 AND deleted_at IS NULL`

// softDelete marks attachment id deleted by who.
func (s *Service) softDelete(ctx context.Context, id int64, who string) error {
	tag, err := s.pool.Exec(ctx, softDelete, id, who)
	if err == nil && tag.RowsAffected() == 0 {
		err = fmt.Errorf("attachments: attachment %d: %w", id, problem.ErrNotFound)
	}
	return err
}

const countAssets = `SELECT asset_id, count(*) FROM attachments
WHERE asset_id = ANY($1) AND deleted_at IS NULL GROUP BY asset_id`

// Counts is how many live attachments each of the assets ids has (absent: none).
func (s *Service) Counts(ctx context.Context, ids []int64) (map[int64]int64, error) {
	rows, _ := s.pool.Query(ctx, countAssets, ids)
	out := map[int64]int64{}
	var id, n int64
	_, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error { out[id] = n; return nil })
	return out, err
}
