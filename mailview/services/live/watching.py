"""The watcher's orchestration: whom to watch, leases between replicas, budget, backoff, sync requests.

`WatchService` runs in the `watch_mailboxes` process around one `mailview.imap.watch.WatchHub`
(all IMAP connections multiplexed in one thread):

- **Whom.** Exactly the people in `events.present_users()` (an open tab), kept for
  `grace_seconds` after their last tab closed.
- **Leases.** A person is watched by the replica holding `<prefix>:live:watch-lease:<pk>`
  (`SET NX PX`, value = the replica's id, expires after `lease_seconds`), so two replicas never
  watch the same person and a dead replica's people are taken over once its leases expire.
  Replicas announce themselves in `<prefix>:live:watchers` (a sorted set scored by expiry); a
  free lease goes first to the person's rendezvous-hash replica, and to anyone once it has
  stayed free for a round (`SET NX`: only a lease that really expired, or was let go).
  The leases are renewed by a thread of their own, the lease keeper: every quarter of the
  lease (`renew_seconds`), all of them in one pipelined Lua call, whatever the round and the
  selector loop are busy with, so a loaded machine (late rounds: connects, sync requests,
  thousands of events) does not let them run out and hand people back and forth. A lease that
  ran out with nobody taking it is taken again at once; one that another replica holds is
  reported to the round, which drops that person (connection, budget, watched mark). If the
  round itself stops turning for `stall_seconds`, the keeper stops renewing, so a hung
  replica's people move on; and a round that finds leases unrenewed for `lease_seconds` lets
  go of those people (they may be another replica's by now).
- **Sharing.** The keeper also publishes how many people the replica has
  (`<prefix>:live:watcher-load`, a hash by replica). A replica holding more than its fair share
  (everybody the live replicas hold, divided by their number) plus a slack (`balance_slack` of
  the share, at least one person), while another live replica is under its share, hands the
  surplus over without a gap in watching: it offers the person (`<prefix>:live:watch-handover:<pk>`
  = the two replica ids, a newline between, expiring after `handover_seconds`, and the pk in the receiver's
  `<prefix>:live:watch-offers:<replica>`); the receiver connects first, and only once its
  connection is up takes the lease (a Lua script: only while the offer stands and the lease is
  still the offerer's, or free); the offerer finds the lease taken at its next renewal and lets
  go, leaving the watched mark (and its token: the watch was never broken) to the new owner. An
  offer not taken in time lapses, and one the receiver refuses (it is handing people over
  itself) or gives up (its connection failed) is deleted: the offerer keeps the person. Every
  replica decides from the published counts (its own too), so two replicas agree on who is
  over; nothing is offered while people are being claimed (the counts lag behind), and the
  next offers wait until the last ones are settled and the counts republished, so
  replicas started together, or one started after the others, end up sharing evenly without
  people moving back and forth.
- **Budget.** The connection holds a lease in the person's IMAP connection budget (the same
  `ConnectionBudget` the pool uses): when the budget is full the watcher asks the pools to close
  idle connections of the person and tries again with backoff.
- **Marks.** While a connection is up with NOTIFY, `events.mark_watched` is kept alive;
  cleared when it breaks or stops.
- **Changes.** Folders reported changed are gathered for `coalesce_seconds` per person, then
  one sync is requested: `enqueue(user_id=..., folders=[...], reason="change")` (the command
  hands in `send_task("mailview.sync_folders", ...)`). On start a sync of every folder is
  requested (`reason="watch-start"`), so the folder state is current from the moment the
  person is marked watched; after a lost connection is back, a `resync` event is published
  and every folder is synced (`reason="reconnect"`).
- **Reconnects** back off exponentially (`backoff_base` doubling up to `backoff_cap`).
- **Stats** for the admin (`watcher_stats`) are published to Redis every few seconds.

Everything but the hub's own I/O and the lease keeper happens on the thread that calls `run()`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import logging
import os
import queue
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from mailview.imap.budget import ConnectionBudget
from mailview.imap.connection import Credentials, ServerEndpoint
from mailview.imap.watch import WatchHub, WatchInfo

from . import events

log = logging.getLogger(__name__)

SYNC_TASK = "mailview.sync_folders"

# Renew our leases; KEYS = lease keys, ARGV = [replica id, lease ms]. Returns the indexes (1-based)
# lost to another replica. A lease that ran out (a renewal came late) and that nobody took is
# still ours: taken again, so a late renewal alone never hands a person over.
_RENEW = """
local lost = {}
for i, key in ipairs(KEYS) do
  local owner = redis.call('GET', key)
  if owner == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
  elseif not owner then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
  else
    table.insert(lost, i)
  end
