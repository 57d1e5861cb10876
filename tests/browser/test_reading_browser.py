"""Reading in Chromium: the reading pane beside the list, a body frame as tall as its text,
the print view, sandboxed attachment previews, and the appearance settings (theme, time
zone) with the quota meter, applied on the next page."""
from __future__ import annotations

import base64

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.support import imap_direct, new_mail_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = ("From: Pat <pat@example.org>\r\nSubject: A long letter\r\nDate: Tue, 02 Mar 2021 23:30:00 +0000\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + "".join(f"Line {n} of a long letter.\r\n" for n in range(200)) + "The end.\r\n").encode()


def tiny_pdf() -> bytes:
    """One page with a red square (no fonts), with a correct xref table."""
    stream = b"1 0 0 rg 50 50 100 100 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


HOSTILE = (
    b"From: Pat <pat@example.org>\r\nSubject: Files for you\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the files.\r\n'
    b'--b\r\nContent-Type: image/svg+xml\r\nContent-Disposition: attachment; filename="logo.svg"\r\n\r\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" onload="top.document.title=\'pwned\'">'
    b"<script>top.document.title='pwned'; parent.pwned = 1;</script><rect width=\"40\" height=\"40\" fill=\"red\"/></svg>\r\n"
    b'--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename="notes.txt"\r\n\r\n'
    b"<script>top.document.title='pwned'</script>Plain notes.\r\n"
    b'--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="square.pdf"\r\n\r\n'
    + base64.encodebytes(tiny_pdf()) + b"--b--\r\n"
)


def frame_height(browser) -> int:
    return browser.execute_script("return document.querySelector('iframe.message-body').getBoundingClientRect().height")


def test_the_body_frame_is_as_tall_as_its_text_and_the_page_scrolls(app_server, browser, sign_in_as):
    person = new_mail_user("tall")
    with imap_direct(person) as imap:
        imap.append("INBOX", LONG)
    sign_in_as(person)
    browser.find_element(By.LINK_TEXT, "A long letter").click()
    wait = WebDriverWait(browser, 30)
    wait.until(EC.url_contains("/mail/INBOX/1/"))  # the message page itself (1280 px: no reading pane)
    wait.until(lambda b: frame_height(b) > 3000)  # 200 lines, not a box of 60vh
    assert browser.execute_script("return document.documentElement.scrollHeight") > frame_height(browser)
    wait.until(EC.frame_to_be_available_and_switch_to_it((By.CSS_SELECTOR, "iframe.message-body")))
    inner = browser.execute_script("return [document.documentElement.scrollHeight, window.innerHeight]")
    assert inner[0] <= inner[1], "nothing left to scroll inside the frame"
    assert "The end." in browser.find_element(By.TAG_NAME, "body").text


def test_the_reading_pane_opens_a_message_beside_the_list(app_server, browser, sign_in_as):
    person = new_mail_user("pane")
    with imap_direct(person) as imap:
        imap.append("INBOX", LONG)
    browser.set_window_size(1600, 900)
    sign_in_as(person)
    wait = WebDriverWait(browser, 30)
    wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "[data-reading-pane]").is_displayed())
    browser.find_element(By.LINK_TEXT, "A long letter").click()
    wait.until(EC.frame_to_be_available_and_switch_to_it((By.CSS_SELECTOR, "[data-pane-frame]")))
    wait.until(EC.text_to_be_present_in_element((By.ID, "message-subject"), "A long letter"))
    assert browser.find_elements(By.CSS_SELECTOR, ".topbar") == []  # the message alone, no app around it
    browser.switch_to.default_content()
    assert browser.current_url == f"{app_server}/mail/INBOX/"  # still the list
    assert browser.find_element(By.CSS_SELECTOR, "tr.message.open .col-subject a").text == "A long letter"


