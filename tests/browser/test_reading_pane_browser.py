"""The reading pane moves on: a message filed from the pane (its toolbar or its keyboard) leaves
the list, and the pane shows the next row (the one above when it was the last), in the list of
messages and in the list of conversations; the list's undo brings it back."""
from __future__ import annotations

import uuid

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import imap_direct, mail_user_with, new_mail_user, server_subjects, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the pane shows: the subject heading of the page in its frame, once its scripts have run
# ("" until then).
PANE_SUBJECT = """
const page = document.querySelector("[data-pane-frame]").contentDocument;
const heading = page && page.readyState === "complete" && page.getElementById("message-subject");
return heading ? heading.innerText.trim() : "";
"""


def listed(browser) -> list[str]:
    return [a.text for a in browser.find_elements(By.CSS_SELECTOR, "tr.message:not([hidden]) .col-subject a")]


def in_the_pane(browser, wait, subject: str):
    """Into the pane's frame, once it shows `subject`."""
    wait.until(lambda b: subject in b.execute_script(PANE_SUBJECT))
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, "[data-pane-frame]"))


def test_archiving_in_the_pane_opens_the_next_message_and_undo_brings_it_back(app_server, browser, celery_worker, sign_in_as):
    person = mail_user_with("panenext", ["Letter 0", "Letter 1", "Letter 2"])
    browser.set_window_size(1600, 900)
    sign_in_as(person)
    browser.get(f"{app_server}/mail/INBOX/?view=flat")
    wait = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,))  # live refreshes replace rows
    wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "[data-reading-pane]").is_displayed())
    rows = listed(browser)
    assert sorted(rows) == ["Letter 0", "Letter 1", "Letter 2"]

    browser.find_element(By.LINK_TEXT, rows[1]).click()  # the second of three
    in_the_pane(browser, wait, rows[1])
    browser.find_element(By.CSS_SELECTOR, "#message-form button[value=archive]").click()
    browser.switch_to.default_content()

    wait.until(lambda b: listed(b) == [rows[0], rows[2]])  # its row is gone
    wait.until(lambda b: rows[2] in b.execute_script(PANE_SUBJECT))  # the pane shows the next one
    # its row is marked open (again after the list's live refresh, once the pane's page loaded)
    wait.until(lambda b: [a.text for a in b.find_elements(By.CSS_SELECTOR, "tr.message.open .col-subject a")] == [rows[2]])
    assert browser.current_url == f"{app_server}/mail/INBOX/?view=flat"  # still the list, not reloaded
    undo = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#toast [data-undo]")))
    wait.until(lambda b: "Archived" in b.find_element(By.CSS_SELECTOR, "#toast .toast-text").text)
    wait_until(lambda: server_subjects(person, "Archive") == [rows[1]], timeout=30, message="the archive on the server")

    undo.click()
    # Back once, no duplicate. (Where: the three arrived in the same second, so with live
    # updates on, the list shows the server's order, in which the moved-back copy's new UID
    # is the newest.)
    wait.until(lambda b: sorted(listed(b)) == sorted(rows))
    wait_until(lambda: server_subjects(person, "INBOX") == sorted(rows), timeout=30, message="the undo on the server")
    assert server_subjects(person, "Archive") == []


