#!/usr/bin/env bash
# scripts/imapservers.sh -- Cyrus IMAP and Courier IMAP beside the mail stack's Dovecot,
# so the app is tested against three real servers (issue #14). Loopback only; state in
# $MAILSTACK_DIR/cyrus and $MAILSTACK_DIR/courier. Must run as root (Debian 12).
#
# Usage: scripts/imapservers.sh COMMAND [ARGS]
#   install                    the Debian packages (see below)
#   start | stop | status      both servers (start is idempotent)
#   adduser SERVER EMAIL PASSWORD   SERVER is cyrus or courier; the mailbox is made at once
#   deluser SERVER EMAIL...    remove users and their mail
#   env                        `export` lines for the tests
#
# Environment (defaults): MAILSTACK_DIR=<repo>/var/mailstack
#   MAILSTACK_CYRUS_PORT=21243 (STARTTLS)   MAILSTACK_COURIER_PORT=21343 (STARTTLS, required before
#   LOGIN: couriertls with the stack's certificate, readable by the courier user it runs as)
#   IMAPSERVERS_PREFIX=/opt/webmail-imapservers  where the two servers' binaries are unpacked
#
# The servers and what they are like (what the tests rely on):
# - Cyrus 3.6: logins are local parts (`virtdomains: off`: alice@cyrus.test logs in as
#   `alice`), passwords in its own sasldb; folders at the top level (altnamespace) with "/"
#   as separator; a new INBOX gets Drafts, Sent, Trash, Junk and Archive with their
#   special-use attributes at the first login. Advertises ESORT but refuses PARTIAL.
# - Courier 5.0: logins are whole addresses (courier-authlib's userdb); every folder under
#   "INBOX." (NAMESPACE), no special folders until a client makes them, no LIST-EXTENDED,
#   SPECIAL-USE, MOVE, ESORT or CONDSTORE.
#
# Packages. `cyrus-imapd` and `courier-imap` conflict with Dovecot's `dovecot-imapd`
# (they all provide imap-server), so apt cannot install them beside it. Everything else
# (cyrus-common, courier-base, courier-authdaemon, sasl2-bin) is installed with apt;
# the two server packages are fetched with `apt-get download` and unpacked (dpkg-deb -x)
# under $IMAPSERVERS_PREFIX, and run from there.
#
# Courier's authentication is courier-authlib's authdaemond, whose paths are compiled in:
# /etc/courier/authdaemonrc (this script sets authmodulelist="authuserdb"), the socket in
# /run/courier/authdaemon, and /etc/courier/userdb (a directory: each state dir keeps its
# users in its own file there). So one authdaemond serves every stack on the machine.
#
# `stop` ends each server's whole process tree (children left holding the port by a master
# that died included), and `start` first ends such leftovers of an earlier run in the same
# state directory: only processes of these servers' executables whose working directory,
# command line, open files or listening socket are this stack's (scripts/stackdir.sh).
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/stackdir.sh
source "$SCRIPT_DIR/stackdir.sh"
SAVED_ENV="$S/imapservers.env"
PREFIX="${IMAPSERVERS_PREFIX:-/opt/webmail-imapservers}"
APT_PACKAGES=(cyrus-common sasl2-bin courier-base courier-authdaemon courier-authlib-userdb)

CY="$S/cyrus"; CY_CONF="$CY/imapd.conf"; CY_MASTER_CONF="$CY/cyrus.conf"; CY_PID="$CY/run/master.pid"
CY_SASLDB="$CY/sasldb2"; CY_ADMIN=cyrusadm; CY_SERVERNAME=cyrus.test
CO="$S/courier"; CO_PID="$CO/run/imapd.pid"; CO_MAIL="$CO/mail"
AUTH_DIR=/run/courier/authdaemon
USERDB_DIR=/etc/courier/userdb
USERDB_FILE="$USERDB_DIR/webmail-$(printf '%s' "$(readlink -m "$S")" | md5sum | cut -c1-12)"