def test_print_view_and_sandboxed_previews(app_server, browser, sign_in_as):
    person = new_mail_user("printer")
    with imap_direct(person) as imap:
        imap.append("INBOX", HOSTILE)
    sign_in_as(person)
    wait = WebDriverWait(browser, 30)
    browser.find_element(By.LINK_TEXT, "Files for you").click()
    wait.until(EC.url_contains("/mail/INBOX/1/"))
    title = browser.title
    for name in ("logo.svg", "notes.txt"):
        browser.find_element(By.XPATH, f'//a[@data-preview][span[contains(., "{name}")]]').click()
        wait.until(lambda b, name=name: b.find_element(By.CSS_SELECTOR, "[data-preview-title]").text == name)
    preview = browser.find_element(By.CSS_SELECTOR, "[data-preview-area] iframe")
    assert preview.get_attribute("sandbox") == ""
    wait.until(EC.frame_to_be_available_and_switch_to_it(preview))
    wait.until(lambda b: "Plain notes." in b.find_element(By.TAG_NAME, "body").text)  # shown as text
    assert "<script>" in browser.find_element(By.TAG_NAME, "body").text
    browser.switch_to.default_content()
    browser.find_element(By.XPATH, '//a[@data-preview][span[contains(., "logo.svg")]]').click()
    image = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-preview-area] img")))
    wait.until(lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) == 40)
    assert browser.title == title and browser.execute_script("return window.pwned") is None

    # The PDF: drawn by our pdf.js in a frame that may run scripts but is not our origin.
    browser.find_element(By.XPATH, '//a[@data-preview][span[contains(., "square.pdf")]]').click()
    pdf = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-preview-area] iframe.preview-pdf")))
    assert pdf.get_attribute("sandbox") == "allow-scripts"
    wait.until(EC.frame_to_be_available_and_switch_to_it(pdf))
    wait.until(lambda b: b.execute_script("return document.body && document.body.dataset.rendered") == "1")  # pdf.js parses first
    red = browser.execute_script(
        "const c = document.querySelector('canvas'); const d = c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data;"
        "return [d[0], d[1], d[2], window.origin];"
    )
    assert red == [255, 0, 0, "null"]  # the square, drawn in an opaque origin
    browser.switch_to.default_content()

    browser.get(f"{app_server}/mail/INBOX/1/print/")
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-print]")))  # print.js ran, under the sandbox CSP
    assert browser.find_elements(By.CSS_SELECTOR, ".topbar, #folders, .toolbar") == []
    assert "Files for you" in browser.find_element(By.CSS_SELECTOR, ".print-subject").text
    assert "See the files." in browser.find_element(By.CSS_SELECTOR, ".print-body").text


def test_theme_and_time_zone_apply_on_the_next_page_with_the_quota_meter(app_server, browser, sign_in_as):
    person = new_mail_user("looks", quota="500K")
    with imap_direct(person) as imap:
        imap.append("INBOX", LONG)
        _roots, quotas = imap.get_quota_root("INBOX")
    used_kib = next(q.usage for q in quotas if q.resource.upper() == "STORAGE")
    sign_in_as(person)
    wait = WebDriverWait(browser, 30)
    meter = browser.find_element(By.CSS_SELECTOR, "#folders meter#quota-meter")
    assert (meter.get_attribute("value"), meter.get_attribute("max")) == (str(used_kib * 1024), str(500 * 1024))
    assert browser.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"

    browser.get(f"{app_server}/accounts/settings/")
    browser.find_element(By.CSS_SELECTOR, "input[name=theme][value=dark]").click()
    Select(browser.find_element(By.NAME, "time_zone")).select_by_value("Asia/Tokyo")
    browser.find_element(By.CSS_SELECTOR, ".appearance-form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash")))
    browser.get(f"{app_server}/mail/INBOX/1/")
    assert browser.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(20, 23, 28)"
    shown = browser.find_element(By.CSS_SELECTOR, ".hdr-date time")
    assert shown.get_attribute("datetime") == "2021-03-03T08:30:00+09:00" and "8:30" in shown.text
