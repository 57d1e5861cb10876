"""Conversations in Chromium: open one, archive it, and it is gone from the list; a reply
arriving while the list is open updates its conversation's row instead of adding one."""
from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import imap_direct, new_mail_user, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def message(mid: str, subject: str, refs: str = "") -> bytes:
    head = f"From: Ann <ann@example.org>\r\nTo: me@example.test\r\nSubject: {subject}\r\nMessage-ID: <{mid}>\r\n"
    return (head + (f"References: <{refs}>\r\n" if refs else "") + f"\r\nAbout {subject}.\r\n").encode()


def person_with_a_conversation() -> tuple[object, str]:
    person = new_mail_user("convo")
    root = f"root-{uuid.uuid4().hex}@example.org"
    with imap_direct(person) as imap:
        imap.append("INBOX", message(root, "Trip to Lisbon"))
        imap.append("INBOX", message(f"r-{uuid.uuid4().hex}@example.org", "Re: Trip to Lisbon", refs=root))
        imap.append("INBOX", message(f"s-{uuid.uuid4().hex}@example.org", "Something else"))
    return person, root


def inbox_count(person) -> int:
    with imap_direct(person) as imap:
        return imap.folder_status("INBOX", ["MESSAGES"])[b"MESSAGES"]


def test_open_a_conversation_archive_it_and_it_is_gone(app_server, browser, celery_worker, sign_in_as):
    person, _root = person_with_a_conversation()
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.message")) == 2
    browser.find_element(By.LINK_TEXT, "Trip to Lisbon").click()
    wait.until(EC.presence_of_element_located((By.ID, "conversation-form")))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".conversation-message")) == 2
    browser.find_element(By.CSS_SELECTOR, "#conversation-form button[value=archive]").click()
    wait.until(EC.url_to_be(f"{app_server}/mail/INBOX/"))
    wait.until(lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, "tr.message .col-subject a")] == ["Something else"])
    wait_until(lambda: inbox_count(person) == 1, timeout=30, message="the archive on the server")



def test_archiving_a_conversation_goes_on_to_the_next_one(app_server, browser, celery_worker, sign_in_as):
    """From the full conversation page (not the pane): filed away, the next conversation of the
    list opens, as the message page opens the next message; k steps back up the list."""
    person, _root = person_with_a_conversation()
    with imap_direct(person) as imap:
        imap.append("INBOX", message(f"n-{uuid.uuid4().hex}@example.org", "Newest topic"))
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    browser.get(f"{app_server}/mail/INBOX/")
    # The list: Newest topic, Something else, Trip to Lisbon; the middle one's conversation page.
    href = browser.find_element(By.LINK_TEXT, "Something else").get_attribute("href")
    browser.get(href.replace("/INBOX/", "/INBOX/thread/"))
    wait.until(EC.presence_of_element_located((By.ID, "conversation-form")))
    browser.find_element(By.CSS_SELECTOR, "#conversation-form button[value=archive]").click()
    wait.until(lambda d: "/thread/" in d.current_url and "Trip to Lisbon" in d.find_element(By.ID, "message-subject").text)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".conversation-message")) == 2
    wait_until(lambda: inbox_count(person) == 3, timeout=30, message="the archive on the server")
    browser.find_element(By.TAG_NAME, "body").send_keys("k")
    wait.until(lambda d: "Newest topic" in d.find_element(By.ID, "message-subject").text)

def test_a_reply_arriving_updates_its_conversations_row(app_server, browser, sign_in_as, event_server):
    # The event stream blocked: the list polls the folder's state and refetches its rows.
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": [f"{event_server.url}*"]})
    person, root = person_with_a_conversation()
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    browser.execute_script("document.body.dataset.sameDocument = 'yes'")
    with imap_direct(person) as imap:
        imap.append("INBOX", message(f"r2-{uuid.uuid4().hex}@example.org", "Re: Trip to Lisbon", refs=root))
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "tr.conversation .thread-count").text == "3")
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.message")) == 2  # no new row
    assert browser.execute_script("return document.body.dataset.sameDocument") == "yes"  # no reload
