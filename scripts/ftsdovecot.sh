#!/usr/bin/env bash
# scripts/ftsdovecot.sh -- a second Dovecot beside the mail stack's, with Dovecot's full-text
# search plugin and Debian's `dovecot-fts-xapian` (issue #12: the tests search message text on
# a server that has its own index, and on one that has none). IMAP only (STARTTLS with the
# stack's certificate), on 127.0.0.1. Must run as root (Debian 12). scripts/test.sh starts it;
# `mailstack.sh stop` stops it too. The demo does not run it.
#
# Usage: scripts/ftsdovecot.sh COMMAND [ARGS]
#   start | stop | status      the server (start is idempotent)
#   deluser EMAIL...           end their sessions here, delete their mail and index here
#   env                        `export` lines: MAILSTACK_FTS_IMAP_PORT, MAILSTACK_FTS_DIR
#
# Environment (defaults): MAILSTACK_DIR=<repo>/var/mailstack  MAILSTACK_FTS_IMAP_PORT=21144
# (the tests' 31144). The port is sticky like the stack's: saved by `start` in
# $MAILSTACK_FTS_DIR/ftsdovecot.env.
#
# What it is like (what the tests rely on):
# - People: the stack's own (`mailstack.sh adduser`): it reads the stack Dovecot's passwd-files
#   ($MAILSTACK_DIR/dovecot/users.d), so the same address and password sign in to both. Their
#   mail here is their own, apart from the stack's: homes in $MAILSTACK_FTS_DIR/mail/<domain>/<local>
#   (made by Dovecot at the first login), folders as on the stack's Dovecot (Maildir, "/",
#   Drafts, Sent, Archive, Junk, Trash with their special-use marks).
# - Search: `mail_plugins = fts fts_xapian`, `fts_xapian = partial=3 full=20`, `fts_autoindex = no`:
#   nothing is indexed as mail arrives; a SEARCH BODY/TEXT first indexes what the folder's index
#   lacks (fts-xapian 1.5.5 indexes about 7.5 messages/s on one core), then answers from it.
#   The index is ~/index/xapian-indexes in each home. `fts_enforced = yes`: a search whose index
#   cannot be brought up to date fails instead of quietly scanning the mail, so a broken plugin
#   shows. Header searches are answered from the index too, which has only the address fields,
#   Subject and Message-ID: `HEADER References ...`, `HEADER Date ...`, `HEADER Content-Type ...`
#   find nothing here (docs/architecture.md, "On a server with its own index").
# - State in $MAILSTACK_FTS_DIR = $MAILSTACK_DIR-fts (beside the stack's directory, not in it:
#   `mailstack.sh stop` ends every Dovecot process found in the stack's directory). Dovecot's
#   sockets live in a short directory, /tmp/webmail-fts-<hash> (a socket path has at most 107 bytes).
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/stackdir.sh
source "$SCRIPT_DIR/stackdir.sh"
D="$S-fts"
CONF="$D/dovecot.conf"
SAVED_ENV="$D/ftsdovecot.env"
LOG_FILE="$D/log/dovecot.log"
BASE="/tmp/webmail-fts-$(printf '%s' "$(readlink -m "$D")" | md5sum | cut -c1-12)"
PLUGIN=/usr/lib/dovecot/modules/lib21_fts_xapian_plugin.so
MAIL_USER=wmvmail   # the stack's mail user (scripts/mailstack.sh)

log() { printf 'ftsdovecot: %s\n' "$*" >&2; }
die() { printf 'ftsdovecot: error: %s\n' "$*" >&2; exit 1; }
need_root() { [[ $EUID -eq 0 ]] || die "must run as root"; }

load_port() {
    if [[ -z "${MAILSTACK_FTS_IMAP_PORT:-}" && -r "$SAVED_ENV" ]]; then
        MAILSTACK_FTS_IMAP_PORT="$(sed -n 's/^MAILSTACK_FTS_IMAP_PORT=//p' "$SAVED_ENV")"
    fi
    : "${MAILSTACK_FTS_IMAP_PORT:=21144}"
    [[ "$MAILSTACK_FTS_IMAP_PORT" =~ ^[0-9]+$ ]] || die "MAILSTACK_FTS_IMAP_PORT must be a number"
}

