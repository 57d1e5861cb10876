"""Browser tests: the app as deployed (gunicorn) and headless Debian Chromium via Selenium."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support import REPO, TEST_VAR, dies_with_this_process, wait_until

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
BROWSER_THREADS_INLINE_LIMIT = 100  # the app server's WEBMAIL_THREADS_INLINE_LIMIT


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def app_server(django_db_setup, django_db_blocker, event_server):
    """gunicorn serving the test database (a file, so both processes see it); its pages listen
    to the event server (tests/conftest.py `event_server`) on its own port, as in the demo."""
    port = int(os.environ.get("WEBMAIL_TEST_HTTP_PORT", "21080"))
    assert not _port_open(port), f"port {port} is taken; set WEBMAIL_TEST_HTTP_PORT"
    from django.conf import settings

    db_name = settings.DATABASES["default"]["NAME"]
    env = {
        **os.environ, "DATABASE_URL": f"sqlite:///{db_name}", "DJANGO_DEBUG": "0", "WEBMAIL_LIST_POLL_SECONDS": "1",
        "WEBMAIL_EVENTS_URL": event_server.url,
        # Conversations of a folder above this are built by the worker (test_conversation_build_browser.py);
        # the other tests' folders are far smaller.
        "WEBMAIL_THREADS_INLINE_LIMIT": str(BROWSER_THREADS_INLINE_LIMIT),
    }
    # scripts/test.sh collected the static files before pytest started.
    log = open(TEST_VAR / "test-gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "webmail.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2",
         "--control-socket", str(TEST_VAR / f"test-gunicorn-{port}.ctl"),
         "--access-logfile", str(TEST_VAR / f"test-gunicorn-access-{port}.log")],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=dies_with_this_process(),
    )
    try:
        wait_until(lambda: _port_open(port) or process.poll() is not None, timeout=30, message="gunicorn to listen")
        assert process.poll() is None, (TEST_VAR / "test-gunicorn.log").read_text()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="webmail-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        f"--user-data-dir={profile}", "--window-size=1280,900",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def sign_in_as(app_server, browser):
    """Sign a mail user in through the form, as a person does; waits for the inbox."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    def sign_in(person, *, start: str = "/accounts/login/") -> None:
        browser.get(f"{app_server}{start}")
        WebDriverWait(browser, 20).until(EC.url_contains("/accounts/login/"))
        browser.find_element(By.NAME, "email").send_keys(person.email)
        browser.find_element(By.NAME, "password").send_keys(person.password)
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 20).until(EC.url_to_be(f"{app_server}/mail/INBOX/"))

    return sign_in
