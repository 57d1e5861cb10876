"""A person adds a contact in Chromium, then writes a message and the contact completes the
recipient; another imports a .vcf and watches the worker's progress. Their domain's server
profile names the CardDAV server (the test stack's Radicale), so this also checks the
per-profile setting."""
from __future__ import annotations

import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import ServerProfile
from tests.support import new_mail_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def contacts_profile(domain: str = "contacts.test") -> str:
    ServerProfile.objects.update_or_create(domain=domain, defaults=dict(
        imap_host=os.environ["WEBMAIL_IMAP_HOST"], imap_port=int(os.environ["WEBMAIL_IMAP_PORT"]), imap_security="starttls",
        smtp_host=os.environ["WEBMAIL_SMTP_HOST"], smtp_port=int(os.environ["WEBMAIL_SMTP_PORT"]), smtp_security="starttls",
        verify_tls=True, ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"],
        carddav_url=os.environ.get("MAILSTACK_RADICALE_URL", "http://127.0.0.1:31232/"),
    ))
    return domain


def test_a_contact_added_in_the_address_book_completes_in_compose(app_server, browser, sign_in_as):
    domain = contacts_profile()
    person = new_mail_user("addressbook", domain=domain)
    wait = WebDriverWait(browser, 30)
    sign_in_as(person)

    browser.find_element(By.CSS_SELECTOR, "a.contacts-link").click()
    wait.until(EC.url_to_be(f"{app_server}/contacts/"))
    browser.find_element(By.LINK_TEXT, "New contact").click()
    wait.until(EC.url_to_be(f"{app_server}/contacts/new/"))
    browser.find_element(By.ID, "id_full_name").send_keys("Katherine Johnson")
    browser.find_element(By.ID, "contact-email-1").send_keys("katherine@example.org")
    browser.find_element(By.ID, "id_groups").send_keys("Orbit team")
    browser.find_element(By.CSS_SELECTOR, ".contact-form button[type=submit]").click()
    wait.until(EC.url_contains("/contacts/card/"))
    assert "Katherine Johnson" in browser.find_element(By.CSS_SELECTOR, ".flash").text

    browser.get(f"{app_server}/mail/compose/")
    to = wait.until(EC.element_to_be_clickable((By.ID, "compose-to")))
    to.send_keys("kath")
    suggestion = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-autocomplete-list] li[aria-selected=true]")))
    assert "katherine@example.org" in suggestion.text
    to.send_keys(Keys.ENTER)
    assert to.get_attribute("value").startswith("Katherine Johnson <katherine@example.org>")
    # the group is offered too (after the comma the completion starts a new address)
    to.send_keys("orbit")
    group = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-autocomplete-list] li.suggestion-group")))
    assert "Orbit team" in group.text
    csp_violations = [e for e in browser.get_log("browser") if "Content Security Policy" in e.get("message", "")]
    assert csp_violations == []


def test_importing_a_vcf_shows_the_workers_progress_and_names_the_bad_card(app_server, browser, sign_in_as, celery_worker, tmp_path):
    person = new_mail_user("vcf-browser", domain=contacts_profile())
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b-{n}\r\nFN:Imported {n:03d}\r\nEMAIL:imp{n}@example.org\r\nEND:VCARD\r\n"
        for n in range(1, 121)
    )
    path = tmp_path / "contacts.vcf"
    path.write_text(cards + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Never Closed\r\n")
    wait = WebDriverWait(browser, 120)
    sign_in_as(person)
    browser.get(f"{app_server}/contacts/")
    browser.find_element(By.ID, "contacts-file").send_keys(str(path))
    browser.find_element(By.CSS_SELECTOR, ".contacts-import button[type=submit]").click()
    wait.until(EC.url_contains("/transfers/"))
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-count]"), "121 of 121 cards"))
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-summary]"), "Imported: 120 new, 0 updated."))
    # The last count is saved a moment before the import is recorded finished: Cancel goes then.
    wait.until(EC.invisibility_of_element_located((By.CSS_SELECTOR, "[data-cancel-form]")))
    failures = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "[data-failures] li")]
    assert failures == ["Card 121 (Never Closed): the file ends inside it (no END:VCARD)"]
    assert browser.find_element(By.CSS_SELECTOR, "[data-progress]").get_attribute("value") == "100"
    browser.find_element(By.LINK_TEXT, "Back to contacts").click()
    wait.until(EC.url_to_be(f"{app_server}/contacts/"))
    assert "Imported 120" in browser.find_element(By.CSS_SELECTOR, ".contact-list").text
