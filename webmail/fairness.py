"""One person's burst must not starve everyone else: a bound on a person's requests in flight,
counted across every web process of the deployment.

Every request of a signed-in person (known from the session, or from the signed token of a
part URL that the sandboxed message frame requests without a cookie) takes a lease in Redis
before any work, and gives it back when the view has answered (a download's streaming
afterwards is not counted). Past the person's allowance the request is answered 429 with a
`Retry-After` at once, having cost one Redis round trip at most (less than a millisecond), so
it neither holds a server thread nor takes CPU from other people's pages:

- heavy requests (pages, searches, actions, saves: anything not listed as light) count
  against `WEBMAIL_PAGES_PER_PERSON` (1): concurrent renders of one person are what took the
  CPU from everyone else (measured with `bash bench/run.sh fairness`). A few more
  (`WEBMAIL_PAGES_WAITING_PER_PERSON`, 1) may wait for it, holding a thread but no CPU: a
  click while the last page is still loading is served next, not refused;
- light ones (the polls of an open page, the body document served from cache, inline
  images and downloads, upload chunks) only against `WEBMAIL_REQUESTS_PER_PERSON` (6), the
  person's requests of any kind, so a message with many inline images still loads while a
  page renders;
- static files, the event stream and anonymous requests are not counted.

A lease is a member of a sorted set per person scored by its expiry (`LEASE_SECONDS`),
renewed by a thread while its request lasts, so the leases of a process that dies expire by
themselves. If Redis cannot be reached the door fails open to a bound per process with the
same numbers (the outage is logged once, by `webmail.outage`).
"""
from __future__ import annotations

import logging
import os
import random
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import redis
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from mailview.services.reading.tokens import part_token_owner
from webmail.outage import REDIS_ERRORS, redis_health
from webmail.redis_client import get_redis, key_prefix

log = logging.getLogger(__name__)

LEASE_SECONDS = 30.0  # a dead process's leases are gone after this long
# After Redis said "no room" for a person, this process says so by itself for this long (or until
# it ends one of that person's requests): a hammering client costs no Redis round trip each.
FULL_FOR = 0.2
RENEW_EVERY = LEASE_SECONDS / 3
# A person refused in the last BURST_MEMORY seconds is bursting: each heavy request of theirs
# pauses this long before it runs (see RequestLeases.acquire).
BURST_MEMORY = 2.0
BURST_PAUSE = 0.25
_pause = time.sleep  # (a test counts the pauses)
# Seconds a refused request is told to wait: spread, so that a hundred refused requests do not
# all come back at the same moment (each such wave queues in front of other people's requests).
RETRY_AFTER = (1, 4)

# Not counted at all: the event stream is held open for as long as a tab is (and is served by
# its own process); static files never get here in production (WhiteNoise answers them first).
_EXEMPT = re.compile(r"^/(?:events|static)/")
# Counted only against the person's total: cheap, or needed many at once by one page.
_LIGHT_GET = re.compile(
    r"^/(?:"
    r"folders/state/"  # an open list's poll
    r"|folders/tree/"  # the folder tree refetched by an open page (live counts)
    r"|actions/[^/]+/"  # an action's progress
    r"|mail/compose/[^/]+/status/"  # sending progress
    r"|mail/compose/addresses/"  # autocomplete, from the database
    r"|mail/search/progress/"  # a streaming search's poll, from the cache
    r"|mail/.+/\d+/(?:body|raw|part/[^/]+)/"  # the body document (cached), downloads, inline images
    r")$"
)
_LIGHT_POST = re.compile(r"^/mail/compose/[^/]+/attachments/[^/]+/$")  # one chunk of an upload