end
return lost
"""
# Take over a person offered to us; KEYS = [lease, offer], ARGV = [replica id, lease ms]. Only
# while the offer (offerer, newline, receiver) names us and the lease is still the offerer's (or ran out):
# never from a third replica that took it meanwhile. 1: taken from the offerer (who still watched),
# 2: the lease had run out (the offerer died: its watch may have missed changes).
_TAKE = """
local offer = redis.call('GET', KEYS[2])
if not offer then return 0 end
local sep = string.find(offer, string.char(10), 1, true)
if not sep or string.sub(offer, sep + 1) ~= ARGV[1] then return 0 end
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= string.sub(offer, 1, sep - 1) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], 'taken', 'PX', ARGV[2])  -- the offerer waits for its lost lease, not for a refusal
if owner then return 1 end
return 2
"""
# Refuse (or give up) an offer made to us; KEYS = [offer], ARGV = [replica id]: the offerer sees it
# gone and keeps the person.
_REFUSE = """
local offer = redis.call('GET', KEYS[1])
if not offer then return 0 end
local sep = string.find(offer, string.char(10), 1, true)
if sep and string.sub(offer, sep + 1) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# Delete a lease only if it is still ours.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class Enqueue(Protocol):
    def __call__(self, *, user_id: int, folders: list[str], reason: str) -> object: ...


CredentialsFor = Callable[[str], tuple[ServerEndpoint, Credentials]]


@dataclass(frozen=True)
class WatchConfig:
    grace_seconds: float = 180.0
    lease_seconds: float = 8.0
    renew_seconds: float | None = None  # None: a quarter of the lease
    # The keeper stops renewing when the round has not turned for this long (a hung replica).
    stall_seconds: float = 60.0
    presence_seconds: float = 1.0
    coalesce_seconds: float = 0.1
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    watched_ttl: int = 30
    max_people: int = 5000
    stats_seconds: float = 5.0
    # Connections opened at once (connect + TLS + LOGIN, each mostly waiting for the server): a
    # replica taking over a dead one's people logs them in this many at a time.
    connect_workers: int = 16
    # Work per round is bounded so lease renewals are never starved (thousands at start-up).
    connects_per_round: int = 100
    events_per_step: int = 200
    # Sharing between replicas: hand people over beyond the fair share plus this fraction of it
    # (at least one person); an offer not taken within `handover_seconds` lapses.
    balance_slack: float = 0.1
    handover_seconds: float = 30.0
    # The hub's clock (see mailview/imap/watch.py).
    reidle_seconds: float = 600.0
    keepalive_seconds: float = 300.0
    sweep_seconds: float = 60.0
    poll_seconds: float = 120.0
    response_timeout: float = 30.0
    ignore_capabilities: frozenset[str] = frozenset()

    def renew_interval(self) -> float:
        return self.renew_seconds if self.renew_seconds is not None else self.lease_seconds / 4


@dataclass
class _Person:
    pk: int
    last_present: float
    claim: int = 0  # which claim of the lease this is (a lost lease reported late is an older one's)
    claimed_at: float = 0.0  # monotonic
    status: str = "idle"  # idle (not connected) | connecting | up
    token: str | None = None  # the budget lease of its connection
    mode: str = ""
    folders: tuple[str, ...] = ()
    retry_at: float = 0.0
    failures: int = 0
    reconnects: int = 0
    lost: bool = False  # a connection was up and broke: resync once the next one is up
    pending: set[str] = field(default_factory=set)
    pending_since: float = 0.0
    flush_at: float = 0.0
    last_event: float = 0.0  # wall clock
    last_lag: float = 0.0  # seconds from the server's report to the sync request
    syncs: int = 0
    reason: str = ""
    # Offered to us by this replica, which still holds the lease: we connect first and take the
    # lease once our connection is up (until then the keeper does not renew it, nor do we let it go).
    incoming: bool = False


