"""A person writes a message in Chromium: completes an address with the keyboard, attaches a
file (progress shown), sends, and finds it in Sent; the recipient gets the file intact."""
from __future__ import annotations

import email
import os
import tempfile
from email import policy
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from mailview.mime import Address
from mailview.services.addressbook import addresses_collect
from tests.support import imap_direct, new_mail_user, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compose_attach_with_progress_send_and_find_it_in_sent(app_server, celery_worker, browser, sign_in_as):
    person, friend = new_mail_user("writer"), new_mail_user("friend")
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    user = get_user_model().objects.get(username=person.email)
    addresses_collect(user=user, addresses=[Address("Friendly Person", friend.email)])

    browser.get(f"{app_server}/mail/compose/")
    to = wait.until(EC.element_to_be_clickable((By.ID, "compose-to")))
    to.send_keys("Friendly")
    suggestion = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-autocomplete-list] li[aria-selected=true]")))
    assert friend.email in suggestion.text
    to.send_keys(Keys.ENTER)  # picks the suggestion; never submits the form
    assert to.get_attribute("value").startswith(f"Friendly Person <{friend.email}>")
    browser.find_element(By.ID, "compose-subject").send_keys("Holiday photos")
    browser.find_element(By.ID, "compose-body").send_keys("Here they are.")

    data = os.urandom(2_600_000)  # three chunks of 1 MiB
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "beach.jpg"
        path.write_bytes(data)
        browser.find_element(By.CSS_SELECTOR, "[data-file-input]").send_keys(str(path))
        item = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".attachment-item.uploaded")))
    bar = item.find_element(By.TAG_NAME, "progress")
    assert bar.get_attribute("value") == bar.get_attribute("max") == str(len(data))
    assert int(bar.get_attribute("data-updates")) >= 3, "the bar moved while the chunks went up"
    assert item.find_element(By.CSS_SELECTOR, ".upload-percent").text == "100%"
    assert "beach.jpg" in item.text

    browser.find_element(By.CSS_SELECTOR, "[data-send-button]").click()
    wait.until(EC.url_contains("/status/"))
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".status-message"), "Your message was sent."))
    browser.find_element(By.LINK_TEXT, "Open Sent").click()
    wait.until(EC.url_contains("/mail/Sent/"))
    assert browser.find_element(By.LINK_TEXT, "Holiday photos")

    def received():
        with imap_direct(friend) as imap:
            imap.select_folder("INBOX", readonly=True)
            uids = imap.search(["SUBJECT", "Holiday photos"])
            return uids and imap.fetch(uids, ["BODY.PEEK[]"])[uids[0]][b"BODY[]"]

    message = email.message_from_bytes(wait_until(received, timeout=30, message="the friend to receive it"), policy=policy.default)
    assert {p.get_filename(): p.get_payload(decode=True) for p in message.iter_attachments()} == {"beach.jpg": data}
    with imap_direct(person) as imap:
        imap.select_folder("Drafts", readonly=True)
        assert imap.search(["ALL"]) == [], "the draft is gone once sent"

    csp_violations = [e for e in browser.get_log("browser") if "Content Security Policy" in e.get("message", "")]
    assert csp_violations == []


def test_a_file_dropped_in_before_anything_is_typed_stores_the_message(app_server, browser, sign_in_as):
    """Opening the page stores nothing; an upload as the very first action stores the message
    (the page's seed goes with it) and the file belongs to it."""
    from mailview.models import Compose

    person = new_mail_user("uploader")
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    user = get_user_model().objects.get(username=person.email)
    browser.get(f"{app_server}/mail/compose/")
    form = wait.until(EC.presence_of_element_located((By.ID, "compose-form")))
    compose_id = form.find_element(By.NAME, "compose").get_attribute("value")
    assert not Compose.objects.filter(user=user).exists(), "opening the page stored a row"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "first.txt"
        path.write_bytes(b"uploaded first")
        browser.find_element(By.CSS_SELECTOR, "[data-file-input]").send_keys(str(path))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".attachment-item.uploaded")))
    [stored] = Compose.objects.filter(user=user)
    assert str(stored.pk) == compose_id
    assert [(a.filename, a.received) for a in stored.attachments.all()] == [("first.txt", 14)]