# Takes a lease if the person has room. A heavy request needs room among the heavy ones too,
# else it may take one of the few places to wait for it. KEYS: all leases, running heavy ones,
# waiting heavy ones (one hash slot). ARGV: now, lease seconds, heavy (0/1), heavy limit, total
# limit, token, waiting limit. Returns 1 (go), 2 (wait for a heavy place) or 0 (refused).
_ACQUIRE = """
local now = tonumber(ARGV[1])
local expiry = now + tonumber(ARGV[2])
local ttl = math.ceil(tonumber(ARGV[2]) * 2)
for i = 1, 3 do redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now) end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[5]) then
  return 0
end
local granted = 1
if ARGV[3] == '1' then
  local target = 2
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then
    if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[7]) then
      return 0
    end
    target, granted = 3, 2
  end
  redis.call('ZADD', KEYS[target], expiry, ARGV[6])
  redis.call('EXPIRE', KEYS[target], ttl)
end
redis.call('ZADD', KEYS[1], expiry, ARGV[6])
redis.call('EXPIRE', KEYS[1], ttl)
return granted
"""
# A waiting heavy lease becomes a running one if there is room. KEYS: running, waiting.
# ARGV: now, lease seconds, heavy limit, token. Returns 1 (go), 0 (still waiting), -1 (gone).
_PROMOTE = """
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[2], ARGV[4]) then
  return -1
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZREM', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 2))
return 1
"""


def request_weight(request: HttpRequest) -> str | None:
    """"heavy", "light", or None (not counted) for this request, from its method and path."""
    path = request.path_info
    if _EXEMPT.match(path):
        return None
    if request.method in ("GET", "HEAD") and _LIGHT_GET.match(path):
        return "light"
    if request.method == "POST" and _LIGHT_POST.match(path):
        return "light"
    return "heavy"


class PersonOfSession:
    """Which user a session cookie belongs to, remembered per process: a session key never
    changes hands (signing in makes a new one), so a burst costs one session read, not one per
    request. Only signed-in sessions are remembered, and at most `size` of them."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._known: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, session_key: str) -> str | None:
        with self._lock:
            person = self._known.get(session_key)
            if person is not None:
                self._known.move_to_end(session_key)
                return person
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
        user_id = store.get(SESSION_KEY)
        if user_id is None:
            return None
        with self._lock:
            self._known[session_key] = str(user_id)
            while len(self._known) > self.size:
                self._known.popitem(last=False)
        return str(user_id)


def request_person(request: HttpRequest, person_of_session: Callable[[str], str | None]) -> str | None:
    """The signed-in person's user key (from the session cookie), or the owner of a part URL's
    token (inline images come from a sandboxed frame, without the session cookie); None for
    anyone else. Whether the token fits the part it is sent for is the view's business."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if session_key:
        person = person_of_session(session_key)
        if person is not None:
            return person
    token = request.GET.get("t")
    if token and request.path_info.startswith("/mail/"):
        return part_token_owner(token)
    return None


@dataclass
class _Held:
    person: str
    heavy: bool
    shared: bool  # True: a Redis lease; False: counted in this process only (Redis was down)


