"""On a phone (320 px, the narrowest common width) no page scrolls sideways, in English or
in German (longer words), with a long subject in the list."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import mail_user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Elements sticking out of the page, if any (what makes it scroll sideways).
OVERFLOW = """
const width = document.documentElement.clientWidth;
return {scroll: document.documentElement.scrollWidth, width,
        culprits: Array.from(document.querySelectorAll("body *"))
          .filter((e) => e.getBoundingClientRect().right > width + 1)
          .slice(0, 5).map((e) => `${e.tagName}.${e.className}`)};
"""


@pytest.mark.parametrize("language", ["en", "de"])
def test_no_page_scrolls_sideways_on_a_phone(app_server, browser, sign_in_as, language):
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"Accept-Language": language}})
    person = mail_user_with("phone", ["Quartalsplanung und Budgetabstimmung für das nächste Geschäftsjahr 2027"])
    browser.set_window_size(320, 800)
    sign_in_as(person)
    pages = {"list": browser.execute_script(OVERFLOW)}
    browser.find_element(By.CSS_SELECTOR, "tr.message .col-subject a").click()
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.ID, "message-form")))
    pages["message"] = browser.execute_script(OVERFLOW)
    pages_to_check = (
        ("compose", "/mail/compose/"), ("settings", "/accounts/settings/"), ("settings area", "/settings/"), ("folders", "/folders/"),
        ("search", "/mail/search/?q=Quartalsplanung+-is%3Aflagged"), ("labels", "/labels/"),
    )
    for name, path in pages_to_check:
        browser.get(app_server + path)
        pages[name] = browser.execute_script(OVERFLOW)
    wide = {name: r for name, r in pages.items() if r["scroll"] > r["width"]}
    assert wide == {}, wide
