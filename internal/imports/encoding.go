package imports

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Encoding names as OneMap records them; GDAL (iconv) understands them too.
const (
	encUTF8 = "UTF-8"
	encGBK  = "GBK"
)

// textEncoding returns the decoder for a user's encoding name.
func textEncoding(name string) (encoding.Encoding, string, error) {
	switch strings.ToUpper(strings.ReplaceAll(name, "-", "")) {
	case "GBK", "CP936", "936", "GB2312", "GB18030", "EUCCN":
		// GB18030 decodes every GBK and GB2312 byte sequence the same way.
		return simplifiedchinese.GB18030, encGBK, nil
	case "BIG5", "CP950":
		return traditionalchinese.Big5, "BIG5", nil
	case "UTF8", "":
		return nil, encUTF8, nil
	}
	return nil, "", fmt.Errorf("encoding %q: use UTF-8, GBK (GB2312/GB18030/CP936) or BIG5", name)
}

// decodeText turns b into UTF-8: text that is valid UTF-8 already stays as it is (a BOM is
// dropped); otherwise it is decoded as the user's encoding, GBK when none is given, the common
// case for files made on Chinese Windows.
func decodeText(b []byte, userEncoding string) ([]byte, string, error) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if utf8.Valid(b) {
		return b, encUTF8, nil
	}
	if userEncoding == "" {
		userEncoding = encGBK
	}
	enc, name, err := textEncoding(userEncoding)
	if err != nil {
		return nil, "", err
	}
	if enc == nil {
		return nil, "", fmt.Errorf("the file is not valid UTF-8: give its encoding (e.g. GBK)")
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return nil, "", fmt.Errorf("decoding as %s: %w", name, err)
	}
	return out, name, nil
}
