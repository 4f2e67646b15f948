#!/usr/bin/env bash
# OneMap against pg_tileserv on the same table and the same properties, uncached, land parcels at
# zooms 14 and 16 (BENCH_ZOOMS), over bench.sh's tile lists (BENCH_LISTS, default parcels): wrk
# -t1 -c8 rounds interleaved peer, OneMap, peer, OneMap ... (BENCH_ROUNDS, default 3, of
# BENCH_DURATION, default 10s), so that other work on a shared machine weighs on both alike; it
# prints every round and the ratio of the medians, of req/s and of the CPU a request costs (the
# server and the database's backends, from /proc; wrk left out), which other work blurs less.
#
# The peer is the pg_tileserv binary named by PG_TILESERV (it is not packaged; build it with
#   git clone https://github.com/CrunchyData/pg_tileserv && cd pg_tileserv && go build).
# It serves the view peer.land (made here: OneMap's live land parcels, the same columns and the
# same rounded area_mu as OneMap's tiles, on the same GiST index) with the properties OneMap's
# tile carries at that zoom, the same 64-unit buffer and as many connections as wrk (8).
# The database is bench.sh's (ONEMAP_BENCH_DATABASE_URL); BENCH_BIN measures another OneMap build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh # bench_setup (PATH, deps, url), backends, ticks (CPU of a server and its backends), settle
bench_setup
peer=${PG_TILESERV:-}
[ -x "$peer" ] || { echo "bench-peer.sh: set PG_TILESERV to a pg_tileserv binary (see the comment at the top)" >&2; exit 1; }
duration=${BENCH_DURATION:-10s}
rounds=${BENCH_ROUNDS:-3}
zooms=${BENCH_ZOOMS:-14 16}
lists=${BENCH_LISTS:-parcels}
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT

bin=${BENCH_BIN:-}
if [ -z "$bin" ]; then
  go build -o bin/onemap ./cmd/onemap
  bin=bin/onemap
fi
psql -q -v ON_ERROR_STOP=1 "$url" <<'SQL'
CREATE SCHEMA IF NOT EXISTS peer;
CREATE OR REPLACE VIEW peer.land AS
    SELECT id, kind, stage, mode, land_status, code, name, round(area_mu * 100) / 100 AS area_mu,
        land_class_code, region_code, zone_code, holder, geom_3857 AS geom
    FROM public.assets WHERE kind = 'land' AND deleted_at IS NULL;
SQL

# wait_addr FILE PATTERN: the address a server logged, once it has.
wait_addr() {
  local a=""
  for _ in $(seq 1 200); do
    a=$(sed -n "$2" "$1" 2>/dev/null | head -n 1) # the server may not have opened its log yet
    [ -n "$a" ] && { echo "$a"; return; }
    sleep 0.1
  done
  cat "$1" >&2
  return 1
}
"$bin" serve -db "$(with_app "$url" onemap-bench-peer)" -listen 127.0.0.1:0 -tile-cache-mb 0 -log-format text 2>"$tmp/onemap.log" &
pids+=($!)
onemap_pid=$!
onemap=$(wait_addr "$tmp/onemap.log" 's/.*msg=serving addr=\([^ ]*\).*/\1/p')
port=$((20000 + RANDOM % 20000))
cat >"$tmp/peer.toml" <<EOF
DbConnection = "$(with_app "$url" pg_tileserv-bench-peer)"
HttpHost = "127.0.0.1"
HttpPort = $port
DbPoolMaxConns = 8
DefaultBuffer = 64
EOF
"$peer" --config "$tmp/peer.toml" >"$tmp/peer.log" 2>&1 &
pids+=($!)
peer_pid=$!
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/index.json" >/dev/null && break; sleep 0.1; done
settle "$url"

lean="id,kind,stage,mode,land_status,area_mu"
full="$lean,code,name,land_class_code,region_code,zone_code,holder"
echo "OneMap http://$onemap (tile cache off), pg_tileserv http://127.0.0.1:$port (8 connections, buffer 64)"
echo "wrk -t1 -c8 -d$duration, $rounds interleaved rounds; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
# run URL PATHS PID APP: one wrk round: req/s, p95 ms, non-2xx answers and CPU ms a request (of
# the server PID and its backends, those of application_name APP).
run() {
  local before t0 t1
  before=$(backends "$url" "$4")
  t0=$(ticks "$3" $before)
  nice wrk -t1 -c8 -d"$duration" -s scripts/bench-tiles.lua "$1" -- "$2" >"$tmp/wrk.out"
  t1=$(ticks "$3" $(printf '%s\n' $before $(backends "$url" "$4") | sort -u))
  sed -n 's/^RESULT requests=\([^ ]*\) rps=\([^ ]*\) .*p95_ms=\([^ ]*\) .*non2xx=\([^ ]*\).*/\1 \2 \3 \4/p' "$tmp/wrk.out" |
    awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" '{ printf "%s %s %s %.3f\n", $2, $3, $4, t * 1000 / hz / $1 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "| tiles | zoom | round | pg_tileserv req/s (p95 ms) | OneMap req/s (p95 ms) | ratio | pg_tileserv CPU ms/req | OneMap CPU ms/req | ratio |"
echo "|---|---|---|---|---|---|---|---|---|"
for list in $lists; do
  for z in $zooms; do
    props=$lean
    [ "$z" -ge 15 ] && props=$full
    psql -Atq -v z="$z" -v list="$list" -f scripts/bench-tiles.sql "$url" >"$tmp/tiles.txt"
    sed "s|^|/peer.land/|; s|\$|.pbf?properties=$props|" "$tmp/tiles.txt" >"$tmp/peer.txt"
    sed "s|^|/tiles/land/|; s|\$|.mvt|" "$tmp/tiles.txt" >"$tmp/onemap.txt"
    : >"$tmp/p"; : >"$tmp/o"; : >"$tmp/pc"; : >"$tmp/oc"
    for r in $(seq 1 "$rounds"); do
      read -r prps pp95 pbad pcpu < <(run "http://127.0.0.1:$port" "$tmp/peer.txt" "$peer_pid" pg_tileserv-bench-peer)
      read -r orps op95 obad ocpu < <(run "http://$onemap" "$tmp/onemap.txt" "$onemap_pid" onemap-bench-peer)
      echo "$prps" >>"$tmp/p"; echo "$orps" >>"$tmp/o"; echo "$pcpu" >>"$tmp/pc"; echo "$ocpu" >>"$tmp/oc"
      echo "| $list | $z | $r | $prps ($pp95) | $orps ($op95) | $(ratio "$orps" "$prps") | $pcpu | $ocpu | $(ratio "$pcpu" "$ocpu") |"
      [ "$pbad" = 0 ] && [ "$obad" = 0 ] || echo "  (non-2xx: pg_tileserv $pbad, OneMap $obad)"
    done
    pm=$(median <"$tmp/p"); om=$(median <"$tmp/o"); pc=$(median <"$tmp/pc"); oc=$(median <"$tmp/oc")
    echo "| $list | $z | median | $pm | $om | **$(ratio "$om" "$pm")** | $pc | $oc | **$(ratio "$pc" "$oc")** |"
  done
done
