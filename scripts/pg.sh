#!/usr/bin/env bash
# Ensures a PostGIS database is reachable and prints its URL on stdout (last line).
# With ONEMAP_DATABASE_URL set it only checks that URL. Otherwise it installs PostGIS when
# missing (Debian postgresql-15-postgis-3), starts a private cluster on port ${ONEMAP_PG_PORT:-55432}
# under ./.data/ (or $ONEMAP_PG_DIR) and creates database "onemap". As root, the cluster runs as
# user postgres, so its directory must be reachable for that user: when ./.data/ is not, the
# cluster lives under /var/tmp/onemap-pg-<hash of this checkout> and ./.data/pg links to it.
set -euo pipefail
log() { echo "pg.sh: $*" >&2; }

if [ -n "${ONEMAP_DATABASE_URL:-}" ]; then
  echo "$ONEMAP_DATABASE_URL"
  exit 0
fi

top=$(cd "$(dirname "$0")/.." && pwd)
port=${ONEMAP_PG_PORT:-55432}
bin=/usr/lib/postgresql/15/bin
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if [ ! -x "$bin/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  log "installing PostgreSQL 15 + PostGIS 3 (apt-get)"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 postgresql-15-postgis-3 >&2
fi

url="postgres://postgres@127.0.0.1:$port/onemap?sslmode=disable"
if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  psql -q "postgres://postgres@127.0.0.1:$port/postgres" -tc \
    "SELECT 1 FROM pg_database WHERE datname='onemap'" | grep -q 1 ||
    psql -q "postgres://postgres@127.0.0.1:$port/postgres" -c "CREATE DATABASE onemap" >&2
  echo "$url"
  exit 0
fi

dir=${ONEMAP_PG_DIR:-$top/.data/pg}
runas=()
if [ "$(id -u)" -eq 0 ]; then
  runas=(runuser -u postgres --)
  if [ -z "${ONEMAP_PG_DIR:-}" ] && ! runuser -u postgres -- test -x "$top/.data" 2>/dev/null; then
    # A checkout under /root is not reachable for postgres: keep the cluster outside it.
    hash=$(echo -n "$top" | md5sum | cut -c1-8)
    real=/var/tmp/onemap-pg-$hash
    mkdir -p "$top/.data" "$real"
    chown postgres:postgres "$real"
    [ -e "$top/.data/pg" ] || ln -s "$real" "$top/.data/pg"
    dir=$real
  fi
fi
mkdir -p "$(dirname "$dir")"
if [ ! -f "$dir/PG_VERSION" ]; then
  log "initdb $dir"
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir"
  "${runas[@]}" "$bin/initdb" -D "$dir" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >&2
  cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 1GB
work_mem = 32MB
maintenance_work_mem = 512MB
max_wal_size = 4GB
jit = off
CONF
fi
log "starting cluster on port $port"
"${runas[@]}" "$bin/pg_ctl" -D "$dir" -o "-p $port" -l "$dir/server.log" -w start >&2
for _ in $(seq 1 30); do
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
psql -q "postgres://postgres@127.0.0.1:$port/postgres" -tc "SELECT 1 FROM pg_database WHERE datname='onemap'" | grep -q 1 ||
  psql -q "postgres://postgres@127.0.0.1:$port/postgres" -c "CREATE DATABASE onemap" >&2
echo "$url"
