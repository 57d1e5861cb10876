"""The watcher's IMAP door (`mailview/imap/watch.py`) against the real Dovecot: each way of
waiting (NOTIFY, IDLE + STATUS sweeps, polling), implicit TLS, re-IDLE, and a dead server."""
from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from mailview.imap.connection import Credentials, ServerEndpoint
from mailview.imap.watch import WatchHub, _take_response
from tests.support import append_message, dovecot_connections, imap_direct, new_mail_user, wait_until


class Recorder:
    def __init__(self) -> None:
        self.changes: list[tuple[str, frozenset[str]]] = []
        self.states: list[tuple[str, str, Any]] = []
        self.lock = threading.Lock()

    def on_changes(self, key: str, folders: frozenset[str]) -> None:
        with self.lock:
            self.changes.append((key, folders))

    def on_state(self, key: str, state: str, info: Any) -> None:
        with self.lock:
            self.states.append((key, state, info))

    def changed(self, folder: str, after: int = 0) -> bool:
        with self.lock:
            return any(folder in folders for _, folders in self.changes[after:])

    def state(self, state: str) -> Any:
        with self.lock:
            return next((info for _, s, info in self.states if s == state), None)


@pytest.fixture
def hub() -> Iterator[Any]:
    hubs: list[WatchHub] = []

    def make(**options: Any) -> tuple[WatchHub, Recorder]:
        recorder = Recorder()
        made = WatchHub(on_changes=recorder.on_changes, on_state=recorder.on_state, **options)
        made.start()
        hubs.append(made)
        return made, recorder

    yield make
    for made in hubs:
        made.stop()