def test_the_last_conversation_filed_with_the_keyboard_opens_the_one_above(app_server, browser, celery_worker, sign_in_as):
    person = new_mail_user("panelast")
    root = f"root-{uuid.uuid4().hex}@example.org"
    with imap_direct(person) as imap:  # oldest first: the conversation is the last row
        for day, (subject, refs) in enumerate([("Trip", ""), ("Re: Trip", root), ("Note B", ""), ("Note C", "")], start=1):
            head = f"From: Ann <ann@example.org>\r\nSubject: {subject}\r\nDate: Mon, 0{day} Mar 2021 10:00:00 +0000\r\n"
            head += f"Message-ID: <{root}>\r\n" if subject == "Trip" else f"Message-ID: <{uuid.uuid4().hex}@example.org>\r\n"
            imap.append("INBOX", (head + (f"References: <{refs}>\r\n" if refs else "") + f"\r\nAbout {subject}.\r\n").encode())
    browser.set_window_size(1600, 900)
    sign_in_as(person)  # the list of conversations, the default view
    wait = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,))  # live refreshes replace rows
    wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "[data-reading-pane]").is_displayed())
    assert listed(browser) == ["Note C", "Note B", "Trip"]

    browser.find_element(By.LINK_TEXT, "Trip").click()
    in_the_pane(browser, wait, "Trip")
    wait.until(EC.presence_of_element_located((By.ID, "conversation-form")))
    browser.find_element(By.TAG_NAME, "body").send_keys("e")
    browser.switch_to.default_content()

    wait.until(lambda b: listed(b) == ["Note C", "Note B"])
    wait.until(lambda b: "Note B" in b.execute_script(PANE_SUBJECT))  # the last row went: the one above
    assert browser.find_element(By.CSS_SELECTOR, "tr.message.open .col-subject a").text == "Note B"
    wait_until(lambda: server_subjects(person, "Archive") == ["Re: Trip", "Trip"], timeout=30, message="the archive on the server")
    assert server_subjects(person, "INBOX") == ["Note B", "Note C"]


def test_snoozing_in_the_pane_opens_the_next_message(app_server, browser, sign_in_as):
    person = mail_user_with("panesnooze", ["Later 0", "Later 1"])
    browser.set_window_size(1600, 900)
    sign_in_as(person)
    wait = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,))  # live refreshes replace rows
    wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "[data-reading-pane]").is_displayed())
    rows = listed(browser)
    browser.find_element(By.LINK_TEXT, rows[0]).click()
    in_the_pane(browser, wait, rows[0])
    browser.find_element(By.CSS_SELECTOR, ".snooze-form .snooze-menu summary").click()
    browser.find_element(By.CSS_SELECTOR, ".snooze-form button[value=tomorrow]").click()
    browser.switch_to.default_content()

    wait.until(lambda b: listed(b) == [rows[1]])
    wait.until(lambda b: rows[1] in b.execute_script(PANE_SUBJECT))
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#toast .toast-text"), "1 message snoozed."))
    assert browser.current_url == f"{app_server}/mail/INBOX/"  # the list stayed, and the pane in it
    assert server_subjects(person, "INBOX") == [rows[1]]


def test_a_pane_refused_for_too_many_requests_at_once_loads_itself_again(app_server, browser, sign_in_as):
    """The person's requests at once are bounded (webmail/fairness.py): a pane opened while
    the list refreshes and an action runs may be answered 429. That page may be shown in the
    app's own frame, and it loads itself again after the pause (it did not: refused to frame,
    the pane stayed blank)."""
    import time

    from django.contrib.auth import get_user_model

    from tests.support import TEST_VAR
    from webmail.redis_client import get_redis, key_prefix

    person = mail_user_with("panebusy", ["Busy 0", "Busy 1"])
    browser.set_window_size(1600, 900)
    sign_in_as(person)
    browser.get(f"{app_server}/mail/INBOX/?view=flat")
    wait = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "[data-reading-pane]").is_displayed())
    pk = get_user_model().objects.get(username=person.email).pk
    # Every place of the person taken for 3 seconds, as by requests of other tabs.
    base = f"{key_prefix()}:door:{{{pk}}}"
    until = time.time() + 3
    get_redis().zadd(f"{base}:all", {f"other-{n}": until for n in range(20)})
    get_redis().zadd(f"{base}:heavy", {f"other-{n}": until for n in range(20)})
    browser.find_element(By.LINK_TEXT, "Busy 1").click()
    wait.until(lambda b: "Busy 1" in b.execute_script(PANE_SUBJECT))
    access = (TEST_VAR / f"test-gunicorn-access-{app_server.rsplit(':', 1)[1]}.log").read_text(errors="replace")
    assert "?pane=1 HTTP/1.1\" 429" in access  # it was refused first
