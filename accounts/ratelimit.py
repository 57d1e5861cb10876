"""Sign-in rate limits in Redis: gentle for the real user, hard on guessing.

Three counts per attempt, all kept in one atomic Redis script:

- per (address, client IP): the first `WEBMAIL_LOGIN_FREE_FAILURES` failures cost
  nothing; after that each attempt must wait a growing delay (base, 2×base, 4×base …
  up to `WEBMAIL_LOGIN_BACKOFF_MAX`) — "try again in N seconds", never a 15-minute lock;
- per address across all IPs (`WEBMAIL_LOGIN_FAILURES_PER_ADDRESS` per window, much
  larger): stops guessing spread over many IPs;
- per client IP (`WEBMAIL_LOGIN_FAILURES_PER_IP` per window): stops one IP trying many
  addresses.

An attempt is counted *before* the password is checked (`login_attempt_begin`), so
concurrent attempts cannot all pass a check that none of them has counted yet; an
attempt that turns out not to be a failure (right password, server busy or down) is
given back (`login_attempt_refund`). Why not django-axes: it counts in the database with
read-then-write (not atomic under concurrency), locks hard for a cool-off instead of
backing off, and cannot tell "server busy" from "wrong password"; Redis is already here.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings

from webmail.outage import REDIS_ERRORS, redis_health
from webmail.redis_client import get_redis, key_prefix

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limited:
    retry_after: int  # seconds


# KEYS: pair count, pair block, address count, ip count.
# ARGV: window, free failures, backoff base (ms), backoff max (ms), address limit, ip limit.
# Returns 0 (attempt counted) or the milliseconds until an attempt may be made.
_BEGIN = """
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return blocked end
local window = tonumber(ARGV[1])
local caps = {{KEYS[3], tonumber(ARGV[5])}, {KEYS[4], tonumber(ARGV[6])}}
for _, cap in ipairs(caps) do
  if tonumber(redis.call('GET', cap[1]) or '0') >= cap[2] then
    local left = redis.call('PTTL', cap[1])
    if left <= 0 then left = window * 1000 end
    return left
  end
end
local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], window)
for _, cap in ipairs(caps) do
  redis.call('INCR', cap[1])
  if redis.call('TTL', cap[1]) < 0 then redis.call('EXPIRE', cap[1], window) end
end
local free = tonumber(ARGV[2])
if n >= free then
  local delay = math.min(tonumber(ARGV[3]) * 2 ^ (n - free), tonumber(ARGV[4]))
  redis.call('SET', KEYS[2], '1', 'PX', math.max(1, math.floor(delay)))
end
return 0
"""

# KEYS as above. ARGV[1] = 1 on success (forget the pair's failures), 0 otherwise.
_REFUND = """
local function give_back(key)
  local n = tonumber(redis.call('GET', key) or '0')
  if n > 1 then redis.call('DECR', key) elseif n == 1 then redis.call('DEL', key) end
end
if ARGV[1] == '1' then redis.call('DEL', KEYS[1]) else give_back(KEYS[1]) end
redis.call('DEL', KEYS[2])
give_back(KEYS[3])
give_back(KEYS[4])
return 0
"""


def _keys(ip: str, email: str) -> list[str]:
    # Hash the address: the key names of Redis should not be a list of users' addresses.
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    prefix = f"{key_prefix()}:login"
    return [f"{prefix}:pair:{address}:{ip}", f"{prefix}:wait:{address}:{ip}", f"{prefix}:addr:{address}", f"{prefix}:ip:{ip}"]


def login_attempt_begin(*, ip: str, email: str, address_limit: int | None = None) -> Limited | None:
    """Count one sign-in attempt for this address from this IP, or say how long to wait.

    Call before checking the password; then `login_attempt_refund` unless it failed.
    `address_limit` overrides the per-address cap (the second factor's is smaller).
    """
    try:
        result = get_redis().eval(
            _BEGIN,
            4,
            *_keys(ip, email),
            settings.WEBMAIL_LOGIN_WINDOW,
            settings.WEBMAIL_LOGIN_FREE_FAILURES,
            int(settings.WEBMAIL_LOGIN_BACKOFF_BASE * 1000),
            int(settings.WEBMAIL_LOGIN_BACKOFF_MAX * 1000),
            address_limit or settings.WEBMAIL_LOGIN_FAILURES_PER_ADDRESS,
            settings.WEBMAIL_LOGIN_FAILURES_PER_IP,
        )
    except REDIS_ERRORS as exc:
        # Fail open: a Redis outage must not lock everyone out (the IMAP server's own
        # penalties still fall on the client's IP). One log line per outage, not per attempt.
        redis_health.failed(exc)
        return None
    except Exception:
        log.exception("rate limit store unavailable")
        return None
    redis_health.recovered()
    wait_ms = int(result or 0)
    return Limited(retry_after=max(1, -(-wait_ms // 1000))) if wait_ms > 0 else None


def login_attempt_refund(*, ip: str, email: str, succeeded: bool = False) -> None:
    """The attempt was not a failed guess: give it back (and on success forget the
    failures of this address from this IP)."""
    try:
        get_redis().eval(_REFUND, 4, *_keys(ip, email), "1" if succeeded else "0")
    except REDIS_ERRORS as exc:
        redis_health.failed(exc)
    except Exception:
        log.exception("rate limit store unavailable")


def login_succeeded(*, ip: str, email: str) -> None:
    login_attempt_refund(ip=ip, email=email, succeeded=True)


def lockouts_now(*, scan_count: int = 500) -> dict[str, int]:
    """Sign-ins held back right now: address+IP pairs waiting out a backoff, and addresses and
    IPs at their window's cap. Read by `/metrics` and the operations dashboard (a SCAN: the
    keys expire by themselves, so this is what is in force, not a history)."""
    redis = get_redis()
    prefix = f"{key_prefix()}:login"
    waiting = sum(1 for _ in redis.scan_iter(match=f"{prefix}:wait:*", count=scan_count))
    at_cap = {}
    for scope, limit in (("address", settings.WEBMAIL_LOGIN_FAILURES_PER_ADDRESS), ("ip", settings.WEBMAIL_LOGIN_FAILURES_PER_IP)):
        keys = list(redis.scan_iter(match=f"{prefix}:{'addr' if scope == 'address' else 'ip'}:*", count=scan_count))
        values = redis.mget(keys) if keys else []
        at_cap[scope] = sum(1 for v in values if v is not None and int(v) >= limit)
    return {"pair": waiting, **at_cap}
