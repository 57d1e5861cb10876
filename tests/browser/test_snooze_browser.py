"""Snooze in Chromium: from the message page, "Snooze" → "Tomorrow 8:00", and the message has
left the inbox's list (it waits in Snoozed on the server)."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from mailview.models import Snooze
from tests.support import append_message, imap_direct, new_mail_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_snooze_from_the_message_page_and_it_leaves_the_list(app_server, browser, sign_in_as):
    person = new_mail_user("dozer")
    with imap_direct(person) as imap:
        append_message(imap, "INBOX", subject="Stays here")
        append_message(imap, "INBOX", subject="Nap time")
        imap.select_folder("INBOX", readonly=True)
        uid = imap.search(["SUBJECT", "Nap time"])[0]
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    browser.get(f"{app_server}/mail/INBOX/{uid}/")
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".snooze-form .snooze-menu summary"))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".snooze-form button[value=tomorrow]"))).click()

    wait.until(EC.url_to_be(f"{app_server}/mail/INBOX/"))
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#list-form tr.message"))
    texts = " ".join(row.text for row in rows)
    assert "Stays here" in texts and "Nap time" not in texts
    assert "1 message snoozed." in browser.page_source
    with imap_direct(person) as imap:
        imap.select_folder("Snoozed", readonly=True)
        assert len(imap.search(["SUBJECT", "Nap time"])) == 1
    assert Snooze.objects.get(user__username=person.email).subject == "Nap time"


def test_snooze_every_message_of_the_folder_from_the_list(app_server, browser, celery_worker, sign_in_as):
    """More messages than a page: tick the page, then "select all 12", Snooze → Tomorrow: the
    worker snoozes all twelve (the same toast as the other actions on such a selection)."""
    from django.contrib.auth import get_user_model

    from accounts.services import user_settings
    from tests.support import server_subjects, wait_until

    person = new_mail_user("hibernator")
    with imap_direct(person) as imap:
        for i in range(12):
            append_message(imap, "INBOX", subject=f"Later {i}")
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    prefs = user_settings(user=get_user_model().objects.get(username=person.email))
    prefs.messages_per_page = 10
    prefs.save()
    browser.get(f"{app_server}/mail/INBOX/")
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#list-form tr.message")) == 10)
    browser.find_element(By.CSS_SELECTOR, "input[data-select-page]").click()
    browser.find_element(By.CSS_SELECTOR, "input[data-select-all]").click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#list-form .snooze-menu summary"))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#list-form .snooze-menu button[value=tomorrow]"))).click()

    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#toast .toast-text").text == "Snoozed.")
    assert not browser.find_elements(By.CSS_SELECTOR, "#list-form tr.message:not([hidden])")
    wait_until(lambda: len(server_subjects(person, "Snoozed")) == 12, timeout=30, message="all twelve in Snoozed on the server")
    assert server_subjects(person, "INBOX") == [] and Snooze.objects.filter(user__username=person.email, uid__isnull=False).count() == 12
