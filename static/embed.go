// Package static holds OneMap's browser UI: index.html, the app's plain ES modules and styles, and
// the third-party libraries vendored by scripts/vendor-ui.sh, embedded in the binary.
package static

import "embed"

// FS holds the UI files; internal/api serves them at "/".
//
//go:embed index.html favicon.svg css js vendor
var FS embed.FS
