"""Filters in Chromium: a rule made in the form (with the keyboard) files new mail delivered
through Postfix into the folder it names; the filter and vacation pages fit a phone."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.support import new_mail_user, wait_until
from tests.test_filters import send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = """
const width = document.documentElement.clientWidth;
return {scroll: document.documentElement.scrollWidth, width,
        culprits: Array.from(document.querySelectorAll("body *"))
          .filter((e) => e.getBoundingClientRect().right > width + 1)
          .slice(0, 5).map((e) => `${e.tagName}.${e.className}`)};
"""


def test_a_rule_made_in_the_form_files_delivered_mail(app_server, browser, sign_in_as):
    person = new_mail_user("filterui")
    sign_in_as(person)
    browser.get(f"{app_server}/settings/filters/")
    browser.find_element(By.LINK_TEXT, "Add a filter").click()
    WebDriverWait(browser, 20).until(EC.url_contains("/settings/filters/new/"))
    browser.find_element(By.NAME, "name").send_keys("Reports")
    Select(browser.find_element(By.NAME, "cond-0-field")).select_by_value("subject")
    Select(browser.find_element(By.NAME, "cond-0-op")).select_by_value("contains")
    Select(browser.find_element(By.NAME, "move_to")).select_by_value("Archive")
    browser.find_element(By.NAME, "mark_read").send_keys(Keys.SPACE)
    value = browser.find_element(By.NAME, "cond-0-value")
    value.send_keys("Weekly report")
    value.send_keys(Keys.ENTER)  # the keyboard submits the form
    WebDriverWait(browser, 20).until(EC.url_to_be(f"{app_server}/settings/filters/"))
    assert "Reports" in browser.find_element(By.CSS_SELECTOR, ".filter-list").text
    assert not browser.find_elements(By.CSS_SELECTOR, "script:not([src]):not([type='application/json'])")

    send(person.email, "Weekly report 49")
    send(person.email, "Lunch?")

    def in_archive() -> bool:
        browser.get(f"{app_server}/mail/Archive/")
        return "Weekly report 49" in browser.find_element(By.TAG_NAME, "main").text

    wait_until(in_archive, timeout=40, interval=0.5, message="the filtered mail in Archive")
    browser.get(f"{app_server}/mail/INBOX/")
    inbox = browser.find_element(By.TAG_NAME, "main").text
    assert "Lunch?" in inbox and "Weekly report 49" not in inbox


@pytest.mark.parametrize("language", ["en", "de"])
def test_filter_and_vacation_pages_fit_a_phone(app_server, browser, sign_in_as, language):
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"Accept-Language": language}})
    person = new_mail_user("filterphone")
    browser.set_window_size(320, 800)
    sign_in_as(person)
    pages = {}
    for path in ("/settings/filters/", "/settings/filters/new/", "/settings/vacation/"):
        browser.get(app_server + path)
        pages[path] = browser.execute_script(OVERFLOW)
    wide = {name: r for name, r in pages.items() if r["scroll"] > r["width"]}
    assert wide == {}, wide
