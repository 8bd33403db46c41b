# Sourced: pg_throwaway_start starts a private PostgreSQL cluster on loopback (sets PG_URL),
# pg_throwaway_stop stops it and removes its files. On failure PG_REASON says why.
PG_URL="" PG_REASON="" PG_DIR=""

_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }; done
  return 1
}

pg_throwaway_start() {
  local bin port run
  if ! bin=$(_pg_bin); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "PostgreSQL server binaries missing: installing with apt-get"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
        || { PG_REASON="apt-get install postgresql failed"; return 1; }
      bin=$(_pg_bin) || { PG_REASON="no initdb after installing postgresql"; return 1; }
    else
      PG_REASON="no PostgreSQL server binaries and no root to install them"; return 1
    fi
  fi
  PG_DIR=$(mktemp -d /tmp/kyoten-pg.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  run=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null \
    || { PG_REASON="initdb failed"; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { PG_REASON="pg_ctl start failed (see $PG_DIR/log)"; return 1; }
  "${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres kyoten \
    || { PG_REASON="createdb failed"; return 1; }
  PG_BIN="$bin"
  PG_RUN=("${run[@]}")
  PG_URL="postgres://postgres@127.0.0.1:$port/kyoten"
  echo "PostgreSQL: throwaway cluster at 127.0.0.1:$port"
}

pg_throwaway_stop() {
  [ -n "$PG_DIR" ] || return 0
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
