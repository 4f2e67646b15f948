// Package static holds OneMap's browser UI: index.html, the app's plain ES modules and styles, and
// the third-party libraries vendored by scripts/vendor-ui.sh, and the offline viewer (offline/,
// bundled into a kit by internal/offline), embedded in the binary.
package static

import "embed"

// FS holds the UI files; internal/api serves them at "/".
//
//go:embed index.html favicon.svg css js vendor offline
var FS embed.FS
