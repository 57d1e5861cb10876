"""The 404 page on a phone and in dark mode: readable, on the app's colours, no sideways scroll."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAYOUT = """
const width = document.documentElement.clientWidth;
const main = document.querySelector("main.error-page");
return {scroll: document.documentElement.scrollWidth, width,
        background: getComputedStyle(document.body).backgroundColor,
        color: getComputedStyle(main).color,
        mainRight: main.getBoundingClientRect().right};
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_404_page_fits_a_phone_in_light_and_dark(app_server, browser, scheme):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    browser.set_window_size(320, 700)
    browser.get(app_server + "/no-such-page/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Page not found"
    layout = browser.execute_script(LAYOUT)
    assert layout["scroll"] <= layout["width"] and layout["mainRight"] <= layout["width"] + 1, layout
    # The app's own colours for the scheme (app.css): white on light, near-black on dark.
    if scheme == "dark":
        assert layout["background"] == "rgb(20, 23, 28)" and layout["color"] == "rgb(228, 231, 236)", layout
    else:
        assert layout["background"] == "rgb(255, 255, 255)" and layout["color"] == "rgb(29, 35, 48)", layout
