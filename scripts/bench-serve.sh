# Sourced by the bench scripts: serve LOG [FLAGS...] starts bin/onemap serve on the database $url
# at a free local port, logging to LOG, and sets pid and addr once it listens.
serve() {
  local log=$1
  shift
  bin/onemap serve -db "$url" -listen 127.0.0.1:0 -log-format text "$@" 2>"$log" &
  pid=$!
  addr=""
  for _ in $(seq 1 100); do
    addr=$(sed -n 's/.*msg=serving addr=\([^ ]*\).*/\1/p' "$log")
    [ -n "$addr" ] && return 0
    sleep 0.1
  done
  cat "$log" >&2
  return 1
}
