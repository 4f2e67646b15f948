// Package static holds OneMap's browser UI: index.html, the app's plain ES modules and styles, and
// the third-party libraries vendored by scripts/vendor-ui.sh, embedded in the binary; and the
// offline viewer's sources (offline/), which internal/offline bundles into the offline map kit.
package static

import "embed"

// FS holds the UI files; internal/api serves them at "/".
//
//go:embed index.html favicon.svg css js vendor
var FS embed.FS

// Offline holds the offline viewer's own files, under offline/. They are not served: the viewer
// works only bundled with modules of FS into the kit's one classic script.
//
//go:embed offline
var Offline embed.FS