log() { printf 'imapservers: %s\n' "$*" >&2; }
die() { printf 'imapservers: error: %s\n' "$*" >&2; exit 1; }
need_root() { [[ $EUID -eq 0 ]] || die "must run as root"; }

load_settings() {
    local k v
    if [[ -r "$SAVED_ENV" ]]; then
        while IFS='=' read -r k v; do
            case "$k" in MAILSTACK_CYRUS_PORT|MAILSTACK_COURIER_PORT) [[ -n "${!k+x}" ]] || printf -v "$k" '%s' "$v" ;; esac
        done < "$SAVED_ENV"
    fi
    : "${MAILSTACK_CYRUS_PORT:=21243}" "${MAILSTACK_COURIER_PORT:=21343}"
    [[ "$MAILSTACK_CYRUS_PORT" =~ ^[0-9]+$ && "$MAILSTACK_COURIER_PORT" =~ ^[0-9]+$ ]] || die "ports must be numbers"
}

save_settings() {
    mkdir -p "$S"
    printf 'MAILSTACK_CYRUS_PORT=%s\nMAILSTACK_COURIER_PORT=%s\n' "$MAILSTACK_CYRUS_PORT" "$MAILSTACK_COURIER_PORT" > "$SAVED_ENV"
}

take_lock() {
    mkdir -p "$S"
    exec 8>"$S/.imapservers.lock"
    flock -w "$DEADLINE_SECS" 8 || die "could not lock $S/.imapservers.lock"
}

# ---- install -------------------------------------------------------------------

cyrus_imapd() { echo "$PREFIX/cyrus/usr/lib/cyrus/bin/imapd"; }
courier_imapd() { echo "$PREFIX/courier/usr/bin/imapd"; }
courier_imaplogin() { echo "$PREFIX/courier/usr/lib/courier/courier/imaplogin"; }

installed() {
    local p
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
    done
    [[ -x "$(cyrus_imapd)" && -x "$(courier_imapd)" && -x "$(courier_imaplogin)" ]]
}

cmd_install() {
    need_root
    installed && { log "all packages present"; return 0; }
    local made_policy=0 rc=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then  # keep maintainer scripts from starting system daemons
        printf '#!/bin/sh\n# temporary, by webmail scripts/imapservers.sh install\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d; made_policy=1
    fi
    { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${APT_PACKAGES[@]}"; } || rc=$?
    ((made_policy)) && rm -f /usr/sbin/policy-rc.d
    ((rc == 0)) || die "apt-get failed (rc=$rc)"
    local tmp pkg
    tmp="$(mktemp -d)"; chmod 755 "$tmp"
    for pkg in cyrus-imapd courier-imap; do
        (cd "$tmp" && apt-get download -q "$pkg" >&2) || die "apt-get download $pkg failed"
        local dest="$PREFIX/${pkg%%-*}"
        rm -rf "$dest"; mkdir -p "$dest"
        dpkg-deb -x "$tmp"/"$pkg"_*.deb "$dest"
    done
    rm -rf "$tmp"
    log "installed: ${APT_PACKAGES[*]}; cyrus-imapd and courier-imap unpacked in $PREFIX"
}

# ---- processes -------------------------------------------------------------------

pid_of() {  # PIDFILE EXE-BASENAME
    local pid real
    [[ -r "$1" ]] || return 1
    read -r pid < "$1" 2>/dev/null || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] && pid_alive "$pid" || return 1
    real="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
    [[ "$(basename "${real% (deleted)}")" == "$2" ]] || return 1
    echo "$pid"
}

cyrus_pid() { pid_of "$CY_PID" master; }
courier_pid() { pid_of "$CO_PID" courierlogger; }
authdaemon_pid() { pid_of "$AUTH_DIR/pid" courierlogger; }

# The executables of each server's processes (Cyrus: master, imapd, ctl_cyrusdb, ...;
# Courier: courierlogger, couriertcpd, imaplogin, imapd, couriertls). authdaemond is shared
# by every stack and never named by a stack's directory or port, so it is never one of them.
cyrus_exes() { printf '%s\n' "/usr/lib/cyrus/bin/*" "/usr/sbin/cyrus" "$PREFIX/cyrus/*"; }
courier_exes() { printf '%s\n' "/usr/sbin/courierlogger" "/usr/sbin/couriertcpd" "/usr/bin/couriertls" "$PREFIX/courier/*"; }

