"""The live mailbox end to end, as a person sees it: the real watcher (NOTIFY on Dovecot), the
real Celery sync, the real event server and Chromium. Nothing is published by the test: mail
is delivered through Postfix, other devices are separate imapclient connections, and the
open tabs must change by themselves."""
from __future__ import annotations

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from mailview.services.live import events
from mailview.services.live.state import folder_states
from tests.support import append_message, deliver_by_smtp, imap_direct, mailstack, new_mail_user, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The promise after a server restart: the open tab is current again within this.
RESTART_DEADLINE = 10

# Generous: the target (p95 ≤ 2 s) is measured by the bench; a loaded CI machine
# must not fail the test for being slow, only for never showing the change.
DEADLINE = 30


def _user_pk(person) -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=person.email).pk


def _subjects(browser) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#list-form tr.message .col-subject a'), (a) => a.textContent)"
    )


def _row_classes(browser, subject: str) -> str:
    try:
        row = browser.find_element(By.LINK_TEXT, subject).find_element(By.XPATH, "./ancestor::tr")
        return row.get_attribute("class") or ""
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def _wait(browser, condition, message: str) -> None:
    WebDriverWait(browser, DEADLINE, ignored_exceptions=(StaleElementReferenceException,)).until(condition, message)


@pytest.fixture
def live_inbox(app_server, browser, sign_in_as, celery_worker, watcher_process):
    """A person with two messages, signed in, their INBOX open with its event stream up, and
    the watcher watching them with INBOX's state synced (so the next change is a delta)."""
    person = new_mail_user("e2e")
    with imap_direct(person) as imap:
        append_message(imap, "INBOX", subject="First of two")
        append_message(imap, "INBOX", subject="Second of two")
    sign_in_as(person)
    WebDriverWait(browser, DEADLINE).until(lambda b: b.execute_script("return document.body.dataset.live") == "up")
    browser.execute_script("document.body.dataset.sameDocument = 'yes'")
    pk = _user_pk(person)
    wait_until(lambda: events.is_watched(pk) and "INBOX" in folder_states(user_pk=pk), timeout=DEADLINE,
               message="the watcher to watch the person and the first sync to record INBOX")
    return person, pk


def test_mail_delivered_through_postfix_appears_in_the_open_list_without_a_reload(browser, live_inbox):
    person, _ = live_inbox
    deliver_by_smtp(person, subject="Pushed by the watcher")
    _wait(browser, lambda b: "Pushed by the watcher" in _subjects(b), "the delivered mail to appear in the open list")
    assert _subjects(browser).count("Pushed by the watcher") == 1
    assert "unread" in _row_classes(browser, "Pushed by the watcher")
    _wait(browser, lambda b: b.title.startswith("(3) "), "the tab title to count 3 unread")
    assert browser.execute_script("return document.body.dataset.sameDocument") == "yes"  # never reloaded


def test_a_new_conversation_is_inserted_into_the_open_conversation_list_as_it_is(browser, live_inbox):
    """The conversation list (the default view): mail that starts a conversation of its own
    is its row, inserted from the event (the rows shown stay the same elements: not fetched
    again), and the conversation count follows."""
    person, _ = live_inbox
    assert browser.execute_script("return JSON.parse(document.getElementById('live-config').textContent).list.grouped") is True
    browser.execute_script("for (const row of document.querySelectorAll('#list-form tr.message')) row.dataset.kept = 'yes'")
    deliver_by_smtp(person, subject="A conversation of its own")
    _wait(browser, lambda b: "A conversation of its own" in _subjects(b), "the new conversation's row")
    assert _subjects(browser)[0] == "A conversation of its own"
    kept = browser.execute_script("return document.querySelectorAll('#list-form tr.message[data-kept=yes]').length")
    assert kept == 2  # inserted, not refetched
    assert browser.execute_script("return document.querySelector('.folder-summary').dataset.total") == "3"
    assert browser.execute_script("return document.body.dataset.sameDocument") == "yes"



