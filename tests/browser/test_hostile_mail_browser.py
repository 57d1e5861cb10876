"""A hostile message opened in Chromium runs no script and makes no request off the app's
origin, until "Show images", which loads its images and still runs no script."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from mailview.templatetags.mail_styles import BODY_HEIGHT_SCRIPT
from tests.support import imap_direct, new_mail_user, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5e4e2a60000000049454e44ae426082"
)


class Beacon:
    """A loopback server standing in for the sender's tracker: it records every path asked for."""

    def __init__(self) -> None:
        paths = self.paths = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(PNG_1PX)

            def log_message(self, *args):  # silence
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def hostile_message(origin: str) -> bytes:
    html = f"""<html><head>
<meta http-equiv="refresh" content="0;url={origin}/refresh-ran">
<link rel="stylesheet" href="{origin}/link-css-ran.css">
<style>@import url({origin}/import-ran.css); body {{ background: url({origin}/style-bg-image.png) }}</style>
<base href="{origin}/base/">
</head><body onload="fetch('{origin}/onload-ran')">
<p id="marker">Totally normal newsletter text</p>
<script>fetch('{origin}/script-ran'); top.location = '{origin}/top-ran';</script>
<img src="{origin}/remote-image.png" alt="tracker">
<img src="x" onerror="fetch('{origin}/onerror-ran')">
<div style="background-image:url({origin}/inline-bg-image.png)">styled</div>
<svg><animate onbegin="fetch('{origin}/svg-ran')" attributeName="x" dur="1s"/><image href="{origin}/svg-image-ran.png"/></svg>
<a id="jslink" href="javascript:fetch('{origin}/jslink-ran')">click me</a>
<iframe src="{origin}/iframe-ran"></iframe>
<object data="{origin}/object-ran"></object>
<form action="{origin}/form-ran"><input name="q" value="x"><button>go</button></form>
<video poster="{origin}/poster-ran.png"></video>
<table background="{origin}/table-bg-image.png"><tr><td>cell</td></tr></table>
</body></html>"""
    return (
        "From: Mallory <mallory@evil.example>\r\nTo: victim@example.test\r\nSubject: Hostile newsletter\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html.replace("\n", "\r\n")
    ).encode()


def requested_urls(browser) -> list[str]:
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_hostile_html_runs_no_script_and_loads_nothing_remote_until_asked(app_server, browser, sign_in_as, event_server):
    beacon = Beacon()
    try:
        person = new_mail_user("victim")
        with imap_direct(person) as imap:
            imap.append("INBOX", hostile_message(beacon.origin))
        wait = WebDriverWait(browser, 20)
        sign_in_as(person)
        browser.find_element(By.LINK_TEXT, "Hostile newsletter").click()
        wait.until(EC.url_contains("/mail/INBOX/1/"))
        assert "Remote content blocked" in browser.find_element(By.CSS_SELECTOR, ".remote-bar").text

        wait.until(EC.frame_to_be_available_and_switch_to_it((By.CSS_SELECTOR, "iframe.message-body")))
        wait.until(EC.presence_of_element_located((By.TAG_NAME, "p")))
        assert "Totally normal newsletter text" in browser.find_element(By.TAG_NAME, "body").text
        # No script of the mail's; the one script is the frame's height reporter (allowed by its hash).
        scripts = browser.find_elements(By.TAG_NAME, "script")
        assert [s.get_attribute("textContent") for s in scripts] == [BODY_HEIGHT_SCRIPT]
        assert browser.find_elements(By.TAG_NAME, "iframe") == []
        browser.switch_to.default_content()

        urls = requested_urls(browser)
        assert urls, "the network log works"
        # chrome:// URLs are the browser's own start page; every web request must stay on the app.
        web = [u for u in urls if u.split(":", 1)[0] in ("http", "https", "ws", "wss")]
        assert any(u.startswith(f"{app_server}/mail/INBOX/1/body/") for u in web)
        # The app's own event stream (another port in the tests, as in the demo) is the app too.
        off_origin = [u for u in web if not u.startswith(app_server + "/") and not u.startswith(event_server.url)]
        assert off_origin == []
        assert beacon.paths == []
        assert browser.current_url.startswith(f"{app_server}/mail/INBOX/1/")  # no top navigation

        browser.find_element(By.LINK_TEXT, "Show images").click()
        wait_until(lambda: "/remote-image.png" in beacon.paths, timeout=20, message="the remote image to load after 'Show images'")
        wait.until(EC.frame_to_be_available_and_switch_to_it((By.CSS_SELECTOR, "iframe.message-body")))
        assert "Totally normal newsletter text" in browser.find_element(By.TAG_NAME, "body").text
        browser.switch_to.default_content()
        ran = [p for p in beacon.paths if "ran" in p]
        assert ran == [], f"hostile requests reached the tracker: {ran}"
        assert browser.current_url.startswith(f"{app_server}/mail/INBOX/1/")
        console = [e["message"] for e in browser.get_log("browser") if "Blocked script execution" not in e["message"]]
        assert not any("ran" in line for line in console)
    finally:
        beacon.close()


BROWSER_CASES = ["attr-huge-title", "attr-many", "parts-many-attachments", "parts-many-texts", "nesting-multipart",
                 "b64-att-truncated-one", "b64-att-illegal-chars", "line-huge-html", "header-many-recipients"]


def test_hostile_sizes_and_encodings_open_and_download_through_gunicorn(app_server, browser, sign_in_as):
    """The hostile-mail corpus's pages in Chromium through gunicorn: each page and its body
    frame finish loading, say what was cut, and every part it links downloads (200)."""
    from tests.test_hostile_mail import CASES

    person = new_mail_user("corpus")
    with imap_direct(person) as imap:
        for case in BROWSER_CASES:
            imap.append("INBOX", CASES[case].raw)
    sign_in_as(person)
    wait = WebDriverWait(browser, 30)
    for uid, case in enumerate(BROWSER_CASES, 1):
        browser.get(f"{app_server}/mail/INBOX/{uid}/")
        wait.until(lambda b: b.execute_script("return document.readyState") == "complete")
        page_text = browser.find_element(By.TAG_NAME, "body").text
        for note in CASES[case].notes:
            assert note in page_text, (case, note)
        wait.until(EC.frame_to_be_available_and_switch_to_it((By.CSS_SELECTOR, "iframe.message-body")))
        wait.until(lambda b: b.execute_script("return document.readyState") == "complete")
        body_text = browser.find_element(By.TAG_NAME, "body").text
        for text in CASES[case].body_has:
            assert text in body_text, (case, text)
        browser.switch_to.default_content()
        links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".attachments a[download]")]
        statuses = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "Promise.all(arguments[0].map(u => fetch(u).then(r => r.arrayBuffer().then(() => r.status), () => 0))).then(done);",
            links[:10] + links[-5:],
        )
        assert len(statuses) == len(links[:10] + links[-5:])
        assert all(status == 200 for status in statuses), (case, statuses)
        if CASES[case].downloads or "parts-many" in case:
            assert links, case
