package attachments

import (
	"archive/zip"
	"bytes"
	"testing"
)

// TestContentType: each accepted type is told by its bytes and must match its name's extension.
func TestContentType(t *testing.T) {
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	if _, err := zw.Create("[Content_Types].xml"); err != nil || zw.Close() != nil {
		t.Fatal(err)
	}
	heicHead := append([]byte{0, 0, 0, 24}, []byte("ftypheic\x00\x00\x00\x00mif1heic")...)
	mif1 := append([]byte{0, 0, 0, 24}, []byte("ftypmif1\x00\x00\x00\x00mif1heic")...)
	ole := append(append([]byte{}, oleMagic...), make([]byte, 64)...)
	for _, c := range []struct {
		name string
		head []byte
		want string // "" refused
	}{
		{"a.pdf", []byte("%PDF-1.7\n"), "application/pdf"},
		{"a.PDF", []byte("%PDF-1.7\n"), "application/pdf"},
		{"a.jpg", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), "image/jpeg"},
		{"a.png", []byte("\x89PNG\x0D\x0A\x1A\x0A\x00\x00"), "image/png"},
		{"a.heic", heicHead, "image/heic"},
		{"a.heic", mif1, "image/heic"},
		{"a.docx", z.Bytes(), officeTypes[".docx"]},
		{"a.xlsx", z.Bytes(), officeTypes[".xlsx"]},
		{"a.xls", ole, officeTypes[".xls"]},
		{"a.doc", ole, officeTypes[".doc"]},
		{"a.pdf", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), ""},
		{"a.docx", ole, ""},
		{"a.zip", z.Bytes(), ""},
		{"a.txt", []byte("hello"), ""},
		{"a.html", []byte("<html><script>"), ""},
		{"a", []byte("%PDF-1.7\n"), ""},
	} {
		got, err := contentType(c.name, c.head)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("%s: %q %v, want %q", c.name, got, err, c.want)
		}
	}
}

// TestReadExifNone: a JPEG without EXIF, a truncated one and garbage say nothing, without panic.
func TestReadExifNone(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("\xFF\xD8"), []byte("\xFF\xD8\xFF\xE1\xFF\xFFExif\x00\x00MM\x00*\x00\x00\x00\x08\xFF"), []byte("garbage")} {
		if x := readExif(b); x.Lon != nil || x.Lat != nil || x.TakenAt != nil {
			t.Errorf("%q: %+v", b, x)
		}
	}
}
