# Shared by scripts/bench.sh and scripts/bench-peer.sh (sourced): their common start, and the
# CPU a load costs, read from /proc, so that a shared machine's other work does not blur the figures.

# bench_setup: what a benchmark does first, from the checkout's root: Go on the PATH, the
# packages benchmarks need (scripts/deps.sh bench) and url, the benchmark city's database.
bench_setup() {
  export PATH="$PATH:/usr/local/go/bin"
  scripts/deps.sh bench
  url=$(bench_url)
}

# bench_url: the benchmark city's database: ONEMAP_BENCH_DATABASE_URL, else database
# onemap_bench on the local cluster (scripts/pg.sh).
bench_url() {
  if [ -n "${ONEMAP_BENCH_DATABASE_URL:-}" ]; then
    echo "$ONEMAP_BENCH_DATABASE_URL"
    return
  fi
  local base
  base=$(scripts/pg.sh | tail -n 1)
  echo "${base/\/onemap\?//onemap_bench?}"
}

# backends URL [APP]: the pids of the client backends connected to URL's database (but this
# psql's); with APP, only those whose application_name is APP (one server's, when other sessions
# use the same database).
backends() {
  psql -Atq -v app="${2:-}" "$1" <<'SQL'
SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'
    AND pid <> pg_backend_pid() AND (:'app' = '' OR application_name = :'app');
SQL
}

# with_app URL NAME: URL with application_name=NAME added, so that backends can tell its sessions.
with_app() {
  case "$1" in
    *\?*) echo "$1&application_name=$2" ;;
    *) echo "$1?application_name=$2" ;;
  esac
}

# ticks PID...: the CPU ticks (user + system) the processes have used so far.
ticks() {
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$t"
}

# settle URL: waits (up to 5 min) until no query has run on URL's database for 3 s in a row:
# a server just started evaluates warnings and checks the overview, which must not weigh on the
# first measurements.
settle() {
  local quiet=0
  for _ in $(seq 1 300); do
    if [ "$(psql -Atqc "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()" "$1")" = 0 ]; then
      quiet=$((quiet + 1))
      [ "$quiet" -ge 3 ] && return 0
    else
      quiet=0
    fi
    sleep 1
  done
  echo "settle: the database stayed busy" >&2
}