class WatchService:
    def __init__(
        self,
        *,
        redis: Any,
        prefix: str,
        credentials_for: CredentialsFor,
        budget: ConnectionBudget,
        enqueue: Enqueue,
        config: WatchConfig | None = None,
        replica_id: str | None = None,
        present_users: Callable[[], list[int]] = events.present_users,
    ) -> None:
        self.config = config or WatchConfig()
        self.redis = redis
        self.prefix = prefix
        self.replica_id = replica_id or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._credentials_for = credentials_for
        self._budget = budget
        self._enqueue = enqueue
        self._present_users = present_users
        self._renew_script = redis.register_script(_RENEW)
        self._release_script = redis.register_script(_RELEASE)
        self._take_script = redis.register_script(_TAKE)
        self._refuse_script = redis.register_script(_REFUSE)
        self._events: queue.SimpleQueue[tuple[str, str, Any]] = queue.SimpleQueue()
        self._held: tuple[str, str, Any] | None = None
        self.hub = WatchHub(
            on_changes=lambda key, folders: self._events.put(("changes", key, (folders, time.monotonic()))),
            on_state=lambda key, state, info: self._events.put((state, key, _copy_info(info))),
            connect_workers=self.config.connect_workers,
            reidle_seconds=self.config.reidle_seconds,
            keepalive_seconds=self.config.keepalive_seconds,
            sweep_seconds=self.config.sweep_seconds,
            poll_seconds=self.config.poll_seconds,
            response_timeout=self.config.response_timeout,
            ignore_capabilities=self.config.ignore_capabilities,
        )
        self.people: dict[int, _Person] = {}  # the people whose lease we hold
        # Who is in `people` changes only under this lock, and the keeper renews under it: a
        # person let go is either renewed before or released after, never revived by a renewal.
        self._people_lock = threading.Lock()
        self._claims = itertools.count(1)
        self._seen_free: set[int] = set()
        # People we offered to another replica: pk -> (that replica, when the offer lapses).
        self._offers: dict[int, tuple[str, float]] = {}
        self._settle_until = 0.0  # no new offers before then (the loads catch up with the last ones)
        self._claiming_at = 0.0  # when we last claimed someone or saw a free lease (counts still moving)
        self._next_presence = 0.0
        self._next_budget_renew = 0.0
        self._next_marks = 0.0
        self._next_stats = 0.0
        self._last_renewed = time.monotonic()  # when the last successful renewal started
        self._turned = time.monotonic()  # when the round's thread last took a step
        self._keeper: threading.Thread | None = None
        self._keeper_stop = threading.Event()
        self._keeper_failing = False
        self._failing = False
        self.counters = {
            "rounds": 0, "reconnects": 0, "changes": 0, "syncs": 0, "budget_waits": 0, "failures": 0,
            "renewals": 0, "lost_leases": 0, "handed_over": 0, "taken_over": 0,
        }
        self.started_at = time.time()

    # -- running ------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Watch until `stop` is set; then let go of every person (leases, budget, marks)."""
        self.hub.start()
        self.start_keeper()
        try:
            while not stop.is_set():
                self.step(wait=True)
        finally:
            self.shutdown()

    def start_keeper(self) -> None:
        """Start the lease keeper's thread (`run` does)."""
        self._turned = time.monotonic()
        self._keeper = threading.Thread(target=self._keep_leases, name="watch-leases", daemon=True)
        self._keeper.start()

    def _keep_leases(self) -> None:
        interval = self.config.renew_interval()
        while True:
            started = time.monotonic()
            try:
                self.renew_leases()
            except Exception as exc:  # noqa: BLE001 - Redis away: the round lets go once the leases are too old
                if not self._keeper_failing:
                    self._keeper_failing = True
                    log.warning("watcher: renewing the leases failed (%s); retrying every %.1f s", type(exc).__name__, interval)
            else:
                self._keeper_failing = False
            if self._keeper_stop.wait(max(0.0, interval - (time.monotonic() - started))):
                return

    def step(self, *, wait: bool) -> None:
        now = time.monotonic()
        self._turned = now
        if self.people and now - self._last_renewed > self.config.lease_seconds:
            # Leases not renewed (nor claimed) for their lifetime may be another replica's by now:
            # never watch twice.
            stale = [p.pk for p in self.people.values() if now - max(p.claimed_at, self._last_renewed) > self.config.lease_seconds]
            if stale:
                log.warning("watcher: leases not renewed for %.0f s; letting go of %d people", now - self._last_renewed, len(stale))
            for pk in stale:
                self._let_go(pk, release_lease=False)
        timeout = max(0.0, min(self._next_presence, self._next_flush()) - now) if wait else 0.0
        try:
            if self._held is not None:
                item, self._held = self._held, None
            else:
                item = self._events.get(timeout=min(timeout, 1.0)) if wait else self._events.get_nowait()
            for _ in range(self.config.events_per_step):
                try:
                    self._handle(item)
                except Exception:  # Redis away while marking or publishing: the next round recovers
                    log.exception("watcher: handling %s for user %s failed", item[0], item[1])
                item = self._events.get_nowait()
            self._held = item  # the rest waits for the next step, after the round; order kept
        except queue.Empty:
            pass
        now = time.monotonic()
        self._flush_due(now)
        if now >= self._next_presence:
            self._next_presence = now + self.config.presence_seconds
            try:
                self._round(now)
            except Exception as exc:  # noqa: BLE001 - Redis or the database away: keep going, try next round
                self._round_failed(exc, now)
            else:
                if self._failing:
                    self._failing = False
                    log.warning("watcher: Redis and the database answer again")

    def _round_failed(self, exc: BaseException, now: float) -> None:
        if not self._failing:
            self._failing = True
            log.warning("watcher: a round failed (%s); retrying every %.0f s", type(exc).__name__, self.config.presence_seconds)

    def shutdown(self) -> None:
        self._keeper_stop.set()
        if self._keeper is not None:
            self._keeper.join(timeout=10)
        for pk in list(self.people):
            self._let_go(pk, release_lease=True)
        self.hub.stop()
        try:
            self.redis.zrem(self._replicas_key(), self.replica_id)
            self.redis.hdel(self._loads_key(), self.replica_id)
            self.redis.delete(self._stats_key(self.replica_id))
        except Exception:  # noqa: BLE001 - Redis gone: everything expires by itself
            pass

    # -- one round: presence, leases, connections --------------------------------------

    def _round(self, now: float) -> None:
        self.counters["rounds"] += 1
        present = self._present_users()  # Redis down: the round fails (see _round_failed)
        wall = time.time()
        for pk in present:
            if pk in self.people:
                self.people[pk].last_present = now
        for pk, person in list(self.people.items()):
            if now - person.last_present > self.config.grace_seconds:
                self._let_go(pk, release_lease=True)
            elif person.incoming and now - person.claimed_at > self.config.handover_seconds:
                self._let_go(pk, release_lease=False)  # the offer lapsed: its replica keeps the person
        self._take_offers(now)
        self._claim([pk for pk in present if pk not in self.people], now)
        self._balance(now)
        due = [p for p in self.people.values() if p.status == "idle" and now >= p.retry_at]
        for person in due[: self.config.connects_per_round]:
            self._connect(person, now)
        if now >= self._next_budget_renew:
            self._next_budget_renew = now + self._budget.lease_seconds / 4
            self._budget.renew_many({str(p.pk): [p.token] for p in self.people.values() if p.token})
        if now >= self._next_marks:
            self._next_marks = now + max(1.0, self.config.watched_ttl / 3)
            events.mark_watched_many([p.pk for p in self.people.values() if p.status == "up" and p.mode == "notify"], self.config.watched_ttl)
        if now >= self._next_stats:
            self._next_stats = now + self.config.stats_seconds
            self._publish_stats(wall)

    def renew_leases(self) -> None:
        """Renew every lease we hold and our place among the replicas, in one round trip (the
        keeper's thread). Leases another replica holds now are handed to the round (`lost`)."""
        renewing_at = time.monotonic()
        if renewing_at - self._turned > self.config.stall_seconds:
            # The round is stuck: let the leases run out so the people move to a live replica.
            log.warning("watcher: the round has not turned for %.0f s; not renewing leases", renewing_at - self._turned)
            return
        wall = time.time()
        ttl_ms = int(self.config.lease_seconds * 1000)
        with self._people_lock:
            # Not the people offered to us: their lease is still the offerer's until we take it.
            held = [(pk, person.claim) for pk, person in self.people.items() if not person.incoming]
            pipe = self.redis.pipeline(transaction=False)
            pipe.zadd(self._replicas_key(), {self.replica_id: wall + self.config.lease_seconds})
            pipe.zremrangebyscore(self._replicas_key(), "-inf", wall)
            pipe.hset(self._loads_key(), self.replica_id, len(self.people))  # how other replicas see our share
            if held:
                self._renew_script(keys=[self._lease_key(pk) for pk, _ in held], args=[self.replica_id, ttl_ms], client=pipe)
            replies = pipe.execute()
        self._last_renewed = renewing_at
        self.counters["renewals"] += 1
        for index in (replies[3] if held else None) or []:
            pk, claim = held[int(index) - 1]
            self._events.put(("lost", str(pk), claim))

    def _claim(self, candidates: list[int], now: float) -> None:
        room = self.config.max_people - len(self.people)
        if not candidates or room <= 0:
            return
        replicas = sorted(_text(m) for m in self.redis.zrangebyscore(self._replicas_key(), time.time(), "+inf"))
        if self.replica_id not in replicas:
            replicas.append(self.replica_id)
        ttl_ms = int(self.config.lease_seconds * 1000)
        pipe = self.redis.pipeline(transaction=False)
        asked: list[tuple[int, str]] = []
        for pk in candidates:
            if len(asked) >= room:
                break
            # The preferred replica claims at once; any replica once the lease stayed free a round.
            if pk in self._seen_free or _preferred(pk, replicas) == self.replica_id:
                pipe.set(self._lease_key(pk), self.replica_id, nx=True, px=ttl_ms)
                asked.append((pk, "set"))
            else:
                pipe.exists(self._lease_key(pk))
                asked.append((pk, "exists"))
        replies = pipe.execute()
        seen_free: set[int] = set()
        for (pk, kind), reply in zip(asked, replies, strict=True):
            if kind == "set" and reply:
                self._claiming_at = now
                with self._people_lock:
                    self.people[pk] = _Person(pk=pk, last_present=now, claim=next(self._claims), claimed_at=now)
                log.info("watcher: watching user %s", pk)
            elif kind == "exists" and not reply:
                seen_free.add(pk)
        self._seen_free = seen_free
        if seen_free:
            self._claiming_at = now

    def _take_offers(self, now: float) -> None:
        """People other replicas offered us: connect to them now, take their leases once up."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.smembers(self._offers_key(self.replica_id))
        pipe.delete(self._offers_key(self.replica_id))
        offered = sorted(int(_text(m)) for m in pipe.execute()[0])
        for pk in offered:
            if pk in self.people:
                continue
            if self._offers or len(self.people) >= self.config.max_people:
                # We are handing people over ourselves (two replicas offering each other, each
                # from a stale count of the other's), or full: refuse, the offerer keeps them.
                self._refuse_script(keys=[self._handover_key(pk)], args=[self.replica_id])
                continue
            with self._people_lock:
                self.people[pk] = _Person(pk=pk, last_present=now, claim=next(self._claims), claimed_at=now, incoming=True)
            log.info("watcher: taking over user %s from another replica", pk)

    def _balance(self, now: float) -> None:
        """Hand people over to replicas under their fair share while we are over ours (plus the
        slack): one wave at a time, the next once the loads show where the last one went."""
        if self._offers:
            pending = list(self._offers)
            standing = self.redis.mget([self._handover_key(pk) for pk in pending])
            for pk, offer in zip(pending, standing, strict=True):
                # Handed over (let go at the lost lease), left, lapsed, or refused (offer gone).
                if pk not in self.people or now >= self._offers[pk][1] or offer is None:
                    del self._offers[pk]
                    self._settle_until = now + 2 * self.config.renew_interval()
        if self._offers or now < self._settle_until or len(self.people) < 2:
            return
        if now - self._claiming_at < 2 * self.config.renew_interval():
            # People are still being claimed (arrivals, a takeover): the published counts lag
            # behind, and a replica claiming its own share would be sent ours on top.
            return
        pipe = self.redis.pipeline(transaction=False)
        pipe.zrangebyscore(self._replicas_key(), time.time(), "+inf")
        pipe.hgetall(self._loads_key())
        members, raw_loads = pipe.execute()
        replicas = sorted({_text(m) for m in members} | {self.replica_id})
        published = {_text(k): int(v) for k, v in raw_loads.items()}
        if gone := [r for r in published if r not in replicas]:
            self.redis.hdel(self._loads_key(), *gone)  # replicas that died without saying so
        if len(replicas) < 2:
            return
        # Every replica's count as published, ours too: replicas deciding from one snapshot agree
        # on who is over and who is under (our own live count against another's older one would
        # let two replicas each find the other under its share while both claim arrivals).
        loads = {r: published.get(r, len(self.people) if r == self.replica_id else 0) for r in replicas}
        share = -(-sum(loads.values()) // len(replicas))  # the ceiling
        slack = max(1, int(share * self.config.balance_slack))
        if min(loads[self.replica_id], len(self.people)) <= share + slack:
            return
        surplus = min(loads[self.replica_id], len(self.people)) - share
        movable = [p.pk for p in self.people.values() if p.status == "up" and not p.incoming]
        offers: list[tuple[int, str]] = []
        for receiver in sorted((r for r in replicas if r != self.replica_id and loads[r] < share), key=lambda r: loads[r]):
            room = min(share - loads[receiver], surplus - len(offers), self.config.connects_per_round - len(offers))
            if room <= 0:
                break
            # Those whose rendezvous replica the receiver is first: a free lease would go there too.
            movable.sort(key=lambda pk, r=receiver: _preferred(pk, replicas) != r)  # type: ignore[misc]
            chosen, movable = movable[:room], movable[room:]
            offers.extend((pk, receiver) for pk in chosen)
        if not offers:
            return
        ttl_ms = int(self.config.handover_seconds * 1000)
        pipe = self.redis.pipeline(transaction=False)
        for pk, receiver in offers:
            pipe.set(self._handover_key(pk), f"{self.replica_id}\n{receiver}", nx=True, px=ttl_ms)
        for receiver in {r for _, r in offers}:
            pipe.sadd(self._offers_key(receiver), *[pk for pk, r in offers if r == receiver])
            pipe.pexpire(self._offers_key(receiver), ttl_ms)
        replies = pipe.execute()
        lapses = now + self.config.handover_seconds
        for (pk, receiver), made in zip(offers, replies, strict=False):
            if made:
                self._offers[pk] = (receiver, lapses)
        log.info("watcher %s: offering %d people to replicas under their share (%d each; loads %s)", self.replica_id, len(self._offers), share, loads)

    def _connect(self, person: _Person, now: float) -> None:
        user_key = str(person.pk)
        if person.token is None:
            token = self._budget.try_acquire(user_key)
            if token is None:
                # The person's budget is spent: ask the pools to close idle ones, retry soon.
                self.counters["budget_waits"] += 1
                self._budget.announce("wanted", user_key)
                person.reason = "connection budget full"
                person.retry_at = now + min(self.config.backoff_cap, 1.0 + _jitter())
                return
            person.token = token
        try:
            endpoint, credentials = self._credentials_for(user_key)
        except Exception as exc:  # noqa: BLE001 - no stored credentials, database down, ...
            self._release_budget(person)
            person.reason = f"no credentials ({type(exc).__name__})"
            person.failures += 1
            person.retry_at = now + self.config.backoff_cap
            return
        person.status = "connecting"
        self.hub.watch(user_key, endpoint, credentials)

    def _let_go(self, pk: int, *, release_lease: bool, handed_over: bool = False) -> None:
        """Stop watching `pk`. A person offered to us and not taken yet, or one we handed over,
        keeps the lease and the watched mark of the replica that watches them."""
        with self._people_lock:
            person = self.people.pop(pk, None)
        if person is None:
            return
        self.hub.unwatch(str(pk))
        self._release_budget(person)
        try:
            if not person.incoming and not handed_over:
                events.clear_watched(pk)
            if release_lease and not person.incoming:
                self._release_script(keys=[self._lease_key(pk)], args=[self.replica_id])
                if self._offers.pop(pk, None) is not None:
                    self.redis.delete(self._handover_key(pk))  # gone: nobody is to take them over
        except Exception as exc:  # noqa: BLE001 - both expire by themselves
            log.warning("watcher: could not clear user %s's marks (%s)", pk, type(exc).__name__)
        log.info("watcher: stopped watching user %s", pk)

    def _release_budget(self, person: _Person) -> None:
        if person.token is not None:
            try:
                self._budget.release(str(person.pk), person.token)
            except Exception:  # noqa: BLE001 - the lease expires by itself
                pass
            person.token = None

    # -- what the hub reports --------------------------------------------------------

    def _handle(self, item: tuple[str, str, Any]) -> None:
        kind, key, payload = item
        person = self.people.get(int(key))
        if person is None:
            return  # let go of meanwhile
        now = time.monotonic()
        if kind == "lost":
            if payload != person.claim or person.incoming:
                return  # an earlier claim's lease; this one was taken since
            if person.pk in self._offers:
                # The replica we offered the person to took the lease once its connection was up.
                self.counters["handed_over"] += 1
                log.info("watcher: handed user %s over to %s", person.pk, self._offers[person.pk][0])
                self._let_go(person.pk, release_lease=False, handed_over=True)
                return
            # Another replica holds the lease now (ours ran out and it took it): drop the person
            # (connection, budget, watched mark: the new owner marks its own watch), keep its lease.
            self.counters["lost_leases"] += 1
            log.warning("watcher: lost the lease of user %s to another replica", person.pk)
            self._let_go(person.pk, release_lease=False)
        elif kind == "changes":
            folders, at = payload
            self.counters["changes"] += 1
            person.last_event = time.time()
            if not person.pending:
                person.pending_since = at
                person.flush_at = at + self.config.coalesce_seconds
            person.pending |= set(folders)
        elif kind == "up":
            info: WatchInfo = payload
            unbroken = False
            if person.incoming:
                taken = self._take(person, now)
                if not taken:
                    return
                unbroken = taken == 1
            person.status, person.mode, person.folders = "up", info.mode, info.folders
            person.failures = 0
            person.reason = ""
            if info.mode == "notify":
                events.mark_watched(person.pk, self.config.watched_ttl)
            if unbroken:
                pass  # handed over while the other replica still watched: nothing was missed, no sync
            elif person.lost:
                person.lost = False
                person.reconnects += 1
                self.counters["reconnects"] += 1
                events.publish(person.pk, "resync", {"folder": None})
                self._request(person, list(info.folders), "reconnect")
            else:
                self._request(person, list(info.folders), "watch-start")
        elif kind == "down":
            info = payload
            if person.incoming:  # the offering replica still watches: it offers again later
                self._refuse_script(keys=[self._handover_key(person.pk)], args=[self.replica_id])
                self._let_go(person.pk, release_lease=False)
                return
            was_up = person.status == "up"
            person.status = "idle"
            person.reason = info.reason
            self.counters["failures"] += 1
            events.clear_watched(person.pk)
            self._release_budget(person)
            if was_up:
                person.lost = True
                person.failures = 0
            person.failures += 1
            delay = min(self.config.backoff_cap, self.config.backoff_base * 2 ** (person.failures - 1))
            person.retry_at = now + delay * (0.5 + _jitter() / 2)
            log.info("watcher: user %s's connection is down (%s); again in %.1fs", person.pk, info.reason, delay)

    def _take(self, person: _Person, now: float) -> int:
        """Our connection for a person offered to us is up: take the lease (the offerer lets go at
        its next renewal). 1: taken, the watch went on unbroken; 2: taken, but the offerer's
        lease had run out; 0 (let go) when the offer lapsed or a third replica holds the person."""
        ttl_ms = int(self.config.lease_seconds * 1000)
        taken = int(self._take_script(keys=[self._lease_key(person.pk), self._handover_key(person.pk)], args=[self.replica_id, ttl_ms]))
        if not taken:
            log.info("watcher: the offer of user %s lapsed; not taking over", person.pk)
            self._let_go(person.pk, release_lease=False)
            return 0
        with self._people_lock:
            person.incoming = False
            person.claim = next(self._claims)
            person.claimed_at = now
        self.counters["taken_over"] += 1
        return taken

    def _next_flush(self) -> float:
        times = [p.flush_at for p in self.people.values() if p.pending]
        return min(times) if times else float("inf")

    def _flush_due(self, now: float) -> None:
        for person in self.people.values():
            if person.pending and now >= person.flush_at:
                folders, person.pending = sorted(person.pending), set()
                person.last_lag = now - person.pending_since
                self._request(person, folders, "change")

    def _request(self, person: _Person, folders: list[str], reason: str) -> None:
        try:
            self._enqueue(user_id=person.pk, folders=folders, reason=reason)
        except Exception as exc:  # noqa: BLE001 - broker down: the next change or reconnect asks again
            log.warning("watcher: could not request a sync for user %s (%s)", person.pk, type(exc).__name__)
            return
        person.syncs += 1
        self.counters["syncs"] += 1

    # -- keys and stats ---------------------------------------------------------------

    def _lease_key(self, pk: int) -> str:
        return f"{self.prefix}:live:watch-lease:{int(pk)}"

    def _replicas_key(self) -> str:
        return f"{self.prefix}:live:watchers"

    def _loads_key(self) -> str:
        return f"{self.prefix}:live:watcher-load"

    def _handover_key(self, pk: int) -> str:
        return f"{self.prefix}:live:watch-handover:{int(pk)}"

    def _offers_key(self, replica: str) -> str:
        return f"{self.prefix}:live:watch-offers:{replica}"

    def _stats_key(self, replica: str) -> str:
        return f"{self.prefix}:live:watcher-stats:{replica}"

    def stats(self) -> dict[str, Any]:
        people = sorted(self.people.values(), key=lambda p: -p.last_event)
        return {
            "replica": self.replica_id,
            "people": len(self.people),
            "up": sum(1 for p in self.people.values() if p.status == "up"),
            "connecting": sum(1 for p in self.people.values() if p.status == "connecting"),
            "logins_in_flight": self.hub.connecting,
            "logins_peak": self.hub.connecting_peak,
            "waiting": sum(1 for p in self.people.values() if p.status == "idle"),
            **self.counters,
            "updated": time.time(),
            "rows": [
                {
                    "user": p.pk,
                    "status": p.status,
                    "mode": p.mode,
                    "last_event": p.last_event,
                    "lag_ms": round(p.last_lag * 1000),
                    "reconnects": p.reconnects,
                    "syncs": p.syncs,
                    "reason": p.reason,
                }
                for p in people[:200]
            ],
        }

    def _publish_stats(self, wall: float) -> None:
        ttl = int(max(30, self.config.stats_seconds * 3))
        try:
            self.redis.set(self._stats_key(self.replica_id), json.dumps(self.stats()), ex=ttl)
        except Exception:  # noqa: BLE001 - stats are best effort
            pass


def watcher_stats(redis: Any, prefix: str) -> list[dict[str, Any]]:
    """Every live replica's last published stats (for the admin page)."""
    rows = []
    for key in redis.scan_iter(match=f"{prefix}:live:watcher-stats:*", count=200):
        raw = redis.get(key)
        if raw:
            try:
                rows.append(json.loads(raw))
            except ValueError:
                continue
    return sorted(rows, key=lambda r: str(r.get("replica", "")))


