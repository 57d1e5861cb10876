"""One watcher process holding many watched people: memory, idle CPU, and push latency.

Run by `bash bench/run.sh watcher` (its own mail stack, Dovecot's limits raised by
bench/watcher-dovecot.conf). It makes N mail accounts on that stack (passwd files written
directly: `mailstack.sh adduser` takes ~0.5 s a user), the same N webmail users with stored
credentials, marks them all present (as open event streams would), starts
`manage.py watch_mailboxes` as deployed, and measures:

- its RSS once all N connections are up (and its peak),
- its CPU while idle (all up, nothing happening) over --idle-seconds,
- with --burst people receiving mail (APPEND by another connection) in the same second, the time
  from each APPEND to the sync request for that person appearing on the Celery queue
  (nobody consumes the queue here: the benchmark pops the task messages itself).
"""
from __future__ import annotations

import argparse
import base64
import grp
import json
import os
import pwd
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from imapclient import IMAPClient  # noqa: E402

from accounts.crypto import encrypt_secret  # noqa: E402
from accounts.models import MailCredential  # noqa: E402
from mailview.services.live import events  # noqa: E402
from mailview.services.live.watching import SYNC_TASK, watcher_stats  # noqa: E402
from webmail.redis_client import get_redis, key_prefix  # noqa: E402

DOMAIN = "watch.example.test"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def make_mail_accounts(count: int, password: str) -> list[str]:
    """N Dovecot users in the bench stack (one passwd file each, like mailstack.sh adduser)."""
    stack = Path(os.environ["MAILSTACK_DIR"])
    users_dir, mail_dir = stack / "dovecot" / "users.d", stack / "mail"
    mail_uid, mail_gid = pwd.getpwnam("wmvmail").pw_uid, pwd.getpwnam("wmvmail").pw_gid
    dovecot_gid = grp.getgrnam("dovecot").gr_gid
    emails = [f"w{i:05d}@{DOMAIN}" for i in range(count)]
    first = users_dir / emails[0]
    hashed = first.read_text().split(":")[1].removeprefix("{SHA512-CRYPT}") if first.exists() else ""
    if not hashed or _sha512_crypt(password, salt=hashed.split("$")[2]) != hashed:
        hashed = _sha512_crypt(password)  # new accounts, or another password: hashed once for all
    domain_dir = mail_dir / DOMAIN
    if not domain_dir.exists():
        domain_dir.mkdir(parents=True, mode=0o750)
        os.chown(domain_dir, mail_uid, mail_gid)
    made = 0
    for email in emails:
        entry = users_dir / email
        line = f"{email}:{{SHA512-CRYPT}}{hashed}::::::\n"
        if not entry.exists() or entry.read_text() != line:
            tmp = entry.with_name(entry.name + ".tmp")
            tmp.write_text(line)
            os.chown(tmp, 0, dovecot_gid)
            tmp.chmod(0o640)
            tmp.replace(entry)
            made += 1
        home = domain_dir / email.split("@")[0]
        for path in (home, home / "Maildir", home / "Maildir" / "INBOX", *(home / "Maildir" / "INBOX" / d for d in ("cur", "new", "tmp"))):
            if not path.exists():
                path.mkdir(mode=0o700)
                os.chown(path, mail_uid, mail_gid)
    log(f"{count} mail accounts ({made} new)")
    return emails


def _sha512_crypt(password: str, *, salt: str = "") -> str:
    salt_args = ["-salt", salt] if salt else []
    result = subprocess.run(["openssl", "passwd", "-6", *salt_args, "-stdin"], input=password + "\n", capture_output=True, text=True, check=True)
    return result.stdout.strip()


def make_webmail_users(emails: list[str], password: str) -> dict[str, int]:
    User = get_user_model()
    existing = {u.username: u.pk for u in User.objects.filter(username__in=emails)}
    missing = [User(username=e, email=e) for e in emails if e not in existing]
    User.objects.bulk_create(missing, batch_size=500)
    pks = {u.username: u.pk for u in User.objects.filter(username__in=emails)}
    MailCredential.objects.filter(user_id__in=pks.values()).delete()
    secret = encrypt_secret(password)
    MailCredential.objects.bulk_create([MailCredential(user_id=pk, login=e, encrypted_password=secret) for e, pk in pks.items()], batch_size=500)
    log(f"{len(pks)} webmail users with stored credentials")
    return pks


