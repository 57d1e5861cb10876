"""A person signs in, clicks a folder, and signs out, in headless Chromium."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import append_message, imap_direct, new_mail_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_click_a_folder_and_sign_out(app_server, browser, sign_in_as):
    person = new_mail_user("browser")
    with imap_direct(person) as imap:
        imap.create_folder("Work")
        imap.subscribe_folder("Work")
        append_message(imap, "Work", subject="Quarterly plan")
    wait = WebDriverWait(browser, 20)

    sign_in_as(person, start="/mail/")  # the mail URL sends a stranger to the sign-in form first
    current = browser.find_element(By.CSS_SELECTOR, "#folders [aria-current=page]")
    assert current.text.strip().endswith("Inbox")

    browser.find_element(By.PARTIAL_LINK_TEXT, "Work").click()
    wait.until(EC.url_to_be(f"{app_server}/mail/Work/"))
    current = browser.find_element(By.CSS_SELECTOR, "#folders [aria-current=page]")
    assert "Work" in current.text
    assert "1 message" in browser.find_element(By.CSS_SELECTOR, ".folder-summary").text

    browser.find_element(By.CSS_SELECTOR, ".logout-form button").click()
    wait.until(EC.url_contains("/accounts/login/"))
    assert "You have signed out." in browser.find_element(By.CSS_SELECTOR, ".flash").text
    browser.get(f"{app_server}/mail/INBOX/")
    wait.until(EC.url_contains("/accounts/login/"))

    csp_violations = [e for e in browser.get_log("browser") if "Content Security Policy" in e.get("message", "")]
    assert csp_violations == []
