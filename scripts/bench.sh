#!/usr/bin/env bash
# make bench: vector-tile throughput on the benchmark city, uncached. Takes the database from
# ONEMAP_BENCH_DATABASE_URL (default: database onemap_bench on the local cluster, which
# `onemap demo --parcels 1000000` fills), makes sure its land overview is current, starts the
# server with the tile cache off, then for land and onemap at zooms 10 and 12 to 16 measures
# the largest tile (one pass over the tile list) and wrk -t1 -c8 throughput and latency over two
# lists of up to 2000 tiles (scripts/bench-tiles.sql): "area", the tiles covering the counties
# evenly, as a viewer panning over the city asks for them; "parcels", tiles picked through the
# parcels, so the busy ones weigh more. Then cached composite tiles at zooms 14 and 16, edits
# (scripts/bench-edits.sh: edit → zoom 10, the database cost of an edit stream), and last the Go
# benchmark (go test -bench in tiles/).
# BENCH_DURATION (default 10s) sets each wrk run's length; BENCH_ZOOMS, BENCH_LAYERS and
# BENCH_LISTS narrow it.
# On a shared machine other work steals cores, so each row also gives the CPU one request cost
# (server + its PostgreSQL backends + wrk, from /proc) and what that makes on idle cores.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh # bench_setup (PATH, deps, url), backends, ticks (CPU of a server and its backends), settle
bench_setup
if ! psql -Atqc "SELECT 1 FROM assets LIMIT 1" "$url" >/dev/null 2>&1; then
  echo "bench.sh: no benchmark city at $url: set ONEMAP_BENCH_DATABASE_URL, or load one with" >&2
  echo "  onemap demo --parcels 1000000 (database onemap_bench), or psql -f scripts/bench-fixture.sql" >&2
  exit 1
fi
duration=${BENCH_DURATION:-10s}
zooms=${BENCH_ZOOMS:-10 12 13 14 15 16}
layers=${BENCH_LAYERS:-land onemap}
lists=${BENCH_LISTS:-area parcels}
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

go build -o bin/onemap ./cmd/onemap
bin/onemap migrate -db "$url" >/dev/null
if [ "$(bin/onemap tiles -db "$url" status)" != current ]; then
  bin/onemap tiles -db "$url" refresh
fi
. scripts/bench-serve.sh
serve "$tmp/server.log" -tile-cache-mb 0
settle "$url"

parcels=$(psql -Atqc "SELECT count(*) FROM assets WHERE kind = 'land' AND deleted_at IS NULL" "$url")
echo "benchmark city: $parcels land parcels; server http://$addr, tile cache off; wrk -t1 -c8 -d$duration"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
hz=$(getconf CLK_TCK)
cores=$(nproc)

echo "| tiles | layer | zoom | n | req/s | p50 ms | p95 ms | p99 ms | avg kB | max kB | CPU ms/req | req/s on $cores idle cores |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for list in $lists; do
for z in $zooms; do
  psql -Atq -v z="$z" -v list="$list" -f scripts/bench-tiles.sql "$url" >"$tmp/z$z.txt"
  for layer in $layers; do
    paths="$tmp/$layer-$z.txt"
    sed "s|^|/tiles/$layer/|; s|\$|.mvt|" "$tmp/z$z.txt" >"$paths"
    # One pass over every tile: the largest size, and a warm start for wrk.
    sed "s|^\(.*\)\$|url = \"http://$addr\1\"\noutput = /dev/null|" "$paths" >"$tmp/curl.cfg"
    max=$(curl -s -w '%{size_download}\n' -K "$tmp/curl.cfg" | sort -n | tail -n 1)
    before=$(backends "$url")
    t0=$(ticks "$pid" $before)
    TIMEFORMAT='%U %S'
    { time wrk -t1 -c8 -d"$duration" -s scripts/bench-tiles.lua "http://$addr" -- "$paths" >"$tmp/wrk.out"; } 2>"$tmp/wrk.time"
    t1=$(ticks "$pid" $(printf '%s\n' $before $(backends "$url") | sort -u))
    res=$(grep '^RESULT' "$tmp/wrk.out")
    val() { echo "$res" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
    awk -v list="$list" -v l="$layer" -v z="$z" -v n="$(wc -l <"$paths")" -v rps="$(val rps)" -v p50="$(val p50_ms)" \
      -v p95="$(val p95_ms)" -v p99="$(val p99_ms)" -v avg="$(val avg_bytes)" -v max="$max" \
      -v srv=$((t1 - t0)) -v hz="$hz" -v wrkcpu="$(awk '{print $1 + $2}' "$tmp/wrk.time")" -v cores="$cores" \
      -v reqs="$(val requests)" \
      'BEGIN { cpu = (srv / hz + wrkcpu) * 1000 / reqs;
               printf "| %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f | %.3f | %.0f |\n",
                 list, l, z, n, rps, p50, p95, p99, avg / 1024, max / 1024, cpu, cores * 1000 / cpu }'
    [ "$(val errors)" = 0 ] && [ "$(val non2xx)" = 0 ] || echo "  ($layer z$z: errors $(val errors), non-2xx $(val non2xx))"
  done