class Presence(threading.Thread):
    """Keeps everybody present, as their open event streams would."""

    def __init__(self, pks: list[int]) -> None:
        super().__init__(daemon=True)
        self.pks = pks
        self.stop = threading.Event()

    def mark(self) -> None:
        redis = get_redis()
        expiry = time.time() + events.PRESENCE_TTL
        redis.zadd(f"{key_prefix()}:live:present", {str(pk): expiry for pk in self.pks})

    def run(self) -> None:
        while not self.stop.wait(events.PRESENCE_TTL / 3):
            self.mark()


class SyncRequests(threading.Thread):
    """Pops the sync task messages off the Celery queue and notes when each arrived."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        import redis

        self.redis = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        self.queue = "celery"
        self.arrivals: list[tuple[float, int, str, list[str]]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            item = self.redis.brpop([self.queue], timeout=1)
            if item is None:
                continue
            now = time.time()
            message = json.loads(item[1])
            if message.get("headers", {}).get("task") != SYNC_TASK:
                continue
            _, kwargs, _ = json.loads(base64.b64decode(message["body"]))
            with self.lock:
                self.arrivals.append((now, int(kwargs["user_id"]), kwargs["reason"], kwargs["folders"]))

    def count(self, reason: str) -> int:
        with self.lock:
            return sum(1 for a in self.arrivals if a[2] == reason)

    def first_after(self, user_id: int, since: float, reason: str = "change") -> float | None:
        with self.lock:
            return next((a[0] for a in self.arrivals if a[1] == user_id and a[0] >= since and a[2] == reason), None)


def proc_stat(pid: int) -> tuple[float, int, int]:
    """(CPU seconds used, RSS bytes, peak RSS bytes) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return cpu, int(status["VmRSS"].split()[0]) * 1024, int(status["VmHWM"].split()[0]) * 1024


def watcher_up() -> int:
    return sum(int(row.get("up", 0)) for row in watcher_stats(get_redis(), key_prefix()))


def imap_client(email: str, password: str) -> IMAPClient:
    context = ssl.create_default_context(cafile=os.environ["WEBMAIL_IMAP_CA_FILE"])
    client = IMAPClient("127.0.0.1", port=int(os.environ["WEBMAIL_IMAP_PORT"]), ssl=False, timeout=60)
    client.starttls(context)
    client.login(email, password)
    return client


