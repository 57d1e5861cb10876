"""Conversations of a big folder whose threads are not kept (services/reading/thread_building.py)
against the real Dovecot, Redis and a Celery worker: the list never runs the whole-folder THREAD
in the request past WEBMAIL_THREADS_INLINE_LIMIT (set low here: the benchmark's 100k INBOX is
not seeded on a shared machine), it shows the flat list with a notice while the worker builds
the threads, the build is announced on the person's channel, the next page is conversations;
one build per folder at a time; a failed build backs off. And a server that does not answer in
time gets one clear page, after one timeout (not a retry's second one)."""
from __future__ import annotations

import json
import re
import socket
import threading
import uuid
from html import unescape

import pytest

from mailview.imap import ImapTimeout, get_pool
from mailview.imap.connection import ImapConnection
from mailview.services.live import events
from mailview.services.reading import thread_building
from mailview.services.reading.conversations import folder_threads
from mailview.services.reading.thread_building import threads_build_pending, threads_build_request
from mailview.tasks import threads_build
from tests.support import imap_commands_sent, imap_direct, new_mail_user, wait_until
from tests.test_conversations import raw, rows, seed, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
NOTICE = "Conversations are being prepared for this folder…"


def threads_sent(sent: list[str]) -> list[str]:
    return [c for c in sent if "THREAD" in c.upper().split()]


def live_start(html: str) -> str:
    block = re.search(r'<script id="live-config" type="application/json">(.*?)</script>', html, re.S)
    assert block is not None
    return json.loads(block.group(1))["last"]


