"""A person selects three messages, archives them, undoes it, and flags one with the keyboard."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import append_message, imap_direct, mail_user_with, new_mail_user, server_subjects, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def folder_count(user, folder: str) -> int:
    with imap_direct(user) as imap:
        return imap.folder_status(folder, ["MESSAGES"])[b"MESSAGES"]


def unread_badges(browser, folder: str) -> list[str]:
    """The unread count(s) the folder list shows beside `folder`."""
    return [e.text for e in browser.find_elements(By.XPATH, f'//*[@id="folders"]//a[@data-folder="{folder}"]/parent::li/*[contains(@class, "unread-count")]')]


def test_archive_three_undo_and_flag_with_the_keyboard(app_server, browser, celery_worker, sign_in_as):
    person = mail_user_with("clicker", [f"Note {n}" for n in range(5)])
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)

    rows = browser.find_elements(By.CSS_SELECTOR, "tr.message")
    assert len(rows) == 5
    for row in rows[:3]:
        row.find_element(By.CSS_SELECTOR, "input[name=uid]").click()
    browser.find_element(By.CSS_SELECTOR, "button[value=archive]").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.message:not([hidden])")) == 2)
    undo = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#toast [data-undo]")))
    wait_until(lambda: folder_count(person, "Archive") == 3, timeout=30, message="the archive on the server")
    assert folder_count(person, "INBOX") == 2
    # The folder list shows where they went: Archive, with three unread.
    assert browser.find_element(By.CSS_SELECTOR, '#folders a[data-folder="Archive"]').text == "Archive"
    wait.until(lambda d: unread_badges(d, "Archive") == ["3"])

    undo.click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.message:not([hidden])")) == 5)
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#toast .toast-text"), "Undone"))
    wait_until(lambda: folder_count(person, "INBOX") == 5, timeout=30, message="the undo on the server")
    assert folder_count(person, "Archive") == 0
    wait.until(lambda d: unread_badges(d, "Archive") == [] and unread_badges(d, "INBOX") == ["5"])

    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    cursor = browser.find_element(By.CSS_SELECTOR, "tr.message.cursor")
    subject = cursor.find_element(By.CSS_SELECTOR, ".col-subject a").text
    body.send_keys("s")
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "tr.message.cursor").get_attribute("class").find("flagged") >= 0)
    wait_until(lambda: server_subjects(person, "INBOX", "FLAGGED") == [subject], timeout=30, message="the flag on the server")

    body.send_keys("?")
    assert browser.find_element(By.ID, "help").is_displayed()


def test_dragging_a_row_onto_a_folder_moves_it(app_server, browser, celery_worker, sign_in_as):
    person = new_mail_user("dragger")
    with imap_direct(person) as imap:
        imap.create_folder("Projects")
        imap.subscribe_folder("Projects")
        for n in range(3):
            append_message(imap, "INBOX", subject=f"Drag {n}")
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    row = browser.find_elements(By.CSS_SELECTOR, "tr.message")[0]
    target = browser.find_element(By.CSS_SELECTOR, '#folders a[data-folder="Projects"]')
    # Selenium cannot drive HTML5 drag and drop; dispatch the events a real drag fires.
    browser.execute_script(
        """
        const [row, target] = arguments;
        const data = new DataTransfer();
        row.dispatchEvent(new DragEvent("dragstart", {bubbles: true, dataTransfer: data}));
        target.dispatchEvent(new DragEvent("dragover", {bubbles: true, cancelable: true, dataTransfer: data}));
        target.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: data}));
        """,
        row,
        target,
    )
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.message:not([hidden])")) == 2)
    wait_until(lambda: folder_count(person, "Projects") == 1, timeout=30, message="the move on the server")
    assert folder_count(person, "INBOX") == 2


def unread_on_server(user) -> list[str]:
    return server_subjects(user, "INBOX", "UNSEEN")


def test_mark_folder_read_asks_in_a_dialog_and_undo_restores_the_unread(app_server, browser, celery_worker, sign_in_as):
    person = mail_user_with("reader", [f"Read {n}" for n in range(4)])
    with imap_direct(person) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([1], [b"\\Seen"])  # already read: stays read after the undo
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.message.unread")) == 3

    browser.find_element(By.CSS_SELECTOR, "button[value=mark_folder_read]").click()
    dialog = wait.until(EC.alert_is_present())
    assert "Mark every message in this folder read?" in dialog.text
    dialog.dismiss()  # "Cancel": nothing happens
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.message.unread")) == 3
    assert unread_on_server(person) == ["Read 1", "Read 2", "Read 3"]

    browser.find_element(By.CSS_SELECTOR, "button[value=mark_folder_read]").click()
    wait.until(EC.alert_is_present()).accept()
    undo = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#toast [data-undo]")))
    assert browser.find_elements(By.CSS_SELECTOR, "tr.message.unread") == []
    wait_until(lambda: unread_on_server(person) == [], timeout=30, message="the folder read on the server")

    undo.click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#toast .toast-text"), "Undone"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.message.unread")) == 3
    wait_until(lambda: unread_on_server(person) == ["Read 1", "Read 2", "Read 3"], timeout=30, message="the undo on the server")
    assert browser.find_element(By.CSS_SELECTOR, ".folder-summary").text.startswith("4 ")  # the count is unchanged