# end_leftovers cyrus|courier: end whatever process of that server still belongs to this stack
end_leftovers() {
    local -a exes pids
    mapfile -t exes < <("$1_exes")
    case "$1" in
        cyrus) mapfile -t pids < <(stack_pids "$CY" "$MAILSTACK_CYRUS_PORT" "${exes[@]}") ;;
        courier) mapfile -t pids < <(stack_pids "$CO" "$MAILSTACK_COURIER_PORT" "${exes[@]}") ;;
    esac
    end_pids "$1" "${pids[@]}"
}

wait_port() {  # NAME PORT
    local deadline=$((SECONDS + DEADLINE_SECS))
    until port_listening "$2"; do
        ((SECONDS < deadline)) || die "$1 did not start listening on port $2 (see $S/log)"
        sleep 0.1
    done
}

stop_pid() {  # NAME PID
    local pid="$2" deadline=$((SECONDS + DEADLINE_SECS))
    kill "$pid" 2>/dev/null || return 0
    while pid_alive "$pid"; do
        ((SECONDS < deadline)) || { kill -9 "$pid" 2>/dev/null || true; break; }
        sleep 0.1
    done
    log "$1 stopped"
}

# ---- TLS: the mail stack's certificate, readable by each server's user -------------

copy_tls() {  # DIR OWNER
    local cert="$S/tls/cert.pem" key="$S/tls/key.pem"
    [[ -s "$cert" && -s "$key" ]] || die "no certificate in $S/tls: start the mail stack first (scripts/mailstack.sh start)"
    install -d -o "$2" -m 0700 "$1/tls"
    install -o "$2" -m 0600 "$cert" "$1/tls/cert.pem"
    install -o "$2" -m 0600 "$key" "$1/tls/key.pem"
    cat "$key" "$cert" > "$1/tls/both.pem"; chown "$2" "$1/tls/both.pem"; chmod 600 "$1/tls/both.pem"
    [[ ! -s "$S/tls/dh.pem" ]] || install -o "$2" -m 0600 "$S/tls/dh.pem" "$1/tls/dh.pem"
}

# ---- Cyrus -------------------------------------------------------------------------

render_cyrus() {
    install -d -o cyrus -g mail -m 0750 "$CY" "$CY/lib" "$CY/spool" "$CY/run" "$CY/log"
    copy_tls "$CY" cyrus
    cat > "$CY_CONF" <<EOF
# generated by scripts/imapservers.sh: edit that script instead
configdirectory: $CY/lib
partition-default: $CY/spool
servername: $CY_SERVERNAME
admins: $CY_ADMIN
virtdomains: off
altnamespace: yes
unixhierarchysep: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $CY_SASLDB
sasl_mech_list: PLAIN LOGIN
allowplaintext: yes
tls_server_cert: $CY/tls/cert.pem
tls_server_key: $CY/tls/key.pem
autocreate_quota: 0
autocreate_inbox_folders: Drafts | Sent | Trash | Junk | Archive
autocreate_subscribe_folders: Drafts | Sent | Trash | Junk | Archive
xlist-drafts: Drafts
xlist-sent: Sent
xlist-trash: Trash
xlist-junk: Junk
xlist-archive: Archive
delete_mode: immediate
expunge_mode: immediate
idlesocket: $CY/run/idle
notifysocket: $CY/run/notify
lmtpsocket: $CY/run/lmtp
syslog_prefix: webmail-cyrus
EOF
    cat > "$CY_MASTER_CONF" <<EOF
# generated by scripts/imapservers.sh
START {
  recover cmd="ctl_cyrusdb -C $CY_CONF -r"
}
SERVICES {
  imap cmd="$(cyrus_imapd) -C $CY_CONF" listen="127.0.0.1:$MAILSTACK_CYRUS_PORT" prefork=1 maxchild=100
}
EVENTS {
  checkpoint cmd="ctl_cyrusdb -C $CY_CONF -c" period=30
}
DAEMON {
}
EOF
    chown cyrus:mail "$CY_CONF" "$CY_MASTER_CONF"
    [[ -d "$CY/lib/db" ]] || su -s /bin/sh cyrus -c "/usr/lib/cyrus/bin/makedirs -C '$CY_CONF'" >/dev/null 2>&1 ||
        install -d -o cyrus -g mail -m 0750 "$CY/lib/db" "$CY/lib/proc" "$CY/lib/socket" "$CY/lib/log" "$CY/lib/msg" "$CY/lib/user"
    if [[ ! -f "$CY_SASLDB" ]] || ! sasldblistusers2 -f "$CY_SASLDB" 2>/dev/null | grep -q "^$CY_ADMIN@"; then
        printf '%s' "$(cyrus_admin_password)" | saslpasswd2 -p -c -f "$CY_SASLDB" -u "$CY_SERVERNAME" "$CY_ADMIN"
    fi
    chown cyrus:mail "$CY_SASLDB"; chmod 640 "$CY_SASLDB"
}

