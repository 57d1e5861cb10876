"""Celery tasks, all of them: thin, take IDs and plain data, rebuild context, call a service.

Acks late with retries (settings), so a worker that dies mid-task leaves the
message on the broker for another worker.
"""
from __future__ import annotations

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from redis.exceptions import RedisError

from mailview.imap import ImapConnectionError, ImapError, NoStoredCredentials, PoolTimeout, get_pool, validate
from mailview.models import Transfer
from mailview.services.compose.lifecycle import compose_cleanup, compose_sweep_due
from mailview.services.compose.sending import (
    Outcome,
    compose_deliver,
    compose_deliver_without_mailbox,
    compose_due_in,
    compose_give_up,
    compose_owner,
    compose_retry_at,
)
from mailview.services.filing.actions import message_action_apply
from mailview.services.filing.labels import label_change_apply
from mailview.services.filing.snooze import snooze_due_users, snoozes_wake
from mailview.services.fulltext.indexing import FillResult, index_exists, index_fill, index_pending, index_request, index_take_turn
from mailview.services.live import events
from mailview.services.live.state import folder_states_changed
from mailview.services.live.sync import SyncBusy, folders_sync
from mailview.services.reading.thread_building import threads_build_done, threads_build_failed, threads_build_run
from mailview.services.transfer.run import transfer_execute
from mailview.services.transfer.store import transfer_claim, transfer_cleanup, transfer_finish, transfer_uses_imap
from mailview.templatetags.mail_list import message_rows

log = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(ImapConnectionError, PoolTimeout), retry_backoff=2, retry_backoff_max=60, max_retries=12)
def mail_action(
    self: Task, *, action_id: str, user_id: int, kind: str, folder: str, uids: list[int] | str,
    target: str | None = None, keyword: str | None = None, restore: dict | None = None, until: str | None = None,
) -> dict:
    """Apply one filing action on the IMAP server. Safe to run twice (see services.actions)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return {"ok": False, "kind": kind, "folder": folder, "error": "no such user"}
    try:
        with get_pool().session(user) as imap:
            result = message_action_apply(
                imap=imap, action_id=action_id, kind=kind, folder=folder, uids=uids, target=target, keyword=keyword, restore=restore,
                user_key=str(user_id), until=until,
            )
    except NoStoredCredentials:
        # Signed out with actions still queued: they wait for the next sign-in.
        raise self.retry(countdown=60, max_retries=60 * 24) from None
    _sync_later(user_id, [folder, result.target or ""], reason=f"action:{kind}")
    return result.as_dict()


# -- live sync ----------------------------------------------------------------------


@shared_task(
    bind=True, name="mailview.sync_folders", autoretry_for=(ImapConnectionError, PoolTimeout, SyncBusy),
    retry_backoff=1, retry_backoff_max=30, max_retries=5,
)
def sync_folders(self: Task, *, user_id: int, folders: list[str], reason: str = "") -> list[str]:
    """Fetch what changed in these folders since the last sync, keep their state and publish
    events on the person's channel (services.live.sync). Safe to run twice: the second run
    finds nothing new."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return []
    names = [validate.folder_name(f) for f in folders if isinstance(f, str) and f]
    try:
        # Rows are rendered in the language the person's pages are served in (a worker has no
        # request to ask: each listening page records it), else the site's.
        with translation.override(_reader_language(int(user_id))), get_pool().session(user) as imap:
            result = folders_sync(imap=imap, user_pk=int(user_id), folders=names, reason=reason, render_rows=message_rows)
    except NoStoredCredentials:
        return []  # signed out: nobody to tell
    if result.events and index_exists(user_pk=int(user_id)):
        # Mail arrived or left: the full-text index catches up (new mail searchable in seconds).
        index_request(user_pk=int(user_id), enqueue=search_index_fill.apply_async, folders=result.folders)
    return result.events


# The whole build (however many commands: the header-based one FETCHes in chunks) ends within
# its folder's lock (`thread_building.lock_seconds`), so no second build starts beside it.
@shared_task(name="mailview.threads_build", acks_late=True, soft_time_limit=settings.WEBMAIL_THREADS_BUILD_SECONDS + 60)
def threads_build(*, user_id: int, folder: str, token: str = "") -> dict:
    """Build and keep a big folder's threads (services.reading.thread_building), with the long
    IMAP timeout the work needs, then tell the person's open lists. A failure is logged and
    holds the folder's build lock for a backoff (a later page asks again); no Celery retry, so
    never a loop. Safe to run twice: the second run finds the threads kept. Out of time is a failure too."""
    user = get_user_model().objects.filter(pk=user_id).first()
    name = validate.folder_name(folder)
    if user is None:
        return {"ok": False}
    try:
        with get_pool().session(user) as imap:
            threads = threads_build_run(imap=imap, user_pk=int(user_id), folder=name, build_seconds=settings.WEBMAIL_THREADS_BUILD_SECONDS)
    except (ImapError, SoftTimeLimitExceeded) as exc:  # the server too slow even so, gone, the folder deleted, signed out
        backoff = threads_build_failed(user_pk=int(user_id), folder=name, token=token)
        log.warning("threads of a folder of user %s not built (%s); asked again after %ss", user_id, type(exc).__name__, backoff)
        return {"ok": False, "retry_in": backoff}
    threads_build_done(user_pk=int(user_id), folder=name, token=token, uidvalidity=threads.uidvalidity)
    return {"ok": True, "conversations": threads.count}


