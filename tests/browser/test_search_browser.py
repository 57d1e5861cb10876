"""A person types a query with an operator, sees results from two folders with their
folder names, archives one of them, and sees it gone (on the page and on the server)."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import append_message, imap_direct, new_mail_user, server_subjects, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_two_folders_and_archive_one_result(app_server, browser, celery_worker, sign_in_as):
    person = new_mail_user("seeker")
    with imap_direct(person) as imap:
        imap.create_folder("Projects")
        imap.subscribe_folder("Projects")
        append_message(imap, "INBOX", subject="Budget for spring", sender="Anna <anna@example.org>")
        append_message(imap, "Projects", subject="Budget for autumn", sender="Anna <anna@example.org>")
        append_message(imap, "INBOX", subject="Budget from someone else", sender="Bob <bob@example.org>")
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)

    box = browser.find_element(By.ID, "search-q")
    box.send_keys("from:anna budget", Keys.ENTER)  # "All folders" is the box's default scope
    wait.until(lambda d: "/mail/search/" in d.current_url and len(d.find_elements(By.CSS_SELECTOR, "tr.message")) == 2)
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.message")
    assert sorted(r.find_element(By.CSS_SELECTOR, ".col-folder").text for r in rows) == ["Inbox", "Projects"]
    chips = [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".query-chips .chip-text")]
    assert chips == ["from:anna", "budget"]

    autumn = next(r for r in rows if "autumn" in r.find_element(By.CSS_SELECTOR, ".col-subject").text)
    autumn.find_element(By.CSS_SELECTOR, "input[name=ref]").click()
    browser.find_element(By.CSS_SELECTOR, "button[value=archive]").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.message:not([hidden])")) == 1)
    wait_until(lambda: server_subjects(person, "Archive") == ["Budget for autumn"], timeout=30, message="the archive on the server")
    assert server_subjects(person, "Projects") == []

    # Searched again, it is found in Archive now (all folders but Trash and Junk).
    browser.refresh()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.message")) == 2)
    folders = sorted(r.find_element(By.CSS_SELECTOR, ".col-folder").text for r in browser.find_elements(By.CSS_SELECTOR, "tr.message"))
    assert folders == ["Archive", "Inbox"]


def test_search_select_all_results_and_archive_them(app_server, browser, celery_worker, sign_in_as):
    """More matches than a page, in two folders: "select all N results", archive, and the
    results are gone from the page and from both folders on the server."""
    from django.contrib.auth import get_user_model

    from accounts.services import user_settings

    person = new_mail_user("sweeper")
    with imap_direct(person) as imap:
        imap.create_folder("Projects")
        imap.subscribe_folder("Projects")
        for i in range(7):
            append_message(imap, "INBOX", subject=f"Report {i}", sender="Robot <robot@example.org>")
        for i in range(5):
            append_message(imap, "Projects", subject=f"Report p{i}", sender="Robot <robot@example.org>")
        append_message(imap, "INBOX", subject="Personal note", sender="Anna <anna@example.org>")
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)
    prefs = user_settings(user=get_user_model().objects.get(username=person.email))
    prefs.messages_per_page = 10
    prefs.save()

    browser.find_element(By.ID, "search-q").send_keys("from:robot", Keys.ENTER)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.message")) == 10)
    browser.find_element(By.CSS_SELECTOR, "input[data-select-all]").click()
    browser.find_element(By.CSS_SELECTOR, "button[value=archive]").click()
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "tr.message:not([hidden])"))
    wait_until(lambda: len(server_subjects(person, "Archive")) == 12, timeout=30, message="all twelve archived on the server")
    assert server_subjects(person, "Projects") == [] and server_subjects(person, "INBOX") == ["Personal note"]
    browser.refresh()
    wait.until(lambda d: "in:archive" not in d.current_url and d.find_elements(By.CSS_SELECTOR, "tr.message"))
    assert {r.find_element(By.CSS_SELECTOR, ".col-folder").text for r in browser.find_elements(By.CSS_SELECTOR, "tr.message")} == {"Archive"}
