"""The per-user connection budget shared by every process of a deployment.

All webmail traffic reaches the IMAP server from one IP, and Dovecot refuses a
user's connections from one IP past `mail_max_userip_connections` (10 by
default). Each open connection holds a lease in a Redis sorted set per user
(member = lease token, score = expiry time). Leases are renewed while the
connection lives and expire on their own if a process dies without releasing.
"""
from __future__ import annotations

import logging
import time
import uuid

import redis

log = logging.getLogger(__name__)

_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[4])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 2))
  return 1
end
return 0
"""


class ConnectionBudget:
    """Lease-based counting semaphore per user, in Redis."""

    def __init__(self, client: redis.Redis, *, limit: int, lease_seconds: float = 60.0, prefix: str = "webmail:imap") -> None:
        self._redis = client
        self.limit = limit
        self.lease_seconds = lease_seconds
        self._prefix = prefix
        self._acquire_script = client.register_script(_ACQUIRE)

    def _key(self, user_key: str) -> str:
        return f"{self._prefix}:budget:{user_key}"

    def try_acquire(self, user_key: str) -> str | None:
        """A new lease token, or None when the user's budget is spent."""
        token = uuid.uuid4().hex
        granted = self._acquire_script(keys=[self._key(user_key)], args=[time.time(), self.lease_seconds, self.limit, token])
        return token if granted else None

    def renew(self, user_key: str, tokens: list[str]) -> None:
        if tokens:
            expiry = time.time() + self.lease_seconds
            pipe = self._redis.pipeline()
            pipe.zadd(self._key(user_key), {t: expiry for t in tokens}, xx=True)
            pipe.expire(self._key(user_key), int(self.lease_seconds * 2))
            pipe.execute()

    def renew_many(self, tokens_by_user: dict[str, list[str]]) -> None:
        """`renew` for many users in one round trip (the watcher holds one lease per person)."""
        if not tokens_by_user:
            return
        expiry = time.time() + self.lease_seconds
        pipe = self._redis.pipeline(transaction=False)
        for user_key, tokens in tokens_by_user.items():
            if tokens:
                pipe.zadd(self._key(user_key), {t: expiry for t in tokens}, xx=True)
                pipe.expire(self._key(user_key), int(self.lease_seconds * 2))
        pipe.execute()

    def release(self, user_key: str, token: str) -> None:
        self._redis.zrem(self._key(user_key), token)

    def held(self, user_key: str) -> int:
        """Leases currently held for the user, across all processes."""
        return int(self._redis.zcount(self._key(user_key), time.time(), "+inf"))

    # -- requests between processes ---------------------------------------------
    # A process that waits for a slot, or a user that signs out, is announced in a
    # sorted set; every pool polls it and closes that user's idle connections.

    def announce(self, kind: str, user_key: str) -> None:
        self._redis.zadd(f"{self._prefix}:{kind}", {user_key: time.time()})

    def announced_since(self, kind: str, since: float) -> dict[str, float]:
        key = f"{self._prefix}:{kind}"
        pipe = self._redis.pipeline()
        pipe.zremrangebyscore(key, "-inf", time.time() - 600)
        pipe.zrangebyscore(key, since, "+inf", withscores=True)
        _, rows = pipe.execute()
        return {(m.decode() if isinstance(m, bytes) else m): score for m, score in rows}

    # -- stats for the admin page --------------------------------------------------

    def publish_stats(self, process_id: str, stats: dict[str, int | str], ttl: int = 30) -> None:
        key = f"{self._prefix}:stats:{process_id}"
        pipe = self._redis.pipeline()
        pipe.hset(key, mapping={k: str(v) for k, v in stats.items()})
        pipe.expire(key, ttl)
        pipe.execute()

    def all_stats(self) -> list[dict[str, str]]:
        rows = []
        for key in self._redis.scan_iter(match=f"{self._prefix}:stats:*", count=200):
            raw = self._redis.hgetall(key)
            if raw:
                rows.append({_text(k): _text(v) for k, v in raw.items()})
        return sorted(rows, key=lambda r: r.get("process", ""))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
