#!/usr/bin/env bash
# The demo: installs what is missing, starts the mail stack (Dovecot, Postfix, Redis;
# Cyrus and Courier beside Dovecot) and PostgreSQL on loopback, seeds demo mailboxes, migrates, starts gunicorn,
# the event server (uvicorn, /events/ on its own port), a Celery worker and the watcher
# (manage.py watch_mailboxes: new mail and changes pushed to open tabs), and prints the URL and the demo logins.
#   bash scripts/demo.sh         start (idempotent)
#   bash scripts/demo.sh stop    stop the web server, the worker, the watcher and the mail stack
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
state=$repo/var/demo
mkdir -p "$state"
port=${WEBMAIL_DEMO_PORT:-8025}
events_port=${WEBMAIL_EVENTS_PORT:-21082}

stop_pidfile() {
  local pidfile=$1
  if [[ -f $pidfile ]]; then
    local pid
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
  fi
}

if [[ "${1:-}" == "stop" ]]; then
  stop_pidfile "$state/gunicorn.pid"
  stop_pidfile "$state/events.pid"
  stop_pidfile "$state/celery.pid"
  stop_pidfile "$state/watcher.pid"
  bash scripts/radicale.sh stop
  bash scripts/postgres.sh stop || true
  bash scripts/mailstack.sh stop
  exit 0
fi

bash scripts/bootstrap.sh
bash scripts/mailstack.sh start >/dev/null
eval "$(bash scripts/mailstack.sh env)"
# The address book: Radicale (CardDAV) on loopback, signing in with the mail password.
bash scripts/radicale.sh start >/dev/null
eval "$(bash scripts/radicale.sh env)"
export WEBMAIL_CARDDAV_URL=${WEBMAIL_CARDDAV_URL:-$MAILSTACK_RADICALE_URL}

# Secrets made once, kept outside the repo (var/ is ignored by git).
if [[ ! -f $state/secrets.env ]]; then
  umask 077
  {
    echo "export DJANGO_SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
    echo "export WEBMAIL_CREDENTIALS_KEY=$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
    echo "export DJANGO_SUPERUSER_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+=\n')"
    for u in alice bob carol dave erin; do echo "export DEMO_PASSWORD_${u^^}=$u-$(head -c 6 /dev/urandom | base64 | tr -d '/+=\n')"; done
  } >"$state/secrets.env"
  umask 022
fi
source "$state/secrets.env"
export DJANGO_DEBUG=0 WEBMAIL_SECURE_COOKIES=0 DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
# PostgreSQL as deployed (scripts/postgres.sh: Debian's, a private data directory under the
# mail stack's, MAILSTACK_POSTGRES_PORT, default 21432); DATABASE_URL set beforehand wins
# (e.g. sqlite:///$repo/var/demo/webmail.sqlite3).
if [[ -z ${DATABASE_URL:-} ]]; then
  bash scripts/postgres.sh start
  DATABASE_URL="$(bash scripts/postgres.sh url webmail)"
fi
export DATABASE_URL
# The pages listen to the event server on its own port (no proxy in the demo): it answers
# CORS for the demo's web origin, and the session cookie (not port-specific) reaches it.
export WEBMAIL_EVENTS_URL="http://127.0.0.1:$events_port/events/"
export WEBMAIL_EVENTS_ALLOWED_ORIGINS="http://127.0.0.1:$port,http://localhost:$port"

declare -A users=([alice@example.test]=$DEMO_PASSWORD_ALICE [bob@example.test]=$DEMO_PASSWORD_BOB [carol@example.org]=$DEMO_PASSWORD_CAROL)
declare -A counts=([alice@example.test]=3000 [bob@example.test]=1500 [carol@example.org]=500)
for email in "${!users[@]}"; do
  bash scripts/mailstack.sh adduser "$email" "${users[$email]}" >/dev/null
  python3 scripts/mailgen.py seed --user "$email" --count "${counts[$email]}" --seed "${#email}" --tree --index >/dev/null
done

.venv/bin/python manage.py migrate --noinput >/dev/null

# Cyrus and Courier beside Dovecot (scripts/imapservers.sh): dave@cyrus.test signs in to Cyrus
# (whose login name is the local part), erin@courier.test to Courier; each domain gets a
# server profile. Both are known to Dovecot too, whose accounts the SMTP server checks.
bash scripts/imapservers.sh start >/dev/null
eval "$(bash scripts/imapservers.sh env)"
DEMO_PASSWORD_DAVE=${DEMO_PASSWORD_DAVE:-dave-$(head -c 6 /dev/urandom | base64 | tr -d '/+=\n')}
DEMO_PASSWORD_ERIN=${DEMO_PASSWORD_ERIN:-erin-$(head -c 6 /dev/urandom | base64 | tr -d '/+=\n')}
grep -q DEMO_PASSWORD_DAVE "$state/secrets.env" || printf 'export DEMO_PASSWORD_DAVE=%s\nexport DEMO_PASSWORD_ERIN=%s\n' "$DEMO_PASSWORD_DAVE" "$DEMO_PASSWORD_ERIN" >>"$state/secrets.env"
for spec in "cyrus dave@cyrus.test $DEMO_PASSWORD_DAVE $MAILSTACK_CYRUS_PORT dave" "courier erin@courier.test $DEMO_PASSWORD_ERIN $MAILSTACK_COURIER_PORT erin@courier.test"; do
  read -r server email password imap_port login <<<"$spec"
  bash scripts/mailstack.sh adduser "$email" "$password" >/dev/null
  bash scripts/imapservers.sh adduser "$server" "$email" "$password" >/dev/null
  tls=(--starttls-cafile "$WEBMAIL_IMAP_CA_FILE")  # Cyrus and Courier both require STARTTLS
  python3 scripts/mailgen.py seed --user "$email" --login "$login" --password "$password" --imap "127.0.0.1:$imap_port" \
    --count 300 --seed "${#email}" --tree --tree-scale 0.2 "${tls[@]}" >/dev/null
