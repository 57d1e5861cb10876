"""Light and dark follow the system, from the one palette: the app, a plain-text body in
its frame, and an HTML body, which stays on white paper (it is written for it)."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import imap_direct, new_mail_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHITE, DARK = "rgb(255, 255, 255)", "rgb(20, 23, 28)"


def message(subject: str, content_type: str, body: str) -> bytes:
    return (
        f"From: Pat <pat@example.org>\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: {content_type}; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def backgrounds(browser, subject: str) -> tuple[str, str, str]:
    """The page's, the frame element's and the framed body's background colours."""
    browser.find_element(By.LINK_TEXT, subject).click()
    wait = WebDriverWait(browser, 30)
    wait.until(EC.text_to_be_present_in_element((By.ID, "message-subject"), subject))
    page = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    frame = browser.execute_script("return getComputedStyle(document.querySelector('iframe.message-body')).backgroundColor")
    wait.until(EC.frame_to_be_available_and_switch_to_it((By.CSS_SELECTOR, "iframe.message-body")))
    wait.until(lambda d: "Hello" in d.find_element(By.TAG_NAME, "body").text)
    body = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    browser.switch_to.default_content()
    browser.back()
    return page, frame, body


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_light_and_dark_come_from_the_palette_in_the_app_and_the_body_frame(app_server, browser, sign_in_as, scheme):
    person = new_mail_user("scheme")
    with imap_direct(person) as imap:
        imap.append("INBOX", message("Plain one", "text/plain", "Hello in plain text."))
        imap.append("INBOX", message("Html one", "text/html", "<p>Hello in <b>HTML</b>.</p>"))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    sign_in_as(person)
    paper = WHITE if scheme == "light" else DARK
    assert backgrounds(browser, "Plain one") == (paper, WHITE, paper)
    assert backgrounds(browser, "Html one") == (paper, WHITE, WHITE)
