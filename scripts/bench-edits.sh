#!/usr/bin/env bash
# Edits on the benchmark city (make bench runs it after the tile rows; alone:
# scripts/bench-edits.sh DATABASE_URL). Starts a server with the tile cache on, then
#  1. edit → zoom 10: a parcel is taken off the map and put back (deleted_at set, then cleared),
#     EDIT_ROUNDS times; each time, how long from the commit until the cached zoom-10 tile holding
#     it answers with the change (its ETag changes; polled every 20 ms);
#  2. a steady stream of EDIT_RATE edits/s (default 10) from EDIT_CLIENTS clients (default 20) for
#     EDIT_SECONDS (default 30), pgbench, each edit one parcel's stage and mode, one in five also its
#     outline (moved a metre, and back): the database CPU this costs (every backend of the database
#     from /proc, as a share of one core) and the edits' latency; the edit → zoom-10 probe again
#     under the stream.
# The edits go straight to PostgreSQL: the overview patch, the notices and the tile drops are the
# triggers' work, the same as for edits through the API.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?usage: scripts/bench-edits.sh DATABASE_URL}
rounds=${EDIT_ROUNDS:-5}
rate=${EDIT_RATE:-10}
clients=${EDIT_CLIENTS:-20}
seconds=${EDIT_SECONDS:-30}
pgbench=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench | tail -n 1)
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

[ -x bin/onemap ] || go build -o bin/onemap ./cmd/onemap
[ "$(bin/onemap tiles -db "$url" status)" = current ] || bin/onemap tiles -db "$url" refresh
. scripts/bench-serve.sh
serve "$tmp/server.log"
# The server evaluates the ledger's warnings at start (half a minute on this city), holding back
# writes of assets meanwhile: edits are timed after it (or after a minute when it has nothing to do).
for _ in $(seq 1 120); do
  grep -q 'warnings evaluated' "$tmp/server.log" && break
  sleep 0.5
done

now_ms() { echo $(($(date +%s%N) / 1000000)); }
etag() { curl -s -o /dev/null -w '%header{etag}' "http://$addr$1"; }

# probe N: N edits of one parcel, each timed until the zoom-10 tile holding it shows it.
probe() {
  local id x y path before t0 t
  read -r id x y < <(psql -Atq -F ' ' -c "SELECT id,
      floor((ST_X(c) + 20037508.342789244) / (40075016.685578488 / 1024))::int,
      floor((20037508.342789244 - ST_Y(c)) / (40075016.685578488 / 1024))::int
    FROM (SELECT id, ST_Centroid(geom_3857) AS c FROM assets WHERE kind = 'land' AND deleted_at IS NULL
          ORDER BY id OFFSET 4321 LIMIT 1) p" "$url")
  path="/tiles/land/10/$x/$y.mvt"
  for i in $(seq 1 "$1"); do
    before=$(etag "$path")
    t0=$(now_ms)
    if [ $((i % 2)) = 1 ]; then
      psql -Atqc "UPDATE assets SET deleted_at = now() WHERE id = $id" "$url"
    else
      psql -Atqc "UPDATE assets SET deleted_at = NULL WHERE id = $id" "$url"
    fi
    while [ "$(etag "$path")" = "$before" ]; do
      [ $(($(now_ms) - t0)) -gt 60000 ] && { echo "timeout"; break; }
      sleep 0.02
    done
    t=$(($(now_ms) - t0))
    echo "$t"
  done
  [ $(($1 % 2)) = 0 ] || psql -Atqc "UPDATE assets SET deleted_at = NULL WHERE id = $id" "$url"
}

parcels=$(psql -Atqc "SELECT count(*) FROM assets WHERE kind = 'land' AND deleted_at IS NULL" "$url")
echo "Edits on $parcels land parcels (server http://$addr, tile cache on)"
echo
echo "edit → zoom-10 tile, idle, ms: $(probe "$rounds" | tr '\n' ' ')"

read -r lo hi < <(psql -Atq -F ' ' -c "SELECT min(id), max(id) FROM assets WHERE kind = 'land' AND deleted_at IS NULL" "$url")
cat >"$tmp/edit.sql" <<EOF
\set id random($lo, $hi)
\set shape random(1, 5)
UPDATE assets SET stage = (ARRAY['idle', 'planned', 'in_progress', 'done'])[1 + floor(random() * 4)::int],
    mode = (ARRAY['use', 'sell', 'lease', 'finance', 'undecided'])[1 + floor(random() * 5)::int]
WHERE id = :id AND kind = 'land';
\if :shape = 1
UPDATE assets SET geom = ST_Translate(geom, 0.00001 * (1 - 2 * (:id % 2)), 0) WHERE id = :id AND kind = 'land';
\endif
EOF
. scripts/bench-lib.sh # backends, ticks
"$pgbench" -n -c "$clients" -j 2 -R "$rate" -T "$seconds" -f "$tmp/edit.sql" "$url" >"$tmp/pgbench.out" 2>&1 &
stream=$!
sleep 3
pids=$(backends "$url")
t0=$(ticks $pids)
w0=$(now_ms)
sleep $((seconds / 2 - 3))
under=$(probe 2 | tr '\n' ' ')
t1=$(ticks $pids)
w1=$(now_ms)
wait "$stream"
hz=$(getconf CLK_TCK)
echo "edit → zoom-10 tile, under the stream, ms: $under"
echo
awk -v t="$((t1 - t0))" -v hz="$hz" -v ms="$((w1 - w0))" -v rate="$rate" -v c="$clients" \
  'BEGIN { printf "database CPU under %s edits/s from %s clients: %.1f%% of one core (%.1f ms CPU an edit)\n",
             rate, c, 100 * t / hz / (ms / 1000), 1000 * t / hz / (ms / 1000) / rate }'
grep -E 'number of transactions actually processed|latency average|latency stddev|tps = ' "$tmp/pgbench.out" | sed 's/^/  pgbench: /'
# grep -c prints 0 and fails when none matched: the usual answer here, not an error.
{ grep -c 'overview refreshed' "$tmp/server.log" || true; } | sed 's/^/  full overview rebuilds during the run: /'
