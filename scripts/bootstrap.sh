#!/usr/bin/env bash
# Install what the project needs on Debian 12 (as root): Debian packages that are
# missing, and a virtualenv in .venv with the locked requirements (requirements.lock,
# requirements-dev.lock: the whole tree pinned with hashes, made from requirements*.txt by
# pip-compile; see README).
#   bash scripts/bootstrap.sh          # app + mail stack
#   bash scripts/bootstrap.sh --test   # also Chromium, ChromeDriver, docker-compose, test requirements
set -euo pipefail
cd "$(dirname "$0")/.."

# The mail stack's packages are installed by its own script (it keeps their maintainer
# scripts from starting system daemons and creates the mail user).
bash scripts/mailstack.sh install >/dev/null
# Cyrus and Courier beside Dovecot (issue #14): their own script, for the same reason.
bash scripts/imapservers.sh install >/dev/null
# Radicale, the address book (CardDAV) server the demo and the tests run (issue #13).
bash scripts/radicale.sh install >/dev/null
# PostgreSQL for the scale-out test (and a deployment's database): no system cluster started.
bash scripts/postgres.sh install >/dev/null

packages=(openssl ca-certificates python3-venv)
requirements=requirements.lock
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium chromium-driver docker-compose)
  requirements=requirements-dev.lock
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $EUID -ne 0 ]]; then
    echo "bootstrap: missing Debian packages (${missing[*]}); run as root or install them" >&2
    exit 1
  fi
  echo "bootstrap: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    # No package may start a system daemon (listening beyond loopback) behind our back.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
  fi
  rc=0
  { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; } || rc=$?
  ((made_policy)) && rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || { echo "bootstrap: apt-get failed ($rc)" >&2; exit "$rc"; }
fi

python=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$python" -m venv .venv
fi
# Reinstall when any requirements file or lock changes (the stamp names their hash).
stamp=.venv/.requirements-$(cat requirements*.txt requirements*.lock | sha256sum | cut -c1-16)-$(basename "$requirements")
if [[ ! -f "$stamp" ]]; then
  .venv/bin/pip install -q --disable-pip-version-check --require-hashes -r "$requirements"
  rm -f .venv/.requirements-*
  touch "$stamp"
fi

# The tests open CPython's own email corpus; Debian ships it separately from python3.
if [[ "${1:-}" == "--test" ]] && ! .venv/bin/python -c 'import pathlib, test, sys; sys.exit(not any((pathlib.Path(test.__file__).parent / "test_email" / "data").glob("msg_*.txt")))' 2>/dev/null; then
  version=$(.venv/bin/python -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  echo "bootstrap: installing libpython$version-testsuite"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "libpython$version-testsuite" >/dev/null
fi
