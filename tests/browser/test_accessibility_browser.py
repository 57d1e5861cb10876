"""The main pages stay usable with a keyboard and a screen reader: axe-core (vendored, 4.14.1,
tests/browser/vendor/) finds no serious or critical violation on them, in light and in dark."""
from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import append_message, imap_direct, new_mail_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()

# Known exceptions, (rule id, page path): each names a violation not fixed yet.
KNOWN: set[tuple[str, str]] = set()


def serious_violations(browser, path: str) -> list[str]:
    """axe's serious/critical violations on the loaded page, one line per rule and node."""
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    browser.execute_script(AXE)
    browser.set_script_timeout(60)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
    )
    assert isinstance(result, list), result
    found = []
    for violation in result:
        if violation["impact"] not in ("serious", "critical") or (violation["id"], path) in KNOWN:
            continue
        for node in violation["nodes"]:
            found.append(f"{path} {violation['id']} ({violation['impact']}) {node['target']}: {violation['help']} | {node.get('failureSummary', '')}")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_main_pages_have_no_serious_accessibility_violations(app_server, browser, sign_in_as, scheme):
    person = new_mail_user("axe")
    with imap_direct(person) as imap:
        for subject in ("Lunch on Friday", "Quarterly report", "Hello again"):
            append_message(imap, "INBOX", subject=subject)
        imap.select_folder("INBOX")
        uid = max(imap.search("ALL"))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.get(f"{app_server}/accounts/login/")
    found = serious_violations(browser, "/accounts/login/")
    sign_in_as(person)
    for path in (
        "/mail/INBOX/", f"/mail/INBOX/{uid}/", "/mail/compose/", "/settings/", "/contacts/", "/contacts/new/",
        "/settings/filters/", "/settings/filters/new/", "/mail/search/?q=report", "/folders/", "/accounts/identities/",
    ):
        browser.get(f"{app_server}{path}")
        found += serious_violations(browser, path)
    browser.set_window_size(1600, 900)  # wide enough for the reading pane beside the list
    browser.get(f"{app_server}/mail/INBOX/")
    found += serious_violations(browser, "/mail/INBOX/ (reading pane)")
    browser.find_element(By.CSS_SELECTOR, ".logout-form button").click()
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash")))  # "You have signed out."
    found += serious_violations(browser, "/accounts/login/ (signed out)")
    assert not found, "\n".join(found)
