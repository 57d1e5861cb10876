"""Mail arriving from elsewhere shows in an open list without a reload."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import append_message, imap_direct, new_mail_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_mail_appears_in_the_open_list(app_server, browser, sign_in_as, event_server):
    """With the event stream blocked (a proxy that does not pass it), the list falls back to
    polling the folder's state, as before the live mailbox."""
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": [f"{event_server.url}*"]})
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
    assert browser.execute_script("return document.body.dataset.poll") == "on"
    assert marker.is_displayed()
    assert "2 messages" in browser.find_element(By.CSS_SELECTOR, ".folder-summary").text