def _reader_language(user_id: int) -> str:
    try:
        language = events.reader_language(user_id)
    except RedisError:
        language = None
    return language if language in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


# -- the full-text index ------------------------------------------------------------


@shared_task(
    bind=True, name="mailview.search_index_fill", autoretry_for=(ImapConnectionError, PoolTimeout), retry_backoff=2, retry_backoff_max=60,
    max_retries=5,
)
def search_index_fill(self: Task, *, user_id: int) -> dict:
    """Index what is new in the person's mail for body search (services.fulltext.indexing),
    for at most WEBMAIL_SEARCH_INDEX_TASK_SECONDS; queues itself again while there is more.
    Safe to run twice: a second run finds the index up to date."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return {"done": True, "added": 0}
    try:
        if not index_take_turn(user_pk=int(user_id)):
            result = FillResult(done=True, added=0, busy=True)  # no connection needed to know
        else:
            with get_pool().session(user) as imap:
                result = index_fill(imap=imap, user_pk=int(user_id), seconds=settings.WEBMAIL_SEARCH_INDEX_TASK_SECONDS)
    except NoStoredCredentials:
        return {"done": False, "added": 0}  # signed out: the index waits for the next sign-in
    if not result.done:
        index_request(user_pk=int(user_id), enqueue=search_index_fill.apply_async)
    elif result.busy and index_pending(user_pk=int(user_id)):
        # Another pass runs; in case it ended just before it could see this request, look again soon.
        index_request(user_pk=int(user_id), enqueue=lambda **kw: search_index_fill.apply_async(countdown=3, **kw))
    return {"done": result.done, "added": result.added, "busy": result.busy}


def _sync_later(user_id: int, folders: list[str], *, reason: str) -> None:
    """Queue a sync of folders this webmail just changed, so every open tab of the person
    hears of it even without a watcher. Queued, not run here: the action's own result comes
    first; a broker hiccup costs the live update, never the action. Until that sync has run,
    pages do not trust the folders' kept state (a reload right after "done" shows the change)."""
    names = [f for f in dict.fromkeys(folders) if f]
    if not names and reason != "sent":
        return
    folder_states_changed(user_pk=int(user_id), folders=names)
    try:
        sync_folders.apply_async(kwargs={"user_id": int(user_id), "folders": names, "reason": reason})
    except Exception:  # the broker is down: the pages' own polling still catches up
        log.warning("could not queue a live sync for user %s", user_id, exc_info=True)


@shared_task(bind=True, autoretry_for=(ImapConnectionError, PoolTimeout), retry_backoff=2, retry_backoff_max=60, max_retries=12)
def label_change(self: Task, *, change_id: str, user_id: int, old: str, new: str | None) -> dict:
    """Rename (or delete, `new` None) a label in every folder. Safe to run twice."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return {"ok": False, "kind": "label_change", "folder": "", "error": "no such user"}
    try:
        with get_pool().session(user) as imap:
            return label_change_apply(imap=imap, change_id=change_id, old=old, new=new)
    except NoStoredCredentials:
        raise self.retry(countdown=60, max_retries=60 * 24) from None


# -- sending (compose_send is idempotent: states in the database, written before and
# after SMTP; acks late, so a worker that dies mid-task leaves it on the broker) ------


def retry_countdown(retries: int) -> int:
    """Exponential backoff: base, 2×base, 4×base … up to the cap."""
    return int(min(settings.WEBMAIL_SEND_RETRY_CAP, settings.WEBMAIL_SEND_RETRY_BASE * (2 ** retries)))


# A waiting send (undo send, send later) is held by a worker at most this long (its
# ETA); a later one comes back then and waits again, so no worker holds days-long ETAs.
SEND_HOLD_SECONDS = 900


def compose_send_enqueue(compose_id: str) -> None:
    """Queue the send of a compose for when it is due (its `send_at`): what services get as `enqueue`."""
    wait = compose_due_in(compose_id=compose_id)
    options: dict[str, object] = {"queue": settings.WEBMAIL_SEND_QUEUE}
    if wait:
        options["countdown"] = min(wait, SEND_HOLD_SECONDS)
    compose_send.apply_async((compose_id,), **options)  # type: ignore[arg-type]


@shared_task(bind=True, acks_late=True, max_retries=None, name="mailview.compose_send")
def compose_send(self: Task, compose_id: str) -> str:
    """Submit a queued message by SMTP, copy it to Sent, delete the draft, flag the original."""
    # Not its time yet (a redelivery, a hop of a long wait): no session needed to know.
    outcome = Outcome.WAIT if compose_due_in(compose_id=compose_id) else _deliver(compose_id)
    if outcome is Outcome.WAIT:
        # Not its time yet (undone meanwhile is DONE): come back when it is.
        compose_send_enqueue(compose_id)
        return outcome.value
    if outcome is Outcome.DONE and (owner := compose_owner(compose_id=compose_id)) is not None:
        _sync_later(owner, [], reason="sent")  # the Sent copy and the draft gone
    if outcome is Outcome.RETRY:
        if self.request.retries >= settings.WEBMAIL_SEND_MAX_RETRIES:
            compose_give_up(compose_id=compose_id)
            return Outcome.FAILED.value
        countdown = retry_countdown(self.request.retries)
        compose_retry_at(compose_id=compose_id, seconds=countdown)
        raise self.retry(countdown=countdown)
    return outcome.value


def _deliver(compose_id: str) -> Outcome:
    """`compose_deliver` with its owner's session; what to do when none can be had."""
    user_id = compose_owner(compose_id=compose_id)
    if user_id is None:
        return Outcome.DONE
    try:
        with get_pool().session(user_id) as imap:
            return compose_deliver(compose_id=compose_id, imap=imap)
    except ImapError as exc:  # the checkout failed (compose_deliver handles its own IMAP errors)
        return compose_deliver_without_mailbox(compose_id=compose_id, error=exc)


