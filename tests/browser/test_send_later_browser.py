"""Undo send in Chromium: send, press Undo on the "Sending…" page (it has the focus, so the
keyboard reaches it at once), and the editor is back with the text; nothing was delivered."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import UserSettings
from mailview.models import Compose
from tests.support import imap_direct, new_mail_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_send_then_undo_brings_the_editor_back_with_the_text(app_server, celery_worker, browser, sign_in_as):
    person, friend = new_mail_user("undoer"), new_mail_user("friend")
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    user = get_user_model().objects.get(username=person.email)
    UserSettings.objects.update_or_create(user=user, defaults={"undo_send_seconds": 30})

    browser.get(f"{app_server}/mail/compose/")
    wait.until(EC.element_to_be_clickable((By.ID, "compose-to"))).send_keys(friend.email)
    browser.find_element(By.ID, "compose-subject").send_keys("Second thoughts")
    body = browser.find_element(By.ID, "compose-body")
    body.send_keys("I should not send this yet.")
    body.send_keys(Keys.CONTROL, Keys.ENTER)  # Ctrl+Enter sends

    wait.until(EC.url_contains("/status/"))
    undo = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "[data-undo-button]")))
    assert undo.text == "Undo"
    assert browser.switch_to.active_element == undo, "Undo has the focus: Enter undoes"
    compose = Compose.objects.get(user=user)
    assert compose.state == "queued" and compose.send_at is not None
    # The countdown moves while the page waits (worded by the server each poll).
    line = browser.find_element(By.CSS_SELECTOR, ".status-message")
    first = line.text
    assert first.startswith("Sending in ")
    wait.until(lambda _driver: line.text != first and line.text.startswith("Sending in "))
    assert browser.switch_to.active_element == undo, "the focus stays on Undo"
    browser.switch_to.active_element.send_keys(Keys.ENTER)

    wait.until(EC.url_matches(r"/mail/compose/[0-9a-f-]+/$"))
    body = wait.until(EC.presence_of_element_located((By.ID, "compose-body")))
    assert "I should not send this yet." in body.get_attribute("value")
    assert browser.find_element(By.ID, "compose-to").get_attribute("value") == friend.email
    assert browser.find_element(By.ID, "compose-subject").get_attribute("value") == "Second thoughts"
    compose.refresh_from_db()
    assert compose.state == "draft"

    # Undone within its delay (the integration tests check that it stays undelivered after it).
    with imap_direct(friend) as imap:
        imap.select_folder("INBOX", readonly=True)
        assert imap.search(["ALL"]) == []
    csp_violations = [e for e in browser.get_log("browser") if "Content Security Policy" in e.get("message", "")]
    assert csp_violations == []


def test_send_later_tomorrow_then_edit_it_from_the_scheduled_list(app_server, browser, sign_in_as):
    person, friend = new_mail_user("planner"), new_mail_user("friend")
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    # A browser far from the server's zone (UTC): "tomorrow 8:00" is its 8:00.
    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Tokyo"})
    browser.get(f"{app_server}/mail/compose/")
    wait.until(EC.element_to_be_clickable((By.ID, "compose-to"))).send_keys(friend.email)
    browser.find_element(By.ID, "compose-subject").send_keys("Good morning")
    browser.find_element(By.ID, "compose-body").send_keys("Sent at eight.")
    browser.find_element(By.CSS_SELECTOR, ".send-later summary").click()
    assert browser.find_element(By.CSS_SELECTOR, "input[name=send_later][value=tomorrow]").is_selected()
    browser.find_element(By.CSS_SELECTOR, "[data-schedule-button]").click()

    wait.until(EC.url_contains("/status/"))
    assert "Scheduled" in browser.find_element(By.ID, "status-title").text
    user = get_user_model().objects.get(username=person.email)
    compose = Compose.objects.get(user=user)
    assert compose.state == "queued" and compose.send_later
    # 8:00 tomorrow in the browser's zone (the page sent its offset), stored in UTC.
    offset = browser.execute_script("return new Date().getTimezoneOffset();")
    assert offset == -540
    from datetime import timedelta

    local = compose.send_at - timedelta(minutes=offset)
    assert (local.hour, local.minute) == (8, 0)

    browser.get(f"{app_server}/mail/scheduled/")
    item = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"[data-compose='{compose.pk}']")))
    assert "Good morning" in item.text
    shown = item.find_element(By.CSS_SELECTOR, "time[data-local-time]").text
    assert "08:00" in shown and "23:00" not in shown, f"8:00 in the browser's zone, not the server's 23:00 UTC: {shown}"
    item.find_element(By.XPATH, ".//button[starts-with(normalize-space(.), 'Edit')]").click()
    wait.until(EC.url_matches(r"/mail/compose/[0-9a-f-]+/$"))
    assert "Sent at eight." in wait.until(EC.presence_of_element_located((By.ID, "compose-body"))).get_attribute("value")
    compose.refresh_from_db()
    assert compose.state == "draft"
