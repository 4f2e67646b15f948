#!/usr/bin/env bash
# Re-vendors the UI's third-party libraries from npm into static/vendor/<name>@<version>/ at the
# pinned versions below, writes static/vendor/VERSIONS and points static/index.html,
# static/js/libs.js and the offline viewer (static/offline/index.html) at them.
# The directory names carry the version so the server may cache vendor/ files for a year.
# Usage: scripts/vendor-ui.sh   (needs npm; run from anywhere; commit the result)
set -euo pipefail
cd "$(dirname "$0")/.."

# name=version pairs, pinned. Bump here, re-run, check the browser tests, commit.
pins=(
  maplibre-gl=5.24.1
  terra-draw=1.35.0
  terra-draw-maplibre-gl-adapter=1.4.1
  echarts=6.1.0
  pmtiles=4.5.0
)
# Files copied from each package (paths inside the package).
declare -A files=(
  [maplibre-gl]="dist/maplibre-gl.js dist/maplibre-gl.css LICENSE.txt"
  [terra-draw]="dist/terra-draw.umd.js"
  [terra-draw-maplibre-gl-adapter]="dist/terra-draw-maplibre-gl-adapter.umd.js"
  [echarts]="dist/echarts.min.js LICENSE NOTICE"
  [pmtiles]="dist/pmtiles.js README.md"
)
declare -A licences=([maplibre-gl]=BSD-3-Clause [terra-draw]=MIT [terra-draw-maplibre-gl-adapter]=MIT [echarts]=Apache-2.0 [pmtiles]=BSD-3-Clause)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
specs=()
for p in "${pins[@]}"; do specs+=("${p%%=*}@${p#*=}"); done
(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts "${specs[@]}" >&2)

out=static/vendor
rm -rf "$out"
mkdir -p "$out"
{
  echo "# Vendored UI libraries: name version licence (written by scripts/vendor-ui.sh; do not edit)"
  for p in "${pins[@]}"; do
    name=${p%%=*} ver=${p#*=}
    got=$(node -p "require('$tmp/node_modules/$name/package.json').version")
    [ "$got" = "$ver" ] || { echo "vendor-ui: $name resolved to $got, want $ver" >&2; exit 1; }
    dir="$out/$name@$ver"
    mkdir -p "$dir"
    for f in ${files[$name]}; do cp "$tmp/node_modules/$name/$f" "$dir/"; done
    echo "$name $ver ${licences[$name]}"
    # Point index.html and the lazy loader at this version, whatever version they named before.
    sed -i -E "s#vendor/$name@[0-9][^/]*/#vendor/$name@$ver/#g" static/index.html static/js/libs.js static/offline/index.html
  done
} >"$out/VERSIONS"
echo "vendor-ui: wrote $out" >&2