def burst(emails: list[str], pks: dict[str, int], password: str, requests: SyncRequests, folder: str) -> tuple[list[float], list[float]]:
    """Each of `emails` gets one APPEND to `folder`, all released at the same moment; the
    seconds from each APPEND (sent, and answered) to its person's sync request."""
    clients = [imap_client(e, password) for e in emails]
    barrier = threading.Barrier(len(clients) + 1)
    started: dict[str, float] = {}
    answered: dict[str, float] = {}

    def append(email: str, client: IMAPClient) -> None:
        barrier.wait()
        started[email] = time.time()
        client.append(folder, f"From: bench@example.org\r\nSubject: burst\r\n\r\nhello {email}\r\n".encode())
        answered[email] = time.time()

    threads = [threading.Thread(target=append, args=(e, c)) for e, c in zip(emails, clients, strict=True)]
    for thread in threads:
        thread.start()
    barrier.wait()
    for thread in threads:
        thread.join()
    spread = max(started.values()) - min(started.values())
    deadline = time.time() + 30
    latencies: dict[str, float] = {}
    while time.time() < deadline and len(latencies) < len(emails):
        for email in emails:
            if email not in latencies and (at := requests.first_after(pks[email], started[email])) is not None:
                latencies[email] = at - started[email]
        time.sleep(0.05)
    for client in clients:
        try:
            client.logout()
        except Exception:  # noqa: BLE001
            pass
    missing = len(emails) - len(latencies)
    note = f", {missing} MISSING" if missing else ""
    log(f"burst into {folder}: {len(emails)} APPENDs within {spread:.2f} s; {len(latencies)} sync requests seen{note}")
    after_answer = [latencies[e] - (answered[e] - started[e]) for e in latencies]
    return list(latencies.values()) + [float("inf")] * missing, after_answer


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--burst", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3, help="bursts (alternating INBOX and Archive)")
    parser.add_argument("--idle-seconds", type=float, default=60)
    parser.add_argument("--up-timeout", type=float, default=600)
    args = parser.parse_args()
    password = os.environ.get("BENCH_PASSWORD", "bench-password")

    emails = make_mail_accounts(args.people, password)
    pks = make_webmail_users(emails, password)
    redis = get_redis()
    for key in redis.scan_iter(match=f"{key_prefix()}:live:*"):
        redis.delete(key)
    redis.delete("celery")
    requests = SyncRequests()
    requests.start()
    presence = Presence(list(pks.values()))
    presence.mark()
    presence.start()

    log_path = REPO / "var" / "bench" / "watcher.log"
    with open(log_path, "ab") as out:
        env = {**os.environ, "WEBMAIL_LOG_LEVEL": "WARNING"}
        watcher = subprocess.Popen([sys.executable, "manage.py", "watch_mailboxes"], cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=env)
    results: dict[str, object] = {"people": args.people}
    try:
        started = time.time()
        while watcher_up() < args.people or requests.count("watch-start") < args.people:
            if watcher.poll() is not None:
                raise SystemExit(f"the watcher exited ({watcher.returncode}); see {log_path}")
            if time.time() - started > args.up_timeout:
                raise SystemExit(f"only {watcher_up()} of {args.people} up after {args.up_timeout:.0f} s; see {log_path}")
            time.sleep(1)
        results["all_up_seconds"] = round(time.time() - started, 1)
        log(f"all {args.people} watched after {results['all_up_seconds']} s")
        time.sleep(5)  # let the start-up settle (the first syncs requested, buffers freed)
        cpu0, rss, _ = proc_stat(watcher.pid)
        t0 = time.monotonic()
        time.sleep(args.idle_seconds)
        cpu1, rss_after, peak = proc_stat(watcher.pid)
        idle_cpu = (cpu1 - cpu0) / (time.monotonic() - t0) * 100
        results.update(rss_mb=round(max(rss, rss_after) / 2**20, 1), peak_rss_mb=round(peak / 2**20, 1), idle_cpu_percent=round(idle_cpu, 2))
        log(f"idle: RSS {results['rss_mb']} MB (peak {results['peak_rss_mb']} MB), CPU {idle_cpu:.2f} % of a core over {args.idle_seconds:.0f} s")
        latencies: list[float] = []
        after_answer: list[float] = []
        for round_no in range(args.rounds):
            chosen = emails[round_no * args.burst % len(emails):][: args.burst]
            sent, answered = burst(chosen, pks, password, requests, "INBOX" if round_no % 2 == 0 else "Archive")
            latencies += sent
            after_answer += answered
            time.sleep(2)
        lags = [row["lag_ms"] / 1000 for replica in watcher_stats(get_redis(), key_prefix()) for row in replica.get("rows", []) if row.get("lag_ms")]
        results.update(
            samples=len(latencies),
            p50_s=round(percentile(latencies, 50), 3),
            p95_s=round(percentile(latencies, 95), 3),
            max_s=round(max(latencies), 3),
            answered_p95_s=round(percentile(after_answer, 95), 3) if after_answer else None,
            watcher_lag_p95_s=round(percentile(lags, 95), 3) if lags else None,
        )
        still_up = watcher_up()
        results["up_at_end"] = still_up
    finally:
        watcher.terminate()
        try:
            watcher.wait(timeout=60)
        except subprocess.TimeoutExpired:
            watcher.kill()
        presence.stop.set()
        requests.stop.set()
        redis.delete(f"{key_prefix()}:live:present")

    targets = {"rss_mb": 300, "idle_cpu_percent": 5, "p95_s": 2}
    print()
    print(f"{'measure':<44}{'value':>12}{'target':>12}")
    for name, label in (
        ("all_up_seconds", f"time to watch all {args.people} (s)"),
        ("rss_mb", "RSS, all watched (MB)"),
        ("peak_rss_mb", "peak RSS (MB)"),
        ("idle_cpu_percent", "CPU while idle (% of a core)"),
        ("p50_s", f"APPEND → sync request p50 (s), n={results.get('samples')}"),
        ("p95_s", "APPEND → sync request p95 (s)"),
        ("max_s", "APPEND → sync request max (s)"),
        ("answered_p95_s", "APPEND answered → sync request p95 (s)"),
        ("watcher_lag_p95_s", "server's report → sync request p95 (s)"),
    ):
        target = targets.get(name)
        print(f"{label:<44}{results.get(name, '-')!s:>12}{('≤ ' + str(target)) if target else '':>12}")
    out_path = REPO / "var" / "bench" / "watcher-last-run.json"
    out_path.write_text(json.dumps(results, indent=2))
    print(f"\n(also in {out_path.relative_to(REPO)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
