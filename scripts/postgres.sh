#!/usr/bin/env bash
# scripts/postgres.sh -- a private PostgreSQL (Debian's `postgresql`) for the demo and the
# tests' scale-out check: its own data directory ($MAILSTACK_DIR/postgres), initdb'd and run
# by pg_ctl as the unprivileged `postgres` user (initdb refuses root), on 127.0.0.1 only.
# The system's own cluster is never touched.
#
# Usage: scripts/postgres.sh start | stop | status | env | url [DBNAME]
#   env   `export WEBMAIL_POSTGRES_URL=postgres://webmail:...@127.0.0.1:PORT/webmail`
#   url   that URL for another database name (create it with `createdb`, see below)
#   createdb NAME | dropdb NAME
# Environment (defaults): MAILSTACK_DIR=<repo>/var/mailstack, MAILSTACK_POSTGRES_PORT=21432
# (scripts/test.sh: 31432). The role `webmail` (password in $MAILSTACK_DIR/postgres.secret)
# owns the database `webmail`.
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/stackdir.sh
source "$SCRIPT_DIR/stackdir.sh"
PGDATA="$S/postgres"
PGUSER_OS=postgres
# The server runs as `postgres`, which must reach its data directory: a checkout under a
# directory closed to other users (/root/...) gets one under /var/tmp instead, named after
# the state directory so start, status and stop agree.
reach="$S"; while [[ ! -e "$reach" && "$reach" != / ]]; do reach="$(dirname "$reach")"; done
if [[ $EUID -eq 0 ]] && id "$PGUSER_OS" >/dev/null 2>&1 && ! runuser -u "$PGUSER_OS" -- test -x "$reach" 2>/dev/null; then
    PGDATA="/var/tmp/webmail-postgres-$(printf '%s' "$(readlink -m "$S")" | md5sum | cut -c1-12)"
fi
SECRET="$S/postgres.secret"
SAVED_ENV="$S/postgres.env"

log() { printf 'postgres: %s\n' "$*" >&2; }
die() { printf 'postgres: error: %s\n' "$*" >&2; exit 1; }

# The port a running instance was started with wins over the environment's default.
if [[ -z "${MAILSTACK_POSTGRES_PORT:-}" && -f "$SAVED_ENV" ]]; then
    MAILSTACK_POSTGRES_PORT="$(sed -n 's/^MAILSTACK_POSTGRES_PORT=//p' "$SAVED_ENV")"
fi
: "${MAILSTACK_POSTGRES_PORT:=21432}"
[[ "$MAILSTACK_POSTGRES_PORT" =~ ^[0-9]+$ ]] || die "MAILSTACK_POSTGRES_PORT must be a number"

bindir() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
    [[ -n "$d" && -x "$d/pg_ctl" ]] || return 1
    echo "$d"
}

as_pg() {
    if [[ $EUID -eq 0 ]]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}

cmd_install() {
    bindir >/dev/null && return 0
    [[ $EUID -eq 0 ]] || die "PostgreSQL is not installed; run as root to install it (apt-get install postgresql)"
    log "installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    local made_policy=0
    # The package must not start (or keep) a system cluster of its own.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1; fi
    apt-get install -y -q --no-install-recommends postgresql >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends postgresql >/dev/null; }
    ((made_policy)) && rm -f /usr/sbin/policy-rc.d
    bindir >/dev/null || die "postgresql installed but no pg_ctl found"
}

password() {
    [[ -s "$SECRET" ]] || { head -c 18 /dev/urandom | base64 | tr -d '/+=\n' > "$SECRET"; chmod 600 "$SECRET"; }
    cat "$SECRET"
}

running() { [[ -f "$PGDATA/postmaster.pid" ]] && as_pg "$(bindir)/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

psql_admin() {  # SQL...
    as_pg "$(bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGDATA" -p "$MAILSTACK_POSTGRES_PORT" -d postgres "$@"
}

cmd_start() {
    cmd_install
    local bin; bin="$(bindir)"
    if running; then log "already running on $MAILSTACK_POSTGRES_PORT"; return 0; fi
    install -d -m 0755 "$S"
    if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
        install -d -m 0700 "$PGDATA"
        [[ $EUID -ne 0 ]] || chown "$PGUSER_OS": "$PGDATA"
        as_pg "$bin/initdb" -D "$PGDATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null \
            || die "initdb failed"
    fi
    # The postgres user must reach the data directory through the worktree's directories.
    as_pg test -w "$PGDATA" || die "$PGDATA is not writable by $PGUSER_OS (is a parent directory closed to it?)"
    as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t "$DEADLINE_SECS" \
        -o "-c listen_addresses=127.0.0.1 -p $MAILSTACK_POSTGRES_PORT -c unix_socket_directories=$PGDATA -c max_connections=200 -c fsync=off -c synchronous_commit=off" \
        start >/dev/null || die "pg_ctl start failed; see $PGDATA/server.log"
    printf 'MAILSTACK_POSTGRES_PORT=%s\n' "$MAILSTACK_POSTGRES_PORT" > "$SAVED_ENV"
    local pw; pw="$(password)"
    psql_admin <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'webmail') THEN CREATE ROLE webmail LOGIN CREATEDB; END IF;
END \$\$;
ALTER ROLE webmail PASSWORD '$pw';
SQL
    psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'webmail'" | grep -q 1 || psql_admin -c "CREATE DATABASE webmail OWNER webmail" >/dev/null
    log "listening on 127.0.0.1:$MAILSTACK_POSTGRES_PORT ($PGDATA)"
}

cmd_stop() {
    running || { log "not running"; return 0; }
    as_pg "$(bindir)/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
    log "stopped"
}

url() { printf 'postgres://webmail:%s@127.0.0.1:%s/%s' "$(password)" "$MAILSTACK_POSTGRES_PORT" "${1:-webmail}"; }

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) if running; then echo "postgres: running (port $MAILSTACK_POSTGRES_PORT, $PGDATA)"; else echo "postgres: stopped"; exit 1; fi ;;
    env) printf 'export MAILSTACK_POSTGRES_PORT=%q\nexport WEBMAIL_POSTGRES_URL=%q\n' "$MAILSTACK_POSTGRES_PORT" "$(url)" ;;
    url) url "${2:-webmail}"; echo ;;
    createdb) [[ "${2:-}" =~ ^[a-z0-9_]+$ ]] || die "usage: $0 createdb NAME"; psql_admin -c "CREATE DATABASE $2 OWNER webmail" >/dev/null ;;
    dropdb) [[ "${2:-}" =~ ^[a-z0-9_]+$ ]] || die "usage: $0 dropdb NAME"; psql_admin -c "DROP DATABASE IF EXISTS $2 WITH (FORCE)" >/dev/null ;;
    *) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