def _endpoint(port: int | None = None, security: str = "starttls") -> ServerEndpoint:
    return ServerEndpoint("127.0.0.1", port or int(os.environ["WEBMAIL_IMAP_PORT"]), security, ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"])


def _appends_are_seen(recorder: Recorder, user: Any) -> None:
    with imap_direct(user) as other_device:
        mark = len(recorder.changes)
        append_message(other_device, "INBOX", subject="new in inbox")
        wait_until(lambda: recorder.changed("INBOX", mark), timeout=15, message="INBOX reported changed")
        mark = len(recorder.changes)
        append_message(other_device, "Archive", subject="new in archive")
        wait_until(lambda: recorder.changed("Archive", mark), timeout=15, message="Archive reported changed")


@pytest.mark.parametrize(
    ("ignored", "mode"),
    [(frozenset(), "notify"), (frozenset({"NOTIFY"}), "idle"), (frozenset({"NOTIFY", "IDLE"}), "poll")],
)
def test_each_way_of_waiting_reports_changes_in_inbox_and_other_folders(hub, ignored, mode):
    user = new_mail_user("hub")
    watch_hub, recorder = hub(ignore_capabilities=ignored, sweep_seconds=1, poll_seconds=1)
    watch_hub.watch("1", _endpoint(), Credentials(user.email, user.password))
    up = wait_until(lambda: recorder.state("up"), timeout=20, message="the connection up")
    assert up.mode == mode
    assert {"INBOX", "Archive", "Sent", "Trash"} <= set(up.folders)
    _appends_are_seen(recorder, user)
    assert recorder.state("down") is None


def test_implicit_tls_connection_reports_changes(hub):
    user = new_mail_user("hub-tls")
    watch_hub, recorder = hub()
    watch_hub.watch("1", _endpoint(int(os.environ["MAILSTACK_IMAPS_PORT"]), "ssl"), Credentials(user.email, user.password))
    wait_until(lambda: recorder.state("up"), timeout=20, message="the connection up")
    _appends_are_seen(recorder, user)


def test_idle_is_restarted_and_the_connection_stays_up(hub):
    user = new_mail_user("hub-reidle")
    watch_hub, recorder = hub(keepalive_seconds=0.3)
    watch_hub.watch("1", _endpoint(), Credentials(user.email, user.password))
    up = wait_until(lambda: recorder.state("up"), timeout=20, message="the connection up")
    wait_until(lambda: up.idles >= 4, message="IDLE restarted several times")
    _appends_are_seen(recorder, user)
    assert recorder.state("down") is None
    assert dovecot_connections(user.email) == 1


def test_unwatch_logs_out(hub):
    user = new_mail_user("hub-unwatch")
    watch_hub, recorder = hub()
    watch_hub.watch("1", _endpoint(), Credentials(user.email, user.password))
    wait_until(lambda: recorder.state("up"), timeout=20, message="the connection up")
    assert dovecot_connections(user.email) == 1
    watch_hub.unwatch("1")
    wait_until(lambda: dovecot_connections(user.email) == 0, message="the connection closed")
    assert watch_hub.count() == 0
    assert recorder.state("down") is None  # asked for: no callback


def test_wrong_password_is_reported_down(hub):
    user = new_mail_user("hub-wrong")
    watch_hub, recorder = hub()
    watch_hub.watch("1", _endpoint(), Credentials(user.email, "not-the-password"))
    down = wait_until(lambda: recorder.state("down"), timeout=20, message="the failure reported")
    assert "Authentication" in down.reason


class BlackHoleProxy:
    """Forwards TCP to Dovecot until `freeze()`; then keeps both sockets open and forwards nothing,
    like a server or path that died without closing the connection."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.frozen = threading.Event()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            self.sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            while self.frozen.is_set():
                time.sleep(0.05)  # swallow: nothing gets through any more
                try:
                    source.recv(65536)
                except OSError:
                    return
            try:
                sink.sendall(data)
            except OSError:
                return

    def freeze(self) -> None:
        self.frozen.set()

    def close(self) -> None:
        self.listener.close()
        for sock in self.sockets:
            sock.close()


def test_a_server_that_stops_answering_is_noticed(hub):
    user = new_mail_user("hub-dead")
    proxy = BlackHoleProxy(int(os.environ["WEBMAIL_IMAP_PORT"]))
    try:
        watch_hub, recorder = hub(keepalive_seconds=0.5, response_timeout=1.0)
        watch_hub.watch("1", _endpoint(proxy.port), Credentials(user.email, user.password))
        wait_until(lambda: recorder.state("up"), timeout=20, message="the connection up")
        proxy.freeze()
        down = wait_until(lambda: recorder.state("down"), timeout=20, message="the dead connection noticed")
        assert down.reason == "no answer from the server"
    finally:
        proxy.close()


def test_responses_with_literals_are_taken_whole():
    buf = bytearray(b'* STATUS {7}\r\nA "b" c (MESSAGES 2)\r\n* 3 EXISTS\r\nw1 OK')
    first = _take_response(buf)
    assert first == [(b"* STATUS {7}", b'A "b" c'), b" (MESSAGES 2)"]
    assert _take_response(buf) == [b"* 3 EXISTS"]
    assert _take_response(buf) is None  # the tagged line has not ended yet
    buf += b" done\r\n"
    assert _take_response(buf) == [b"w1 OK done"]
    partial = bytearray(b"* STATUS {10}\r\nshort")
    assert _take_response(partial) is None and partial == bytearray(b"* STATUS {10}\r\nshort")


@pytest.mark.parametrize("ignored", [frozenset(), frozenset({"NOTIFY"})])
@pytest.mark.parametrize("name", ['Über "quoted" Ordner', "R&D"])
def test_folder_names_come_back_as_the_app_writes_them(hub, ignored, name):
    # Dovecot's NOTIFY names folders in UTF-8 (LIST and STATUS answers in modified UTF-7).
    user = new_mail_user("hub-names")
    with imap_direct(user) as setup:
        setup.create_folder(name)
    watch_hub, recorder = hub(ignore_capabilities=ignored, sweep_seconds=1)
    watch_hub.watch("1", _endpoint(), Credentials(user.email, user.password))
    up = wait_until(lambda: recorder.state("up"), timeout=20, message="the connection up")
    assert name in up.folders
    mark = len(recorder.changes)
    with imap_direct(user) as other_device:
        append_message(other_device, name, subject="into the odd folder")
    wait_until(lambda: recorder.changed(name, mark), timeout=15, message="the odd folder reported changed")
    assert recorder.state("down") is None


def test_stopping_while_logins_are_in_flight_leaves_no_connection_open(hub):
    """A replica stopped while taking people over: logins that finish after the hub's loop ended
    are logged out, not left open on the server (seen as a person with two connections)."""
    users = [new_mail_user("hub-stop") for _ in range(6)]
    watch_hub, recorder = hub()
    for key, user in enumerate(users):
        watch_hub.watch(str(key), _endpoint(), Credentials(user.email, user.password))
    # Stop with logins in flight (or, on a fast machine that finished them all, right after).
    wait_until(lambda: watch_hub.connecting > 0 or recorder.state("up"), timeout=20, interval=0.001, message="logins in flight")
    watch_hub.stop()
    wait_until(lambda: all(dovecot_connections(u.email) == 0 for u in users), timeout=30, message="no connection left open")