take_lock() {
    mkdir -p "$D"
    exec 8>"$D/.lock"
    flock -w "$DEADLINE_SECS" 8 || die "could not lock $D/.lock"
}

master_pid() {
    local pid real
    [[ -r "$BASE/master.pid" ]] || return 1
    read -r pid < "$BASE/master.pid" 2>/dev/null || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] && pid_alive "$pid" || return 1
    real="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
    [[ "$(basename "${real% (deleted)}")" == dovecot ]] || return 1
    echo "$pid"
}

# Every Dovecot process of this server: the master and its services work in $BASE (login
# processes chrooted below it), mail processes in a home under $D; nothing of the stack's.
# (What mailstack.sh's ours_pids does for the stack's Dovecot: no file descriptors read, fast.)
our_pids() {
    find /proc/[0-9]* -maxdepth 1 \( -name exe -o -name cwd -o -name root \) -printf '%h\t%f\t%l\n' 2>/dev/null |
    awk -F'\t' -v d="$(readlink -m "$D")" -v b="$BASE" -v me="$$" '
        { pid = substr($1, 7); v[pid, $2] = $3; seen[pid] = 1 }
        END {
            for (p in seen) {
                e = v[p, "exe"]; sub(/ \(deleted\)$/, "", e)
                if (p == me || e !~ /^(\/usr\/sbin\/dovecot|\/usr\/lib\/dovecot\/.*)$/) continue
                c = v[p, "cwd"]; r = v[p, "root"]
                if (c == d || index(c, d "/") == 1 || index(r, d "/") == 1 ||
                    c == b || index(c, b "/") == 1 || index(r, b "/") == 1) print p
            }
        }' | while read -r p; do pid_alive "$p" && echo "$p"; done
    return 0
}

render() {
    local uid gid
    uid="$(id -u "$MAIL_USER")"; gid="$(id -g "$MAIL_USER")"
    install -d -m 0755 "$D" "$D/log" "$D/lib"
    install -d -o "$uid" -g "$gid" -m 0750 "$D/mail"
    install -d -m 0755 "$BASE"
    cat > "$CONF.tmp" <<EOF
# generated by scripts/ftsdovecot.sh: edit that script instead
protocols = imap
listen = 127.0.0.1
base_dir = $BASE
state_dir = $D/lib
instance_name = webmail-fts
hostname = fts.example.test
default_login_user = dovenull
default_internal_user = dovecot
log_path = $LOG_FILE
info_log_path = $LOG_FILE
log_timestamp = "%Y-%m-%d %H:%M:%S "
mail_log_prefix = "%s(%u)<%{pid}><%{session}>: "
auth_verbose = yes

auth_mechanisms = plain login
disable_plaintext_auth = no
auth_failure_delay = 0
auth_cache_size = 0
auth_username_format = %Lu
login_trusted_networks = 127.0.0.1/32 ::1/128
# As the stack's Dovecot (scripts/mailstack/dovecot.conf.tmpl): failures answered at once,
# then the stack's own passwd-files, one per person.
passdb {
  driver = static
  args = nopassword=yes noauthenticate=yes nodelay=yes
}
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT username_format=%Lu $S/dovecot/users.d/%Lu
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $S/dovecot/users.d/%Lu
  default_fields = uid=$uid gid=$gid home=$D/mail/%d/%n
}

# INDEX= outside the Maildir: fts-xapian keeps its databases in the index directory
# (xapian-indexes/), which in the Maildir would be listed as a folder (LAYOUT=fs).
mail_location = maildir:~/Maildir:LAYOUT=fs:INBOX=~/Maildir/INBOX:INDEX=~/index
mail_uid = $uid
mail_gid = $gid
first_valid_uid = $uid
last_valid_uid = $uid
first_valid_gid = $gid
last_valid_gid = $gid
mail_fsync = never
mail_plugins = \$mail_plugins fts fts_xapian

namespace inbox {
  type = private
  inbox = yes
  separator = /
  prefix =
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
}

# Full-text search: indexed when searched, never as mail arrives.
plugin {
  fts = xapian
  fts_xapian = partial=3 full=20 verbose=0
  fts_autoindex = no
  fts_enforced = yes
}
service indexer-worker {
  vsz_limit = 2G
}