cyrus_admin_password() {
    local f="$CY/admin.secret"
    [[ -s "$f" ]] || { head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$f"; chmod 600 "$f"; }
    cat "$f"
}

start_cyrus() {
    cyrus_pid >/dev/null && { log "cyrus already running"; return 0; }
    end_leftovers cyrus  # of an earlier run whose master died
    port_listening "$MAILSTACK_CYRUS_PORT" && die "port $MAILSTACK_CYRUS_PORT (MAILSTACK_CYRUS_PORT) is taken"
    render_cyrus
    /usr/lib/cyrus/bin/master -C "$CY_CONF" -M "$CY_MASTER_CONF" -p "$CY_PID" -d 8>&-
    wait_port cyrus "$MAILSTACK_CYRUS_PORT"
    log "cyrus listening on 127.0.0.1:$MAILSTACK_CYRUS_PORT"
}

# cyrus_admin PYTHON-STATEMENTS: run IMAP admin commands (imaplib `M`, logged in as admin).
cyrus_admin() {
    CY_PORT="$MAILSTACK_CYRUS_PORT" CY_ADMIN="$CY_ADMIN" CY_PASS="$(cyrus_admin_password)" python3 -c "
import imaplib, os, sys
M = imaplib.IMAP4('127.0.0.1', int(os.environ['CY_PORT']))
M.login(os.environ['CY_ADMIN'], os.environ['CY_PASS'])
args = sys.argv[1:]
$1
M.logout()
" "${@:2}"
}

# ---- Courier -----------------------------------------------------------------------

render_courier() {
    ensure_authdaemon
    install -d -m 0755 "$CO" "$CO/run" "$CO/log"
    install -d -o courier -g courier -m 0750 "$CO_MAIL"
    # couriertls runs as the courier user after imaplogin's STARTTLS: the key must be its own.
    copy_tls "$CO" courier
}

# Another stack's user file whose mail directory is gone (its checkout was deleted without
# `stop`): its users would clash with this stack's (makeuserdb refuses a duplicate address).
prune_stale_userdb() {
    local file home
    for file in "$USERDB_DIR"/webmail-*; do
        [[ -f "$file" && "$file" != "$USERDB_FILE" && "$file" != *.tmp* ]] || continue
        home="$(sed -n 's/.*|home=\([^|]*\)|.*/\1/p' "$file" | head -n 1)"
        [[ -n "$home" ]] || continue
        home="$(dirname -- "$(dirname -- "$home")")"  # <stack>/courier/mail (homes are mail/<domain>/<user>)
        if [[ ! -d "$home" ]]; then
            log "removing $file: its stack ($home) is gone"
            rm -f -- "$file"
        fi
    done
}

ensure_authdaemon() {
    local rc=/etc/courier/authdaemonrc
    if ! grep -q '^authmodulelist="authuserdb"' "$rc"; then
        sed -i 's/^authmodulelist=.*/authmodulelist="authuserdb"/' "$rc"
        local pid; pid="$(authdaemon_pid)" && stop_pid authdaemond "$pid"
    fi
    install -d -m 0700 "$USERDB_DIR"
    [[ -f "$USERDB_FILE" ]] || install -m 0600 /dev/null "$USERDB_FILE"
    prune_stale_userdb
    makeuserdb
    if ! authdaemon_pid >/dev/null; then
        install -d -o courier -g courier -m 0750 /run/courier "$AUTH_DIR"
        /usr/sbin/authdaemond start 8>&-
        local deadline=$((SECONDS + DEADLINE_SECS))
        until [[ -S "$AUTH_DIR/socket" ]]; do
            ((SECONDS < deadline)) || die "courier authdaemond did not start"
            sleep 0.1
        done
    fi
}

start_courier() {
    courier_pid >/dev/null && { log "courier already running"; return 0; }
    end_leftovers courier  # of an earlier run whose logger died
    port_listening "$MAILSTACK_COURIER_PORT" && die "port $MAILSTACK_COURIER_PORT (MAILSTACK_COURIER_PORT) is taken"
    render_courier
    # What /etc/courier/imapd and imapd-ssl would say, given directly (that file is the
    # system instance's); Courier's own defaults otherwise.
    env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin \
        IMAP_CAPABILITY="IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE" \
        IMAP_CAPABILITY_TLS="IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE AUTH=PLAIN" \
        IMAP_KEYWORDS=1 IMAP_ACL=1 IMAP_IDLE_TIMEOUT=60 IMAP_MAILBOX_SANITY_CHECK=1 IMAP_UMASK=022 \
        IMAP_USELOCKS=1 IMAP_TRASHFOLDERNAME=Trash IMAP_EMPTYTRASH=Trash:7 IMAP_MOVE_EXPUNGE_TO_TRASH=0 \
        IMAP_STARTTLS=YES IMAP_TLS_REQUIRED=1 COURIERTLS=/usr/bin/couriertls \
        TLS_CERTFILE="$CO/tls/both.pem" TLS_VERIFYPEER=NONE \
        TCPLOCALIP=127.0.0.1 MAILDIRPATH=Maildir \
        /usr/sbin/courierlogger -pid="$CO_PID" -start -name=webmail-courier \
        /usr/sbin/couriertcpd -address=127.0.0.1 -maxprocs=100 -maxperip=100 -nodnslookup -noidentlookup \
        "$MAILSTACK_COURIER_PORT" "$(courier_imaplogin)" "$(courier_imapd)" Maildir 8>&-
    wait_port courier "$MAILSTACK_COURIER_PORT"
    log "courier listening on 127.0.0.1:$MAILSTACK_COURIER_PORT"
}

# ---- users -------------------------------------------------------------------------

valid_email() { [[ "$1" =~ ^[a-z0-9._+-]+@[a-z0-9.-]+$ ]]; }

cmd_adduser() {
    need_root
    [[ $# -eq 3 ]] || die "usage: $0 adduser cyrus|courier EMAIL PASSWORD"
    local server="$1" email pw="$3"
    email="$(printf '%s' "$2" | tr 'A-Z' 'a-z')"
    valid_email "$email" || die "invalid email address: $2"
    take_lock; load_settings
    case "$server" in
        cyrus)
            cyrus_pid >/dev/null || die "cyrus is not running"
            printf '%s' "$pw" | saslpasswd2 -p -c -f "$CY_SASLDB" -u "$CY_SERVERNAME" "${email%@*}"
            # The first login creates the INBOX and the special folders (autocreate).
            CY_USER="${email%@*}" CY_USERPASS="$pw" CY_PORT="$MAILSTACK_CYRUS_PORT" python3 -c "
import imaplib, os
M = imaplib.IMAP4('127.0.0.1', int(os.environ['CY_PORT']))
M.login(os.environ['CY_USER'], os.environ['CY_USERPASS'])
M.logout()"
            ;;
        courier)
            courier_pid >/dev/null || die "courier is not running"
            local home="$CO_MAIL/${email#*@}/${email%@*}" uid gid hash
            uid="$(id -u courier)"; gid="$(id -g courier)"
            install -d -o courier -g courier -m 0750 "$CO_MAIL/${email#*@}"
            if [[ ! -d "$home/Maildir" ]]; then
                install -d -o courier -g courier -m 0700 "$home"
                su -s /bin/sh courier -c "maildirmake '$home/Maildir'"
            fi
            hash="$(printf '%s\n' "$pw" | openssl passwd -6 -stdin)"
            grep -v "^$email	" "$USERDB_FILE" > "$USERDB_FILE.tmp" || true
            printf '%s\tuid=%s|gid=%s|home=%s|mail=%s/Maildir|systempw=%s\n' "$email" "$uid" "$gid" "$home" "$home" "$hash" >> "$USERDB_FILE.tmp"
            chmod 600 "$USERDB_FILE.tmp"; mv -f "$USERDB_FILE.tmp" "$USERDB_FILE"
            makeuserdb
            ;;
        *) die "unknown server: $server (cyrus or courier)" ;;
    esac
    echo "$server $email"
}

