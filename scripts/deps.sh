#!/usr/bin/env bash
# Installs the Debian packages OneMap needs when they are missing: "run" for the server
# (PostGIS, GDAL for imports, heif-convert for HEIC photos, the TrueType fonts printed maps embed),
# "test" adds the real clients the tests drive (gdal-bin, Chromium, OWSLib, poppler's pdftotext/pdftoppm)
# and nginx, the caching proxy cmd/onemap/proxy_test.go starts itself in front of two instances (the Debian service is not used).
set -euo pipefail
want=(postgresql-15 postgresql-15-postgis-3 libgdal-dev gdal-bin g++ pkgconf libheif-examples fonts-droid-fallback fonts-dejavu-core)
[ "${1:-run}" = "test" ] && want+=(chromium fonts-noto-cjk nodejs npm python3-owslib poppler-utils nginx)
[ "${1:-run}" = "bench" ] && want+=(wrk)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node and npm may come from elsewhere than Debian (the image ships its own): accept them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "deps.sh: installing ${missing[*]}" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
