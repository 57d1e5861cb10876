"""Reading, against the real Dovecot: the print view, the reading pane's page, attachment
previews, the person's time zone and theme, the quota meter, the settings area."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import UserSettings
from mailview.templatetags.mail_format import mail_datetime
from tests.support import imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)

MIXED = (
    b"From: Pat Sender <pat@example.org>\r\nTo: you@example.test\r\nSubject: Printable report\r\n"
    b"Date: Tue, 02 Mar 2021 23:30:00 +0000\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
    b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The <b>report</b> body.</p><script>alert(1)</script>\r\n"
    b'--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename="notes.txt"\r\n\r\nJust notes, <b>not</b> HTML.\r\n'
    b'--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Disposition: attachment; filename="page.html"\r\n\r\n<script>parent.pwned=1</script>\r\n'
    b'--b\r\nContent-Type: image/svg+xml\r\nContent-Disposition: attachment; filename="logo.svg"\r\n\r\n'
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>parent.pwned=1</script><rect width="5" height="5"/></svg>\r\n'
    b"--b--\r\n"
)


@pytest.fixture
def reader(signed_in, mail_user):
    with imap_direct(mail_user) as imap:
        imap.append("INBOX", MIXED)  # UID 1, unread
    return signed_in


def test_the_print_view_has_headers_and_the_sanitized_body_and_no_app_around_it(reader, mail_user):
    response = reader.get("/mail/INBOX/1/print/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Printable report" in page and "Pat Sender" in page and "<b>report</b> body." in page
    assert "<script>alert" not in page  # sanitized
    assert 'class="topbar"' not in page and 'id="folders"' not in page and "Sign out" not in page
    assert 'data-auto-print="0"' in page  # the dialog only when asked
    assert 'data-auto-print="1"' in reader.get("/mail/INBOX/1/print/?print=1").content.decode()
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'" and "allow-same-origin" not in directives["sandbox"]
    assert "@media print" in page
    with imap_direct(mail_user) as imap:  # printing is not reading
        imap.select_folder("INBOX", readonly=True)
        assert b"\\Seen" not in imap.get_flags([1])[1]


def test_another_person_cannot_print_this_message(client, reader):
    other = new_mail_user("bob")
    client.logout()
    client.post("/accounts/login/", {"email": other.email, "password": other.password})
    assert client.get("/mail/INBOX/1/print/").status_code == 404


def test_the_reading_pane_page_is_the_message_page_without_the_app_and_framable_by_the_app_only(reader):
    full = reader.get("/mail/INBOX/1/")
    assert "frame-ancestors 'none'" in full["Content-Security-Policy"] and full["X-Frame-Options"] == "DENY"
    pane = reader.get("/mail/INBOX/1/?pane=1")
    assert pane.status_code == 200
    page = pane.content.decode()
    assert "Printable report" in page and 'class="topbar"' not in page and 'id="folders"' not in page
    assert 'class="app in-pane"' in page
    assert "frame-ancestors 'self'" in pane["Content-Security-Policy"] and pane["X-Frame-Options"] == "SAMEORIGIN"
    assert '/mail/INBOX/1/next/?pane=1"' in page  # stepping stays in the pane


def test_previews_are_served_inline_sandboxed_and_only_for_safe_kinds(reader):
    page = reader.get("/mail/INBOX/1/").content.decode()
    previews = dict((kind, url) for url, kind in re.findall(r'href="([^"]+\?preview=1)"[^>]*data-preview="(\w+)"', page))
    assert set(previews) == {"text", "image"}  # notes.txt and logo.svg; never page.html
    text = reader.get(previews["text"])
    assert text["Content-Type"] == "text/plain; charset=utf-8" and "attachment" not in text.get("Content-Disposition", "")
    assert b"<b>not</b> HTML" in b"".join(text.streaming_content)
    for response in (text, reader.get(previews["image"])):
        assert response["X-Content-Type-Options"] == "nosniff"
        csp = response["Content-Security-Policy"]
        assert csp.endswith("sandbox") and "default-src 'none'" in csp and "script-src" not in csp
    html_section = re.search(r'href="(/mail/INBOX/1/part/[0-9.]+/)\?download=1" download><svg[^>]*>.*?page\.html', page).group(1)
    forced = reader.get(html_section + "?preview=1")
    assert forced["Content-Type"] == "application/octet-stream" and forced["Content-Disposition"].startswith("attachment")


def test_the_time_zone_setting_changes_the_times_shown(reader):
    zone_time = re.compile(r'<dd class="hdr-date"><time datetime="([^"]+)">')
    assert zone_time.search(reader.get("/mail/INBOX/1/").content.decode()).group(1).endswith("+00:00")
    response = reader.post("/accounts/settings/", {"section": "appearance", "theme": "system", "reading_pane": "right", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    page = reader.get("/mail/INBOX/1/").content.decode()
    assert zone_time.search(page).group(1) == "2021-03-03T08:30:00+09:00"  # 23:30 UTC is the next morning in Tokyo
    assert reader.post("/accounts/settings/", {"section": "appearance", "theme": "system", "reading_pane": "right", "time_zone": "Mars/Base"}).status_code == 200


def test_the_theme_setting_applies_on_the_next_page(reader):
    assert '<html lang="en">' in reader.get("/mail/INBOX/").content.decode()
    reader.post("/accounts/settings/", {"section": "appearance", "theme": "dark", "reading_pane": "below", "time_zone": ""})
    page = reader.get("/mail/INBOX/").content.decode()
    assert '<html lang="en" class="dark">' in page and 'content="dark"' in page
    assert "pane-below" in page


def test_recent_dates_read_today_and_yesterday(settings):
    settings.LANGUAGE_CODE = "en"
    now = timezone.localtime()
    assert mail_datetime(now.replace(hour=14, minute=2)) == "today 2:02 p.m."  # the language's time format
    assert mail_datetime((now - timedelta(days=1)).replace(hour=9, minute=5)) == "yesterday 9:05 a.m."
    assert "2020" in mail_datetime(datetime(2020, 1, 2, 3, 4, tzinfo=UTC))


def test_the_reading_pane_size_is_remembered_within_bounds(reader, mail_user):
    assert reader.post("/settings/reading-pane/", {"split": "63"}).status_code == 204
    user = get_user_model().objects.get(username=mail_user.email)
    assert UserSettings.objects.get(user=user).reading_pane_split == 63
    reader.post("/settings/reading-pane/", {"split": "5"})
    assert UserSettings.objects.get(user=user).reading_pane_split == 20
    assert reader.post("/settings/reading-pane/", {"split": "x"}).status_code == 400
    assert 'data-split="20"' in reader.get("/mail/INBOX/").content.decode()


def test_the_settings_area_links_every_section(reader):
    page = reader.get("/settings/").content.decode()
    for section in ("reading", "composing", "identities", "filters", "vacation", "contacts", "appearance", "security", "folders-section"):
        assert f'id="{section}"' in page
    for url in ("/accounts/settings/", "/accounts/identities/", "/settings/filters/", "/settings/vacation/", "/accounts/two-factor/", "/folders/"):
        assert f'href="{url}' in page


def quota_on_server(user) -> tuple[int, int]:
    with imap_direct(user) as imap:
        _roots, quotas = imap.get_quota_root("INBOX")
    storage = next(q for q in quotas if q.resource.upper() == "STORAGE")
    return storage.usage * 1024, storage.limit * 1024


def test_the_quota_meter_shows_the_servers_figures_and_warns_near_the_limit(client):
    person = new_mail_user("quota", quota="200K")
    with imap_direct(person) as imap:
        imap.append("INBOX", b"Subject: small\r\n\r\n" + b"x" * 20_000 + b"\r\n")
    client.post("/accounts/login/", {"email": person.email, "password": person.password})
    used, limit = quota_on_server(person)
    assert limit == 200 * 1024 and used > 0
    page = client.get("/mail/INBOX/").content.decode()
    meter = re.search(r'<meter id="quota-meter" min="0" max="(\d+)" low="\d+" high="\d+" optimum="0" value="(\d+)">', page)
    assert meter and (int(meter.group(1)), int(meter.group(2))) == (limit, used)
    assert "quota-warning" not in page
    with imap_direct(person) as imap:
        imap.append("INBOX", b"Subject: big\r\n\r\n" + b"y" * 170_000 + b"\r\n")
    from django.core.cache import cache

    cache.clear()  # the meter is kept a minute
    page = client.get("/mail/INBOX/").content.decode()
    assert "near-limit" in page and "quota-warning" in page
    assert re.search(r'<meter id="quota-meter" min="0" max="\d+" low="\d+" high="\d+" optimum="0" value="(\d+)">', page).group(1) == str(quota_on_server(person)[0])


def test_the_pdf_viewer_frame_is_sandboxed_and_runs_only_our_scripts(reader):
    response = reader.get("/preview/pdf/")
    assert response.status_code == 200
    directives = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    assert directives["sandbox"] == "allow-scripts" and directives["script-src"] == "'self'" and directives["default-src"] == "'none'"
    assert "connect-src" not in directives  # it fetches nothing: the page hands it the bytes
    page = response.content.decode()
    assert "/static/vendor/pdfjs/pdf.js" in page and "/static/js/pdf_viewer.js" in page