ssl = yes
ssl_cert = <$S/tls/cert.pem
ssl_key = <$S/tls/key.pem
ssl_dh = <$S/tls/dh.pem
ssl_min_protocol = TLSv1.2

protocol imap {
  mail_max_userip_connections = 20
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $MAILSTACK_FTS_IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
EOF
    mv -f "$CONF.tmp" "$CONF"
}

cmd_start() {
    need_root
    [[ -r "$PLUGIN" ]] || bash "$SCRIPT_DIR/mailstack.sh" install >/dev/null
    [[ -r "$PLUGIN" ]] || die "$PLUGIN is missing (Debian's dovecot-fts-xapian)"
    [[ -s "$S/tls/cert.pem" && -d "$S/dovecot/users.d" ]] || die "no mail stack in $S: start it first (scripts/mailstack.sh start)"
    take_lock; load_port
    master_pid >/dev/null && { log "already running"; return 0; }
    local -a left
    mapfile -t left < <(our_pids)
    end_pids ftsdovecot "${left[@]}"   # of an earlier run whose master died
    port_listening "$MAILSTACK_FTS_IMAP_PORT" && die "port $MAILSTACK_FTS_IMAP_PORT (MAILSTACK_FTS_IMAP_PORT) is taken"
    printf 'MAILSTACK_FTS_IMAP_PORT=%s\n' "$MAILSTACK_FTS_IMAP_PORT" > "$SAVED_ENV"
    render
    local out
    out="$(dovecot -c "$CONF" -n 2>&1 >/dev/null)" || die "dovecot config invalid: $out"
    dovecot -c "$CONF" </dev/null >>"$D/log/start.log" 2>&1 8>&- || die "dovecot failed to start; see $D/log"
    local deadline=$((SECONDS + DEADLINE_SECS))
    until master_pid >/dev/null && port_listening "$MAILSTACK_FTS_IMAP_PORT"; do
        ((SECONDS < deadline)) || die "dovecot did not start listening on $MAILSTACK_FTS_IMAP_PORT; see $LOG_FILE"
        sleep 0.02
    done
    log "listening on 127.0.0.1:$MAILSTACK_FTS_IMAP_PORT"
}

cmd_stop() {
    need_root
    [[ -d "$D" ]] || return 0
    take_lock; load_port
    local pid deadline
    if pid="$(master_pid)"; then
        kill -TERM "$pid" 2>/dev/null || true
        deadline=$((SECONDS + 10))
        while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.02; done
    fi
    local -a left
    mapfile -t left < <(our_pids)
    end_pids ftsdovecot "${left[@]}"
    rm -f "$BASE/master.pid"
    return 0
}

cmd_status() {
    load_port
    local pid
    if pid="$(master_pid)" && port_listening "$MAILSTACK_FTS_IMAP_PORT"; then
        echo "ftsdovecot: running (pid $pid, port $MAILSTACK_FTS_IMAP_PORT)"
    else
        echo "ftsdovecot: stopped"; return 1
    fi
}

cmd_deluser() {
    need_root
    [[ $# -ge 1 ]] || die "usage: $0 deluser EMAIL..."
    take_lock; load_port
    local raw email
    for raw in "$@"; do
        email="$(printf '%s' "$raw" | tr 'A-Z' 'a-z')"
        [[ "$email" =~ ^[a-z0-9._+-]+@[a-z0-9.-]+$ ]] || die "invalid email address: $raw"
        if master_pid >/dev/null; then doveadm -c "$CONF" kick "$email" >/dev/null 2>&1 8>&- || true; fi
        rm -rf -- "${D:?}/mail/${email#*@}/${email%@*}"
        echo "deleted $email"
    done
}

cmd_env() {
    load_port
    printf 'export MAILSTACK_FTS_IMAP_PORT=%q\nexport MAILSTACK_FTS_DIR=%q\n' "$MAILSTACK_FTS_IMAP_PORT" "$D"
}

case "${1:-}" in
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    status) shift; cmd_status "$@" ;;
    deluser) shift; cmd_deluser "$@" ;;
    env) shift; cmd_env "$@" ;;
    *) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