class Recorder:
    """Stands in for the task's `apply_async`: records what would be queued."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def apply_async(self, *, kwargs: dict) -> None:
        self.calls.append(kwargs)


@pytest.fixture
def big(settings):
    """A folder of 10 messages (5 conversations) over a limit of 5."""
    settings.WEBMAIL_THREADS_INLINE_LIMIT = 5
    user = new_mail_user("bigthreads")
    return user, seed(user, uuid.uuid4().hex[:8])


def test_a_big_folder_is_listed_flat_while_the_worker_builds_its_threads(client, big, celery_worker):
    user, uids = big
    person = sign_in(client, user)
    with imap_commands_sent() as sent:
        html = client.get("/mail/INBOX/").content.decode()
    assert threads_sent(sent) == [], sent  # no whole-folder THREAD in the request
    assert NOTICE in unescape(html)
    shown = [r["uid"] for r in rows(html)]
    assert shown == [r["uid"] for r in rows(client.get("/mail/INBOX/?view=flat").content.decode())]
    assert len(shown) == 10  # the flat list's rows, one per message
    assert '"threadsPending": true' in html  # live.js reloads the tab on `threads_ready`
    # The worker builds and keeps them, and tells the open page.
    start = live_start(html) or "0-0"

    def announced() -> list[events.Event]:
        return [e for e in events.events_after(person.pk, start) or [] if e.kind == "threads_ready"]

    wait_until(lambda: announced(), timeout=60, message="the worker to build the threads and announce them")
    assert announced()[0].data["folder"] == "INBOX"
    assert not threads_build_pending(user_pk=person.pk, folder="INBOX")  # the lock is let go
    with imap_commands_sent() as sent:
        html = client.get("/mail/INBOX/").content.decode()
    assert threads_sent(sent) == [], sent  # kept by the worker
    assert NOTICE not in unescape(html)
    grouped = rows(html)
    assert len(grouped) == 5
    plan = next(r for r in grouped if "Plan for Friday" in r["body"])
    assert f'data-uids="{uids["a1"]} {uids["a2"]} {uids["a3"]} {uids["a4"]}"' in plan["attrs"]


def test_one_build_per_folder_at_a_time(client, big, monkeypatch):
    user, _uids = big
    person = sign_in(client, user)
    queued = Recorder()
    monkeypatch.setattr("mailview.views.reading.threads_build", queued)
    for _ in range(3):
        assert NOTICE in unescape(client.get("/mail/INBOX/").content.decode())
    assert [call["folder"] for call in queued.calls] == ["INBOX"]
    assert queued.calls[0]["user_id"] == person.pk
    # The one queued build runs (here, in this process), and then the page is conversations.
    result = threads_build.run(**queued.calls[0])
    assert result == {"ok": True, "conversations": 5}
    assert len(rows(client.get("/mail/INBOX/").content.decode())) == 5
    assert len(queued.calls) == 1


def test_a_failed_build_backs_off_and_the_flat_list_keeps_working(client, big, monkeypatch):
    user, _uids = big
    person = sign_in(client, user)
    queued = Recorder()
    assert threads_build_request(user_pk=person.pk, folder="Gone", enqueue=queued.apply_async, build_seconds=300)
    result = threads_build.run(**queued.calls[0])  # the folder does not exist: the build fails
    assert result == {"ok": False, "retry_in": thread_building.BACKOFF_SECONDS}
    # Not asked again before the backoff is over (a page view does not queue a second one) ...
    assert threads_build_pending(user_pk=person.pk, folder="Gone")
    assert not threads_build_request(user_pk=person.pk, folder="Gone", enqueue=queued.apply_async, build_seconds=300)
    assert len(queued.calls) == 1
    # ... and the next failure waits twice as long.
    assert thread_building.threads_build_failed(user_pk=person.pk, folder="Gone", token=queued.calls[0]["token"]) == 2 * thread_building.BACKOFF_SECONDS



def age_kept_threads(person, folder: str = "INBOX", days: int = 2) -> None:
    """Make the kept threads look built `days` ago (as if nothing had rebuilt them since)."""
    from mailview.services.reading.conversations import THREADS_KEPT_SECONDS, FolderThreads, _cache_key
    from webmail.cache import optional_cache as cache

    key = _cache_key(str(person.pk), folder)
    kept = FolderThreads.unpacked(cache.get(key))
    assert kept is not None and not kept.due()
    kept.built_at -= days * 24 * 3600
    cache.set(key, kept.packed(), THREADS_KEPT_SECONDS)


def test_a_big_folders_threads_due_for_a_rebuild_are_shown_while_the_worker_rebuilds_them(client, big, monkeypatch):
    """A day after its last full build, a big folder still lists as conversations (no flat list,
    no THREAD in the request), and the worker builds them afresh."""
    user, _uids = big
    person = sign_in(client, user)
    queued = Recorder()
    monkeypatch.setattr("mailview.views.reading.threads_build", queued)
    client.get("/mail/INBOX/")
    threads_build.run(**queued.calls[0])  # the first build
    age_kept_threads(person)
    with imap_commands_sent() as sent:
        html = client.get("/mail/INBOX/?view=conversations").content.decode()
    assert threads_sent(sent) == [], sent
    assert NOTICE not in unescape(html) and len(rows(html)) == 5  # the kept conversations
    assert len(queued.calls) == 2 and queued.calls[1]["folder"] == "INBOX"  # and a rebuild asked for
    with imap_commands_sent() as sent:
        assert threads_build.run(**queued.calls[1]) == {"ok": True, "conversations": 5}
    assert len(threads_sent(sent)) == 1  # built afresh, not only brought up to date
    with get_pool().session(person) as imap:
        assert not folder_threads(imap=imap, user_key=str(person.pk), selected=imap.select("INBOX")).due()


def test_a_small_folders_threads_due_for_a_rebuild_are_built_afresh_in_the_request(client, settings):
    settings.WEBMAIL_THREADS_INLINE_LIMIT = 10
    user = new_mail_user("duethreads")
    seed(user, uuid.uuid4().hex[:8])
    person = sign_in(client, user)
    client.get("/mail/INBOX/")
    age_kept_threads(person)
    with imap_commands_sent() as sent:
        html = client.get("/mail/INBOX/?view=threads").content.decode()
    assert len(threads_sent(sent)) == 1, sent
    assert len(rows(html)) == 10  # the threaded view: every message, indented

def test_a_folder_under_the_limit_is_still_threaded_in_the_request(client, settings):
    settings.WEBMAIL_THREADS_INLINE_LIMIT = 10
    user = new_mail_user("smallthreads")
    seed(user, uuid.uuid4().hex[:8])  # 10 messages: not over the limit
    sign_in(client, user)
    with imap_commands_sent() as sent:
        html = client.get("/mail/INBOX/").content.decode()
    assert len(threads_sent(sent)) == 1, sent
    assert NOTICE not in unescape(html)
    assert len(rows(html)) == 5


def test_the_conversation_page_of_a_big_unbuilt_folder_shows_the_message(client, big, monkeypatch):
    user, uids = big
    sign_in(client, user)
    queued = Recorder()
    monkeypatch.setattr("mailview.views.reading.threads_build", queued)
    with imap_commands_sent() as sent:
        response = client.get(f"/mail/INBOX/thread/{uids['a2']}/")
    assert threads_sent(sent) == [], sent
    assert response.status_code == 302 and response["Location"] == f"/mail/INBOX/{uids['a2']}/"
    assert [call["folder"] for call in queued.calls] == ["INBOX"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and NOTICE in unescape(page.content.decode())


def test_kept_threads_whose_upkeep_times_out_leave_it_to_the_worker(client, big, monkeypatch):
    user, uids = big
    person = sign_in(client, user)
    with get_pool().session(person) as imap:  # kept, as the worker keeps them (by the server's THREAD)
        folder_threads(imap=imap, user_key=str(person.pk), selected=imap.select("INBOX", readonly=True, refresh=True))
    with imap_direct(user) as imap:  # a reply to a message the kept id index has not seen
        imap.select_folder("INBOX", readonly=True)
        data = imap.fetch([uids["a2"]], [b"BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])[uids["a2"]]
        a2 = next(v for k, v in data.items() if k.startswith(b"BODY[")).decode().split("<", 1)[1].split(">", 1)[0]
        imap.append("INBOX", raw(f"new-{uuid.uuid4().hex}@example.org", "Re: Plan for Friday", refs=f"<{a2}>", day=11))

    # The one command a cold server answers by reading every message, not answered in time (a
    # relay cannot pick it out of the TLS stream, so this stands in for the server's silence).
    def too_slow(self, ids):
        raise ImapTimeout("the mail server did not answer in time")

    monkeypatch.setattr(ImapConnection, "uids_with_message_ids", too_slow)
    queued = Recorder()
    monkeypatch.setattr("mailview.views.reading.threads_build", queued)
    response = client.get("/mail/INBOX/")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert NOTICE in html and len(rows(html)) == 11  # the flat list, the new reply in it
    assert [call["folder"] for call in queued.calls] == ["INBOX"]


class StallingRelay:
    """A TCP relay in front of the real Dovecot that, once `stall` is set, withholds what the
    server answers: a server that does not answer in time. Counts the connections made."""

    def __init__(self, port: int) -> None:
        self.target = ("127.0.0.1", port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.stall = threading.Event()
        self.closing = threading.Event()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closing.is_set():
            try:
                near, _ = self.listener.accept()
            except OSError:
                return
            far = socket.create_connection(self.target)
            self.connections += 1
            self.sockets += [near, far]
            threading.Thread(target=self._pump, args=(near, far, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(far, near, True), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, answers: bool) -> None:
        try:
            while data := source.recv(65536):
                if not (answers and self.stall.is_set()):
                    sink.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.closing.set()
        for s in [self.listener, *self.sockets]:
            try:
                s.close()
            except OSError:
                pass


def test_a_server_that_does_not_answer_in_time_gets_one_clear_page_after_one_timeout(client, settings):
    relay = StallingRelay(int(settings.WEBMAIL_IMAP_PORT))
    try:
        settings.WEBMAIL_IMAP_PORT = relay.port
        settings.WEBMAIL_IMAP_TIMEOUT = 2
        user = new_mail_user("slowserver")
        seed(user, uuid.uuid4().hex[:8])
        sign_in(client, user)
        assert client.get("/mail/INBOX/?view=flat").status_code == 200  # the pooled connection is open
        before = relay.connections
        relay.stall.set()
        response = client.get("/mail/INBOX/?view=flat&sort=subject")
        assert response.status_code == 504
        assert "The mail server did not answer in time" in unescape(response.content.decode())
        assert relay.connections == before  # not retried on a fresh connection (a second wait)
    finally:
        relay.close()
