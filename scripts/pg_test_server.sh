#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS server on loopback, for the store tests.
#
#   scripts/pg_test_server.sh install        install the Debian packages if missing (root)
#   scripts/pg_test_server.sh start          start a server; print shell lines to eval:
#                                            SITMAP_TEST_PG_URL=... SITMAP_TEST_PG_DIR=...
#   scripts/pg_test_server.sh stop DIR       stop the server started in DIR and delete DIR
#   scripts/pg_test_server.sh run -- CMD...  start, run CMD with SITMAP_TEST_PG_URL set, stop;
#                                            exits with CMD's status
#
# The cluster lives in a fresh temporary folder, listens on 127.0.0.1 only, on
# a free port, and trusts local connections: it holds test data and nothing else.
# initdb refuses to run as root, so under root the server runs as "postgres".
set -euo pipefail

PG_VERSION="${SITMAP_PG_VERSION:-15}"
DB_NAME="sitmap_test"

pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/"$PG_VERSION"/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    done
    return 1
}

have_postgis() {
    ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1
}

install_packages() {
    if pg_bin >/dev/null && have_postgis; then return 0; fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "pg_test_server: PostgreSQL $PG_VERSION with PostGIS is missing; as root run:" >&2
        echo "  apt-get install postgresql postgresql-$PG_VERSION-postgis-3" >&2
        return 1
    fi
    # progress to stderr: stdout of "start" is eval'd by the caller
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql "postgresql-$PG_VERSION-postgis-3" >&2
}

# run a command as the cluster's owner: postgres when we are root, else ourselves
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_server() {
    install_packages
    local bin dir port
    bin="$(pg_bin)"
    dir="$(mktemp -d "${TMPDIR:-/tmp}/sitmap-pg.XXXXXX")"
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    port="$(free_port)"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    # fsync off: a test cluster is thrown away, durability buys nothing here
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >&2 || { cat "$dir/server.log" >&2; return 1; }
    as_owner "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE $DB_NAME" >&2
    as_owner "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d "$DB_NAME" -v ON_ERROR_STOP=1 \
        -c "CREATE EXTENSION postgis" -c "CREATE EXTENSION pg_trgm" >&2
    echo "export SITMAP_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/$DB_NAME"
    echo "export SITMAP_TEST_PG_DIR=$dir"
}

stop_server() {
    local dir="${1:?stop needs the folder printed by start}"
    [ -d "$dir/data" ] || return 0
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    rm -rf "$dir"
}

run_with_server() {
    if [ "${1:-}" = "--" ]; then shift; fi
    if [ -n "${SITMAP_TEST_PG_URL:-}" ]; then  # a server was given: use it as it is
        "$@"
        return
    fi
    eval "$(start_server)"
    echo "pg_test_server: PostgreSQL with PostGIS at $SITMAP_TEST_PG_URL" >&2
    trap 'stop_server "$SITMAP_TEST_PG_DIR"' EXIT
    local rc=0
    "$@" || rc=$?
    return "$rc"
}

case "${1:-}" in
    install) install_packages ;;
    start) start_server ;;
    stop) stop_server "${2:-}" ;;
    run) shift; run_with_server "$@" ;;
    *) echo "usage: $0 install | start | stop DIR | run -- CMD..." >&2; exit 64 ;;
esac