def test_the_first_message_of_an_empty_folder_shows_in_its_open_page(app_server, browser, sign_in_as, celery_worker, watcher_process):
    """"This folder is empty." has no rows to insert into: the first new message still shows
    (the page fetches itself), not only the "1 new message — show" bar."""
    person = new_mail_user("e2e-empty")
    sign_in_as(person)
    WebDriverWait(browser, DEADLINE).until(lambda b: b.execute_script("return document.body.dataset.live") == "up")
    assert "This folder is empty." in browser.find_element(By.TAG_NAME, "main").text
    pk = _user_pk(person)
    wait_until(lambda: events.is_watched(pk) and "INBOX" in folder_states(user_pk=pk), timeout=DEADLINE,
               message="the watcher to watch the person and the first sync to record INBOX")
    deliver_by_smtp(person, subject="Into the empty folder")
    _wait(browser, lambda b: "Into the empty folder" in _subjects(b), "the first message to appear in the empty folder's page")
    assert _subjects(browser) == ["Into the empty folder"]


def test_another_device_reading_and_deleting_changes_every_open_tab(browser, live_inbox):
    person, _ = live_inbox
    first_tab = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(live_inbox_url(browser, first_tab))
    WebDriverWait(browser, DEADLINE).until(lambda b: b.execute_script("return document.body.dataset.live") == "up")
    second_tab = browser.current_window_handle
    with imap_direct(person) as imap:  # the phone
        imap.select_folder("INBOX")
        by_subject = {imap.fetch([uid], ["ENVELOPE"])[uid][b"ENVELOPE"].subject.decode(): uid for uid in imap.search(["ALL"])}
        imap.add_flags([by_subject["First of two"]], [b"\\Seen"])
        imap.delete_messages([by_subject["Second of two"]])
        imap.expunge()
    for tab in (first_tab, second_tab):
        browser.switch_to.window(tab)
        _wait(browser, lambda b: "Second of two" not in _subjects(b), "the message deleted elsewhere to leave the list")
        _wait(browser, lambda b: "unread" not in _row_classes(b, "First of two") and _row_classes(b, "First of two"),
              "the message read elsewhere to show as read")


def test_a_change_made_in_one_tab_by_a_celery_task_shows_in_the_other(browser, live_inbox):
    person, _ = live_inbox
    first_tab = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(live_inbox_url(browser, first_tab))
    WebDriverWait(browser, DEADLINE).until(lambda b: b.execute_script("return document.body.dataset.live") == "up")
    second_tab = browser.current_window_handle
    browser.switch_to.window(first_tab)
    row = browser.find_element(By.LINK_TEXT, "First of two").find_element(By.XPATH, "./ancestor::tr")
    row.find_element(By.NAME, "uid").click()
    browser.find_element(By.CSS_SELECTOR, "#list-form button[value=archive]").click()
    browser.switch_to.window(second_tab)
    _wait(browser, lambda b: "First of two" not in _subjects(b), "the archived message to leave the other tab's list")
    wait_until(lambda: "First of two" not in subjects_in(person, "INBOX"), timeout=DEADLINE, message="the server to confirm the archive")


def test_a_dovecot_restart_while_the_tab_is_open_ends_in_a_resync_and_new_mail_still_shows(browser, live_inbox):
    """Only this test stack's Dovecot is restarted (scripts/mailstack.sh, MAILSTACK_DIR of the
    test run). The watcher reconnects and publishes `resync`; the tab refetches its list, and
    mail that arrives right after the restart (while the watcher may still be reconnecting)
    shows in it."""
    person, pk = live_inbox
    before = events.latest_event_id(pk)
    mailstack("restart-dovecot")  # returns once Dovecot answers again
    with imap_direct(person) as other_device:
        append_message(other_device, "INBOX", subject="After the restart")
    wait_until(lambda: any(e.kind == "resync" for e in events.events_after(pk, before) or []), timeout=RESTART_DEADLINE,
               message="the watcher's resync after the restart")
    WebDriverWait(browser, RESTART_DEADLINE, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda b: "After the restart" in _subjects(b), "the mail that arrived after the restart to show in the open tab")
    assert _subjects(browser).count("After the restart") == 1
    assert {"First of two", "Second of two"} <= set(_subjects(browser))
    WebDriverWait(browser, DEADLINE).until(lambda b: b.execute_script("return document.body.dataset.live") == "up")


def live_inbox_url(browser, tab: str) -> str:
    """The first tab's URL (the INBOX list), read without leaving the current tab for long."""
    current = browser.current_window_handle
    browser.switch_to.window(tab)
    url = browser.current_url
    browser.switch_to.window(current)
    return url


def subjects_in(person, folder: str) -> list[str]:
    from tests.support import server_subjects

    return server_subjects(person, folder)
