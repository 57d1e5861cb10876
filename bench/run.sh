#!/usr/bin/env bash
# The read-path benchmark: the app through HTTP (gunicorn + Celery, as deployed) against
# the raw IMAP floor (one persistent imapclient connection), for a 10k and a 100k INBOX.
#
#   bash bench/run.sh                 # everything (seeds the two bench users the first time)
#   bash bench/run.sh --only 10k      # one mailbox size; other flags: see bench/read_path.py -h
#   bash bench/run.sh fairness        # another user's list while one user has 100 requests in
#                                     # flight (bench/fairness.py; flags: see its -h)
#   bash bench/run.sh live            # list page 1 with the live sync's state vs today vs the
#                                     # floor, and a sync's IMAP commands (bench/live_list.py)
#   bash bench/run.sh watcher         # one watcher process holding 2,000 watched people: RSS,
#                                     # idle CPU, APPEND → sync request latency with 100 at once
#                                     # (bench/watcher_scale.py; its own mail stack in
#                                     # var/bench-watch-stack, ports 23xxx, Dovecot limits raised
#                                     # by bench/watcher-dovecot.conf)
#   bash bench/run.sh lease           # two watcher replicas under a CPU hog: lease handovers while
#                                     # both live (target 0), then one SIGKILLed: how long its
#                                     # people take to move (bench/watcher_lease.py; the watcher
#                                     # bench's stack; flags: see its -h)
#   bash bench/run.sh sizing          # N people (default 200) sign in, list, open a message and
#                                     # keep a tab open: memory of web/worker/watcher, Redis, IMAP
#                                     # connections and database per person, extrapolated per
#                                     # 1,000 (bench/sizing.py; the watcher bench's stack)
#   bash bench/run.sh events          # one event server (uvicorn) holding 2,000 open streams:
#                                     # RSS and publish->receive latency (bench/event_streams.py)
#   bash bench/run.sh push            # another client's APPEND/STORE/MOVE -> visible in an open
#                                     # Chromium tab (gunicorn, Celery, event server, watcher), and
#                                     # IMAP commands of 5 idle tabs from Dovecot's rawlog
#                                     # (bench/live_push.py; Dovecot restarted with
#                                     # bench/push-dovecot.conf: rawlog, no quota; flags: see its -h)
#   bash bench/run.sh search          # header search across all folders of a 10k-message,
#                                     # 12-folder mailbox (bench/search.py; flags: see its -h)
#   bash bench/run.sh export          # export the 10k INBOX as mbox and as zip of .eml: web and
#                                     # Celery worker RSS growth (target <= 50 MB) and throughput
#                                     # (bench/export.py)
#   bash bench/run.sh threads         # the conversation list of the 100k INBOX (warm, cold) vs
#                                     # UID THREAD REFERENCES with imapclient, and the IMAP
#                                     # commands a new reply costs (bench/threads.py; --only 10k)
#   bash bench/run.sh fts             # the full-text index: fill rate, size against the mail,
#                                     # body search with it against SEARCH TEXT without, and
#                                     # delivery to searchable (bench/fts.py; flags: see its -h)
#   bash bench/run.sh preview         # IMAP bytes of list page 1 with and without the preview
#                                     # line (bench/preview_bytes.py)
#
# State (never in the repo): var/bench/ holds the SQLite DB, generated secrets, pidfiles,
# logs, and the last result (var/bench/last-run.json). Uses Redis DBs 4 and 5 and the
# cache prefix webmail-bench, so a demo or the tests on the same stack are untouched.
# Starts the mail stack if it is not running (and stops it again afterwards unless
# BENCH_KEEP_MAILSTACK=1). Everything listens on 127.0.0.1 only.
# BENCH_TIMEOUT (default 3600 s) bounds the whole run, seeding included.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
state=$repo/var/bench
mkdir -p "$state"
export BENCH_STARTED_AT
BENCH_STARTED_AT=$(date +%s.%N)

[[ -x .venv/bin/python ]] || bash scripts/bootstrap.sh

if [[ ${1:-} == watcher || ${1:-} == sizing || ${1:-} == lease ]]; then
  # Its own stack: thousands of idle connections need Dovecot's limits raised, which a demo's
  # or the tests' stack should not carry. MAILSTACK_*_PORT override the 23xxx defaults.
  export MAILSTACK_DIR=${BENCH_WATCH_MAILSTACK_DIR:-$repo/var/bench-watch-stack}
  export MAILSTACK_IMAP_PORT=${MAILSTACK_IMAP_PORT:-23143} MAILSTACK_IMAPS_PORT=${MAILSTACK_IMAPS_PORT:-23993}
  export MAILSTACK_LMTP_PORT=${MAILSTACK_LMTP_PORT:-23024} MAILSTACK_SMTP_PORT=${MAILSTACK_SMTP_PORT:-23025}
  export MAILSTACK_SUBMISSION_PORT=${MAILSTACK_SUBMISSION_PORT:-23587} MAILSTACK_SUBMISSIONS_PORT=${MAILSTACK_SUBMISSIONS_PORT:-23465}
  export MAILSTACK_DOVECOT_AUTH_PORT=${MAILSTACK_DOVECOT_AUTH_PORT:-23012} MAILSTACK_REDIS_PORT=${MAILSTACK_REDIS_PORT:-23379}
  export MAILSTACK_MANAGESIEVE_PORT=${MAILSTACK_MANAGESIEVE_PORT:-23190}
  export MAILSTACK_DOVECOT_EXTRA_CONF=$repo/bench/watcher-dovecot.conf
