"""The IMAP session pool against the real Dovecot and Redis."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection as db_connection
from django.test import override_settings

from accounts.services import imap_credentials_for
from mailview.imap import InvalidImapInput, MailboxNotFound, PoolTimeout, get_pool, reset_pool_for_tests
from mailview.imap.budget import ConnectionBudget
from mailview.imap.pool import SessionPool
from tests.support import REPO, DovecotLog, dies_with_this_process, dovecot_connections, imap_direct, mailstack, wait_until
from webmail.redis_client import get_redis, key_prefix

pytestmark = pytest.mark.django_db(transaction=True)


def django_user(client, mail_user):
    response = client.post("/accounts/login/", {"email": mail_user.email, "password": mail_user.password})
    assert response.status_code == 302
    return get_user_model().objects.get(username=mail_user.email)


def test_100_page_views_cost_one_imap_login(signed_in, mail_user):
    log = DovecotLog()
    for _ in range(100):
        assert signed_in.get("/mail/INBOX/").status_code == 200
    assert log.logins(mail_user.email) == 1  # read from Dovecot's own log
    assert get_pool().stats()["logins"] == 1


@override_settings(WEBMAIL_POOL_MAX_WAITERS=8)  # all 8 threads may wait (the bound is tested below)
def test_8_threads_of_one_user_stay_within_the_bound_and_never_share(client, mail_user):
    user = django_user(client, mail_user)
    reset_pool_for_tests()
    pool = get_pool()
    lock = threading.Lock()
    held: set[int] = set()
    peak = 0
    dovecot_peak = 0
    problems: list[str] = []
    running = True

    def work() -> None:
        nonlocal peak
        try:
            for _ in range(10):
                with pool.session(user) as imap:
                    with lock:
                        if id(imap) in held:
                            problems.append("shared")
                        held.add(id(imap))
                        peak = max(peak, len(held))
                    imap.select("INBOX")
                    imap.noop()
                    with lock:
                        held.discard(id(imap))
        except Exception as exc:  # noqa: BLE001
            problems.append(repr(exc))
        finally:
            db_connection.close()

    def sample() -> None:
        nonlocal dovecot_peak
        while running:
            dovecot_peak = max(dovecot_peak, dovecot_connections(mail_user.email))

    sampler = threading.Thread(target=sample)
    sampler.start()
    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    running = False
    sampler.join()
    assert problems == []
    assert 1 <= peak <= pool.per_process == 2
    assert dovecot_peak <= 2
    assert pool.stats()["logins"] <= 2


def test_two_processes_of_8_threads_stay_within_the_users_budget(mail_user):
    budget = 4
    env = {**os.environ, "BUDGET": str(budget), "PER_PROCESS": "4"}
    user_key = f"multi-{mail_user.email}"
    procs = [
        subprocess.Popen([sys.executable, str(REPO / "tests" / "pool_worker.py"), mail_user.email, mail_user.password, user_key, "8", "15"], env=env, stdout=subprocess.PIPE, text=True,
                         preexec_fn=dies_with_this_process())
        for _ in range(2)
    ]
    dovecot_peak = 0
    budget_peak = 0
    watcher = ConnectionBudget(get_redis(), limit=budget, prefix="webmail-test:imap")
    deadline = time.monotonic() + 120
    while any(p.poll() is None for p in procs):
        assert time.monotonic() < deadline, "pool workers did not finish"
        dovecot_peak = max(dovecot_peak, dovecot_connections(mail_user.email))
        budget_peak = max(budget_peak, watcher.held(user_key))
    reports = [json.loads(p.communicate(timeout=30)[0].strip().splitlines()[-1]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert [r["errors"] for r in reports] == [[], []]
    assert [r["done"] for r in reports] == [120, 120]
    assert dovecot_peak <= budget, f"Dovecot saw {dovecot_peak} connections"
    assert 1 <= budget_peak <= budget
    assert sum(r["peak_in_process"] for r in reports) >= 2  # both processes really worked concurrently


def test_two_users_never_get_each_others_connections(client, mail_user, other_mail_user):
    for person in (mail_user, other_mail_user):
        with imap_direct(person) as direct:
            direct.create_folder(f"only-{person.email}")
    alice = django_user(client, mail_user)
    client.post("/accounts/logout/")
    # Sign bob in with a second client so alice keeps her stored credential.
    from tests.support import RawUriClient

    bob = django_user(RawUriClient(), other_mail_user)
    # alice's credential was wiped by her sign-out: sign her in again.
    django_user(client, mail_user)
    pool = get_pool()
    seen: dict[str, set[int]] = {"alice": set(), "bob": set()}
    problems: list[str] = []

    def work(name: str, user, person, stranger) -> None:
        try:
            for _ in range(10):
                with pool.session(user) as imap:
                    seen[name].add(id(imap))
                    imap.folder_status(f"only-{person.email}")
                    try:
                        imap.folder_status(f"only-{stranger.email}")
                        problems.append(f"{name} saw the other user's folder")
                    except MailboxNotFound:
                        pass
        except Exception as exc:  # noqa: BLE001
            problems.append(repr(exc))
        finally:
            db_connection.close()

    threads = [threading.Thread(target=work, args=("alice", alice, mail_user, other_mail_user)) for _ in range(3)]
    threads += [threading.Thread(target=work, args=("bob", bob, other_mail_user, mail_user)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert problems == []
    assert seen["alice"] and seen["bob"] and not (seen["alice"] & seen["bob"])


def test_the_next_page_works_after_dovecot_restarts(signed_in, mail_user):
    assert signed_in.get("/mail/INBOX/").status_code == 200
    mailstack("restart-dovecot")
    response = signed_in.get("/mail/INBOX/")
    assert response.status_code == 200
    assert "Inbox" in response.content.decode()


def test_idle_connections_are_closed_after_the_timeout(client, mail_user):
    user = django_user(client, mail_user)
    budget = ConnectionBudget(get_redis(), limit=4, prefix=f"{key_prefix()}:imap")
    pool = SessionPool(credentials_for=imap_credentials_for, budget=budget, idle_timeout=1, reaper_interval=0.2)
    try:
        with pool.session(user) as imap:
            imap.select("INBOX")
        assert pool.stats()["idle"] == 1
        assert budget.held(str(user.pk)) == 1
        wait_until(lambda: pool.stats()["open"] == 0, timeout=10, message="the reaper to close the idle connection")
        # The reaper closes the connection (LOGOUT) before it gives the slot back.
        wait_until(lambda: budget.held(str(user.pk)) == 0, timeout=10, message="the reaper to give the budget slot back")
        wait_until(lambda: dovecot_connections(mail_user.email) == 0, message="Dovecot to see it closed")
    finally:
        pool.close_all()


def test_a_connection_idle_past_the_noop_threshold_is_checked_and_replaced_if_dead(client, mail_user):
    user = django_user(client, mail_user)
    pool = SessionPool(credentials_for=imap_credentials_for, budget=None, noop_after=0)
    try:
        with pool.session(user) as imap:
            imap.select("INBOX")
            first = id(imap)
        mailstack("restart-dovecot")  # the pooled socket is now dead
        with pool.session(user) as imap:
            assert id(imap) == first  # same pooled object, fresh socket underneath
            assert imap.select("INBOX").exists == 0
        assert pool.stats()["logins"] == 2
    finally:
        pool.close_all()


def test_a_session_is_returned_to_the_pool_when_the_block_raises(client, mail_user):
    user = django_user(client, mail_user)
    pool = get_pool()
    with pytest.raises(RuntimeError), pool.session(user) as imap:
        imap.select("INBOX")
        raise RuntimeError("template blew up")
    with pytest.raises(MailboxNotFound), pool.session(user) as imap:
        imap.select("No such folder")
    stats = pool.stats()
    assert (stats["in_use"], stats["idle"], stats["logins"]) == (0, 1, 1)


def test_waiting_for_a_busy_users_connection_has_a_deadline(client, mail_user):
    user = django_user(client, mail_user)
    pool = SessionPool(credentials_for=imap_credentials_for, budget=None, per_process=1, wait_timeout=1)
    try:
        with pool.session(user):
            errors: list[Exception] = []

            def other() -> None:
                try:
                    with pool.session(user):
                        pass
                except Exception as exc:  # noqa: BLE001
                    errors.append(exc)
                finally:
                    db_connection.close()

            t = threading.Thread(target=other)
            t.start()
            t.join(timeout=10)
        assert len(errors) == 1 and isinstance(errors[0], PoolTimeout)
        # It waited for its deadline rather than giving up at once (counted, not timed: the
        # join above fails the test if the wait never ends).
        stats = pool.stats()
        assert (stats["waits"], stats["rejected"], stats["timeouts"]) == (1, 0, 1)
    finally:
        pool.close_all()


@pytest.mark.parametrize("name", ["INBOX\r\nA1 DELETE INBOX", "INBOX\n", "a\x00b"])
def test_line_breaks_and_nul_never_reach_the_wire(client, mail_user, name):
    user = django_user(client, mail_user)
    log = DovecotLog()
    with pytest.raises(InvalidImapInput), get_pool().session(user) as imap:
        imap.select(name)
    with get_pool().session(user) as imap:
        assert imap.select("INBOX").name == "INBOX"  # the connection is still in a clean state
    assert not any("DELETE" in line for line in log.lines())


def test_a_folder_url_with_a_line_break_is_a_clear_400(signed_in):
    response = signed_in.get("/mail/INBOX%0D%0AA1%20LOGOUT/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_sign_out_closes_the_users_connections_in_other_processes(client, mail_user):
    user = django_user(client, mail_user)
    other_process_pool = SessionPool(
        credentials_for=imap_credentials_for,
        budget=ConnectionBudget(get_redis(), limit=4, prefix=f"{key_prefix()}:imap"),
        reaper_interval=0.2,
    )
    try:
        with other_process_pool.session(user) as imap:
            imap.select("INBOX")
        assert other_process_pool.stats()["idle"] == 1
        client.post("/accounts/logout/")
        wait_until(lambda: other_process_pool.stats()["open"] == 0, message="the eviction to reach the other pool")
        wait_until(lambda: dovecot_connections(mail_user.email) == 0, message="Dovecot to see every connection closed")
    finally:
        other_process_pool.close_all()


def test_pool_stats_are_shown_in_the_admin(signed_in, admin_client):
    signed_in.get("/mail/INBOX/")
    response = admin_client.get("/admin/pool/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "IMAP session pool" in page and get_pool().process_id in page


def test_a_process_keeps_under_its_total_by_closing_the_least_recently_used(client, mail_user, other_mail_user):
    from tests.support import RawUriClient

    alice = django_user(client, mail_user)
    bob = django_user(RawUriClient(), other_mail_user)
    pool = SessionPool(credentials_for=imap_credentials_for, budget=None, max_open=1)
    try:
        with pool.session(alice) as imap:
            imap.select("INBOX")
        with pool.session(bob) as imap:
            imap.select("INBOX")
        stats = pool.stats()
        assert (stats["open"], stats["closed"]) == (1, 1)
        wait_until(lambda: dovecot_connections(mail_user.email) == 0, message="alice's idle connection to close")
    finally:
        pool.close_all()


def test_past_a_few_waiters_one_more_request_of_a_busy_user_is_refused_at_once_and_others_are_served(client, mail_user, other_mail_user):
    from tests.support import RawUriClient

    alice = django_user(client, mail_user)
    bob_client = RawUriClient()
    django_user(bob_client, other_mail_user)
    # A long wait: if the extra request waited instead of being refused, it would not come back
    # before the deadline below (the slots stay held until the end of the test).
    # The door (webmail/fairness.py) would stop alice's second page first: this is about the pool's own bound.
    with override_settings(WEBMAIL_POOL_MAX_WAITERS=1, WEBMAIL_POOL_WAIT_TIMEOUT=600, WEBMAIL_PAGES_PER_PERSON=3):
        reset_pool_for_tests()
        pool = get_pool()
        results: dict[str, object] = {}

        def get(name: str, http) -> None:  # type: ignore[no-untyped-def]
            try:
                results[name] = http.get("/mail/INBOX/")
            except Exception as exc:  # noqa: BLE001 - reported by the assertions below
                results[name] = exc
            finally:
                db_connection.close()

        with pool.session(alice), pool.session(alice):  # every slot of alice in this process
            waiter = threading.Thread(target=get, args=("waiter", client), daemon=True)
            waiter.start()
            wait_until(lambda: pool.stats()["waits"] == 1, timeout=30, message="alice's second request to wait for a slot")
            extra_client = RawUriClient()
            extra_client.cookies = client.cookies
            extra = threading.Thread(target=get, args=("extra", extra_client), daemon=True)
            extra.start()
            wait_until(lambda: "extra" in results, timeout=60, message="the request past the waiter bound to be answered")
            response = results["extra"]
            assert getattr(response, "status_code", response) == 429
            assert int(response["Retry-After"]) > 0  # type: ignore[index]
            assert pool.stats()["rejected"] == 1
            # Still waiting (bounded by count, not by time), and another user is served meanwhile.
            assert "waiter" not in results and pool.stats()["waiting"] == 1
            assert bob_client.get("/mail/INBOX/").status_code == 200
        wait_until(lambda: "waiter" in results, timeout=60, message="the waiting request to get a freed slot")
        assert getattr(results["waiter"], "status_code", results["waiter"]) == 200
    reset_pool_for_tests()


def test_pooled_connections_do_not_format_imaplibs_debug_lines_for_nobody(client, mail_user):
    """imapclient turns imaplib's debug level to 5 on every connection: imaplib then formats a
    repr() of each line it reads for a logger that settings keep off. After login (also a
    reconnect's) the level is 0 and a command formats nothing; with that logger on for DEBUG
    (the explicit way to see the protocol) the lines still come."""
    import logging

    from mailview.imap.connection import login

    user = django_user(client, mail_user)
    formatted: list[object] = []
    with get_pool().session(user) as imap:
        for reconnect in (False, True):
            if reconnect:
                imap._discard()
                imap.noop()  # logs in again on a fresh socket (INBOX selected again)
            imap.select("INBOX")
            imaplib_client = imap._client._imap
            assert imaplib_client.debug == 0
            imaplib_client._mesg = lambda text, secs=None: formatted.append(text)
            imap.list_folders()
            imap.fetch_flags([1, 2, 3])
            assert formatted == []
        endpoint, credentials = imap.endpoint, imap._credentials
    debug_log = logging.getLogger("imapclient.imaplib")
    level = debug_log.level
    debug_log.setLevel(logging.DEBUG)
    try:
        raw = login(endpoint, credentials)
        try:
            assert raw._imap.debug == 5
        finally:
            raw.logout()
    finally:
        debug_log.setLevel(level)
