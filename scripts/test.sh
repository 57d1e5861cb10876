#!/usr/bin/env bash
# The whole test suite: installs what is missing, starts the mail stack (Dovecot,
# Postfix, Redis) on loopback if it is not running, runs pytest, and stops the
# stack again if it started it. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh --test

started_stack=0
if ! bash scripts/mailstack.sh status >/dev/null 2>&1; then
  bash scripts/mailstack.sh start
  started_stack=1
fi
cleanup() {
  if [[ $started_stack == 1 && -z "${KEEP_MAILSTACK:-}" ]]; then
    bash scripts/mailstack.sh stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

eval "$(bash scripts/mailstack.sh env)"
# Tests use their own Redis databases and key prefix, so a demo on the same stack is untouched.
redis_base=${REDIS_URL%/*}
export REDIS_URL="$redis_base/2" CELERY_BROKER_URL="$redis_base/3" CELERY_RESULT_BACKEND="$redis_base/3"
export WEBMAIL_CACHE_PREFIX=webmail-test
export DJANGO_SECRET_KEY="test-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export WEBMAIL_CREDENTIALS_KEY="$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
export DJANGO_DEBUG=0 WEBMAIL_SECURE_COOKIES=0 DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1,testserver"
# One test database per mail stack, so two suites on two stacks never share a file.
run_id=${MAILSTACK_IMAP_PORT:-21143}
export DATABASE_URL="sqlite:///$PWD/var/test-$run_id.sqlite3" DATABASE_TEST_NAME="$PWD/var/test-db-$run_id.sqlite3"

.venv/bin/python manage.py collectstatic --noinput -v0

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
exit $status
