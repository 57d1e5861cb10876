# scripts/stackdir.sh -- sourced (never run) by the scripts that run a server beside the mail
# stack (imapservers.sh, radicale.sh, postgres.sh): strict mode, a PATH with the sbin
# directories, the stack's state directory, and helpers to find the processes that belong
# to it. The sourcing script sets SCRIPT_DIR (its own directory) first.
#
# Sets: REPO_DIR, MAILSTACK_DIR (absolute), S (the same, no trailing slash), DEADLINE_SECS.
set -euo pipefail
umask 022
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"

REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
MAILSTACK_DIR="${MAILSTACK_DIR:-$REPO_DIR/var/mailstack}"
case "$MAILSTACK_DIR" in /*) ;; *) MAILSTACK_DIR="$PWD/$MAILSTACK_DIR" ;; esac
S="${MAILSTACK_DIR%/}"
DEADLINE_SECS=${MAILSTACK_TIMEOUT:-30}

# alive = exists and is not a zombie (daemons reparented to pid 1 may be reaped late)
pid_alive() {
    local st
    [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
    st="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    st="${st##*) }"; [[ "${st:0:1}" != Z ]]
}

# true if something LISTENs on 127.0.0.1:PORT or 0.0.0.0:PORT (no connection is made)
port_listening() {
    local hex
    hex="$(printf '%04X' "$1")"
    grep -qE "^ *[0-9]+: (0100007F|00000000):$hex [0-9A-F]{8}:[0-9A-F]{4} 0A " /proc/net/tcp 2>/dev/null
}

# listen_inode PORT: the socket inode of the listener on 127.0.0.1:PORT / 0.0.0.0:PORT, if any
listen_inode() {
    local hex
    hex="$(printf '%04X' "$1")"
    awk -v a="0100007F:$hex" -v b="00000000:$hex" '($2 == a || $2 == b) && $4 == "0A" { print $10; exit }' /proc/net/tcp 2>/dev/null
}

# stack_pids DIR PORT EXE_GLOB...: the live processes whose executable matches one of the globs
# and that belong to DIR: their working or root directory is in it, their command line names a
# path in it, they hold a file in it open, or they hold the socket listening on PORT ("" for
# none). Nothing else: another stack's processes (another DIR, another port) are never listed.
stack_pids() {
    local dir="$1" port="$2" inode="" pid exe glob match link
    shift 2
    [[ -z "$port" ]] || inode="$(listen_inode "$port")"
    while IFS=$'\t' read -r pid exe; do
        pid="${pid#/proc/}"; exe="${exe% (deleted)}"
        [[ "$pid" != "$$" ]] || continue
        match=0
        for glob in "$@"; do
            # shellcheck disable=SC2053 # a glob, on purpose
            [[ "$exe" == $glob ]] && { match=1; break; }
        done
        ((match)) && pid_alive "$pid" || continue
        for link in "/proc/$pid/cwd" "/proc/$pid/root"; do
            link="$(readlink "$link" 2>/dev/null)" || continue
            [[ "$link" == "$dir" || "$link" == "$dir"/* ]] && { echo "$pid"; continue 2; }
        done
        if tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/"; then echo "$pid"; continue; fi
        for link in "/proc/$pid/fd/"*; do
            link="$(readlink "$link" 2>/dev/null)" || continue
            if [[ "$link" == "$dir"/* || ( -n "$inode" && "$link" == "socket:[$inode]" ) ]]; then echo "$pid"; continue 2; fi
        done
    done < <(find /proc/[0-9]* -maxdepth 1 -name exe -printf '%h\t%l\n' 2>/dev/null)
    return 0
}

# end_pids NAME PID...: SIGTERM, then SIGKILL what is left after a few seconds
end_pids() {
    local name="$1" p deadline
    local -a alive
    shift
    (($#)) || return 0
    kill -TERM "$@" 2>/dev/null || true
    deadline=$((SECONDS + 5))
    while :; do
        alive=()
        for p in "$@"; do pid_alive "$p" && alive+=("$p"); done
        ((${#alive[@]})) || return 0
        ((SECONDS < deadline)) || break
        sleep 0.05
    done
    printf '%s: killing leftover processes %s\n' "$name" "${alive[*]}" >&2
    kill -KILL "${alive[@]}" 2>/dev/null || true
}
