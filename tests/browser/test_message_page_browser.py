"""A person reads a message, steps to the next one with the keyboard, archives it from
there, goes on to the next message (back to the list after the last one) and undoes it from
the toast."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import imap_direct, mail_user_with, server_subjects, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_read_step_archive_and_undo_from_the_message_page(app_server, browser, celery_worker, sign_in_as):
    person = mail_user_with("reader", [f"Letter {n}" for n in range(3)])
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)

    listed = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "tr.message .col-subject a")]
    assert sorted(listed) == ["Letter 0", "Letter 1", "Letter 2"]
    browser.find_element(By.LINK_TEXT, listed[0]).click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "message-subject"), listed[0]))
    browser.find_element(By.TAG_NAME, "body").send_keys("j")  # the next row of the list
    wait.until(EC.text_to_be_present_in_element((By.ID, "message-subject"), listed[1]))

    browser.find_element(By.TAG_NAME, "body").send_keys("e")
    # On to the next message of the list, which offers the undo.
    wait.until(EC.text_to_be_present_in_element((By.ID, "message-subject"), listed[2]))
    undo = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#toast [data-undo]")))
    assert "Archived" in browser.find_element(By.CSS_SELECTOR, "#toast .toast-text").text
    assert server_subjects(person, "Archive") == [listed[1]]  # done before the page went on

    undo.click()  # back in the inbox, and open again
    wait.until(EC.text_to_be_present_in_element((By.ID, "message-subject"), listed[1]))
    wait_until(lambda: server_subjects(person, "INBOX") == ["Letter 0", "Letter 1", "Letter 2"], timeout=30, message="the undo on the server")
    assert server_subjects(person, "Archive") == []
    browser.find_element(By.TAG_NAME, "body").send_keys("u")
    wait.until(lambda d: sorted(a.text for a in d.find_elements(By.CSS_SELECTOR, "tr.message .col-subject a")) == sorted(listed))


def test_flag_from_the_message_page_and_the_help(app_server, browser, celery_worker, sign_in_as):
    person = mail_user_with("flagger", ["Keep this"])
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    browser.find_element(By.LINK_TEXT, "Keep this").click()
    star = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".message-subject .star")))
    assert not star.is_displayed()
    browser.find_element(By.TAG_NAME, "body").send_keys("s")
    wait.until(EC.visibility_of(star))

    def flagged() -> bool:
        with imap_direct(person) as imap:
            imap.select_folder("INBOX", readonly=True)
            return bool(imap.search(["FLAGGED"]))

    wait_until(flagged, timeout=30, message="the flag on the server")
    assert browser.find_element(By.CSS_SELECTOR, "[data-flag]").get_attribute("aria-pressed") == "true"
    browser.find_element(By.TAG_NAME, "body").send_keys("?")
    help_box = browser.find_element(By.ID, "help")
    assert help_box.is_displayed() and "Back to the list" in help_box.text


def test_deleting_the_last_message_can_still_be_undone(app_server, browser, celery_worker, sign_in_as):
    person = mail_user_with("last", ["The only one"])
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    browser.find_element(By.LINK_TEXT, "The only one").click()
    wait.until(EC.presence_of_element_located((By.ID, "message-form")))
    browser.find_element(By.TAG_NAME, "body").send_keys("#")
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main"), "This folder is empty."))
    undo = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#toast [data-undo]")))
    wait.until(lambda d: "Moved to Trash" in d.find_element(By.CSS_SELECTOR, "#toast .toast-text").text)
    wait_until(lambda: server_subjects(person, "Trash") == ["The only one"], timeout=30, message="the delete on the server")
    undo.click()
    wait_until(lambda: server_subjects(person, "INBOX") == ["The only one"], timeout=30, message="the undo on the server")
    # The page shows it again: the list's row, or the message itself reopened under its new UID.
    shown = (By.XPATH, "//a[normalize-space()='The only one'] | //*[@id='message-subject'][contains(., 'The only one')]")
    wait.until(EC.presence_of_element_located(shown))
    assert server_subjects(person, "Trash") == []


def test_the_keyboard_carries_on_where_the_reading_left_off(app_server, browser, sign_in_as):
    person = mail_user_with("keys", [f"Item {n}" for n in range(4)])
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    listed = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "tr.message .col-subject a")]
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    body.send_keys("j")
    body.send_keys("\ue007")  # Enter opens the message under the cursor
    wait.until(EC.text_to_be_present_in_element((By.ID, "message-subject"), listed[2]))
    browser.find_element(By.TAG_NAME, "body").send_keys("u")  # back to the list
    wait.until(EC.presence_of_element_located((By.ID, "list-form")))
    cursor = lambda d: d.find_element(By.CSS_SELECTOR, "tr.message.cursor .col-subject a").text  # noqa: E731
    wait.until(lambda d: cursor(d) == listed[2])
    browser.find_element(By.TAG_NAME, "body").send_keys("j")
    assert cursor(browser) == listed[3]
