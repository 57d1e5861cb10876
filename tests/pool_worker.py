"""A separate process hammering the pool for one user (used by test_pool.py).

Runs without Django: the pool, the connection and the Redis budget are plain
Python. Prints one JSON line with what it saw.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time

import redis

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from mailview.imap.budget import ConnectionBudget
from mailview.imap.connection import Credentials, ServerEndpoint
from mailview.imap.pool import SessionPool


def main() -> None:
    email, password, user_key = sys.argv[1], sys.argv[2], sys.argv[3]
    threads, rounds = int(sys.argv[4]), int(sys.argv[5])
    endpoint = ServerEndpoint(
        host=os.environ.get("WEBMAIL_IMAP_HOST", "127.0.0.1"),
        port=int(os.environ["WEBMAIL_IMAP_PORT"]),
        security="starttls",
        ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"],
    )
    budget = ConnectionBudget(redis.Redis.from_url(os.environ["REDIS_URL"]), limit=int(os.environ.get("BUDGET", "4")), prefix="webmail-test:imap")
    pool = SessionPool(
        credentials_for=lambda key: (endpoint, Credentials(email, password)),
        budget=budget,
        per_process=int(os.environ.get("PER_PROCESS", "4")),
        wait_timeout=60,
    )
    lock = threading.Lock()
    held: set[int] = set()
    peak = 0
    errors: list[str] = []
    done = 0

    def work() -> None:
        nonlocal peak, done
        for _ in range(rounds):
            try:
                with pool.session(user_key) as imap:
                    with lock:
                        if id(imap) in held:
                            errors.append("a connection was handed to two threads")
                        held.add(id(imap))
                        peak = max(peak, len(held))
                    imap.select("INBOX")
                    imap.noop()
                    time.sleep(0.01)  # hold it a little, as a page render does
                    with lock:
                        held.discard(id(imap))
                        done += 1
            except Exception as exc:  # noqa: BLE001 - reported to the test
                errors.append(f"{type(exc).__name__}: {exc}")

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    stats = pool.stats()
    pool.close_all()
    print(json.dumps({"peak_in_process": peak, "done": done, "errors": errors[:5], "logins": stats["logins"]}))


if __name__ == "__main__":
    main()
