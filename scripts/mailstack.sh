#!/usr/bin/env bash
# scripts/mailstack.sh -- private dev/test mail stack: Dovecot (IMAP + LMTP),
# Postfix (SMTP, submission) and Redis, all on 127.0.0.1, all state in
# $MAILSTACK_DIR (default <repo>/var/mailstack). Never touches /etc config and
# never starts the system instances. Must run as root (Debian 12).
#
# Usage: scripts/mailstack.sh COMMAND [ARGS]
#   install                  apt-get install what is missing, create user wmvmail
#   start | stop | status    the whole stack (start is idempotent)
#   restart-dovecot          stop Dovecot (waits until gone), start it again
#   adduser [--quota QUOTA] EMAIL PASSWORD [EMAIL PASSWORD...]
#                            add or update users (idempotent), create their homes
#                            (QUOTA: their own storage limit, e.g. 500K)
#   deluser EMAIL...         remove users, kick their sessions, delete their mail
#   users                    list users
#   doveadm ARGS...          doveadm against our private config (e.g. `doveadm who`)
#   env                      print `export` lines for the app / tests
#
# Environment (defaults): MAILSTACK_DIR=<repo>/var/mailstack
#   MAILSTACK_IMAP_PORT=21143 (STARTTLS)   MAILSTACK_IMAPS_PORT=21993
#   MAILSTACK_LMTP_PORT=21024              MAILSTACK_SMTP_PORT=21025
#   MAILSTACK_SUBMISSION_PORT=21587        MAILSTACK_SUBMISSIONS_PORT=21465
#   MAILSTACK_DOVECOT_AUTH_PORT=21012      MAILSTACK_REDIS_PORT=21379
#   MAILSTACK_MANAGESIEVE_PORT=21190 (ManageSieve, STARTTLS; Sieve runs on LMTP delivery)
#   MAILSTACK_DOMAINS="example.test example.org"
#   MAILSTACK_MESSAGE_SIZE_LIMIT=36700160  MAILSTACK_QUOTA=2G
#   MAILSTACK_DOVECOT_EXTRA_CONF=<file>    !include'd at the end of dovecot.conf
#                                          (read at every Dovecot (re)start, not sticky)
# The ports/domains/limits used by `start` are saved in $MAILSTACK_DIR/stack.env
# and are sticky: every command (start included) takes a setting from the
# environment if set there, else from stack.env, else the default above.
# MAILSTACK_TIMEOUT (default 30): seconds to wait for a daemon to come up.
#
# NOTES
# - MAILSTACK_DIR and all its parents must be searchable by other users
#   (o+x): the daemons run as wmvmail/dovecot/postfix. pytest's own tmp dirs
#   (/tmp/pytest-of-root, mode 0700) are not; `start` refuses them.
# - Users: one Dovecot passwd-file per user, $MAILSTACK_DIR/dovecot/users.d/<email>
#   (SHA512-CRYPT). adduser with an unchanged password changes nothing;
#   a changed password or deluser waits until the next second begins (<= 1s)
#   so Dovecot is guaranteed to see it. New users are visible at once.
# - Mail: home $MAILSTACK_DIR/mail/<domain>/<local>, folders in
#   ~/Maildir/<Folder/Sub>/{cur,new,tmp}, INBOX in ~/Maildir/INBOX. Anything
#   written there directly must be owned by wmvmail (every directory too).
# - Postfix accepts mail for MAILSTACK_DOMAINS + the domains of all users,
#   and only for existing users (550 at RCPT otherwise). Mail to any other
#   domain is refused at RCPT on every port (no outbound delivery at all).
#   An SMTP connection opened before `adduser` still refuses the new user;
#   open a new one. While Dovecot is down, Postfix defers and retries <= 10s.
# - Submission (and submissions) take MAIL FROM only for an address the SASL
#   login owns (reject_sender_login_mismatch): each user owns their own
#   address; aliases go in $MAILSTACK_DIR/postfix/sender_logins.local.
#
# ---------------------------------------------------------------------------
# LOG FORMATS ($MAILSTACK_DIR/log/dovecot.log = $MAILSTACK_DOVECOT_LOG):
# every line starts with "%Y-%m-%d %H:%M:%S " (log_timestamp), local time.
#
# LOGIN (imap-login, when the login succeeds). The element after mpid= is
# "TLS" (STARTTLS or IMAPS) or "secured" (cleartext from loopback); mpid is
# the pid of the imap process, session the id that process logs too:
#   2026-12-01 18:52:39 imap-login: Info: Login: user=<mimefix@example.test>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, mpid=20928, TLS, session=<3t3XB5dh8sd/AAAB>
#   regex: ^(\S+ \S+) imap-login: Info: Login: user=<([^>]*)>, method=(\S+), rip=([^,]+), lip=([^,]+), mpid=(\d+), (?:(TLS|secured)[^,]*, )?session=<([^>]+)>$
#
# LOGOUT (imap process, when the session ends; in=/out= are the bytes read
# from / written to the client). "Logged out" after LOGOUT, otherwise e.g.
# "Connection closed (SELECT finished 8.052 secs ago)" or "Server shutting down.":
#   2026-12-01 18:52:40 imap(mimefix@example.test)<20928><3t3XB5dh8sd/AAAB>: Info: Disconnected: Logged out in=117186 out=121372 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=235 body_bytes=28250
#   regex: ^(\S+ \S+) imap\(([^)]*)\)<(\d+)><([^>]+)>: Info: Disconnected: (.*?) ?in=(\d+) out=(\d+) 
#
# FAILED LOGIN. At once, from the auth process (auth_verbose), for a known
# user with a wrong password:
#   2026-12-01 18:51:00 auth: Info: passwd-file(alice@example.test,127.0.0.1,<Bp/oAZdhCol/AAAB>): Password mismatch
# and for an unknown user (no session id on this one; one passwd-file per user):
#   2026-12-01 18:55:22 auth: Info: missing passwd file: /.../dovecot/users.d/ghost@example.test
# Then, when that connection closes, one imap-login line per connection with
# the number of failed attempts (reason text before the parenthesis varies):
#   2026-12-01 18:51:00 imap-login: Info: Disconnected: Connection closed (auth failed, 1 attempts in 0 secs): user=<alice@example.test>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, TLS: Connection closed, session=<Bp/oAZdhCol/AAAB>
#   regex: ^(\S+ \S+) imap-login: Info: Disconnected: .*\(auth failed, (\d+) attempts in \d+ secs\): user=<([^>]*)>, .*session=<([^>]+)>$
# Failed logins are answered immediately (no delay, no per-IP penalty).
#
# Postfix logs to $MAILSTACK_DIR/log/postfix.log, Redis to .../log/redis.log.
# ---------------------------------------------------------------------------

