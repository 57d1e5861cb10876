"""cid: images load inside the sandboxed body frame (token URLs, no cookie), nothing else does."""
from __future__ import annotations

import base64
import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import TEST_VAR, imap_direct, new_mail_user, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG_1PX = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5e4e2a60000000049454e44ae426082"
)).decode()


def related_message() -> bytes:
    return (
        "From: Pat <pat@example.org>\r\nSubject: Picture inside\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="r"\r\n\r\n'
        "--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        '<p>Look:</p><img id="pic" src="cid:logo@example.org" alt="logo" width="20" height="20">\r\n'
        "--r\r\nContent-Type: image/png\r\nContent-ID: <logo@example.org>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        f"{PNG_1PX}\r\n--r--\r\n"
    ).encode()


def test_a_cid_image_loads_in_the_sandboxed_frame(app_server, browser, sign_in_as):
    person = new_mail_user("pictures")
    with imap_direct(person) as imap:
        imap.append("INBOX", related_message())
        imap.select_folder("INBOX", readonly=True)
        [uid] = imap.search(["ALL"])
    # The sandboxed frame is a foreign origin in its own process, out of reach of the
    # driver's network log: read the server's access log instead, from here on only (it is
    # appended to by every run and every test).
    port = app_server.rsplit(":", 1)[1]
    access_log = TEST_VAR / f"test-gunicorn-access-{port}.log"
    offset = access_log.stat().st_size if access_log.exists() else 0

    def requests_since() -> list[str]:
        with access_log.open("rb") as handle:
            handle.seek(offset)
            return handle.read().decode("utf-8", "replace").splitlines()

    wait = WebDriverWait(browser, 20)
    sign_in_as(person)
    browser.find_element(By.LINK_TEXT, "Picture inside").click()
    wait.until(EC.frame_to_be_available_and_switch_to_it((By.CSS_SELECTOR, "iframe.message-body")))
    image = wait.until(EC.presence_of_element_located((By.TAG_NAME, "img")))
    # The picture is really there (decoded, 1x1), not a broken-image icon.
    wait.until(lambda _: image.get_property("complete") and image.get_property("naturalWidth") == 1)
    browser.switch_to.default_content()
    image_request = re.compile(rf'"GET /mail/INBOX/{uid}/part/2/\?t=\S+ HTTP/1.1" 200')

    def image_served() -> bool:
        return any(image_request.search(line) for line in requests_since())

    try:
        wait_until(image_served, timeout=20, message="the cid image to be requested with its token and served")
    except AssertionError:
        raise AssertionError(f"no token request for the cid image; requests of this test: {requests_since()[-8:]}; console: {browser.get_log('browser')}") from None
    violations = [e for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert violations == []


def many_images_message(count: int) -> bytes:
    images = "".join(f'<img src="cid:pic{n}@example.org" alt="{n}" width="20" height="20">' for n in range(count))
    parts = "".join(
        f"--r\r\nContent-Type: image/png\r\nContent-ID: <pic{n}@example.org>\r\nContent-Transfer-Encoding: base64\r\n\r\n{PNG_1PX}\r\n"
        for n in range(count)
    )
    return (
        "From: Pat <pat@example.org>\r\nSubject: Many pictures\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="r"\r\n\r\n'
        f"--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Look:</p>{images}\r\n{parts}--r--\r\n"
    ).encode()


def test_a_message_with_many_inline_images_loads_them_all_without_being_refused(app_server, browser, sign_in_as):
    """The browser asks for several images at once, next to the page's own requests: the
    per-person bound on requests in flight (webmail/fairness.py) must leave room for them."""
    count = 16
    person = new_mail_user("pictures")
    with imap_direct(person) as imap:
        imap.append("INBOX", many_images_message(count))
        imap.select_folder("INBOX", readonly=True)
        [uid] = imap.search(["ALL"])
    port = app_server.rsplit(":", 1)[1]
    access_log = TEST_VAR / f"test-gunicorn-access-{port}.log"
    offset = access_log.stat().st_size if access_log.exists() else 0

    def requests_since() -> list[str]:
        with access_log.open("rb") as handle:
            handle.seek(offset)
            return handle.read().decode("utf-8", "replace").splitlines()

    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    browser.find_element(By.LINK_TEXT, "Many pictures").click()
    wait.until(EC.frame_to_be_available_and_switch_to_it((By.CSS_SELECTOR, "iframe.message-body")))
    wait.until(lambda _: len(browser.find_elements(By.TAG_NAME, "img")) == count)
    # Every picture is really there (decoded, 1x1), not a broken-image icon.
    wait.until(lambda _: all(i.get_property("complete") and i.get_property("naturalWidth") == 1 for i in browser.find_elements(By.TAG_NAME, "img")))
    browser.switch_to.default_content()
    part = re.compile(rf'"GET /mail/INBOX/{uid}/part/(\d+)/\?t=\S+ HTTP/1.1" (\d+)')

    def served() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for line in requests_since():
            if m := part.search(line):
                found.setdefault(m.group(1), []).append(m.group(2))
        return found

    # The access log is written after each response: wait for all the lines, then read them.
    wait_until(lambda: len(served()) == count, timeout=20, message="every image request in the access log")
    statuses = served()
    assert sorted(statuses, key=int) == [str(n) for n in range(2, count + 2)]
    assert all(codes == ["200"] for codes in statuses.values()), statuses  # none refused (429) and retried
    assert not [line for line in requests_since() if '" 429 ' in line]
