"""Watcher leases on a loaded machine: two replicas under a CPU hog, handovers counted; then one
replica SIGKILLed and the time its people take to move to the other.

Run by `bash bench/run.sh lease` (the watcher bench's mail stack, bench/watcher_scale.py's
accounts). Two `manage.py watch_mailboxes` processes, as deployed (default
WEBMAIL_WATCH_LEASE_SECONDS unless set), share --people present people. Then:

1. **Both alive, under load**: --hog busy-looping processes (each stops by itself after the
   phase, and dies with this benchmark) for --window seconds, and at its start --arrivals more
   people open a tab (the replicas' rounds busy connecting them, as when many sign in). The lease of every person is read
   every 0.2 s: a *handover* is a lease that changed from one replica to the other, a *gap* one
   that was seen free. Dovecot's log counts the LOGINs of the bench people in the window (each
   handover tears a connection down and makes a new one). Target: 0 handovers, 0 logins.
2. **One killed, under load**: the replica holding more people is SIGKILLed; for each of its
   people, the seconds from the kill until the survivor holds the lease, and until the
   survivor's connection for them has logged in (Dovecot's log). Target for the lease: the
   lease plus one renewal interval (a quarter of the lease).

`--together` makes the people present before the two replicas start (both start at the same
moment, as after a deploy) and reports how they split once settled (target: about half each).

`--watcher-repo DIR` runs the two watchers from another checkout (e.g. `git worktree add` of an
older commit), to compare.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from django.conf import settings  # noqa: E402

from bench.watcher_scale import Presence, SyncRequests, log, make_mail_accounts, make_webmail_users, percentile  # noqa: E402
from mailview.services.live.watching import watcher_stats  # noqa: E402
from webmail.redis_client import get_redis, key_prefix  # noqa: E402

_libc = ctypes.CDLL(None, use_errno=True)

HOG = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


def _die_with_us() -> None:
    _libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: nothing outlives the benchmark


def start_hog(count: int, seconds: float) -> list[subprocess.Popen[bytes]]:
    """`count` busy loops that stop by themselves after `seconds`."""
    return [subprocess.Popen([sys.executable, "-c", HOG.format(seconds=seconds)], preexec_fn=_die_with_us) for _ in range(count)]


def stop_hog(hogs: list[subprocess.Popen[bytes]]) -> None:
    for hog in hogs:
        if hog.poll() is None:
            hog.terminate()
        hog.wait(timeout=30)


def start_watcher(name: str, repo: Path) -> subprocess.Popen[bytes]:
    log_path = REPO / "var" / "bench" / f"watcher-lease-{name}.log"
    env = {**os.environ, "WEBMAIL_LOG_LEVEL": "INFO", "WEBMAIL_WATCH_GRACE_SECONDS": "600"}
    with open(log_path, "ab") as out:
        return subprocess.Popen([sys.executable, "manage.py", "watch_mailboxes"], cwd=repo, stdout=out, stderr=subprocess.STDOUT, env=env,
                                preexec_fn=_die_with_us)


def lease_owners(pks: list[int]) -> list[str | None]:
    raw = get_redis().mget([f"{key_prefix()}:live:watch-lease:{pk}" for pk in pks])
    return [value.decode() if value else None for value in raw]


def replica_pid(owner: str | None) -> int | None:
    """The pid in a replica id (`host:pid:random`)."""
    return int(owner.split(":")[1]) if owner else None


def up_by_replica() -> dict[int, set[int]]:
    """Per replica pid: the people its last published stats show connected."""
    return {
        int(str(row["replica"]).split(":")[1]): {int(p["user"]) for p in row.get("rows", []) if p.get("status") == "up"}
        for row in watcher_stats(get_redis(), key_prefix())
    }


def counters() -> dict[int, dict[str, int]]:
    keys = ("lost_leases", "reconnects", "failures", "rounds", "renewals", "handed_over")
    return {int(str(r["replica"]).split(":")[1]): {k: int(r.get(k, 0) or 0) for k in keys} for r in watcher_stats(get_redis(), key_prefix())}


class Logins:
    """The LOGINs of the bench people in Dovecot's log, from a mark on."""

    def __init__(self, domain: str) -> None:
        self.path = Path(os.environ["MAILSTACK_DOVECOT_LOG"])
        self.offset = self.path.stat().st_size
        self.pattern = re.compile(rf"imap-login: Info: Login: user=<([^>]*@{re.escape(domain)})>")

    def new(self) -> list[str]:
        """The addresses logged in since the last call (or the mark)."""
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            data = handle.read()
        complete = data[: data.rfind(b"\n") + 1]
        self.offset += len(complete)
        return [m.group(1) for line in complete.decode("utf-8", "replace").splitlines() if (m := self.pattern.search(line))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--arrivals", type=int, default=200, help="people who open a tab when the load starts")
    parser.add_argument("--hog", type=int, default=16, help="busy-looping processes")
    parser.add_argument("--window", type=float, default=60, help="seconds both replicas run under the hog")
    parser.add_argument("--kill-timeout", type=float, default=60)
    parser.add_argument("--up-timeout", type=float, default=300)
    parser.add_argument("--watcher-repo", type=Path, default=REPO)
    parser.add_argument("--together", action="store_true",
                        help="the people are present before the two replicas start (as when both start at once): how they split")
    args = parser.parse_args()
    password = os.environ.get("BENCH_PASSWORD", "bench-password")
    lease = float(settings.WEBMAIL_WATCH_LEASE_SECONDS)
    domain = "watch.example.test"

    emails = make_mail_accounts(args.people + args.arrivals, password)
    pks_by_email = make_webmail_users(emails, password)
    everybody = [pks_by_email[e] for e in emails]
    pks, arriving = everybody[: args.people], everybody[args.people:]
    redis = get_redis()
    for key in redis.scan_iter(match=f"{key_prefix()}:live:*"):
        redis.delete(key)
    redis.delete("celery")
    requests = SyncRequests()  # keeps the unconsumed sync requests off the queue
    requests.start()
    watchers: dict[str, subprocess.Popen[bytes]] = {}
    if not args.together:
        watchers = {name: start_watcher(name, args.watcher_repo.resolve()) for name in ("a", "b")}
    presence = Presence(pks)
    if args.together:
        presence.mark()
        presence.start()
        watchers = {name: start_watcher(name, args.watcher_repo.resolve()) for name in ("a", "b")}
    hogs: list[subprocess.Popen[bytes]] = []
    results: dict[str, object] = {"people": args.people, "lease_s": lease, "hog": args.hog, "window_s": args.window,
                                  "watchers_from": str(args.watcher_repo)}
    try:
        # Both replicas announced before anyone is present, so the people are shared between them.
        replicas_key = f"{key_prefix()}:live:watchers"
        deadline = time.monotonic() + args.up_timeout
        while redis.zcount(replicas_key, time.time(), "+inf") < 2:
            if any(w.poll() is not None for w in watchers.values()) or time.monotonic() > deadline:
                raise SystemExit("the two watchers did not start; see var/bench/watcher-lease-*.log")
            time.sleep(0.2)
        if not args.together:
            presence.mark()
            presence.start()
        started = time.monotonic()
        while True:
            owners = lease_owners(pks)
            up = up_by_replica()
            if all(owners) and sum(len(v) for v in up.values()) >= args.people and len(up) == 2:
                break
            if any(w.poll() is not None for w in watchers.values()):
                raise SystemExit("a watcher exited; see var/bench/watcher-lease-*.log")
            if time.monotonic() - started > args.up_timeout:
                raise SystemExit(f"not all {args.people} watched after {args.up_timeout:.0f} s")
            time.sleep(0.5)
        split = {pid: len(v) for pid, v in up.items()}
        if args.together:
            # Rebalancing moves people after the first claims: the split once it settled.
            settled = time.monotonic() + 30
            while time.monotonic() < settled:
                time.sleep(1)
                up = up_by_replica()
                split = {pid: len(v) for pid, v in up.items()}
                if len(split) == 2 and max(split.values()) - min(split.values()) <= max(2, args.people // 10):
                    break
        results.update(start_split=sorted(split.values()))
        log(f"all {args.people} watched after {time.monotonic() - started:.1f} s; split {split}")
        time.sleep(2)

        # 1. Both alive, under the hog.
        before = counters()
        logins = Logins(domain)
        hogs = start_hog(args.hog, args.window + args.kill_timeout + 30)
        pks = everybody
        presence.pks = pks
        presence.mark()  # the arrivals open their tabs
        seen = lease_owners(pks)  # as read last
        last = list(seen)  # the last owner seen (through gaps)
        handovers = gaps = 0
        loads: list[float] = []
        end = time.monotonic() + args.window
        while time.monotonic() < end:
            time.sleep(0.2)
            now = lease_owners(pks)
            for before_, owner, new in zip(seen, last, now, strict=True):
                if new is None and before_ is not None:
                    gaps += 1  # a lease seen free (once per time it runs out)
                elif new is not None and owner is not None and new != owner:
                    handovers += 1  # another replica holds it now (free in between or not)
            seen = now
            last = [n if n is not None else o for o, n in zip(last, now, strict=True)]
            loads.append(float(Path("/proc/loadavg").read_text().split()[0]))
        after = counters()
        lost = sum(after.get(pid, {}).get("lost_leases", 0) - before.get(pid, {}).get("lost_leases", 0) for pid in after)
        # Handovers the replicas made on purpose (sharing the arrivals evenly: new owner up first).
        results.update(balanced=sum(after.get(pid, {}).get("handed_over", 0) - before.get(pid, {}).get("handed_over", 0) for pid in after))
        results.update(
            handovers=handovers, gaps=gaps, lost_leases=lost, logins_in_window=len(logins.new()),
            load_avg_max=max(loads), load_avg_mean=round(sum(loads) / len(loads), 1),
        )
        arrived = sum(1 for owner in lease_owners(arriving) if owner)
        results.update(arrivals=len(arriving), arrivals_watched=arrived)
        log(f"{args.window:.0f} s under load (load average up to {max(loads):.1f}), {arrived} of {len(arriving)} arrivals watched: "
            f"{handovers} handovers, {gaps} gaps, {lost} leases lost, {results['logins_in_window']} LOGINs ({len(arriving)} are the arrivals')")

        # 2. Kill the replica holding more people (the hog still running).
        owners = lease_owners(pks)
        counts: dict[str, int] = {}
        for owner in owners:
            counts[owner or ""] = counts.get(owner or "", 0) + 1
        if not any(counts.get(o) for o in counts if o):
            raise SystemExit("no lease is held at the end of the window: nothing to kill")
        victim_id = max((o for o in counts if o), key=lambda o: counts[o])
        victim_pid = replica_pid(victim_id)
        victim = next(w for w in watchers.values() if w.pid == victim_pid)
        survivor_pid = next(w.pid for w in watchers.values() if w is not victim)
        theirs = [pk for pk, owner in zip(pks, owners, strict=True) if owner == victim_id]
        email_of = {pk: email for email, pk in pks_by_email.items()}
        logins.new()
        killed_at = time.monotonic()
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        moved: dict[int, float] = {}
        up_again: dict[int, float] = {}
        deadline = killed_at + args.kill_timeout
        while time.monotonic() < deadline and len(up_again) < len(theirs):
            now = time.monotonic()
            for pk, owner in zip(theirs, lease_owners(theirs), strict=True):
                if pk not in moved and replica_pid(owner) == survivor_pid:
                    moved[pk] = now - killed_at
            logged_in = set(logins.new())  # the survivor's new connections
            for pk in theirs:
                if pk not in up_again and email_of[pk] in logged_in:
                    up_again[pk] = now - killed_at
            time.sleep(0.1)
        missing = len(theirs) - len(moved)
        results.update(
            killed_people=len(theirs),
            moved=len(moved),
            lease_moved_p50_s=round(percentile(list(moved.values()), 50), 2) if moved else None,
            lease_moved_max_s=round(max(moved.values()), 2) if moved else None,
            up_again_p50_s=round(percentile(list(up_again.values()), 50), 2) if up_again else None,
            up_again_max_s=round(max(up_again.values()), 2) if up_again else None,
            target_s=lease + lease / 4,
        )
        log(f"killed a replica with {len(theirs)} people: {len(moved)} leases moved (max {results['lease_moved_max_s']} s), "
            f"{len(up_again)} up again (max {results['up_again_max_s']} s){f', {missing} NOT MOVED' if missing else ''}")
    finally:
        stop_hog(hogs)
        for watcher in watchers.values():
            if watcher.poll() is None:
                watcher.terminate()
                try:
                    watcher.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    watcher.kill()
        presence.stop.set()
        requests.stop.set()
        redis.delete(f"{key_prefix()}:live:present")

    print()
    print(f"{'measure':<52}{'value':>10}{'target':>10}")
    rows = (
        ("start_split", "people per replica at the start", ""),
        ("handovers", "handovers, both replicas alive, under load", "0"),
        ("balanced", "of which handed over to share evenly", ""),
        ("gaps", "leases seen free, both alive", "0"),
        ("lost_leases", "leases a replica found taken, both alive", "0"),
        ("logins_in_window", "LOGINs in the window, both alive", f"{len(arriving)}"),
        ("load_avg_max", "load average (1 min), highest seen", ""),
        ("lease_moved_p50_s", "killed: lease moved, p50 (s)", ""),
        ("lease_moved_max_s", "killed: lease moved, max (s)", f"≤ {results.get('target_s')}"),
        ("up_again_p50_s", "killed: logged in again, p50 (s)", ""),
        ("up_again_max_s", "killed: logged in again, max (s)", ""),
    )
    for key, label, target in rows:
        print(f"{label:<52}{results.get(key, '-')!s:>10}{target:>10}")
    out_path = REPO / "var" / "bench" / "watcher-lease-last-run.json"
    out_path.write_text(json.dumps(results, indent=2))
    print(f"\n(also in {out_path.relative_to(REPO)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