set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true
umask 022
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
TMPL_DIR="$SCRIPT_DIR/mailstack"

MAIL_USER=wmvmail
# dovecot-fts-xapian: the full-text search plugin of the tests' second Dovecot (scripts/ftsdovecot.sh)
PACKAGES=(dovecot-core dovecot-imapd dovecot-lmtpd dovecot-sieve dovecot-managesieved dovecot-fts-xapian postfix redis-server openssl)
BINARIES=(dovecot doveadm postfix postmap redis-server openssl sievec /usr/lib/dovecot/managesieve)
DEADLINE_SECS=${MAILSTACK_TIMEOUT:-30}

MAILSTACK_DIR="${MAILSTACK_DIR:-$REPO_DIR/var/mailstack}"
case "$MAILSTACK_DIR" in /*) ;; *) MAILSTACK_DIR="$PWD/$MAILSTACK_DIR" ;; esac
MAILSTACK_DIR="${MAILSTACK_DIR%/}"
S="$MAILSTACK_DIR"
S_REAL="$(readlink -m "$S")"

# ---- layout (all port-independent, so pidfiles can always be found) --------
TLS_DIR="$S/tls";           TLS_CERT="$TLS_DIR/cert.pem"; TLS_KEY="$TLS_DIR/key.pem"; TLS_DH="$TLS_DIR/dh.pem"
LOG_DIR="$S/log"
RUN_DIR="$S/run"
DOVECOT_DIR="$S/dovecot";   DOVECOT_CONF="$DOVECOT_DIR/dovecot.conf"; USERS_DIR="$DOVECOT_DIR/users.d"
LEGACY_USERS="$DOVECOT_DIR/users"
DOVECOT_RUN="$RUN_DIR/dovecot"
POSTFIX_CONFIG_DIR="$S/postfix"
POSTFIX_QUEUE_DIR="$S/postfix-queue"
POSTFIX_DATA_DIR="$S/postfix-data"
REDIS_DIR="$S/redis";       REDIS_CONF="$REDIS_DIR/redis.conf"; REDIS_DATA_DIR="$REDIS_DIR/data"
REDIS_PIDFILE="$RUN_DIR/redis.pid"
MAIL_DIR="$S/mail"
SAVED_ENV="$S/stack.env"
DOVECOT_LOG="$LOG_DIR/dovecot.log"

# Unix socket paths are limited to 107 bytes: Dovecot puts sockets under
# base_dir (names up to ~30 bytes), Postfix under queue_directory (postlog by
# absolute path). With a long MAILSTACK_DIR (> 56 bytes) we use a short
# directory SHORT_DIR=/tmp/mailstack-<hash>: Dovecot's base_dir really lives
# there ($S/run/dovecot is a symlink to it; Dovecot resolves symlinks in
# base_dir), and Postfix's queue_directory is set to the symlink
# SHORT_DIR/postfix-queue -> $S/postfix-queue.
SHORT_DIR=""
DOVECOT_BASE_DIR="$DOVECOT_RUN"
POSTFIX_QUEUE_CONF="$POSTFIX_QUEUE_DIR"   # queue_directory in main.cf
if (( ${#S_REAL} > 56 )); then
    SHORT_DIR="/tmp/mailstack-$(printf '%s' "$S_REAL" | md5sum | cut -c1-12)"
    DOVECOT_BASE_DIR="$SHORT_DIR/dovecot"
    POSTFIX_QUEUE_CONF="$SHORT_DIR/postfix-queue"
fi

SETTINGS=(MAILSTACK_IMAP_PORT MAILSTACK_IMAPS_PORT MAILSTACK_LMTP_PORT MAILSTACK_SMTP_PORT
          MAILSTACK_SUBMISSION_PORT MAILSTACK_SUBMISSIONS_PORT MAILSTACK_DOVECOT_AUTH_PORT
          MAILSTACK_REDIS_PORT MAILSTACK_MANAGESIEVE_PORT MAILSTACK_DOMAINS MAILSTACK_MESSAGE_SIZE_LIMIT MAILSTACK_QUOTA)

log()  { printf 'mailstack: %s\n' "$*" >&2; }
die()  { printf 'mailstack: error: %s\n' "$*" >&2; exit 1; }

# load_settings USE_SAVED: environment wins; then (if USE_SAVED) the values
# saved by the last `start`; then the defaults.
load_settings() {
    local use_saved="$1" k v
    if [[ "$use_saved" == 1 && -r "$SAVED_ENV" ]]; then
        while IFS='=' read -r k v; do
            [[ " ${SETTINGS[*]} " == *" $k "* ]] || continue
            [[ -n "${!k+x}" ]] || printf -v "$k" '%s' "$v"
        done < "$SAVED_ENV"
    fi
    : "${MAILSTACK_IMAP_PORT:=21143}" "${MAILSTACK_IMAPS_PORT:=21993}"
    : "${MAILSTACK_LMTP_PORT:=21024}" "${MAILSTACK_SMTP_PORT:=21025}"
    : "${MAILSTACK_SUBMISSION_PORT:=21587}" "${MAILSTACK_SUBMISSIONS_PORT:=21465}"
    : "${MAILSTACK_DOVECOT_AUTH_PORT:=21012}" "${MAILSTACK_REDIS_PORT:=21379}"
    : "${MAILSTACK_MANAGESIEVE_PORT:=21190}"
    : "${MAILSTACK_DOMAINS:=example.test example.org}"
    : "${MAILSTACK_MESSAGE_SIZE_LIMIT:=36700160}" "${MAILSTACK_QUOTA:=2G}"
    for k in MAILSTACK_IMAP_PORT MAILSTACK_IMAPS_PORT MAILSTACK_LMTP_PORT MAILSTACK_SMTP_PORT \
             MAILSTACK_SUBMISSION_PORT MAILSTACK_SUBMISSIONS_PORT MAILSTACK_DOVECOT_AUTH_PORT \
             MAILSTACK_REDIS_PORT MAILSTACK_MANAGESIEVE_PORT MAILSTACK_MESSAGE_SIZE_LIMIT; do
        [[ "${!k}" =~ ^[0-9]+$ ]] || die "$k must be a number, got '${!k}'"
    done
    [[ "$MAILSTACK_QUOTA" =~ ^[0-9]+[KMGT]?$ ]] || die "MAILSTACK_QUOTA must look like 2G, got '$MAILSTACK_QUOTA'"
}

save_settings() {
    local k tmp="$SAVED_ENV.tmp.$$"
    { echo "# settings used by the last 'mailstack.sh start' (read by the other commands)"
      for k in "${SETTINGS[@]}"; do printf '%s=%s\n' "$k" "${!k}"; done; } > "$tmp"
    mv -f "$tmp" "$SAVED_ENV"
}

need_root() { [[ $EUID -eq 0 ]] || die "must run as root"; }

# ---- locking: one mutating command at a time per state dir -----------------
take_lock() {
    mkdir -p "$S"
    exec 9>"$S/.lock"
    flock -w "$DEADLINE_SECS" 9 || die "could not lock $S/.lock (another mailstack.sh running?)"
}

# ---- processes ---------------------------------------------------------------
# alive = exists and is not a zombie (our daemons are reparented to pid 1,
# which may reap them late)
pid_alive() {
    local st
    [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
    st="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    st="${st##*) }"
    [[ "${st:0:1}" != Z ]]
}

# print the pid from PIDFILE if that process is alive and its executable's
# name is EXE (guards against stale pidfiles and reused pids)
pid_from_file() {
    local f="$1" exe="$2" pid real
    [[ -r "$f" ]] || return 1
    read -r pid < "$f" 2>/dev/null || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    pid_alive "$pid" || return 1
    real="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
    [[ "$(basename "${real% (deleted)}")" == "$exe" ]] || return 1
    printf '%s\n' "$pid"
}

dovecot_pid() { pid_from_file "$DOVECOT_RUN/master.pid" dovecot; }
postfix_pid() {
    local pid
    pid="$(pid_from_file "$POSTFIX_QUEUE_DIR/pid/master.pid" master)" || return 1
    # a Postfix master chdir()s to its queue directory: make sure it's ours
    [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$S_REAL/postfix-queue" ]] || return 1
    printf '%s\n' "$pid"
}
redis_pid() {
    local pid
    pid="$(pid_from_file "$REDIS_PIDFILE" redis-check-rdb || pid_from_file "$REDIS_PIDFILE" redis-server)" || return 1
    [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$S_REAL/redis/data" ]] || return 1
    printf '%s\n' "$pid"
}

# ours_pids SERVICE: live processes of SERVICE that belong to this state dir:
# the executable is the service's and the cwd or root directory is inside
# $S (masters and most daemons chdir to base_dir/queue dir/data dir, login
# processes chroot to base_dir/login, mail processes chdir to the user's
# home). Needed because Dovecot children can outlive their master here, and
# they rewrite their argv/environ for ps titles, so nothing else marks them.
ours_pids() {
    local exe_re
    case "$1" in
        dovecot) exe_re='^(/usr/sbin/dovecot|/usr/lib/dovecot/.*)$' ;;
        postfix) exe_re='^/usr/lib/postfix/sbin/.*$' ;;
        redis)   exe_re='/redis-(server|check-rdb)$' ;;
        *) return 1 ;;
    esac
    find /proc/[0-9]* -maxdepth 1 \( -name exe -o -name cwd -o -name root \) \
         -printf '%h\t%f\t%l\n' 2>/dev/null |
    awk -F'\t' -v re="$exe_re" -v s="$S_REAL" -v s2="${SHORT_DIR:-$S_REAL}" -v me="$$" '
        { pid = substr($1, 7); v[pid, $2] = $3; seen[pid] = 1 }
        END {
            for (p in seen) {
                e = v[p, "exe"]; sub(/ \(deleted\)$/, "", e)
                if (p == me || e !~ re) continue
                c = v[p, "cwd"]; r = v[p, "root"]
                if (c == s || index(c, s "/") == 1 || index(r, s "/") == 1 ||
                    c == s2 || index(c, s2 "/") == 1 || index(r, s2 "/") == 1) print p
            }
        }' | while read -r p; do pid_alive "$p" && printf '%s\n' "$p"; done
    return 0
}

# wait_gone DEADLINE_SECS PID...: true once none of the pids is alive
wait_gone() {
    local deadline=$((SECONDS + $1)) p alive; shift
    while :; do
        alive=0
        for p in "$@"; do pid_alive "$p" && { alive=1; break; }; done
        ((alive)) || return 0
        ((SECONDS < deadline)) || return 1
        sleep 0.02
    done
}

# stop_service NAME MASTER_PID: SIGTERM the master and wait for it; then
# SIGTERM whatever process of this service (see ours_pids) is left (Dovecot leaves
# imap/auth/anvil/... running when its master exits here), the log process
# last so the others' last lines get written; SIGKILL after a deadline.
stop_service() {
    local name="$1" pid="$2" p
    local -a left rest logp
    if [[ "$pid" =~ ^[1-9][0-9]*$ ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        wait_gone 10 "$pid" || { log "$name master $pid ignored SIGTERM for 10s, killing it"; kill -KILL "$pid" 2>/dev/null || true; }
    fi
    mapfile -t left < <(ours_pids "$name")
    ((${#left[@]})) || return 0
    rest=(); logp=()
    for p in "${left[@]}"; do
        if [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == log ]]; then logp+=("$p"); else rest+=("$p"); fi
    done
    if ((${#rest[@]})); then
        kill -TERM "${rest[@]}" 2>/dev/null || true
        wait_gone 5 "${rest[@]}" || true
    fi
    mapfile -t left < <(ours_pids "$name")
    ((${#left[@]})) || return 0
    kill -TERM "${left[@]}" 2>/dev/null || true
    if ! wait_gone 5 "${left[@]}"; then
        mapfile -t left < <(ours_pids "$name")
        if ((${#left[@]})); then
            log "$name: killing leftover processes ${left[*]}"
            kill -KILL "${left[@]}" 2>/dev/null || true
            wait_gone 5 "${left[@]}" || log "$name: processes ${left[*]} survived SIGKILL"
        fi
    fi
}

# ---- ports -------------------------------------------------------------------
# true if something LISTENs on 127.0.0.1:PORT or 0.0.0.0:PORT (no connection
# is made, so nothing is logged by the servers)
port_listening() {
    local hex
    hex="$(printf '%04X' "$1")"
    grep -qE "^ *[0-9]+: (0100007F|00000000):$hex [0-9A-F]{8}:[0-9A-F]{4} 0A " /proc/net/tcp 2>/dev/null
}

wait_ports() {  # wait_ports NAME PID PORT...
    local name="$1" pid="$2"; shift 2
    local deadline=$((SECONDS + DEADLINE_SECS)) p pending
    while :; do
        pending=()
        for p in "$@"; do port_listening "$p" || pending+=("$p"); done
        ((${#pending[@]})) || return 0
        if [[ -n "$pid" ]] && ! pid_alive "$pid"; then
            die "$name exited while starting; see $LOG_DIR"
        fi
        ((SECONDS < deadline)) || die "$name: port(s) ${pending[*]} not listening after ${DEADLINE_SECS}s; see $LOG_DIR"
        sleep 0.02
    done
}

check_ports_free() {  # NAME PORT...
    local name="$1" p; shift
    for p in "$@"; do
        port_listening "$p" && die "$name: 127.0.0.1:$p is already in use by another process (set MAILSTACK_*_PORT)"
    done
    return 0
}

# ---- templates -----------------------------------------------------------------
# render TEMPLATE OUT NAME=VALUE...: replace {{NAME}}; writes OUT only if it
# changed; returns 0 if it changed, 1 if not.
render() {
    local tmpl="$1" out="$2" content kv name val; shift 2
    content="$(<"$TMPL_DIR/$tmpl")"
    for kv in "$@"; do
        name="${kv%%=*}"; val="${kv#*=}"
        content="${content//"{{$name}}"/"$val"}"
    done
    # as "$(<file)" reads it back (an empty last placeholder leaves a trailing newline)
    while [[ "$content" == *$'\n' ]]; do content="${content%$'\n'}"; done
    if [[ "$content" =~ \{\{[A-Z_]+\}\} ]]; then
        die "template $tmpl: unreplaced placeholder ${BASH_REMATCH[0]}"
    fi
    if [[ -f "$out" ]] && [[ "$(<"$out")" == "$content" ]]; then return 1; fi
    printf '%s\n' "$content" > "$out.tmp.$$"
    mv -f "$out.tmp.$$" "$out"
    return 0
}

mail_ids() {
    MAIL_UID="$(id -u "$MAIL_USER")"; MAIL_GID="$(id -g "$MAIL_USER")"
}

render_dovecot() {
    local extra="" f="${MAILSTACK_DOVECOT_EXTRA_CONF:-}"
    if [[ -n "$f" ]]; then
        case "$f" in /*) ;; *) f="$PWD/$f" ;; esac
        [[ -r "$f" ]] || die "MAILSTACK_DOVECOT_EXTRA_CONF=$f is not readable"
        extra="# MAILSTACK_DOVECOT_EXTRA_CONF
!include $f"
    fi
    mail_ids
    DOVECOT_CONF_CHANGED=0
    render dovecot.conf.tmpl "$DOVECOT_CONF" \
        "STATE_DIR=$S" "LOG_DIR=$LOG_DIR" "DOVECOT_DIR=$DOVECOT_DIR" \
        "DOVECOT_BASE_DIR=$DOVECOT_BASE_DIR" "MAIL_DIR=$MAIL_DIR" \
        "MAIL_UID=$MAIL_UID" "MAIL_GID=$MAIL_GID" "QUOTA=$MAILSTACK_QUOTA" \
        "TLS_CERT=$TLS_CERT" "TLS_KEY=$TLS_KEY" "TLS_DH=$TLS_DH" \
        "IMAP_PORT=$MAILSTACK_IMAP_PORT" "IMAPS_PORT=$MAILSTACK_IMAPS_PORT" \
        "LMTP_PORT=$MAILSTACK_LMTP_PORT" "DOVECOT_AUTH_PORT=$MAILSTACK_DOVECOT_AUTH_PORT" \
        "MANAGESIEVE_PORT=$MAILSTACK_MANAGESIEVE_PORT" "SMTP_PORT=$MAILSTACK_SMTP_PORT" \
        "DOVECOT_EXTRA_INCLUDE=$extra" && DOVECOT_CONF_CHANGED=1
    return 0
}

# domains Postfix accepts: MAILSTACK_DOMAINS + every domain in the passwd-file
postfix_domains() {
    local d
    { for d in $MAILSTACK_DOMAINS; do echo "$d"; done
      list_users | sed -n 's/^[^@]*@//p'
    } | tr 'A-Z' 'a-z' | awk 'NF && !seen[$0]++' | paste -sd' ' -
}

# returns 0 if main.cf/master.cf changed
render_postfix() {
    local changed=1
    mkdir -p "$POSTFIX_CONFIG_DIR"
    render postfix-main.cf.tmpl "$POSTFIX_CONFIG_DIR/main.cf" \
        "STATE_DIR=$S" "POSTFIX_CONFIG_DIR=$POSTFIX_CONFIG_DIR" "POSTFIX_QUEUE_DIR=$POSTFIX_QUEUE_CONF" \
        "POSTFIX_DATA_DIR=$POSTFIX_DATA_DIR" "LOG_DIR=$LOG_DIR" \
        "POSTFIX_DOMAINS=$(postfix_domains)" "LMTP_PORT=$MAILSTACK_LMTP_PORT" \
        "MESSAGE_SIZE_LIMIT=$MAILSTACK_MESSAGE_SIZE_LIMIT" \
        "DOVECOT_AUTH_PORT=$MAILSTACK_DOVECOT_AUTH_PORT" \
        "TLS_CERT=$TLS_CERT" "TLS_KEY=$TLS_KEY" && changed=0
    render postfix-master.cf.tmpl "$POSTFIX_CONFIG_DIR/master.cf" \
        "SMTP_PORT=$MAILSTACK_SMTP_PORT" "SUBMISSION_PORT=$MAILSTACK_SUBMISSION_PORT" \
        "SUBMISSIONS_PORT=$MAILSTACK_SUBMISSIONS_PORT" && changed=0
    # Postfix programs refuse to read a main.cf modified within the last
    # second (they poll it every 0.3s until it is older): backdate it.
    ((changed)) || touch -d "@$(( $(date +%s) - 2 ))" "$POSTFIX_CONFIG_DIR/main.cf" "$POSTFIX_CONFIG_DIR/master.cf"
    return $changed
}

# install_map NAME: stdin becomes hash:$POSTFIX_CONFIG_DIR/NAME. Built beside and
# renamed into place, so a running smtpd sees the old .db unlinked and
# restarts itself before its next connection ("table has changed").
install_map() {
    local src="$POSTFIX_CONFIG_DIR/$1" tmp="$POSTFIX_CONFIG_DIR/$1.new.$$"
    cat > "$tmp"
    if [[ -f "$src" && -f "$src.db" ]] && cmp -s "$tmp" "$src"; then rm -f "$tmp"; return 0; fi
    postmap -c "$POSTFIX_CONFIG_DIR" "hash:$tmp"
    mv -f "$tmp.db" "$src.db"
    mv -f "$tmp" "$src"
}

# virtual_mailbox_maps: one line per passwd-file user. smtpd_sender_login_maps:
# each user's address is owned by that login (the SASL name Dovecot returns,
# lower-cased like the files), plus the operator's alias lines, if any, from
# $POSTFIX_CONFIG_DIR/sender_logins.local ("alias@domain login1,login2").
build_postfix_maps() {
    { echo "# GENERATED from $USERS_DIR by mailstack.sh"
      list_users | awk 'NF {print $1 "\tOK"}'
    } | install_map vmailbox
    { echo "# GENERATED from $USERS_DIR by mailstack.sh: MAIL FROM address -> logins that may use it"
      list_users | awk 'NF {print $1 "\t" $1}'
      if [[ -f "$POSTFIX_CONFIG_DIR/sender_logins.local" ]]; then cat "$POSTFIX_CONFIG_DIR/sender_logins.local"; fi
    } | install_map sender_logins
}

render_redis() {
    render redis.conf.tmpl "$REDIS_CONF" "REDIS_PORT=$MAILSTACK_REDIS_PORT" \
        "RUN_DIR=$RUN_DIR" "LOG_DIR=$LOG_DIR" "REDIS_DATA_DIR=$REDIS_DATA_DIR" || true
}

# ---- install -----------------------------------------------------------------
ensure_mail_user() {
    if ! getent passwd "$MAIL_USER" >/dev/null; then
        log "creating system user $MAIL_USER"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin --comment "webmail dev mail stack" "$MAIL_USER"
    fi
}

warn_system_daemons() {
    local f pid
    for f in /run/dovecot/master.pid /var/spool/postfix/pid/master.pid \
             /run/redis/redis-server.pid /var/run/redis/redis-server.pid; do
        [[ -r "$f" ]] || continue
        read -r pid < "$f" 2>/dev/null || continue
        if [[ "$pid" =~ ^[0-9]+$ ]] && pid_alive "$pid"; then
            log "warning: a system daemon is running (pid $pid from $f); it is not ours, leaving it alone"
        fi
    done
}

cmd_install() {
    need_root
    local p missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        # keep the packages' maintainer scripts from starting system daemons
        local made_policy=0
        if [[ ! -e /usr/sbin/policy-rc.d ]]; then
            printf '#!/bin/sh\n# temporary, by webmail scripts/mailstack.sh install\nexit 101\n' > /usr/sbin/policy-rc.d
            chmod 755 /usr/sbin/policy-rc.d
            made_policy=1
            trap 'rm -f /usr/sbin/policy-rc.d' EXIT
        fi
        if [[ " ${missing[*]} " == *" postfix "* ]] && command -v debconf-set-selections >/dev/null; then
            echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections || true
        fi
        local rc=0
        { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } || rc=$?
        if ((made_policy)); then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
        ((rc == 0)) || die "apt-get failed (rc=$rc)"
    fi
    ensure_mail_user
    warn_system_daemons
    ((${#missing[@]})) && log "installed: ${missing[*]}" || log "all packages present"
}

binaries_present() {
    local b
    for b in "${BINARIES[@]}"; do command -v "$b" >/dev/null || return 1; done
}

# ---- state dir ---------------------------------------------------------------
# Dovecot's mail processes (uid wmvmail), its auth process (uid dovecot) and
# Postfix (uid postfix) must be able to reach into $S
check_traversable() {
    local d="$S_REAL" mode
    while [[ -n "$d" && "$d" != / ]]; do
        d="$(dirname "$d")"
        [[ -d "$d" ]] || continue
        mode="$(stat -c %A "$d")"
        [[ "${mode:9:1}" == [xt] ]] || die "$d is not searchable by other users (mode $mode); the mail daemons' users must reach $S: chmod o+x $d, or set MAILSTACK_DIR elsewhere"
    done
}

prepare_state() {
    mail_ids
    check_traversable
    mkdir -p "$S" "$LOG_DIR" "$RUN_DIR" "$TLS_DIR" "$DOVECOT_DIR" "$S/lib/dovecot" \
             "$POSTFIX_CONFIG_DIR" "$POSTFIX_QUEUE_DIR" "$POSTFIX_DATA_DIR" \
             "$REDIS_DIR" "$REDIS_DATA_DIR"
    chmod 755 "$S" "$LOG_DIR" "$RUN_DIR" "$DOVECOT_DIR" "$POSTFIX_CONFIG_DIR"
    chown root:root "$POSTFIX_QUEUE_DIR"
    chown postfix:postfix "$POSTFIX_DATA_DIR"
    chmod 700 "$REDIS_DATA_DIR" "$TLS_DIR"
    [[ -d "$MAIL_DIR" ]] || install -d -o "$MAIL_UID" -g "$MAIL_GID" -m 0750 "$MAIL_DIR"
    mkdir -p "$USERS_DIR"
    chown root:dovecot "$USERS_DIR"; chmod 750 "$USERS_DIR"
    # An early version kept all users in one file, $DOVECOT_DIR/users: copy
    # them to users.d/. The file itself is kept (and updated by adduser and
    # deluser) while a Dovecot started with that old config may still read it;
    # start_dovecot retires it.
    if [[ -f "$LEGACY_USERS" ]]; then
        local u p rest
        while IFS=: read -r u p rest; do
            [[ -n "$u" && -n "$p" && ! -e "$USERS_DIR/$u" ]] || continue
            valid_email "$u" && write_user_file "$USERS_DIR/$u" "$u:$p::::::"
        done < "$LEGACY_USERS"
    fi
    if [[ -n "$SHORT_DIR" ]]; then
        mkdir -p "$SHORT_DIR/dovecot"; chmod 755 "$SHORT_DIR"
        if [[ -d "$DOVECOT_RUN" && ! -L "$DOVECOT_RUN" ]] && ! dovecot_pid >/dev/null; then
            rm -rf -- "$DOVECOT_RUN"
        fi
        [[ -L "$DOVECOT_RUN" ]] || ln -sfn "$SHORT_DIR/dovecot" "$DOVECOT_RUN"
        [[ -L "$SHORT_DIR/postfix-queue" ]] || ln -sfn "$S_REAL/postfix-queue" "$SHORT_DIR/postfix-queue"
    fi
    ensure_tls
}

ensure_tls() {
    if [[ ! -s "$TLS_CERT" || ! -s "$TLS_KEY" ]]; then
        log "creating self-signed certificate $TLS_CERT"
        local cnf="$TLS_DIR/openssl.cnf"
        cat > "$cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = ext
[dn]
CN = localhost
O = webmail dev mail stack
[ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyEncipherment, keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
        openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 \
            -config "$cnf" -keyout "$TLS_KEY.tmp" -out "$TLS_CERT.tmp" 2>"$LOG_DIR/openssl.log" \
            || die "openssl req failed; see $LOG_DIR/openssl.log"
        chmod 600 "$TLS_KEY.tmp"; chmod 644 "$TLS_CERT.tmp"
        mv -f "$TLS_KEY.tmp" "$TLS_KEY"; mv -f "$TLS_CERT.tmp" "$TLS_CERT"
    fi
    if [[ ! -s "$TLS_DH" ]]; then
        if [[ -s /usr/share/dovecot/dh.pem ]]; then
            cp /usr/share/dovecot/dh.pem "$TLS_DH"
        else
            openssl dhparam -dsaparam -out "$TLS_DH" 2048 2>/dev/null || die "openssl dhparam failed"
        fi
    fi
}

# ---- services ------------------------------------------------------------------
DOVECOT_PORTS() { echo "$MAILSTACK_IMAP_PORT $MAILSTACK_IMAPS_PORT $MAILSTACK_LMTP_PORT $MAILSTACK_DOVECOT_AUTH_PORT $MAILSTACK_MANAGESIEVE_PORT"; }
POSTFIX_PORTS() { echo "$MAILSTACK_SMTP_PORT $MAILSTACK_SUBMISSION_PORT $MAILSTACK_SUBMISSIONS_PORT"; }

start_dovecot() {
    if dovecot_pid >/dev/null; then
        # a Dovecot started from an older config (e.g. before ManageSieve was added) is
        # restarted, so `start` always leaves the configured services listening
        render_dovecot
        ((DOVECOT_CONF_CHANGED)) || return 0
        log "dovecot config changed: restarting dovecot"
        stop_dovecot
    fi
    stop_service dovecot 0   # leftovers of a master that died
    # shellcheck disable=SC2046
    check_ports_free dovecot $(DOVECOT_PORTS)
    render_dovecot
    [[ -f "$LEGACY_USERS" ]] && mv -f "$LEGACY_USERS" "$LEGACY_USERS.migrated"
    local out
    if ! out="$(dovecot -c "$DOVECOT_CONF" -n 2>&1 >/dev/null)"; then
        die "dovecot config invalid: $out"
    fi
    dovecot -c "$DOVECOT_CONF" </dev/null >>"$LOG_DIR/dovecot-start.log" 2>&1 9>&- \
        || die "dovecot failed to start; see $LOG_DIR/dovecot-start.log and $DOVECOT_LOG"
    # shellcheck disable=SC2046
    await_service dovecot dovecot_pid "$DOVECOT_LOG" $(DOVECOT_PORTS)
}

# await_service NAME PID_FUNCTION LOGS PORT...: wait (with a deadline) until the service has
# a pid, then until it listens on its ports.
await_service() {
    local name=$1 pid_function=$2 logs=$3 deadline=$((SECONDS + DEADLINE_SECS)) pid=""
    shift 3
    until pid="$("$pid_function")"; do
        ((SECONDS < deadline)) || die "$name did not start; see $logs"
        sleep 0.02
    done
    wait_ports "$name" "$pid" "$@"
}

stop_dovecot() {
    local pid
    pid="$(dovecot_pid)" || pid=0
    stop_service dovecot "$pid"
    rm -f "$DOVECOT_RUN/master.pid"
}

start_postfix() {
    postfix_pid >/dev/null && return 0
    stop_service postfix 0   # leftovers of a master that died
    # shellcheck disable=SC2046
    check_ports_free postfix $(POSTFIX_PORTS)
    render_postfix || true
    build_postfix_maps
    postfix -c "$POSTFIX_CONFIG_DIR" start </dev/null >>"$LOG_DIR/postfix-start.log" 2>&1 9>&- \
        || die "postfix failed to start; see $LOG_DIR/postfix-start.log and $LOG_DIR/postfix.log"
    # shellcheck disable=SC2046
    await_service postfix postfix_pid "$LOG_DIR/postfix.log" $(POSTFIX_PORTS)
}

stop_postfix() {
    local pid
    pid="$(postfix_pid)" || pid=0
    stop_service postfix "$pid"
    rm -f "$POSTFIX_QUEUE_DIR/pid/master.pid"
}

start_redis() {
    redis_pid >/dev/null && return 0
    stop_service redis 0   # leftovers of a master that died
    check_ports_free redis "$MAILSTACK_REDIS_PORT"
    render_redis
    redis-server "$REDIS_CONF" </dev/null >>"$LOG_DIR/redis-start.log" 2>&1 9>&- \
        || die "redis failed to start; see $LOG_DIR/redis.log"
    # shellcheck disable=SC2046
    await_service redis redis_pid "$LOG_DIR/redis.log" "$MAILSTACK_REDIS_PORT"
}

stop_redis() {
    local pid
    pid="$(redis_pid)" || pid=0
    stop_service redis "$pid"
    rm -f "$REDIS_PIDFILE"
}

any_running() { dovecot_pid >/dev/null || postfix_pid >/dev/null || redis_pid >/dev/null; }

status_line() {
    local d p r
    d="$(dovecot_pid || echo -)"; p="$(postfix_pid || echo -)"; r="$(redis_pid || echo -)"
    printf 'mailstack: %s dovecot[%s] imap=%s imaps=%s lmtp=%s auth=%s managesieve=%s | postfix[%s] smtp=%s submission=%s submissions=%s | redis[%s] port=%s | %s\n' \
        "$1" "$d" "$MAILSTACK_IMAP_PORT" "$MAILSTACK_IMAPS_PORT" "$MAILSTACK_LMTP_PORT" \
        "$MAILSTACK_DOVECOT_AUTH_PORT" "$MAILSTACK_MANAGESIEVE_PORT" "$p" "$MAILSTACK_SMTP_PORT" "$MAILSTACK_SUBMISSION_PORT" \
        "$MAILSTACK_SUBMISSIONS_PORT" "$r" "$MAILSTACK_REDIS_PORT" "$S"
}

# ---- commands ------------------------------------------------------------------
cmd_start() {
    need_root
    binaries_present || cmd_install
    ensure_mail_user
    take_lock
    load_settings 1
    prepare_state
    save_settings
    local was=0
    dovecot_pid >/dev/null && postfix_pid >/dev/null && redis_pid >/dev/null && was=1
    start_redis
    start_dovecot
    start_postfix
    if ((was)); then status_line "already running:"; else status_line "up:"; fi
}

cmd_stop() {
    need_root
    load_settings 1
    [[ -d "$S" ]] || { log "nothing to stop ($S does not exist)"; return 0; }
    take_lock
    stop_postfix
    stop_dovecot
    stop_redis
    # Cyrus and Courier, if scripts/imapservers.sh started them for this state dir.
    [[ ! -f "$S/imapservers.env" ]] || MAILSTACK_DIR="$S" bash "$SCRIPT_DIR/imapservers.sh" stop 9>&- || true
    # Radicale (the address book), if scripts/radicale.sh started it for this state dir.
    [[ ! -f "$S/radicale/radicale.pid" ]] || MAILSTACK_DIR="$S" bash "$SCRIPT_DIR/radicale.sh" stop 9>&- || true
    # The second Dovecot, with full-text search, if scripts/ftsdovecot.sh started it beside this stack.
    [[ ! -f "$S-fts/ftsdovecot.env" ]] || MAILSTACK_DIR="$S" bash "$SCRIPT_DIR/ftsdovecot.sh" stop 9>&- || true
    log "stopped ($S)"
}

cmd_status() {
    load_settings 1
    local rc=0 pid
    if pid="$(dovecot_pid)"; then
        local dp=""; for p in $(DOVECOT_PORTS); do port_listening "$p" || { dp+=" $p"; rc=1; }; done
        echo "dovecot: running pid $pid imap=$MAILSTACK_IMAP_PORT imaps=$MAILSTACK_IMAPS_PORT lmtp=$MAILSTACK_LMTP_PORT auth=$MAILSTACK_DOVECOT_AUTH_PORT managesieve=$MAILSTACK_MANAGESIEVE_PORT${dp:+ (NOT listening:$dp)}"
    else echo "dovecot: stopped"; rc=1; fi
    if pid="$(postfix_pid)"; then
        local pp=""; for p in $(POSTFIX_PORTS); do port_listening "$p" || { pp+=" $p"; rc=1; }; done
        echo "postfix: running pid $pid smtp=$MAILSTACK_SMTP_PORT submission=$MAILSTACK_SUBMISSION_PORT submissions=$MAILSTACK_SUBMISSIONS_PORT${pp:+ (NOT listening:$pp)}"
    else echo "postfix: stopped"; rc=1; fi
    if pid="$(redis_pid)"; then
        local rp=""; port_listening "$MAILSTACK_REDIS_PORT" || { rp=" $MAILSTACK_REDIS_PORT"; rc=1; }
        echo "redis: running pid $pid port=$MAILSTACK_REDIS_PORT${rp:+ (NOT listening:$rp)}"
    else echo "redis: stopped"; rc=1; fi
    echo "state dir: $S"
    return $rc
}

cmd_restart_dovecot() {
    need_root
    take_lock
    load_settings 1
    prepare_state
    stop_dovecot
    start_dovecot
    log "dovecot restarted (pid $(dovecot_pid))"
}

# Dovecot's default auth_username_chars, and no "..", no leading dot
valid_email() {
    [[ "$1" =~ ^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z0-9-]+$ ]] && [[ "$1" != *..* ]] && [[ "$1" != .* ]]
}

# after the passwd-file changed: rebuild Postfix's recipient map, and reload
# Postfix if the set of domains changed
sync_postfix_users() {
    local changed=1
    render_postfix && changed=0
    build_postfix_maps
    local pid
    if ((changed == 0)) && pid="$(postfix_pid)"; then
        # what "postfix reload" does, minus its slow integrity checks
        kill -HUP "$pid" 2>/dev/null || true
    fi
}

# One passwd-file per user (users.d/<email>): Dovecot re-stat()s a
# passwd-file at most once per second and reloads it only if its mtime or
# size changed, so with one shared file a user added right after another
# login would stay unknown for up to a second, and a same-length rewrite in
# the same second would never be noticed. A new per-user file is read on its
# first lookup.
write_user_file() {  # PATH LINE
    local f="$1" tmp="$1.tmp.$$" oldm now
    printf '%s\n' "$2" > "$tmp"
    chown root:dovecot "$tmp"; chmod 640 "$tmp"
    # make sure the mtime differs from the replaced file's
    if [[ -f "$f" ]]; then
        oldm="$(stat -c %Y "$f")"; now="$(date +%s)"
        ((now > oldm)) || touch -d "@$((oldm + 1))" "$tmp"
    fi
    mv -f "$tmp" "$f"
}

# keep the legacy single users file (see prepare_state) in step, if present
legacy_users_set() {  # EMAIL [LINE]: drop EMAIL's line, append LINE if given
    [[ -f "$LEGACY_USERS" ]] || return 0
    local tmp="$LEGACY_USERS.tmp.$$"
    awk -F: -v u="$1" '$1 != u' "$LEGACY_USERS" > "$tmp"
    [[ -n "${2:-}" ]] && printf '%s\n' "$2" >> "$tmp"
    chown root:dovecot "$tmp"; chmod 640 "$tmp"
    mv -f "$tmp" "$LEGACY_USERS"
}

# After a password change or a deletion, Dovecot may still use the old
# file for the rest of the current second (if it looked it up in this
# second): wait for the next second to begin, then it is guaranteed to re-stat.
wait_auth_resync() {
    local now="${EPOCHREALTIME/,/.}" us rem
    us="${now#*.}"; us=$((10#${us:0:6}))
    rem=$((1000000 - us + 10000))   # to the next second, plus 10ms
    sleep "$((rem / 1000000)).$(printf '%06d' $((rem % 1000000)))"
}

cmd_adduser() {
    need_root
    local quota=""
    if [[ "${1:-}" == --quota ]]; then
        quota="${2:-}"; shift 2 || die "usage: $0 adduser [--quota QUOTA] EMAIL PASSWORD [EMAIL PASSWORD...]"
        # A storage quota of these users' own (the quota meter's tests), else MAILSTACK_QUOTA's.
        [[ "$quota" =~ ^[0-9]+[KMGT]?$ ]] || die "QUOTA must look like 2G or 500K, got '$quota'"
    fi
    [[ $# -ge 2 && $(($# % 2)) -eq 0 ]] || die "usage: $0 adduser [--quota QUOTA] EMAIL PASSWORD [EMAIL PASSWORD...]"
    ensure_mail_user
    take_lock
    load_settings 1
    prepare_state
    PASSWORD_CHANGED=0
    while (($#)); do
        add_one_user "$1" "$2" "$quota"
        shift 2
    done
    # a changed password: see wait_auth_resync
    ((PASSWORD_CHANGED == 0)) || wait_auth_resync
    # one Postfix map rebuild for all of them (the tests add users in batches)
    sync_postfix_users
}

# Writes one user's passwd-file and home; sets PASSWORD_CHANGED=1 when an existing user's
# password changed.
add_one_user() {  # EMAIL PASSWORD [QUOTA]
    local email pw="$2" hash extra=""
    email="$(printf '%s' "$1" | tr 'A-Z' 'a-z')"
    valid_email "$email" || die "invalid email address: $1"
    [[ "$pw" != *$'\n'* ]] || die "password must not contain a newline"
    [[ -z "${3:-}" ]] || extra="userdb_quota_rule=*:storage=$3"
    local f="$USERS_DIR/$email" old="" old_extra="" salt
    [[ -f "$f" ]] && old="$(cut -d: -f2 "$f" | head -n1)" && old_extra="$(head -n1 "$f" | cut -d: -f8-)"
    if [[ "$old" == '{SHA512-CRYPT}$6$'* ]]; then
        salt="${old#'{SHA512-CRYPT}$6$'}"; salt="${salt%%\$*}"
        hash="$(printf '%s\n' "$pw" | openssl passwd -6 -salt "$salt" -stdin)"
    else
        hash="$(printf '%s\n' "$pw" | openssl passwd -6 -stdin)"
    fi
    if [[ "$old" != "{SHA512-CRYPT}$hash" || "$old_extra" != "$extra" ]]; then
        write_user_file "$f" "$email:{SHA512-CRYPT}$hash::::::$extra"
        legacy_users_set "$email" "$email:{SHA512-CRYPT}$hash::::::$extra"
        [[ -z "$old" ]] || PASSWORD_CHANGED=1
    fi
    local local_part="${email%@*}" domain="${email#*@}" home
    home="$MAIL_DIR/$domain/$local_part"
    install -d -o "$MAIL_UID" -g "$MAIL_GID" -m 0750 "$MAIL_DIR/$domain"
    install -d -o "$MAIL_UID" -g "$MAIL_GID" -m 0700 "$home" "$home/Maildir" "$home/Maildir/INBOX" \
        "$home/Maildir/INBOX/cur" "$home/Maildir/INBOX/new" "$home/Maildir/INBOX/tmp"
    echo "$email $home"
}

cmd_deluser() {
    need_root
    [[ $# -ge 1 ]] || die "usage: $0 deluser EMAIL..."
    local email raw removed=0
    local -a emails=()
    for raw in "$@"; do
        email="$(printf '%s' "$raw" | tr 'A-Z' 'a-z')"
        valid_email "$email" || die "invalid email address: $raw"
        emails+=("$email")
    done
    take_lock
    load_settings 1
    for email in "${emails[@]}"; do
        legacy_users_set "$email"
        if [[ -f "$USERS_DIR/$email" ]]; then
            rm -f -- "$USERS_DIR/$email"
            removed=1
        else
            log "no such user: $email"
        fi
    done
    # one wait for all of them (see wait_auth_resync)
    ((removed)) && wait_auth_resync
    for email in "${emails[@]}"; do
        if dovecot_pid >/dev/null; then
            doveadm -c "$DOVECOT_CONF" kick "$email" >/dev/null 2>&1 9>&- || true
        fi
        local home="$MAIL_DIR/${email#*@}/${email%@*}"
        [[ -d "$home" ]] && rm -rf -- "$home"
    done
    sync_postfix_users
    for email in "${emails[@]}"; do echo "deleted $email"; done
}

list_users() {
    [[ -d "$USERS_DIR" ]] || return 0
    find "$USERS_DIR" -mindepth 1 -maxdepth 1 -type f -name '*@*' ! -name '.*' -printf '%f\n' | LC_ALL=C sort
}

cmd_users() { list_users; }

cmd_doveadm() {
    need_root
    if [[ ! -f "$DOVECOT_CONF" ]]; then
        ensure_mail_user; take_lock; load_settings 1; prepare_state; render_dovecot
        exec 9>&-
    fi
    exec doveadm -c "$DOVECOT_CONF" "$@"
}

cmd_env() {
    load_settings 1
    local k v
    for kv in \
        "WEBMAIL_IMAP_HOST=127.0.0.1" \
        "WEBMAIL_IMAP_PORT=$MAILSTACK_IMAP_PORT" \
        "WEBMAIL_IMAP_SECURITY=starttls" \
        "WEBMAIL_IMAP_CA_FILE=$TLS_CERT" \
        "WEBMAIL_SMTP_HOST=127.0.0.1" \
        "WEBMAIL_SMTP_PORT=$MAILSTACK_SUBMISSION_PORT" \
        "WEBMAIL_SMTP_SECURITY=starttls" \
        "WEBMAIL_SMTP_CA_FILE=$TLS_CERT" \
        "WEBMAIL_MANAGESIEVE_HOST=127.0.0.1" \
        "WEBMAIL_MANAGESIEVE_PORT=$MAILSTACK_MANAGESIEVE_PORT" \
        "WEBMAIL_MANAGESIEVE_SECURITY=starttls" \
        "REDIS_URL=redis://127.0.0.1:$MAILSTACK_REDIS_PORT/0" \
        "CELERY_BROKER_URL=redis://127.0.0.1:$MAILSTACK_REDIS_PORT/1" \
        "MAILSTACK_DIR=$S" \
        "MAILSTACK_DOVECOT_LOG=$DOVECOT_LOG" \
        "MAILSTACK_POSTFIX_LOG=$LOG_DIR/postfix.log" \
        "MAILSTACK_CA_FILE=$TLS_CERT" \
        "MAILSTACK_IMAP_PORT=$MAILSTACK_IMAP_PORT" \
        "MAILSTACK_IMAPS_PORT=$MAILSTACK_IMAPS_PORT" \
        "MAILSTACK_LMTP_PORT=$MAILSTACK_LMTP_PORT" \
        "MAILSTACK_SMTP_PORT=$MAILSTACK_SMTP_PORT" \
        "MAILSTACK_SUBMISSION_PORT=$MAILSTACK_SUBMISSION_PORT" \
        "MAILSTACK_SUBMISSIONS_PORT=$MAILSTACK_SUBMISSIONS_PORT" \
        "MAILSTACK_DOVECOT_AUTH_PORT=$MAILSTACK_DOVECOT_AUTH_PORT" \
        "MAILSTACK_REDIS_PORT=$MAILSTACK_REDIS_PORT" \
        "MAILSTACK_MANAGESIEVE_PORT=$MAILSTACK_MANAGESIEVE_PORT"; do
        k="${kv%%=*}"; v="${kv#*=}"
        printf 'export %s=%q\n' "$k" "$v"
    done
}

usage() { sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

main() {
    local cmd="${1:-}"; shift || true
    case "$cmd" in
        install)          cmd_install "$@" ;;
        start)            cmd_start "$@" ;;
        stop)             cmd_stop "$@" ;;
        status)           cmd_status "$@" ;;
        restart-dovecot)  cmd_restart_dovecot "$@" ;;
        adduser)          cmd_adduser "$@" ;;
        deluser)          cmd_deluser "$@" ;;
        users)            cmd_users "$@" ;;
        doveadm)          cmd_doveadm "$@" ;;
        env)              cmd_env "$@" ;;
        -h|--help|help)   usage ;;
        *)                usage >&2; exit 2 ;;
    esac
}

main "$@"
