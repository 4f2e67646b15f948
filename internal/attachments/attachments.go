// Package attachments keeps the files that go with an asset or a 盘活项目 (权证, 合同, 评估报告,
// 现场照片...) in PostgreSQL: each file's type told by its content, a thumbnail and the EXIF
// position and time of a photo, and the content itself in chunks, streamed in and out so that
// no file is ever held whole in memory. Who may read or change them follows the region scope of
// the asset, or of the project's unit.
package attachments

import (
	"time"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/problem"
)

// Categories are the codes of an attachment's category, with their labels in CategoryLabels.
var Categories = []string{"deed", "contract", "appraisal", "photo", "other"}

// CategoryLabels are the Chinese labels of the categories.
var CategoryLabels = map[string]string{
	"deed": "权证", "contract": "合同", "appraisal": "评估报告", "photo": "现场照片", "other": "其他",
}

// Owner is what an attachment belongs to: an asset or a project.
type Owner struct {
	Kind string // "asset" or "project"
	ID   int64
}

// Owner kinds.
const (
	OnAsset   = "asset"
	OnProject = "project"
)

// Attachment is a stored file's description (its content is read with Service.Content).
type Attachment struct {
	ID          int64      `json:"id"`
	AssetID     *int64     `json:"asset_id"`
	ProjectID   *int64     `json:"project_id"`
	Category    string     `json:"category"`
	Note        string     `json:"note"`
	Filename    string     `json:"filename"`
	ContentType string     `json:"content_type"`
	Size        int64      `json:"size"`
	SHA256      string     `json:"sha256"`
	ExifLon     *float64   `json:"exif_lon"`
	ExifLat     *float64   `json:"exif_lat"`
	ExifTakenAt *time.Time `json:"exif_taken_at"`
	HasThumb    bool       `json:"has_thumbnail"`
	UploaderID  *int64     `json:"uploader_id"`
	Uploader    string     `json:"uploader"`
	CreatedAt   time.Time  `json:"created_at"`
	CheckID     *int64     `json:"check_id"`
	// thumb is the thumbnail made on upload (stored, not sent).
	thumb []byte
	// region is where the owner lies (the asset's region, the project's unit's), for the scope.
	region *string
}

// Actor is who reads or changes attachments: name, account and region scope (nil: anywhere).
type Actor struct {
	Name   string
	UserID int64
	Region *string
}

// New is an upload: the received file at Path (the caller removes it) and its description.
type New struct {
	Path     string
	Filename string
	Category string
	Note     string
	CheckID  *int64
}

// check validates the description.
func (n New) check() error {
	var errs []*problem.Error
	if _, ok := CategoryLabels[n.Category]; !ok {
		errs = append(errs, problem.Invalid("category", "%q is not one of deed, contract, appraisal, photo, other", n.Category))
	}
	if len([]rune(n.Note)) > 2000 {
		errs = append(errs, problem.Invalid("note", "longer than 2000 characters"))
	}
	if n.Path == "" || n.Filename == "" {
		errs = append(errs, problem.Invalid("file", "send the file as multipart/form-data field \"file\""))
	}
	if e := problem.Join(errs...); e != nil {
		return e
	}
	return nil
}

// scope refuses an actor confined to a region anything on an owner lying outside it.
func (a Actor) scope(region *string) error {
	if a.Region == nil || (region != nil && assets.RegionWithin(*region, *a.Region)) {
		return nil
	}
	return problem.Forbidden("this attachment's asset or project lies outside your region %s", *a.Region)
}
