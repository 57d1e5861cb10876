#!/usr/bin/env bash
# The whole test suite: installs what is missing, starts the tests' own mail stack
# (Dovecot, Postfix, Redis; var/test-mailstack, ports 31xxx; Cyrus, Courier, PostgreSQL and a second
# Dovecot with full-text search beside it) on loopback if it is not
# running, runs pytest, and stops the stack again if it started it (KEEP_MAILSTACK=1
# keeps it; stop it with `MAILSTACK_DIR=var/test-mailstack bash scripts/mailstack.sh stop`).
# Extra arguments go to pytest. The processes that need the tests' database (a Celery worker,
# the watcher `manage.py watch_mailboxes`) are started and stopped by the tests' fixtures
# (tests/conftest.py `celery_worker`, `watcher_process`; tests/support.py WatcherProcess).
set -euo pipefail
cd "$(dirname "$0")/.."

# A shard (scripts/test_shards.py) runs after its parent did the set-up.
[[ -n "${WEBMAIL_TEST_SHARD:-}" ]] || bash scripts/bootstrap.sh --test

# The whole suite (no arguments) runs as parallel shards, each on a mail stack of its own
# (WEBMAIL_TEST_SHARDS, default 2; 1 = one process). Arguments run just those tests, here.
if [[ -z "${WEBMAIL_TEST_SHARD:-}" && $# -eq 0 && "${WEBMAIL_TEST_SHARDS:-2}" != 1 ]]; then
  exec .venv/bin/python scripts/test_shards.py
fi

# The tests get a mail stack of their own, never the demo's (they restart Dovecot, and add
# and remove users): its own state directory (MAILSTACK_TEST_DIR, default var/test-mailstack;
# MAILSTACK_DIR is the demo's) and its own ports, 31xxx unless MAILSTACK_*_PORT are set.
demo_dir=$(realpath -m "${MAILSTACK_DIR:-$PWD/var/mailstack}")
export MAILSTACK_DIR=${MAILSTACK_TEST_DIR:-$PWD/var/test-mailstack}
if [[ $(realpath -m "$MAILSTACK_DIR") == "$demo_dir" ]]; then
  echo "test.sh: the tests need a mail stack of their own, not $demo_dir; set MAILSTACK_TEST_DIR elsewhere" >&2
  exit 2
fi
export MAILSTACK_IMAP_PORT=${MAILSTACK_IMAP_PORT:-31143} MAILSTACK_IMAPS_PORT=${MAILSTACK_IMAPS_PORT:-31993}
export MAILSTACK_LMTP_PORT=${MAILSTACK_LMTP_PORT:-31024} MAILSTACK_SMTP_PORT=${MAILSTACK_SMTP_PORT:-31025}
export MAILSTACK_SUBMISSION_PORT=${MAILSTACK_SUBMISSION_PORT:-31587} MAILSTACK_SUBMISSIONS_PORT=${MAILSTACK_SUBMISSIONS_PORT:-31465}
export MAILSTACK_DOVECOT_AUTH_PORT=${MAILSTACK_DOVECOT_AUTH_PORT:-31012} MAILSTACK_REDIS_PORT=${MAILSTACK_REDIS_PORT:-31379}
export MAILSTACK_MANAGESIEVE_PORT=${MAILSTACK_MANAGESIEVE_PORT:-31190}
export MAILSTACK_CYRUS_PORT=${MAILSTACK_CYRUS_PORT:-31243} MAILSTACK_COURIER_PORT=${MAILSTACK_COURIER_PORT:-31343}
export MAILSTACK_RADICALE_PORT=${MAILSTACK_RADICALE_PORT:-31232}
export MAILSTACK_FTS_IMAP_PORT=${MAILSTACK_FTS_IMAP_PORT:-31144}
export MAILSTACK_POSTGRES_PORT=${MAILSTACK_POSTGRES_PORT:-31432}

# Whatever this run starts is stopped again when it ends, also when a later start fails.
started_stack=0 started_imapservers=0 started_radicale=0 started_postgres=0 started_ftsdovecot=0
cleanup() {
  if [[ $started_ftsdovecot == 1 && -z "${KEEP_MAILSTACK:-}" ]]; then
    bash scripts/ftsdovecot.sh stop >/dev/null 2>&1 || true
  fi
  if [[ $started_radicale == 1 && -z "${KEEP_MAILSTACK:-}" ]]; then
    bash scripts/radicale.sh stop >/dev/null 2>&1 || true
  fi
  if [[ $started_postgres == 1 && -z "${KEEP_MAILSTACK:-}" ]]; then
    bash scripts/postgres.sh stop >/dev/null 2>&1 || true
  fi
  if [[ $started_stack == 1 && -z "${KEEP_MAILSTACK:-}" ]]; then
    bash scripts/mailstack.sh stop >/dev/null 2>&1 || true
  fi
  if [[ $started_imapservers == 1 && -z "${KEEP_MAILSTACK:-}" ]]; then
    bash scripts/imapservers.sh stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

started_stack=0
if ! bash scripts/mailstack.sh status >/dev/null 2>&1; then
  if ! bash scripts/mailstack.sh start; then
    echo "test.sh: could not start the test mail stack in $MAILSTACK_DIR; if a port is taken (a demo on the same MAILSTACK_*_PORT?), set other MAILSTACK_*_PORT for the tests" >&2
    exit 2
  fi
  started_stack=1
fi
# A second Dovecot with the full-text search plugin (fts + fts-xapian; scripts/ftsdovecot.sh), IMAP
# only, for the people of tests/test_fts_dovecot.py: a fraction of a second to start.
started_ftsdovecot=0
if ! bash scripts/ftsdovecot.sh status >/dev/null 2>&1; then
  if ! bash scripts/ftsdovecot.sh start >/dev/null; then
    echo "test.sh: could not start the full-text search Dovecot (MAILSTACK_FTS_IMAP_PORT=$MAILSTACK_FTS_IMAP_PORT)" >&2
    exit 2
  fi
  started_ftsdovecot=1
fi
# Cyrus and Courier beside Dovecot (scripts/imapservers.sh; the any-server tests use them).
started_imapservers=0
if [[ "${WEBMAIL_TEST_IMAPSERVERS:-1}" == 1 ]] && ! bash scripts/imapservers.sh status >/dev/null 2>&1; then
  if ! bash scripts/imapservers.sh start >/dev/null; then
    echo "test.sh: could not start Cyrus and Courier (MAILSTACK_CYRUS_PORT, MAILSTACK_COURIER_PORT)" >&2
    exit 2
  fi
  started_imapservers=1
fi
# Radicale, the address book (CardDAV) server, signing in against the stack's Dovecot.
started_radicale=0
if ! bash scripts/radicale.sh status >/dev/null 2>&1; then
  if ! bash scripts/radicale.sh start >/dev/null; then
    echo "test.sh: could not start Radicale (MAILSTACK_RADICALE_PORT)" >&2
    exit 2
  fi
  started_radicale=1
fi
# Postgres for the scale-out test (tests/test_scale_out.py: two web nodes and two workers on
# one database); the rest of the suite stays on SQLite. Only the shard with that test starts it.
started_postgres=0
if [[ "${WEBMAIL_TEST_POSTGRES:-1}" == 1 ]] && ! bash scripts/postgres.sh status >/dev/null 2>&1; then
  if ! bash scripts/postgres.sh start; then
    echo "test.sh: could not start PostgreSQL (MAILSTACK_POSTGRES_PORT=$MAILSTACK_POSTGRES_PORT)" >&2
    exit 2
  fi
  started_postgres=1
fi

eval "$(bash scripts/mailstack.sh env)"
eval "$(bash scripts/ftsdovecot.sh env)"
[[ "${WEBMAIL_TEST_IMAPSERVERS:-1}" != 1 ]] || eval "$(bash scripts/imapservers.sh env)"
# The contacts tests point WEBMAIL_CARDDAV_URL (or a server profile) at MAILSTACK_RADICALE_URL
# themselves; the rest of the suite runs without an address book server (the fallback).
eval "$(bash scripts/radicale.sh env)"
[[ "${WEBMAIL_TEST_POSTGRES:-1}" != 1 ]] || eval "$(bash scripts/postgres.sh env)"
# Tests use their own Redis databases and key prefix, so a demo on the same stack is untouched.
redis_base=${REDIS_URL%/*}
export REDIS_URL="$redis_base/2" CELERY_BROKER_URL="$redis_base/3" CELERY_RESULT_BACKEND="$redis_base/3"
export WEBMAIL_CACHE_PREFIX=webmail-test
export DJANGO_SECRET_KEY="test-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export WEBMAIL_CREDENTIALS_KEY="$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
# Sends go out at once unless a test asks for the undo delay (the deployment default is 10 s).
export WEBMAIL_UNDO_SEND_SECONDS=0
# A search page waits for every folder unless a test asks for the streaming answer (a loaded
# machine must not turn a complete result into "still searching").
export WEBMAIL_SEARCH_FIRST_MS=${WEBMAIL_SEARCH_FIRST_MS:-8000}
export DJANGO_DEBUG=0 WEBMAIL_SECURE_COOKIES=0 DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1,testserver"
# The event server the browser tests start (tests/conftest.py `event_server`) listens here.
export WEBMAIL_EVENTS_PORT=${WEBMAIL_EVENTS_PORT:-31082}
# One test database per mail stack, so two suites on two stacks never share a file.
run_id=${MAILSTACK_IMAP_PORT:-21143}
export DATABASE_URL="sqlite:///$PWD/var/test-$run_id.sqlite3" DATABASE_TEST_NAME="$PWD/var/test-db-$run_id.sqlite3"
# The full-text indexes of the test users, fresh per run (the test database, and its user ids, are).
export WEBMAIL_SEARCH_INDEX_DIR="$PWD/var/test-search-index-$run_id"
rm -rf "$WEBMAIL_SEARCH_INDEX_DIR"
# No index starts by itself (a background fill would hold a connection other tests count);
# tests/test_fulltext.py starts the ones it checks.
export WEBMAIL_SEARCH_INDEX_AUTOSTART=0

mkdir -p var
# One collectstatic at a time (shards start together and share staticfiles/).
flock var/.collectstatic.lock .venv/bin/python manage.py collectstatic --noinput -v0

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
exit $status