fi

if [[ ${1:-} == push ]]; then
  # A rawlog of every IMAP session of the bench users (the idle count reads the commands
  # themselves) and no quota (the 100k mailbox takes the APPENDs); the path is filled in here.
  export BENCH_RAWLOG_DIR=$state/rawlog
  mkdir -p "$BENCH_RAWLOG_DIR"
  sed "s|{{RAWLOG_DIR}}|$BENCH_RAWLOG_DIR|" bench/push-dovecot.conf >"$state/push-dovecot.conf"
  export MAILSTACK_DOVECOT_EXTRA_CONF=$state/push-dovecot.conf
fi

started_stack=0
if ! bash scripts/mailstack.sh status >/dev/null 2>&1; then
  bash scripts/mailstack.sh start >/dev/null
  started_stack=1
elif [[ ${1:-} == watcher || ${1:-} == sizing || ${1:-} == lease || ${1:-} == push ]]; then
  bash scripts/mailstack.sh restart-dovecot >/dev/null  # with the raised limits / the rawlog
fi

# Stops what this run started, by PID, even on failure (read_path.py normally does it itself).
stop_pidfile() {
  local pidfile=$1 pattern=$2 pid
  [[ -f $pidfile ]] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && grep -qa -- "$pattern" "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}
cleanup() {
  stop_pidfile "$state/gunicorn.pid" gunicorn
  stop_pidfile "$state/celery.pid" celery
  stop_pidfile "$state/events.pid" uvicorn
  stop_pidfile "$state/watcher.pid" watch_mailboxes
  if [[ $started_stack == 1 && -z "${BENCH_KEEP_MAILSTACK:-}" ]]; then
    bash scripts/mailstack.sh stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
child=

eval "$(bash scripts/mailstack.sh env)"
redis_base=${REDIS_URL%/*}
export REDIS_URL="$redis_base/4" CELERY_BROKER_URL="$redis_base/5" CELERY_RESULT_BACKEND="$redis_base/5"
export WEBMAIL_CACHE_PREFIX=webmail-bench

# Secrets made once, kept under var/bench (ignored by git), never in the repo.
if [[ ! -f $state/secrets.env ]]; then
  (
    umask 077
    {
      echo "export DJANGO_SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
      echo "export WEBMAIL_CREDENTIALS_KEY=$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
      echo "export BENCH_PASSWORD=bench-$(head -c 12 /dev/urandom | base64 | tr -d '/+=\n')"
    } >"$state/secrets.env"
  )
fi
source "$state/secrets.env"
export DJANGO_SECRET_KEY WEBMAIL_CREDENTIALS_KEY BENCH_PASSWORD
export DJANGO_DEBUG=0 WEBMAIL_SECURE_COOKIES=0 DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
# Server-Timing headers let the benchmark split an open into IMAP, database and app time.
export WEBMAIL_SERVER_TIMING=1
export DATABASE_URL="sqlite:///$state/webmail.sqlite3"
[[ ${1:-} == watcher || ${1:-} == lease ]] && export DATABASE_URL="sqlite:///$state/watcher.sqlite3"
if [[ ${1:-} == sizing ]]; then
  # Postgres, as deployed: many sign-ins at once need a database that takes concurrent writes.
  export MAILSTACK_POSTGRES_PORT=${MAILSTACK_POSTGRES_PORT:-23432}
  bash scripts/postgres.sh status >/dev/null 2>&1 || bash scripts/postgres.sh start
  bash scripts/postgres.sh dropdb webmail_sizing && bash scripts/postgres.sh createdb webmail_sizing
  DATABASE_URL="$(bash scripts/postgres.sh url webmail_sizing)"
  export DATABASE_URL
fi

.venv/bin/python manage.py migrate --noinput -v0

# In the background and waited for, so a TERM/INT to this script is handled at once:
# it is passed on to the benchmark (which stops gunicorn and Celery itself), then cleanup runs.
forward() {
  [[ -n $child ]] && kill -TERM "$child" 2>/dev/null
  wait "$child" 2>/dev/null
  exit "$1"
}
trap 'forward 130' INT
trap 'forward 143' TERM
set +e
script=bench/read_path.py
if [[ ${1:-} == fairness ]]; then
  script=bench/fairness.py
  shift
elif [[ ${1:-} == live ]]; then
  script=bench/live_list.py
  shift
elif [[ ${1:-} == watcher ]]; then
  script=bench/watcher_scale.py
  shift
elif [[ ${1:-} == lease ]]; then
  script=bench/watcher_lease.py
  shift
elif [[ ${1:-} == sizing ]]; then
  script=bench/sizing.py
  shift
elif [[ ${1:-} == events ]]; then
  script=bench/event_streams.py
  shift
elif [[ ${1:-} == push ]]; then
  script=bench/live_push.py
  shift
elif [[ ${1:-} == search ]]; then
  script=bench/search.py
  shift
elif [[ ${1:-} == export ]]; then
  script=bench/export.py
  shift
elif [[ ${1:-} == threads ]]; then
  script=bench/threads.py
  shift
elif [[ ${1:-} == fts ]]; then
  script=bench/fts.py
  shift
elif [[ ${1:-} == preview ]]; then
  script=bench/preview_bytes.py
  shift
fi
timeout --kill-after=30 "${BENCH_TIMEOUT:-3600}" .venv/bin/python -u "$script" "$@" &
child=$!
wait "$child"
status=$?
set -e
exit $status
