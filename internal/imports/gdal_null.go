package imports

// #cgo pkg-config: gdal
// #include <ogr_api.h>
import "C"

import (
	"unsafe"

	"github.com/airbusgeo/godal"
)

// nullFields names the fields of f that are unset or NULL. godal reports a NULL number as a set
// 0, which would turn every missing value of a GeoPackage or DBF into a zero; GDAL itself tells
// the two apart (OGR_F_IsFieldSetAndNotNull).
func nullFields(f *godal.Feature) map[string]bool {
	// godal.Feature holds exactly its OGRFeatureH (godal v0.0.16, pinned in go.mod; the
	// null-value tests fail if that changes).
	h := *(*C.OGRFeatureH)(unsafe.Pointer(f))
	var out map[string]bool
	n := C.OGR_F_GetFieldCount(h)
	for i := C.int(0); i < n; i++ {
		if C.OGR_F_IsFieldSetAndNotNull(h, i) != 0 {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[C.GoString(C.OGR_Fld_GetNameRef(C.OGR_F_GetFieldDefnRef(h, i)))] = true
	}
	return out
}
