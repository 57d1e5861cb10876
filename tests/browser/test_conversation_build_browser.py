"""A big folder's conversations built by the worker while its list is open in Chromium: the list
first shows the messages with "Conversations are being prepared…", and the open tab turns into
conversations by itself when the `threads_ready` event arrives (live.js reloads it)."""
from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import BROWSER_THREADS_INLINE_LIMIT
from tests.support import append_message, imap_direct, new_mail_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def message(mid: str, subject: str, refs: str = "") -> bytes:
    head = f"From: Ann <ann@example.org>\r\nTo: me@example.test\r\nSubject: {subject}\r\nMessage-ID: <{mid}>\r\n"
    return (head + (f"References: <{refs}>\r\n" if refs else "") + f"\r\nAbout {subject}.\r\n").encode()


def test_the_open_list_turns_into_conversations_once_the_worker_built_them(app_server, browser, sign_in_as, celery_worker, event_server):
    person = new_mail_user("bigconvo")
    root = f"root-{uuid.uuid4().hex}@example.org"
    with imap_direct(person) as imap:
        for n in range(BROWSER_THREADS_INLINE_LIMIT - 1):  # one more than the limit, with the two below
            append_message(imap, "INBOX", subject=f"Filler {n:03d}", seen=True)
        imap.append("INBOX", message(root, "Trip to Lisbon"))
        imap.append("INBOX", message(f"r-{uuid.uuid4().hex}@example.org", "Re: Trip to Lisbon", refs=root))
    sign_in_as(person)  # the list: too big to thread in the request, so listed flat while the worker does
    WebDriverWait(browser, 60).until(
        lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, "tr.conversation .thread-count")] == ["2"]
    )
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-threads-pending]")
    # The page the person opened was reloaded by live.js (the person did not reload it).
    assert browser.execute_script("return performance.getEntriesByType('navigation')[0].type") == "reload"
