package attachments

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/onemap/onemap/internal/problem"
)

// sniffLen is how much of a file's start its type is told by.
const sniffLen = 512

// fileType is a kind of content accepted: its MIME type and the extensions a file of it may carry.
type fileType struct {
	mime string
	exts []string
}

// Accepted content types. OOXML (docx, xlsx) is a zip and OLE (doc, xls) a compound file: the
// bytes tell the family, the extension which member of it.
var (
	typePDF  = fileType{"application/pdf", []string{".pdf"}}
	typeJPEG = fileType{"image/jpeg", []string{".jpg", ".jpeg"}}
	typePNG  = fileType{"image/png", []string{".png"}}
	typeHEIC = fileType{"image/heic", []string{".heic", ".heif"}}
	typeZip  = fileType{"application/zip", []string{".docx", ".xlsx"}}
	typeOLE  = fileType{"application/x-ole-storage", []string{".doc", ".xls"}}
)

// officeTypes are the MIME types of the Office files, by extension.
var officeTypes = map[string]string{
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".doc":  "application/msword",
	".xls":  "application/vnd.ms-excel",
}

// oleMagic starts every OLE2 compound file (.doc, .xls).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// sniff tells the type of content that starts with head, or false for a type not accepted.
func sniff(head []byte) (fileType, bool) {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return typePDF, true
	case bytes.HasPrefix(head, oleMagic):
		return typeOLE, true
	case heic(head):
		return typeHEIC, true
	}
	switch http.DetectContentType(head) {
	case "image/jpeg":
		return typeJPEG, true
	case "image/png":
		return typePNG, true
	case "application/zip":
		return typeZip, true
	}
	return fileType{}, false
}

// heic tells an ISO-BMFF file whose brand is HEIC or HEIF (ftypheic, ftypheix, ftypmif1...).
func heic(head []byte) bool {
	if len(head) < 12 || string(head[4:8]) != "ftyp" {
		return false
	}
	switch string(head[8:12]) {
	case "heic", "heix", "heim", "heis", "mif1", "msf1":
		return true
	}
	return false
}

// contentType checks that the content starting with head is of a type accepted and of the kind
// name's extension says, and answers its MIME type; otherwise a 415 naming file.
func contentType(name string, head []byte) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	t, ok := sniff(head)
	if !ok {
		return "", unsupported("the content is none of PDF, JPEG, PNG, HEIC, Word or Excel")
	}
	for _, e := range t.exts {
		if e == ext {
			if m, office := officeTypes[ext]; office {
				return m, nil
			}
			return t.mime, nil
		}
	}
	return "", unsupported("the content is %s, but the name %q says otherwise", t.mime, name)
}

// unsupported is the 415 for a file refused for its content.
func unsupported(format string, args ...any) error {
	e := problem.Invalid("file", format, args...)
	e.Status, e.Title = http.StatusUnsupportedMediaType, "Unsupported Media Type"
	return e
}