cmd_deluser() {
    need_root
    [[ $# -ge 2 ]] || die "usage: $0 deluser cyrus|courier EMAIL..."
    local server="$1" email; shift
    take_lock; load_settings
    case "$server" in
        cyrus)
            local -a locals=()
            for email in "$@"; do locals+=("${email%@*}"); done
            if cyrus_pid >/dev/null; then
                cyrus_admin "
for name in args:
    box = 'user/' + name
    M.setacl(box, os.environ['CY_ADMIN'], 'lrswipkxtecda')
    M.delete(box)" "${locals[@]}" || true
            fi
            for email in "$@"; do saslpasswd2 -d -f "$CY_SASLDB" -u "$CY_SERVERNAME" "${email%@*}" 2>/dev/null || true; done
            ;;
        courier)
            local tmp="$USERDB_FILE.tmp"
            cp "$USERDB_FILE" "$tmp"
            for email in "$@"; do
                grep -v "^$email	" "$tmp" > "$tmp.2" || true; mv -f "$tmp.2" "$tmp"
                rm -rf -- "$CO_MAIL/${email#*@}/${email%@*}"
            done
            chmod 600 "$tmp"; mv -f "$tmp" "$USERDB_FILE"
            makeuserdb
            ;;
        *) die "unknown server: $server" ;;
    esac
    for email in "$@"; do echo "deleted $email"; done
}

