"""Run the whole test suite as parallel shards, each on a mail stack of its own.

`scripts/test.sh` with no arguments comes here (WEBMAIL_TEST_SHARDS, default 2; 1 runs the
suite in one process as before). Most of the suite's time is spent waiting on servers
(Dovecot, Postfix, Celery, Chromium), not computing, so two pytest processes on a 2-core
machine finish in a little more than half the time of one.

Nothing is shared between shards, so no test has to know it runs beside another: shard N
runs `scripts/test.sh <its files>` with its own stack directory (var/test-mailstack-N), its
own ports (the test ports + 500 × (N-1)), its own test database and Redis, and its own folder
for logs and private servers (WEBMAIL_TEST_VAR, var/test-shard-N). Shard 1 is the plain run:
var/test-mailstack, the usual ports, var/.

Files are split by their measured time (tests/durations.json, seconds per file: each sharded
run writes var/test-durations.json from its junit reports; copy it over to re-balance),
longest first onto the least-loaded shard;
files not measured yet are guessed from their number of tests. Files that need Cyrus or
Courier (they read MAILSTACK_CYRUS_PORT / MAILSTACK_COURIER_PORT) or PostgreSQL (they call
scripts/postgres.sh) go to shard 1, the only one that starts those servers.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DURATIONS = REPO / "tests" / "durations.json"
# Two shards' ports stay below Linux's ephemeral range (32768 and up): a port in it can be
# held by any outgoing connection at the moment a server binds it ("address already in use").
PORT_SHIFT = 500
# The test ports scripts/test.sh uses when none are set.
TEST_PORTS = {
    "MAILSTACK_IMAP_PORT": 31143, "MAILSTACK_IMAPS_PORT": 31993, "MAILSTACK_LMTP_PORT": 31024,
    "MAILSTACK_SMTP_PORT": 31025, "MAILSTACK_SUBMISSION_PORT": 31587, "MAILSTACK_SUBMISSIONS_PORT": 31465,
    "MAILSTACK_DOVECOT_AUTH_PORT": 31012, "MAILSTACK_REDIS_PORT": 31379, "MAILSTACK_MANAGESIEVE_PORT": 31190,
    "MAILSTACK_RADICALE_PORT": 31232, "MAILSTACK_POSTGRES_PORT": 31432, "WEBMAIL_EVENTS_PORT": 31082, "WEBMAIL_TEST_HTTP_PORT": 21080,
    "MAILSTACK_FTS_IMAP_PORT": 31144,
}
# Servers that only shard 1 starts, and the variables that show a test file needs them.
SHARD_ONE_ONLY = re.compile(r"MAILSTACK_(CYRUS|COURIER)_PORT|postgres\.sh")
TEST_DEF = re.compile(r"^\s*(async\s+)?def test_", re.MULTILINE)


def test_files() -> list[str]:
    return sorted(str(path.relative_to(REPO)) for path in (REPO / "tests").rglob("test_*.py"))


def guessed_seconds(path: str) -> float:
    """A file not measured yet: its number of tests times a typical test of its kind."""
    tests = len(TEST_DEF.findall((REPO / path).read_text()))
    per_test = 6.0 if "/browser/" in path else 0.05 if "/unit/" in path else 1.5
    return max(tests, 1) * per_test


def split(files: list[str], shards: int, measured: dict[str, float]) -> list[list[str]]:
    """Longest-processing-time-first: each file onto the shard with the least time so far."""
    loads = [0.0] * shards
    assigned: list[list[str]] = [[] for _ in range(shards)]
    weights = {path: measured.get(path) or guessed_seconds(path) for path in files}
    for path in sorted(files, key=lambda p: (-weights[p], p)):
        pinned = SHARD_ONE_ONLY.search((REPO / path).read_text()) is not None
        target = 0 if pinned else min(range(shards), key=lambda n: loads[n])
        assigned[target].append(path)
        loads[target] += weights[path]
    return [sorted(group) for group in assigned]


def shard_environment(number: int) -> dict[str, str]:
    env = {**os.environ, "WEBMAIL_TEST_SHARD": str(number), "PYTHONUNBUFFERED": "1"}
    if number == 1:
        return env
    for name, default in TEST_PORTS.items():
        env[name] = str(int(os.environ.get(name) or default) + PORT_SHIFT * (number - 1))
    base = Path(os.environ.get("MAILSTACK_TEST_DIR") or REPO / "var" / "test-mailstack")
    env["MAILSTACK_TEST_DIR"] = f"{base}-{number}"
    env["WEBMAIL_TEST_VAR"] = str(REPO / "var" / f"test-shard-{number}")
    env["WEBMAIL_TEST_IMAPSERVERS"] = "0"
    env["WEBMAIL_TEST_POSTGRES"] = "0"
    return env


def junit_path(number: int) -> Path:
    folder = REPO / "var" if number == 1 else REPO / "var" / f"test-shard-{number}"
    return folder / "test-junit.xml"


def stream(process: subprocess.Popen[str], prefix: str) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(f"{prefix}{line}")
        sys.stdout.flush()


def file_seconds(junit: Path) -> dict[str, float]:
    """Seconds per test file from a junit report (classname is the module's dotted path)."""
    seconds: dict[str, float] = {}
    if not junit.exists():
        return seconds
    for case in ET.parse(junit).iter("testcase"):  # noqa: S314 - our own pytest report
        module = case.get("classname", "")
        parts = module.split(".")
        while parts and not (REPO / ("/".join(parts) + ".py")).exists():
            parts.pop()
        if parts:
            path = "/".join(parts) + ".py"
            seconds[path] = seconds.get(path, 0.0) + float(case.get("time") or 0)
    return seconds


def main() -> int:
    shards = max(1, int(os.environ.get("WEBMAIL_TEST_SHARDS", "2")))
    measured = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    groups = [group for group in split(test_files(), shards, measured) if group]
    print(f"test_shards: {len(groups)} shards, each on a mail stack of its own", flush=True)
    processes: list[subprocess.Popen[str]] = []
    threads: list[threading.Thread] = []
    for number, group in enumerate(groups, start=1):
        junit = junit_path(number)
        junit.parent.mkdir(parents=True, exist_ok=True)
        guess = sum(measured.get(path) or guessed_seconds(path) for path in group)
        print(f"test_shards: shard {number}: {len(group)} files, about {guess:.0f} s", flush=True)
        process = subprocess.Popen(
            ["bash", "scripts/test.sh", f"--junitxml={junit}", *sys.argv[1:], *group],
            cwd=REPO, env=shard_environment(number), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1, start_new_session=True,
        )
        processes.append(process)
        thread = threading.Thread(target=stream, args=(process, f"[{number}] "), daemon=True)
        thread.start()
        threads.append(thread)

    def stop(signum: int, _frame: object) -> None:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    codes = [process.wait() for process in processes]
    for thread in threads:
        thread.join(timeout=10)
    seconds: dict[str, float] = {}
    for number in range(1, len(groups) + 1):
        seconds.update(file_seconds(junit_path(number)))
    (REPO / "var" / "test-durations.json").write_text(json.dumps(dict(sorted(seconds.items())), indent=1) + "\n")
    for number, code in enumerate(codes, start=1):
        shard_seconds = sum(seconds.get(path, 0.0) for path in groups[number - 1])
        print(f"test_shards: shard {number} {'passed' if code == 0 else f'FAILED (exit {code})'}, tests took {shard_seconds:.0f} s", flush=True)
    # pytest's exit codes: the first failing shard's (1 = tests failed) is the suite's.
    return next((code for code in codes if code != 0), 0)


if __name__ == "__main__":
    sys.exit(main())