def watcher_overview() -> dict[str, Any]:
    """The admin page's view of every watcher replica and the people they watch (this process's
    Redis); an unreachable Redis shows as no watcher."""
    from webmail.redis_client import get_redis, key_prefix

    try:
        replicas = watcher_stats(get_redis(), key_prefix())
    except Exception:  # noqa: BLE001 - the pool's rows still show
        replicas = []
    now = time.time()
    columns = ["replica", "people", "up", "connecting", "waiting", "reconnects", "changes", "syncs", "budget_waits", "failures", "lost_leases"]
    people = []
    for replica in replicas:
        for row in replica.get("rows", []):
            last = float(row.get("last_event") or 0)
            people.append(
                [
                    row.get("user", ""),
                    replica.get("replica", ""),
                    row.get("status", ""),
                    row.get("mode", ""),
                    f"{now - last:.0f} s ago" if last else "never",
                    row.get("lag_ms", ""),
                    row.get("reconnects", ""),
                    row.get("syncs", ""),
                    row.get("reason", ""),
                ]
            )
    return {
        "watcher_columns": columns,
        "watcher_rows": [[r.get(c, "") for c in columns] for r in replicas],
        "watched_columns": ["user", "replica", "status", "mode", "last change", "lag (ms)", "reconnects", "syncs", "last problem"],
        "watched_rows": people,
    }


def _preferred(pk: int, replicas: list[str]) -> str:
    """Rendezvous hashing: the replica a person goes to first (stable while replicas are)."""
    return max(replicas, key=lambda r: hashlib.blake2b(f"{pk}:{r}".encode(), digest_size=8).digest())


def _copy_info(info: WatchInfo) -> WatchInfo:
    return dataclasses.replace(info)


def _jitter() -> float:
    """A number in [0, 1) to spread retries (not security relevant)."""
    return secrets.randbelow(1000) / 1000


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