done
done
echo
echo "Largest tiles: the 20 tiles holding the most parcels at each zoom (by the overview's counts)"
echo
echo "| zoom | parcels in the densest tile | land max kB | onemap max kB |"
echo "|---|---|---|---|"
for z in 10 11 12 13 14 15 16; do
  psql -Atq -F ' ' -c "SELECT cx >> (17 - $z), cy >> (17 - $z), sum(n) FROM tile_land_cells WHERE g = 17
    GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 20" "$url" >"$tmp/dense.txt"
  row="| $z | $(head -n 1 "$tmp/dense.txt" | cut -d' ' -f3) |"
  for layer in land onemap; do
    awk -v a="http://$addr" -v l="$layer" -v z="$z" '{ printf "url = \"%s/tiles/%s/%s/%s/%s.mvt\"\noutput = /dev/null\n", a, l, z, $1, $2 }' \
      "$tmp/dense.txt" >"$tmp/curl.cfg"
    max=$(curl -s -w '%{size_download}\n' -K "$tmp/curl.cfg" | sort -n | tail -n 1)
    row="$row $(awk -v m="$max" 'BEGIN { printf "%.1f", m / 1024 }') |"
  done
  echo "$row"
done
kill "$pid"
pid=""
echo
# Cached: the default cache, warmed by one pass, gzip accepted as browsers ask.
echo "Cached (default tile cache, warm, Accept-Encoding: gzip), area lists, wrk -t1 -c8 -d$duration:"
echo
echo "| layer | zoom | req/s | p50 ms | p95 ms | p99 ms | avg kB (gzip) |"
echo "|---|---|---|---|---|---|---|"
serve "$tmp/server.log"
for z in ${BENCH_CACHED_ZOOMS:-14 16}; do
  psql -Atq -v z="$z" -v list=area -f scripts/bench-tiles.sql "$url" | sed "s|^|/tiles/onemap/|; s|\$|.mvt|" >"$tmp/cached.txt"
  sed "s|^\(.*\)\$|url = \"http://$addr\1\"\noutput = /dev/null|" "$tmp/cached.txt" >"$tmp/curl.cfg"
  curl -s -H 'Accept-Encoding: gzip' -K "$tmp/curl.cfg"
  wrk -t1 -c8 -d"$duration" -H 'Accept-Encoding: gzip' -s scripts/bench-tiles.lua "http://$addr" -- "$tmp/cached.txt" |
    sed -n 's/^RESULT .* rps=\([^ ]*\) p50_ms=\([^ ]*\) p95_ms=\([^ ]*\) p99_ms=\([^ ]*\) .* avg_bytes=\([^ ]*\).*/\1 \2 \3 \4 \5/p' |
    awk -v z="$z" '{ printf "| onemap | %s | %s | %s | %s | %s | %.1f |\n", z, $1, $2, $3, $4, $5 / 1024 }'
done
kill "$pid"
pid=""
echo
scripts/bench-edits.sh "$url"
echo
echo "Go benchmark (tiles rendered in-process, 8 at a time, uncached):"
ONEMAP_BENCH_DATABASE_URL="$url" go test ./tiles -run '^$' -bench BenchmarkTiles -benchtime 2s | grep -E '^Benchmark|^ok'
echo
echo "Idle land in a zone of 50,000 parcels (aim ≤ 50 ms):"
go test ./internal/assets -run '^$' -bench BenchmarkInZone -benchtime 20x -count 3 | grep -E '^Benchmark|^ok'
echo
echo "Idle land in the benchmark city's fullest zone (how the query grows with the city):"
ONEMAP_BENCH_DATABASE_URL="$url" go test ./internal/assets -run '^$' -bench BenchmarkCityZone -benchtime 20x -count 3 | grep -E '^Benchmark|^ok'
