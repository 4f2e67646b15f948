#!/usr/bin/env bash
# make bench (and make bench-memory): the server's peak memory under oversize request bodies.
# Starts `onemap serve` on a demo city (database onemap_memory on the local cluster, or
# ONEMAP_BENCH_MEMORY_DATABASE_URL), then, each phase in parallel, POSTs
#   3 × 400 MB to /api/v1/login (Content-Length, then chunked),
#   3 × 400 MB multipart to /api/v1/imports without a token, and with the analyst's,
#   1 × 600 MB multipart upload over ONEMAP_MAX_UPLOAD_MB (512) with a token,
# and a dry-run import of a 20 MB XLSX ledger (scripts/genledger), and reports the server's peak
# RSS (VmHWM from /proc, a fresh server for each phase) and the dead tuples the dry
# run left in assets. The aim is a peak under 256 MB. BENCH_BODY_MB (400) and BENCH_XLSX_ROWS
# (290000: about 20 MB) change the sizes;
# BENCH_SKIP_BODIES=1 runs only the import; BENCH_BIN names another build to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
url=${ONEMAP_BENCH_MEMORY_DATABASE_URL:-}
if [ -z "$url" ]; then
  base=$(scripts/pg.sh | tail -n 1)
  url=${base/\/onemap\?//onemap_memory?}
  admin=${base/\/onemap\?//postgres?}
  psql -Atqc "SELECT 1 FROM pg_database WHERE datname = 'onemap_memory'" "$admin" | grep -q 1 ||
    psql -qc "CREATE DATABASE onemap_memory" "$admin"
fi
body_mb=${BENCH_BODY_MB:-400}
rows=${BENCH_XLSX_ROWS:-290000}
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

bin=${BENCH_BIN:-bin/onemap} # another build, e.g. an older one to compare with
[ -n "${BENCH_BIN:-}" ] || go build -o bin/onemap ./cmd/onemap
bin/onemap migrate -db "$url" >/dev/null
bin/onemap demo -db "$url" --if-empty >/dev/null
bin/onemap user -db "$url" demo >/dev/null
xlsx=bin/bench-ledger-$rows.xlsx
[ -f "$xlsx" ] || go run ./scripts/genledger -rows "$rows" -o "$xlsx"
truncate -s "${body_mb}M" "$tmp/body.bin"
truncate -s 600M "$tmp/over.bin"

# start: a fresh server for each phase, so that each peak starts from an idle process.
start() {
  [ -z "$pid" ] || { kill "$pid"; wait "$pid" 2>/dev/null || true; }
  "$bin" serve -db "$url" -listen 127.0.0.1:0 -log-format text 2>"$tmp/server.log" &
  pid=$!
  addr=""
  for _ in $(seq 1 100); do
    addr=$(sed -n 's/.*msg=serving addr=\([^ ]*\).*/\1/p' "$tmp/server.log")
    [ -n "$addr" ] && break
    sleep 0.1
  done
  [ -n "$addr" ] || { cat "$tmp/server.log" >&2; exit 1; }
  B=http://$addr
}
start

kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$pid/status"; }
mb() { echo $(( ($1 + 512) / 1024 )); }
overall=0
# phase NAME PATH CURL-ARGS...: a fresh server, then three such requests in parallel; prints
# their statuses and the server's peak.
phase() {
  local name=$1 path=$2
  shift 2
  start
  local idle codes
  idle=$(kb VmRSS)
  codes=$( (for _ in 1 2 3; do status "$@" "$B$path" & done; wait) | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
  local peak
  peak=$(kb VmHWM)
  [ "$peak" -gt "$overall" ] && overall=$peak
  printf '%-44s %-16s idle %4d MB, peak %4d MB\n' "$name" "$codes" "$(mb "$idle")" "$(mb "$peak")"
}
status() { curl -s -o /dev/null -w '%{http_code}\n' --max-time 120 "$@" || true; }
login() { curl -s -XPOST "$B/api/v1/login" -H 'Content-Type: application/json' -d '{"username":"analyst","password":"onemap-demo"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
T=$(login)
[ -n "$T" ] || { echo "bench-memory.sh: cannot sign in as analyst" >&2; exit 1; }

echo "server $B, pid $pid; idle RSS $(mb "$(kb VmRSS)") MB; bodies of $body_mb MB"
if [ -z "${BENCH_SKIP_BODIES:-}" ]; then
json=(-XPOST -H 'Content-Type: application/json' -T "$tmp/body.bin")
phase "POST /api/v1/login, Content-Length" /api/v1/login "${json[@]}"
phase "POST /api/v1/login, chunked" /api/v1/login "${json[@]}" -H 'Transfer-Encoding: chunked'
phase "POST /api/v1/imports, no token" /api/v1/imports -F "file=@$tmp/body.bin" -F kind=land
phase "POST /api/v1/imports, analyst" /api/v1/imports -H "Authorization: Bearer $T" -F "file=@$tmp/body.bin" -F kind=land -F dry_run=true
phase "POST /api/v1/imports, analyst, 600 MB" /api/v1/imports -H "Authorization: Bearer $T" -F "file=@$tmp/over.bin" -F kind=land
fi

dead() { psql -Atqc "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'assets'" "$url"; }
live() { psql -Atqc "SELECT count(*) FROM assets" "$url"; }
sleep 1
dead0=$(dead)
live0=$(live)
start
idle=$(kb VmRSS)
t0=$(date +%s.%N)
resp=$(curl -s -H "Authorization: Bearer $T" -F "file=@$xlsx" -F kind=land -F srs=EPSG:4490 -F dry_run=true "$B/api/v1/imports")
id=$(echo "$resp" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
while echo "$resp" | grep -q '"status":"running"'; do
  sleep 1
  resp=$(curl -s -H "Authorization: Bearer $T" "$B/api/v1/imports/$id")
done
t1=$(date +%s.%N)
peak=$(kb VmHWM)
[ "$peak" -gt "$overall" ] && overall=$peak
[ -n "${BENCH_VERBOSE:-}" ] && echo "$resp" | cut -c1-600
summary=$(echo "$resp" | sed -n 's/.*"status":"\([a-z]*\)".*"rows_read":\([0-9]*\),"rows_written":\([0-9]*\).*/\1, read \2, would write \3/p')
printf '%-44s %-16s idle %4d MB, peak %4d MB (%.1f s)\n' "XLSX dry run, $(du -m "$xlsx" | cut -f1) MB, $rows rows" "$summary" \
  "$(mb "$idle")" "$(mb "$peak")" "$(echo "$t1 - $t0" | bc)"
sleep 2
echo "assets: rows $live0 → $(live), dead tuples $dead0 → $(dead) across the dry run"
echo "peak RSS over all phases: $(mb "$overall") MB (aim: under 256 MB)"
