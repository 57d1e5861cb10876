"""The live mailbox in Chromium: events published on the person's channel (as the sync task
publishes them) change the open pages without a reload, through the real event server."""
from __future__ import annotations

import email.utils
import time
import uuid
import zlib

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from mailview.services.live import events
from tests.support import append_message, imap_direct, new_mail_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _user_pk(person) -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=person.email).pk


def _wait(browser, timeout: float = 20) -> WebDriverWait:
    return WebDriverWait(browser, timeout, ignored_exceptions=(StaleElementReferenceException,))


def _live(browser, timeout: float = 30) -> None:
    """Waits until the page's event stream is open (live.js marks the body)."""
    WebDriverWait(browser, timeout).until(lambda b: b.execute_script("return document.body.dataset.live") == "up")


def _row(browser, subject: str):
    return browser.find_element(By.LINK_TEXT, subject).find_element(By.XPATH, "./ancestor::tr")


def _subjects(browser) -> list[str]:
    """The list's subjects, read in one go (a refresh may replace the rows at any time)."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#list-form tr.message .col-subject a'), (a) => a.textContent)"
    )


def _append_new(person, subject: str) -> int:
    """A message newer than the others (its Date is now); returns its UID."""
    raw = (
        f"From: Nora New <nora@example.org>\r\nTo: {person.email}\r\nSubject: {subject}\r\n"
        f"Message-ID: <{uuid.uuid4().hex}@example.org>\r\nDate: {email.utils.formatdate(time.time() + 60)}\r\n\r\nHello\r\n"
    )
    with imap_direct(person) as imap:
        imap.append("INBOX", raw.encode())
        imap.select_folder("INBOX", readonly=True)
        return max(imap.search(["ALL"]))


def _rendered_row(person, uid: int) -> tuple[dict[str, object], int]:
    """The row as the sync task renders it (`message_rows`), read from Dovecot through the pool."""
    from django.contrib.auth import get_user_model

    from mailview.imap import get_pool
    from mailview.services.reading.messages import message_page
    from mailview.templatetags.mail_list import message_rows

    user = get_user_model().objects.get(username=person.email)
    with get_pool().session(user) as imap:
        page = message_page(imap=imap, user_key=str(user.pk), folder="INBOX", page=1, per_page=50, sort="date", order="desc")
    summary = next(m for m in page.messages if m.uid == uid)
    assert summary.date is not None
    row = {"uid": uid, "html": str(message_rows([summary], "INBOX")), "date": summary.date.timestamp(), "arrival": summary.date.timestamp()}
    return row, page.selected.uidvalidity


@pytest.fixture
def inbox(app_server, browser, sign_in_as):
    """A person with two messages, signed in, looking at their INBOX with the stream open."""
    person = new_mail_user("live")
    with imap_direct(person) as imap:
        append_message(imap, "INBOX", subject="Older one")
        append_message(imap, "INBOX", subject="Second one")
    sign_in_as(person)
    _live(browser)
    browser.execute_script("document.body.dataset.sameDocument = 'yes'")
    return person, _user_pk(person)


def test_new_rows_appear_at_the_top_and_the_selection_and_cursor_stay(browser, inbox):
    person, pk = inbox
    _row(browser, "Older one").find_element(By.NAME, "uid").click()
    cursor_before = browser.find_element(By.CSS_SELECTOR, "#list-form tr.cursor .col-subject a").text
    uid = _append_new(person, "Brand new mail")
    row, uidvalidity = _rendered_row(person, uid)
    events.publish(pk, "rows_added", {"folder": "INBOX", "uidvalidity": uidvalidity, "rows": [row]})
    _wait(browser).until(lambda b: "Brand new mail" in _subjects(b))
    assert _subjects(browser)[0] == "Brand new mail"
    assert _row(browser, "Older one").find_element(By.NAME, "uid").is_selected()
    assert not _row(browser, "Brand new mail").find_element(By.NAME, "uid").is_selected()
    assert browser.find_element(By.CSS_SELECTOR, "#list-form tr.cursor .col-subject a").text == cursor_before
    assert browser.execute_script("return document.body.dataset.sameDocument") == "yes"  # no reload
    # The same event again (a reconnect repeating it) adds nothing.
    events.publish(pk, "rows_added", {"folder": "INBOX", "uidvalidity": uidvalidity, "rows": [row]})
    events.publish(pk, "counts", {"folders": {"INBOX": {"messages": 3, "unseen": 3}}})
    _wait(browser).until(lambda b: b.title.startswith("(3) "))
    assert _subjects(browser).count("Brand new mail") == 1


def test_flags_change_a_row_and_vanished_removes_one(browser, inbox):
    person, pk = inbox
    with imap_direct(person) as imap:
        imap.select_folder("INBOX", readonly=True)
        uids = sorted(imap.search(["ALL"]))
        uidvalidity = imap.folder_status("INBOX", ["UIDVALIDITY"])[b"UIDVALIDITY"]
    row = _row(browser, "Second one")
    assert "unread" in row.get_attribute("class") and not row.find_element(By.CSS_SELECTOR, ".star").is_displayed()
    events.publish(pk, "flags", {"folder": "INBOX", "uidvalidity": uidvalidity, "changes": [
        {"uid": uids[1], "seen": True, "flagged": True, "answered": True, "labels": ["Work"]},
    ]})
    _wait(browser).until(lambda b: "flagged" in _row(b, "Second one").get_attribute("class"))
    row = _row(browser, "Second one")
    assert "unread" not in row.get_attribute("class") and "answered" in row.get_attribute("class")
    assert row.find_element(By.CSS_SELECTOR, ".star").is_displayed()
    chip = row.find_element(By.CSS_SELECTOR, ".label-chip")
    assert chip.text == "Work" and f"label-color-{zlib.crc32(b'Work') % 8}" in chip.get_attribute("class")
    assert "unread" in _row(browser, "Older one").get_attribute("class")  # the other row is untouched

    events.publish(pk, "vanished", {"folder": "INBOX", "uidvalidity": uidvalidity, "uids": [uids[0]]})
    _wait(browser).until(lambda b: "Older one" not in _subjects(b))
    assert _subjects(browser) == ["Second one"]
    assert browser.execute_script("return document.body.dataset.sameDocument") == "yes"


def test_counts_change_the_sidebar_and_the_title_in_every_tab(app_server, browser, inbox):
    _person, pk = inbox
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(f"{app_server}/mail/INBOX/")
    _live(browser)
    second = browser.current_window_handle
    events.publish(pk, "counts", {"folders": {"INBOX": {"messages": 2, "unseen": 7}, "Archive": {"messages": 1, "unseen": 1}}})
    for handle in (second, first):
        browser.switch_to.window(handle)
        _wait(browser).until(lambda b: b.title.startswith("(7) "))
        badge = browser.find_element(By.CSS_SELECTOR, '#folders a[data-folder="INBOX"]').find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, ".unread-count")
        assert badge.text == "7"
        assert browser.find_element(By.CSS_SELECTOR, ".folder-summary").get_attribute("data-total") == "2"
    events.publish(pk, "counts", {"folders": {"INBOX": {"messages": 2, "unseen": 0}}})
    _wait(browser).until(lambda b: not b.title.startswith("("))
    assert not browser.find_elements(By.CSS_SELECTOR, '#folders li:has(a[data-folder="INBOX"]) .unread-count')


def test_new_rows_a_sorted_view_cannot_place_show_a_bar(app_server, browser, inbox):
    person, pk = inbox
    browser.get(f"{app_server}/mail/INBOX/?sort=subject")
    _live(browser)
    uid = _append_new(person, "Aardvark news")
    row, uidvalidity = _rendered_row(person, uid)
    events.publish(pk, "rows_added", {"folder": "INBOX", "uidvalidity": uidvalidity, "rows": [row]})
    bar = browser.find_element(By.CSS_SELECTOR, "[data-live-bar]")
    _wait(browser).until(lambda b: bar.is_displayed())
    assert "1 new message" in bar.text
    assert "Aardvark news" not in _subjects(browser)
    bar.find_element(By.CSS_SELECTOR, "[data-live-show]").click()
    _wait(browser).until(lambda b: "Aardvark news" in _subjects(b))
    assert _subjects(browser)[0] == "Aardvark news" and not bar.is_displayed()


def test_the_open_message_says_when_it_was_deleted_elsewhere(app_server, browser, inbox):
    person, pk = inbox
    browser.find_element(By.LINK_TEXT, "Second one").click()
    _wait(browser).until(lambda b: b.find_elements(By.ID, "message-subject"))
    _live(browser)
    uid = int(browser.current_url.rstrip("/").rsplit("/", 1)[1])
    notice = browser.find_element(By.CSS_SELECTOR, "[data-live-gone]")
    assert not notice.is_displayed()
    with imap_direct(person) as imap:
        uidvalidity = imap.folder_status("INBOX", ["UIDVALIDITY"])[b"UIDVALIDITY"]
    events.publish(pk, "vanished", {"folder": "INBOX", "uidvalidity": uidvalidity, "uids": [uid]})
    _wait(browser).until(lambda b: notice.is_displayed())
    assert "deleted or moved on another device" in notice.text
    assert not browser.find_element(By.CSS_SELECTOR, "#message-form button[value=archive]").is_enabled()


def test_while_the_stream_is_up_the_list_does_not_poll(browser, inbox):
    """The fallback poll (NOOP + STATUS on the server) stops once the stream is open: an idle
    tab costs the mail server nothing (tests/browser/test_live_list_browser.py: the poll
    still works when the stream is blocked)."""
    assert browser.execute_script("return document.body.dataset.poll") == "off"


def test_folders_refetches_the_tree_and_resync_refetches_the_list_keeping_the_selection(browser, inbox):
    person, pk = inbox
    _row(browser, "Older one").find_element(By.NAME, "uid").click()
    with imap_direct(person) as imap:
        imap.create_folder("Projects")
        imap.subscribe_folder("Projects")
        append_message(imap, "INBOX", subject="Missed while away")
    events.publish(pk, "folders", {})
    _wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, '#folders a[data-folder="Projects"]'))
    events.publish(pk, "resync", {"folder": None})
    _wait(browser).until(lambda b: "Missed while away" in _subjects(b))
    assert _row(browser, "Older one").find_element(By.NAME, "uid").is_selected()
    assert browser.execute_script("return document.body.dataset.sameDocument") == "yes"


def test_rows_added_above_keep_what_is_on_screen_in_place(app_server, browser, sign_in_as):
    person = new_mail_user("scroll")
    with imap_direct(person) as imap:
        for n in range(45):
            append_message(imap, "INBOX", subject=f"Filler {n:02d}")
    sign_in_as(person)
    _live(browser)
    pk = _user_pk(person)
    browser.execute_script("window.scrollTo(0, 500)")
    _wait(browser).until(lambda b: b.execute_script("return window.scrollY") > 0)
    watched = browser.execute_script(
        "return Array.from(document.querySelectorAll('#list-form tr.message')).find((r) => r.getBoundingClientRect().top > 100)"
        ".querySelector('.col-subject a').textContent"
    )
    top = lambda b: b.execute_script(  # noqa: E731
        "const a = Array.from(document.querySelectorAll('#list-form tr.message .col-subject a')).find((x) => x.textContent === arguments[0]);"
        "return a.closest('tr').getBoundingClientRect().top", watched,
    )
    before, scrolled = top(browser), browser.execute_script("return window.scrollY")
    uid = _append_new(person, "Arrived while scrolled")
    row, uidvalidity = _rendered_row(person, uid)
    events.publish(pk, "rows_added", {"folder": "INBOX", "uidvalidity": uidvalidity, "rows": [row]})
    _wait(browser).until(lambda b: "Arrived while scrolled" in _subjects(b))
    assert _subjects(browser)[0] == "Arrived while scrolled"
    assert abs(top(browser) - before) <= 1
    assert browser.execute_script("return window.scrollY") > scrolled


def test_desktop_notifications_only_after_opting_in(browser, inbox):
    person, pk = inbox
    # The Notification API, recorded instead of shown (headless Chromium has no desktop).
    browser.execute_script("""
        window.shownNotifications = [];
        window.Notification = class {
          constructor(title, options) { window.shownNotifications.push([title, options.body, options.tag]); }
          addEventListener() {}
          static get permission() { return "granted"; }
          static requestPermission() { return Promise.resolve("granted"); }
        };
    """)
    switch = browser.find_element(By.CSS_SELECTOR, "[data-live-notify]")
    assert switch.is_displayed() and switch.text == "Turn on desktop notifications"
    first = _append_new(person, "Quiet arrival")
    row, uidvalidity = _rendered_row(person, first)
    events.publish(pk, "rows_added", {"folder": "INBOX", "uidvalidity": uidvalidity, "rows": [row]})
    _wait(browser).until(lambda b: "Quiet arrival" in _subjects(b))
    assert browser.execute_script("return window.shownNotifications") == []  # not asked for

    switch.click()
    _wait(browser).until(lambda b: switch.text == "Turn off desktop notifications")
    second = _append_new(person, "Loud arrival")
    row, uidvalidity = _rendered_row(person, second)
    events.publish(pk, "rows_added", {"folder": "INBOX", "uidvalidity": uidvalidity, "rows": [row]})
    _wait(browser).until(lambda b: b.execute_script("return window.shownNotifications.length") == 1)
    assert browser.execute_script("return window.shownNotifications") == [["Nora New", "Loud arrival", f"webmail-new-{second}"]]