done
.venv/bin/python manage.py shell -c "
from accounts.models import ServerProfile
import os
for domain, port, security, login in (('cyrus.test', os.environ['MAILSTACK_CYRUS_PORT'], 'starttls', 'localpart'),
                                      ('courier.test', os.environ['MAILSTACK_COURIER_PORT'], 'starttls', 'address')):
    ServerProfile.objects.update_or_create(domain=domain, defaults=dict(
        imap_host='127.0.0.1', imap_port=int(port), imap_security=security, imap_login=login, smtp_login='address',
        smtp_host='127.0.0.1', smtp_port=int(os.environ['WEBMAIL_SMTP_PORT']), smtp_security='starttls',
        verify_tls=True, ca_file=os.environ['WEBMAIL_IMAP_CA_FILE']))
" >/dev/null
.venv/bin/python manage.py collectstatic --noinput >/dev/null
DJANGO_SUPERUSER_USERNAME=admin DJANGO_SUPERUSER_EMAIL=admin@example.test \
  .venv/bin/python manage.py createsuperuser --noinput >/dev/null 2>&1 || true

if ! { [[ -f $state/gunicorn.pid ]] && kill -0 "$(cat "$state/gunicorn.pid")" 2>/dev/null; }; then
  .venv/bin/gunicorn webmail.wsgi --bind "127.0.0.1:$port" --workers 2 --threads 4 \
    --pid "$state/gunicorn.pid" --control-socket "$state/gunicorn.ctl" --access-logfile "$state/access.log" --error-logfile "$state/gunicorn.log" --daemon
fi
if ! { [[ -f $state/events.pid ]] && kill -0 "$(cat "$state/events.pid")" 2>/dev/null; }; then
  nohup setsid .venv/bin/uvicorn webmail.asgi:application --host 127.0.0.1 --port "$events_port" --lifespan off \
    --no-access-log --timeout-graceful-shutdown 3 >>"$state/events.log" 2>&1 </dev/null &
  echo $! >"$state/events.pid"
fi
if ! { [[ -f $state/celery.pid ]] && kill -0 "$(cat "$state/celery.pid")" 2>/dev/null; }; then
  .venv/bin/celery -A webmail worker -B --schedule "$state/celerybeat-schedule" --detach --concurrency 2 --loglevel INFO \
    --pidfile "$state/celery.pid" --logfile "$state/celery.log"
fi
if ! { [[ -f $state/watcher.pid ]] && kill -0 "$(cat "$state/watcher.pid")" 2>/dev/null; }; then
  # One IMAP connection (NOTIFY/IDLE) per person with an open tab; SIGTERM lets go of them.
  nohup .venv/bin/python manage.py watch_mailboxes >>"$state/watcher.log" 2>&1 </dev/null &
  echo $! >"$state/watcher.pid"
fi
.venv/bin/python - "$port" <<'PY'
import sys, time, urllib.request
deadline = time.monotonic() + 30
while True:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/accounts/login/", timeout=2)
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("the web server did not come up; see var/demo/gunicorn.log")
        time.sleep(0.2)
PY
.venv/bin/python - "$events_port" <<'PY'
import sys, time, urllib.error, urllib.request
deadline = time.monotonic() + 30
while True:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/events/", timeout=2)
        break
    except urllib.error.HTTPError:
        break  # 403 signed out: it is up
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("the event server did not come up; see var/demo/events.log")
        time.sleep(0.2)
PY

cat <<TXT

Webmail demo is running: http://127.0.0.1:$port/

  Sign in as:  alice@example.test / $DEMO_PASSWORD_ALICE   (3000 messages and a folder tree)
               bob@example.test   / $DEMO_PASSWORD_BOB
               carol@example.org  / $DEMO_PASSWORD_CAROL
               dave@cyrus.test    / $DEMO_PASSWORD_DAVE   (on Cyrus IMAP)
               erin@courier.test  / $DEMO_PASSWORD_ERIN   (on Courier IMAP)
  Admin:       http://127.0.0.1:$port/admin/  admin / $DJANGO_SUPERUSER_PASSWORD
  Live events: http://127.0.0.1:$events_port/events/  (the event server; var/demo/events.log)
  Contacts:    $WEBMAIL_CARDDAV_URL  (Radicale, CardDAV; sign in with the mail address and password)

Stop it with: bash scripts/demo.sh stop
TXT