class RequestLeases:
    """The people's leases in Redis, and this process's view of the ones it holds.

    Limits are read from the settings at each request (`pages`, `waiting`, `requests`)."""

    def __init__(self, *, client: Callable[[], redis.Redis] = get_redis, prefix: str | None = None) -> None:
        self._client = client
        self._prefix = prefix
        self._lock = threading.Lock()
        self._released = threading.Condition(self._lock)  # a lease of this process ended
        self._held: dict[str, _Held] = {}  # token -> lease, for renewal and the local fallback
        self._renewer: threading.Thread | None = None
        self._pid = os.getpid()
        self._scripts: tuple[redis.Redis, list[Any]] | None = None
        self._full_until: dict[tuple[str, bool], float] = {}  # (person, heavy) -> monotonic time
        self._refused_at: dict[str, float] = {}  # person -> when this process last refused them

    @property
    def pages(self) -> int:
        return int(settings.WEBMAIL_PAGES_PER_PERSON)

    @property
    def waiting(self) -> int:
        return int(settings.WEBMAIL_PAGES_WAITING_PER_PERSON)

    @property
    def requests(self) -> int:
        return max(int(settings.WEBMAIL_REQUESTS_PER_PERSON), self.pages + self.waiting)

    def _keys(self, person: str) -> list[str]:
        base = f"{self._prefix or key_prefix()}:door:{{{person}}}"  # {…}: one hash slot per person
        return [f"{base}:all", f"{base}:heavy", f"{base}:waiting"]

    def acquire(self, person: str, *, heavy: bool) -> str | None:
        """A lease token, or None when the person has no room left. A heavy request may wait up
        to WEBMAIL_PAGES_WAIT_SECONDS for one of the person's heavy requests to end, if it got
        one of the few places to wait (it holds a thread meanwhile, but no CPU).

        A person this process has just refused is sending more than they are allowed: their
        heavy requests pause (`BURST_PAUSE`, holding their lease but no CPU) before they run,
        so a burst's renders take a small share of the CPU, not a whole core."""
        token = self._acquire(person, heavy=heavy)
        now = time.monotonic()
        if token is None:
            with self._lock:
                if len(self._refused_at) > 10_000:  # stays small: only people refused lately
                    self._refused_at = {p: t for p, t in self._refused_at.items() if now - t < BURST_MEMORY}
                self._refused_at[person] = now
        elif heavy and now - self._refused_at.get(person, -BURST_MEMORY) < BURST_MEMORY:
            _pause(BURST_PAUSE)
        return token

    def _acquire(self, person: str, *, heavy: bool) -> str | None:
        token = uuid.uuid4().hex
        granted = 1
        shared = not redis_health.is_down()
        if shared and self._known_full(person, heavy=heavy):
            return None
        if shared:
            try:
                granted = self._run(0, keys=self._keys(person), args=[
                    time.time(), LEASE_SECONDS, "1" if heavy else "0", self.pages, self.requests, token, self.waiting,
                ])
            except REDIS_ERRORS as exc:
                redis_health.failed(exc)  # one line per outage; the bound holds per process meanwhile
                shared = False
            else:
                if not granted:
                    with self._lock:
                        self._full_until[(person, heavy)] = time.monotonic() + FULL_FOR
                    return None
        with self._lock:
            if not shared and not self._local_room(person, heavy=heavy):
                return None
            self._held[token] = _Held(person=person, heavy=heavy, shared=shared)
        if shared:
            self._ensure_renewer()
            if granted == 2 and not self._wait_for_turn(person, token, float(settings.WEBMAIL_PAGES_WAIT_SECONDS)):
                self.release(token)
                return None
        return token

    def _wait_for_turn(self, person: str, token: str, wait: float) -> bool:
        """Wait (holding no CPU) until the person's running heavy requests leave room: woken when
        one of this process ends, else asking Redis now and then for the others'."""
        deadline = time.monotonic() + wait
        keys = self._keys(person)[1:]
        pause = 0.02
        while True:
            try:
                turn = self._run(1, keys=keys, args=[time.time(), LEASE_SECONDS, self.pages, token])
            except REDIS_ERRORS as exc:
                redis_health.failed(exc)
                return True  # fail open
            if turn != 0:
                return turn == 1
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with self._released:
                self._released.wait(min(pause, remaining))
            pause = min(pause * 1.5, 0.1)

    def release(self, token: str) -> None:
        with self._lock:
            held = self._held.pop(token, None)
            if held is not None:  # room again, for both kinds
                self._full_until.pop((held.person, True), None)
                self._full_until.pop((held.person, False), None)
                self._released.notify_all()
        if held is None or not held.shared:
            return
        try:
            pipe = self._client().pipeline(transaction=False)
            for key in self._keys(held.person):
                pipe.zrem(key, token)
            pipe.execute()
        except REDIS_ERRORS as exc:
            redis_health.failed(exc)  # the lease expires by itself

    def in_flight(self, person: str) -> int:
        """The person's leases across all processes (for tests and the admin)."""
        return int(self._client().zcount(self._keys(person)[0], time.time(), "+inf"))

    def _run(self, which: int, *, keys: list[str], args: list[Any]) -> int:
        client = self._client()
        if self._scripts is None or self._scripts[0] is not client:
            self._scripts = (client, [client.register_script(_ACQUIRE), client.register_script(_PROMOTE)])
        return int(self._scripts[1][which](keys=keys, args=args))

    def _known_full(self, person: str, *, heavy: bool) -> bool:
        with self._lock:
            until = self._full_until.get((person, heavy))
            if until is None:
                return False
            now = time.monotonic()
            if until > now:
                return True
            for key in [k for k, t in self._full_until.items() if t <= now]:  # the dictionary stays small
                del self._full_until[key]
            return False

    def _local_room(self, person: str, *, heavy: bool) -> bool:
        """The same bound counted in this process only (while Redis is down; no waiting:
        the places to wait count as running ones). Needs the lock."""
        mine = [h for h in self._held.values() if h.person == person and not h.shared]
        if len(mine) >= self.requests:
            return False
        return not heavy or sum(h.heavy for h in mine) < self.pages + self.waiting

    def _ensure_renewer(self) -> None:
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's thread is not ours
                self._pid, self._renewer = os.getpid(), None
            if self._renewer is None or not self._renewer.is_alive():
                self._renewer = threading.Thread(target=self._renew_forever, name="request-lease-renewer", daemon=True)
                self._renewer.start()

    def _renew_forever(self) -> None:
        while True:
            time.sleep(RENEW_EVERY)
            self.renew()

    def renew(self) -> None:
        """Push the expiry of this process's leases forward (requests that are still running)."""
        with self._lock:
            held = [(token, h.person, h.heavy) for token, h in self._held.items() if h.shared]
        if not held:
            return
        expiry = time.time() + LEASE_SECONDS
        try:
            pipe = self._client().pipeline(transaction=False)
            for token, person, heavy in held:
                keys = self._keys(person)
                for key in keys if heavy else keys[:1]:
                    pipe.zadd(key, {token: expiry}, xx=True)  # only where it is (running or waiting)
            pipe.execute()
        except REDIS_ERRORS as exc:
            redis_health.failed(exc)
        except Exception:  # the renewer must live on
            log.exception("renewing request leases")