# ---- commands ----------------------------------------------------------------------

cmd_start() {
    need_root
    cmd_install
    take_lock; load_settings; save_settings
    start_cyrus
    start_courier
}

cmd_stop() {
    need_root
    take_lock; load_settings
    local pid
    if pid="$(cyrus_pid)"; then stop_pid cyrus "$pid"; fi
    end_leftovers cyrus  # imapd children the master left behind
    if pid="$(courier_pid)"; then stop_pid courier "$pid"; fi
    end_leftovers courier
    # authdaemond serves every stack on the machine: left running.
    return 0
}

cmd_status() {
    load_settings
    local ok=0 pid
    if pid="$(cyrus_pid)"; then echo "cyrus: running (pid $pid, port $MAILSTACK_CYRUS_PORT)"; else echo "cyrus: stopped"; ok=1; fi
    if pid="$(courier_pid)"; then echo "courier: running (pid $pid, port $MAILSTACK_COURIER_PORT)"; else echo "courier: stopped"; ok=1; fi
    return $ok
}

cmd_env() {
    load_settings
    printf 'export MAILSTACK_CYRUS_PORT=%q\nexport MAILSTACK_COURIER_PORT=%q\n' "$MAILSTACK_CYRUS_PORT" "$MAILSTACK_COURIER_PORT"
}

case "${1:-}" in
    install) shift; cmd_install "$@" ;;
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    status) shift; cmd_status "$@" ;;
    adduser) shift; cmd_adduser "$@" ;;
    deluser) shift; cmd_deluser "$@" ;;
    env) shift; cmd_env "$@" ;;
    *) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
