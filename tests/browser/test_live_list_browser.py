"""Mail arriving from elsewhere shows in an open list without a reload."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import append_message, imap_direct, new_mail_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_mail_appears_in_the_open_list(app_server, browser, sign_in_as):
    person = new_mail_user("watcher")
    with imap_direct(person) as imap:
        append_message(imap, "INBOX", subject="Already here")
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    marker = browser.find_element(By.ID, "list-header")
    browser.execute_script("document.body.dataset.sameDocument = 'yes'")
    with imap_direct(person) as imap:
        append_message(imap, "INBOX", subject="Arrived on another device")
    wait.until(EC.presence_of_element_located((By.LINK_TEXT, "Arrived on another device")))
    assert browser.execute_script("return document.body.dataset.sameDocument") == "yes"  # no reload
    assert marker.is_displayed()
    assert "2 messages" in browser.find_element(By.CSS_SELECTOR, ".folder-summary").text