@shared_task(name="mailview.compose_cleanup")
def compose_cleanup_task() -> int:
    """Housekeeping (run it periodically, e.g. hourly with celery beat)."""
    return compose_cleanup(enqueue=compose_send_enqueue)


@shared_task(name="mailview.compose_send_due")
def compose_send_due_task() -> int:
    """Beat, every WEBMAIL_SEND_SWEEP_SECONDS: send waiting messages whose time has come and whose task is gone."""
    return compose_sweep_due(enqueue=compose_send_enqueue)


# -- snooze (the due time is in the database; the beat sweep brings mail back) ------------


@shared_task(name="mailview.snooze_wake_due")
def snooze_wake_due_task() -> dict:
    """Beat, every WEBMAIL_SNOOZE_SWEEP_SECONDS: bring snoozed messages whose time has come back
    to the inbox, one session per person. A person whose session cannot be had now is tried
    again at the next sweep."""
    totals = {"returned": 0, "dropped": 0, "waiting": 0}
    model = get_user_model()
    for user_id in snooze_due_users():
        user = model.objects.filter(pk=user_id).first()
        if user is None:
            continue
        try:
            with get_pool().session(user) as imap:
                result = snoozes_wake(imap=imap, user=user)
        except (NoStoredCredentials, ImapConnectionError, PoolTimeout):
            totals["waiting"] += 1  # signed out, or the server is away: next sweep
            continue
        except ImapError:
            log.warning("snoozed mail of user %s could not be brought back", user_id, exc_info=True)
            totals["waiting"] += 1
            continue
        totals["returned"] += result.returned
        totals["dropped"] += result.dropped
        if result.returned:
            _sync_later(user_id, ["INBOX", settings.WEBMAIL_SNOOZE_FOLDER], reason="snooze")
    return totals


# -- imports and exports (progress in the database; Cancel is seen between batches) ------


@shared_task(
    bind=True, name="mailview.transfer_run", autoretry_for=(ImapConnectionError, PoolTimeout), retry_backoff=2, retry_backoff_max=60, max_retries=8,
)
def transfer_run(self: Task, transfer_id: str) -> str:
    """Run one import or export (services.transfer)."""
    transfer = transfer_claim(transfer_id)
    if transfer is None:
        return "finished"
    user = get_user_model().objects.filter(pk=transfer.user_id).first()
    if user is None:
        return "finished"
    try:
        with translation.override(settings.LANGUAGE_CODE):
            if not transfer_uses_imap(transfer):
                return transfer_execute(imap=None, transfer=transfer)  # a contacts import: CardDAV only
            with get_pool().session(user) as imap:
                return transfer_execute(imap=imap, transfer=transfer)
    except NoStoredCredentials:
        transfer_finish(transfer, state=Transfer.State.FAILED, error="signed out")
        return Transfer.State.FAILED


def transfer_enqueue(transfer_id: str) -> None:
    """What services get as `enqueue` for a transfer."""
    transfer_run.apply_async((transfer_id,))


@shared_task(name="mailview.transfer_cleanup")
def transfer_cleanup_task() -> int:
    """Beat: remove expired exports' files."""
    return transfer_cleanup()