class PersonConcurrencyMiddleware:
    """The door: a lease per request of a signed-in person, or 429 at once when they have none
    left (see the module docstring). Goes first after the request id: a refusal must cost as
    little as possible (it finds the person from the cookie by itself, before the session
    middleware; a burst is answered by the hundred, each in front of other people's requests)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.leases = RequestLeases()
        self.person_of_session = PersonOfSession()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        weight = request_weight(request)
        person = request_person(request, self.person_of_session) if weight is not None else None
        if person is None:
            return self.get_response(request)
        token = self.leases.acquire(person, heavy=weight == "heavy")
        if token is None:
            return too_many(request)
        try:
            return self.get_response(request)
        finally:
            # A download's lease ends here too, not when it has streamed: a server (or test
            # client) that never closes a response must not leave the person refused for good.
            self.leases.release(token)


_TEXTS: dict[str, tuple[str, str]] = {}  # language -> (message, title): made once each


def _texts(language: str) -> tuple[str, str]:
    texts = _TEXTS.get(language)
    if texts is None:
        with translation.override(language):
            texts = _TEXTS[language] = (
                _("Your mail is still busy with your earlier requests. Please try again in a moment."),
                _("Too many requests at once"),
            )
    return texts


def too_many(request: HttpRequest) -> HttpResponse:
    """429 with Retry-After, made without templates, the database or Redis (a burst is
    answered by the hundred). A page the person opened (say, a fourth tab at once) says so and
    loads itself again after the pause."""
    text, title = _texts(translation.get_language_from_request(request))
    retry_after = random.randint(*RETRY_AFTER)  # noqa: S311 - spreading, not secrecy
    response: HttpResponse
    accept = request.META.get("HTTP_ACCEPT", "")
    if accept.startswith("application/json"):
        response = JsonResponse({"error": text}, status=429)
    elif request.method == "GET" and "text/html" in accept:
        page = (
            f'<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="{retry_after}">'
            f"<title>{escape(title)}</title></head><body><p>{escape(text)}</p></body></html>"
        )
        response = HttpResponse(page, status=429, content_type="text/html; charset=utf-8")
    else:
        response = HttpResponse(text, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    # Answered before the middleware that adds these to every other response. The app's own
    # frames may show it: in the list's reading pane it loads itself again after the pause.
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    response._has_been_logged = True  # type: ignore[attr-defined]  # noqa: SLF001 - Django's marker: not logged per request
    return response
