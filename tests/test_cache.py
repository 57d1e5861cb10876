"""The Redis cache (real Redis): one redis-py client per pool, shared by threads."""
from __future__ import annotations

import threading

from django.core.cache import cache


def test_cache_calls_share_one_client_and_still_work():
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client  # one server: one pool, one client
    cache.set("shared-client-probe", {"n": 1}, 30)
    assert cache.get("shared-client-probe") == {"n": 1}
    cache.delete("shared-client-probe")


def test_threads_use_the_shared_client_safely():
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                cache.set(f"thread-probe-{n}", i, 30)
                assert cache.get(f"thread-probe-{n}") == i
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors and not any(t.is_alive() for t in threads)
    cache.delete_many([f"thread-probe-{n}" for n in range(8)])
