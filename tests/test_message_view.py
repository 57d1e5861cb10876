"""Opening messages against the real Dovecot: selective download, safe HTML, attachments."""
from __future__ import annotations

import email
import re
import subprocess
import sys
from email import policy

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mailview.imap import get_pool, reset_pool_for_tests
from tests.support import REPO, DovecotLog, RawUriClient, cpython_test_messages, imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)
BIG_SUBJECT = "Quarterly report with 20 MB attachment"


@pytest.fixture(scope="module")
def mailbox():
    user = new_mail_user("reader")
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "mailgen.py"), "seed", "--user", user.email, "--count", "120", "--seed", "11", "--big-attachments", "1", "--index"],
        check=True, capture_output=True, timeout=300,
    )
    return user


def find_uid(user, *criteria) -> int:
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        found = imap.search(list(criteria))
    assert found, criteria
    return int(found[0])


def sign_in(client, user) -> None:
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302


def body_url(html: str) -> str:
    match = re.search(r'<iframe class="message-body[^"]*" src="([^"]+)" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"', html)
    # allow-scripts only for the height reporter its CSP allows by hash; never allow-same-origin.
    assert match, "the body is shown in a sandboxed iframe without allow-same-origin"
    return match.group(1).replace("&amp;", "&")


def test_a_plain_message_shows_headers_and_text(client, mailbox):
    uid = find_uid(mailbox, "HEADER", "X-Mailgen-Kind", "plain")
    sign_in(client, mailbox)
    response = client.get(f"/mail/INBOX/{uid}/")
    assert response.status_code == 200
    page = response.content.decode()
    with imap_direct(mailbox) as imap:
        imap.select_folder("INBOX", readonly=True)
        raw = imap.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    original = email.message_from_bytes(raw, policy=policy.default)
    assert str(original["Subject"]) in page.replace("&#x27;", "'").replace("&amp;", "&").replace("&quot;", '"')
    body = client.get(body_url(page))
    assert body.status_code == 200
    csp = body["Content-Security-Policy"]
    assert "sandbox" in csp and "allow-same-origin" not in csp and "default-src 'none'" in csp
    # The only script the body may run is the height reporter, named by its hash.
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+';", csp) and "unsafe" not in csp.split("script-src", 1)[1].split(";")[0]
    text = original.get_body(("plain",)).get_content()
    first_words = next(line for line in text.splitlines() if len(line.strip()) > 20 and not line.startswith(">")).strip()[:20]
    assert first_words.split()[0] in body.content.decode()


def test_opening_marks_the_message_seen(client, mailbox):
    with imap_direct(mailbox) as imap:
        imap.select_folder("INBOX")
        uid = int(imap.search(["UNSEEN"])[0])
    sign_in(client, mailbox)
    assert client.get(f"/mail/INBOX/{uid}/").status_code == 200
    with imap_direct(mailbox) as imap:
        imap.select_folder("INBOX", readonly=True)
        assert b"\\Seen" in imap.get_flags([uid])[uid]


def inbox_unread_count(page: str) -> int:
    match = re.search(r'data-folder="INBOX"[^>]*>.*?</a>\s*(?:<span class="unread-count"[^>]*>(\d+)</span>)?', page, re.S)
    assert match, "INBOX is in the folder sidebar"
    return int(match.group(1) or 0)


def imap_operations_during(user, request) -> int:
    """IMAP commands the app ran for `request()` (single-threaded: the pool hands out the
    connection returned last, so the same one is counted before and after)."""
    from django.contrib.auth import get_user_model

    django_user = get_user_model().objects.get(username=user.email)
    with get_pool().session(django_user) as imap:
        before = imap.operations
    request()
    with get_pool().session(django_user) as imap:
        return imap.operations - before


def test_a_read_message_opened_from_the_list_costs_one_imap_command(client, mailbox):
    uid = find_uid(mailbox, "HEADER", "X-Mailgen-Kind", "plain")
    with imap_direct(mailbox) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([uid], [b"\\Seen"])
    sign_in(client, mailbox)
    assert client.get(f"/mail/INBOX/{uid}/").status_code == 200  # body rendered and cached
    assert client.get("/mail/INBOX/").status_code == 200  # lists the folders with counts
    # The message page reuses that listing: only the FETCH of flags, envelope and structure.
    assert imap_operations_during(mailbox, lambda: client.get(f"/mail/INBOX/{uid}/")) == 1


def test_the_folder_counts_beside_a_message_include_its_own_opening(client, mailbox):
    with imap_direct(mailbox) as imap:
        imap.select_folder("INBOX")
        unseen = imap.search(["UNSEEN"])
    assert len(unseen) >= 2
    sign_in(client, mailbox)
    listed = client.get("/mail/INBOX/").content.decode()
    assert inbox_unread_count(listed) == len(unseen)
    opened = client.get(f"/mail/INBOX/{unseen[0]}/").content.decode()
    assert inbox_unread_count(opened) == len(unseen) - 1  # marking it read made the listing fresh


def test_server_timing_tells_imap_and_database_time(client, mailbox, settings):
    settings.MIDDLEWARE = ["webmail.timing.ServerTimingMiddleware", *settings.MIDDLEWARE]
    uid = find_uid(mailbox, "HEADER", "X-Mailgen-Kind", "plain")
    sign_in(client, mailbox)
    client.get(f"/mail/INBOX/{uid}/")  # read and its body cached
    client.get("/mail/INBOX/")
    header = client.get(f"/mail/INBOX/{uid}/")["Server-Timing"]
    entries = {e.split(";")[0].strip(): e for e in header.split(",")}
    assert set(entries) >= {"imap", "db", "app"}, header
    assert 'desc="1"' in entries["imap"]  # the one FETCH (see the test above)
    durations = {name: float(re.search(r"dur=([0-9.]+)", e).group(1)) for name, e in entries.items()}
    assert 0 < durations["imap"] < durations["app"]


def test_reading_a_sender_again_does_not_write_to_the_database(client, mailbox):
    from accounts.models import CollectedAddress

    caches["local"].clear()
    uid = find_uid(mailbox, "HEADER", "X-Mailgen-Kind", "plain")
    sign_in(client, mailbox)
    assert client.get(f"/mail/INBOX/{uid}/").status_code == 200
    with imap_direct(mailbox) as imap:
        imap.select_folder("INBOX", readonly=True)
        sender = imap.fetch([uid], ["ENVELOPE"])[uid][b"ENVELOPE"].from_[0]
    address = f"{sender.mailbox.decode()}@{sender.host.decode()}".lower()
    assert CollectedAddress.objects.filter(email=address, times_used=0).exists()  # offered when writing
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/mail/INBOX/{uid}/").status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


def test_a_newsletter_blocks_remote_images_until_asked(client, mailbox):
    uid = find_uid(mailbox, "HEADER", "X-Mailgen-Kind", "newsletter")
    sign_in(client, mailbox)
    page = client.get(f"/mail/INBOX/{uid}/").content.decode()
    assert "Remote content blocked" in page
    blocked = client.get(body_url(page))
    assert "images.example.net" not in blocked.content.decode()
    assert "https:" not in blocked["Content-Security-Policy"]
    assert "<table" in blocked.content.decode()  # layout kept
    shown_page = client.get(f"/mail/INBOX/{uid}/?images=1").content.decode()
    assert "Remote content blocked" not in shown_page
    shown = client.get(body_url(shown_page))
    assert "https://images.example.net" in shown.content.decode()
    assert "img-src 'self' data: https:" in shown["Content-Security-Policy"]


def test_a_trusted_senders_newsletter_is_fetched_and_sanitized_once(client, mailbox):
    from django.core.cache import cache

    uid = find_uid(mailbox, "HEADER", "X-Mailgen-Kind", "newsletter")
    with imap_direct(mailbox) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([uid], [b"\\Seen"])
    sign_in(client, mailbox)
    assert client.post(f"/mail/INBOX/{uid}/trust-sender/").status_code == 302
    client.get("/mail/INBOX/")
    cache.clear()  # a first open
    # SELECT (read-write, to mark read), the FETCH of flags, envelope and structure, then
    # one of the text: not a second render with remote images after a first one without.
    assert imap_operations_during(mailbox, lambda: client.get(f"/mail/INBOX/{uid}/")) == 3


def test_always_show_from_this_sender(client, mailbox):
    uid = find_uid(mailbox, "HEADER", "X-Mailgen-Kind", "newsletter")
    sign_in(client, mailbox)
    response = client.post(f"/mail/INBOX/{uid}/trust-sender/")
    assert response.status_code == 302
    page = client.get(f"/mail/INBOX/{uid}/").content.decode()
    assert "Remote content blocked" not in page and "images=1" in body_url(page)


def test_opening_the_20_mb_message_moves_only_kilobytes(mailbox):
    uid = find_uid(mailbox, "SUBJECT", BIG_SUBJECT)
    client = RawUriClient()
    sign_in(client, mailbox)
    reset_pool_for_tests()
    log = DovecotLog()
    page = client.get(f"/mail/INBOX/{uid}/").content.decode()
    assert "Quarterly-report-Q3.pdf" in page
    assert "20.0\xa0MB" in page  # its decoded size, not the base64 size (27.4 MB)
    client.get(body_url(page))
    reset_pool_for_tests()  # LOGOUT: Dovecot logs the session's bytes
    from tests.support import wait_until

    sessions = wait_until(lambda: log.logouts(mailbox.email), message="the logout line")
    sent_by_server = sum(out for _, out in sessions)
    assert sent_by_server < 200_000, f"{sent_by_server} bytes moved"


def test_an_attachment_downloads_byte_identical_and_streamed(client, mailbox):
    uid = find_uid(mailbox, "SUBJECT", BIG_SUBJECT)
    with imap_direct(mailbox) as imap:
        imap.select_folder("INBOX", readonly=True)
        raw = imap.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    original = email.message_from_bytes(raw, policy=policy.default)
    attachment = next(original.iter_attachments())
    expected = attachment.get_content()
    assert len(expected) == 20 * 1024 * 1024
    sign_in(client, mailbox)
    page = client.get(f"/mail/INBOX/{uid}/").content.decode()
    link = re.search(r'href="(/mail/INBOX/\d+/part/[0-9.]+/\?download=1)"', page).group(1)
    response = client.get(link)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(expected))  # the browser can show progress
    assert b"".join(response.streaming_content) == expected


def test_the_source_downloads_as_text(client, mailbox):
    uid = find_uid(mailbox, "HEADER", "X-Mailgen-Kind", "plain")
    with imap_direct(mailbox) as imap:
        imap.select_folder("INBOX", readonly=True)
        raw = imap.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    sign_in(client, mailbox)
    response = client.get(f"/mail/INBOX/{uid}/raw/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == raw


def test_inline_cid_images_load_with_a_token_and_no_cookie(client, mailbox):
    uid = find_uid(mailbox, "HEADER", "X-Mailgen-Kind", "related")
    sign_in(client, mailbox)
    page = client.get(f"/mail/INBOX/{uid}/").content.decode()
    body = client.get(body_url(page)).content.decode()
    urls = re.findall(r'src="(http://testserver/mail/INBOX/\d+/part/[0-9.]+/\?t=[^"]+)"', body)
    assert urls, "cid: images are rewritten to token-carrying part URLs"
    anonymous = RawUriClient()
    image = anonymous.get(urls[0].replace("&amp;", "&").replace("http://testserver", ""))
    assert image.status_code == 200
    assert image["Content-Type"].startswith("image/")
    assert "Cross-Origin-Resource-Policy" not in image
    forged = anonymous.get(re.sub(r"t=[^&]+", "t=forged", urls[0].replace("http://testserver", "")))
    assert forged.status_code == 302  # to the sign-in page


def test_missing_messages_and_parts_are_clear_pages(client, mailbox):
    sign_in(client, mailbox)
    assert client.get("/mail/INBOX/999999/").status_code == 404
    assert "does not exist" in client.get("/mail/INBOX/999999/").content.decode()
    uid = find_uid(mailbox, "HEADER", "X-Mailgen-Kind", "plain")
    assert client.get(f"/mail/INBOX/{uid}/part/9.9/").status_code == 404
    assert client.get("/mail/INBOX/0/").status_code == 400
    assert client.get("/mail/NoSuchFolder/1/").status_code == 404


def test_another_user_cannot_open_my_message(mailbox):
    uid = find_uid(mailbox, "HEADER", "X-Mailgen-Kind", "plain")
    stranger = new_mail_user("charlie")
    client = RawUriClient()
    sign_in(client, stranger)
    assert client.get(f"/mail/INBOX/{uid}/").status_code == 404
    assert client.get(f"/mail/INBOX/{uid}/raw/").status_code == 404


def test_cpythons_test_messages_all_open(client):
    files = cpython_test_messages()
    user = new_mail_user("cpython")
    with imap_direct(user) as imap:
        for path in files:
            data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            imap.append("INBOX", data)
        imap.select_folder("INBOX", readonly=True)
        uids = imap.search(["ALL"])
    assert len(uids) == len(files)
    sign_in(client, user)
    for uid in uids:
        page = client.get(f"/mail/INBOX/{uid}/")
        assert page.status_code == 200, (uid, page.content[:300])
        assert client.get(body_url(page.content.decode())).status_code == 200
        assert client.get(f"/mail/INBOX/{uid}/raw/").status_code == 200


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: =?utf-8?b?bm90IGJhc2U2NA?=\r\nFrom: =?x-unknown?q?Bad?= <a@b>\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nhello\r\n",
        b"Subject: missing boundary\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nbody\r\n",
        b"Subject: bad base64\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!bm90$$$\r\n",
        b"Subject: \xe4\xf6\xfc 8-bit header\r\nFrom: J\xc3\xbcrgen <j@example.org>\r\n\r\nbody\r\n",
        b"Subject: " + b"x" * 20000 + b"\r\n\r\nhuge header\r\n",
        b"Subject: deep\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n" + b"".join(f"--b{i}\r\nContent-Type: multipart/mixed; boundary=b{i+1}\r\n\r\n".encode() for i in range(60)) + b"--b60\r\nContent-Type: text/plain\r\n\r\ndeep text\r\n",
    ],
    ids=["unknown-charset", "missing-boundary", "bad-base64", "8bit-headers", "huge-header", "deep-nesting"],
)
def test_malformed_mime_renders_what_can_be_read(client, raw, request):
    user = new_mail_user("broken")
    with imap_direct(user) as imap:
        imap.append("INBOX", raw)
    sign_in(client, user)
    page = client.get("/mail/INBOX/1/")
    assert page.status_code == 200
    body = client.get(body_url(page.content.decode()))
    assert body.status_code == 200
    # What a reader sees: the subject on the page, the readable text in the body.
    readable = {
        "unknown-charset": ("not base64", "hello"),
        "missing-boundary": ("missing boundary", "body"),
        "bad-base64": ("bad base64", None),
        "8bit-headers": ("8-bit header", "body"),
        "huge-header": ("xxxxxxxxxx", "huge header"),
        # past the parser's depth limit the text is not shown yet
        "deep-nesting": ("deep", None),
    }.get(request.node.callspec.id, ("", None))
    subject, text = readable
    assert subject in page.content.decode()
    if text is not None:
        assert text in b"".join(body.streaming_content if body.streaming else [body.content]).decode()



def test_inline_images_the_body_does_not_show_are_listed_as_attachments(client):
    import base64

    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
    image = base64.encodebytes(png).decode().replace("\n", "\r\n")
    raw = (
        "From: a@example.org\r\nTo: b@example.test\r\nSubject: Related\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="alt"\r\n\r\n'
        "--alt\r\nContent-Type: text/plain\r\n\r\nPlain version.\r\n"
        '--alt\r\nContent-Type: multipart/related; boundary="rel"\r\n\r\n'
        '--rel\r\nContent-Type: text/html\r\n\r\n<p>Logo: <img src="cid:shown@x" alt="logo"></p>\r\n'
        f'--rel\r\nContent-Type: image/png; name="shown.png"\r\nContent-ID: <shown@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n{image}'
        f'--rel\r\nContent-Type: image/png; name="orphan.png"\r\nContent-ID: <orphan@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n{image}'
        "--rel--\r\n--alt--\r\n"
    ).encode()
    person = new_mail_user("related")
    with imap_direct(person) as imap:
        imap.append("INBOX", raw)
        imap.select_folder("INBOX")
        uid = imap.search(["ALL"])[0]
    sign_in(client, person)
    page = client.get(f"/mail/INBOX/{uid}/").content.decode()
    listed = re.findall(r'<span class="filename">([^<]+)</span>', page)
    assert listed == ["orphan.png"]  # the logo is shown in the body; the orphan would be lost
    assert client.post("/accounts/settings/", {"messages_per_page": "50", "prefer_plain_text": "on", "mark_read_on_open": "on"}).status_code == 302
    page = client.get(f"/mail/INBOX/{uid}/").content.decode()
    assert sorted(re.findall(r'<span class="filename">([^<]+)</span>', page)) == ["orphan.png", "shown.png"]


def test_cached_bodies_are_not_in_redis_in_clear_and_still_serve_the_page(client):
    from email.message import EmailMessage

    from webmail.redis_client import get_redis, key_prefix

    user = new_mail_user("sealed")
    secret = "the launch code is 7f3a-" + user.email.split("@")[0][-10:]
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Ann <ann@example.org>", user.email, "plans"
    msg.set_content(f"plain: {secret}")
    msg.add_alternative(f"<p>html: <b>{secret}</b></p>", subtype="html")
    with imap_direct(user) as imap:
        imap.append("INBOX", bytes(msg), flags=[b"\\Seen"])
        uid = int(imap.select_folder("INBOX")[b"UIDNEXT"]) - 1
    sign_in(client, user)
    page = client.get(f"/mail/INBOX/{uid}/").content.decode()
    url = body_url(page)
    # The body document comes from the cache the page filled: not one IMAP command.
    body = imap_operations_during(user, lambda: client.get(url))
    assert body == 0
    assert secret in client.get(url).content.decode()
    redis = get_redis()
    keys = list(redis.scan_iter(match=f"{key_prefix()}:*", count=1000))
    assert any(b":body:" in k for k in keys), "the body is cached"
    needle = secret.encode()
    for key in keys:
        if redis.type(key) == b"string":
            assert needle not in redis.get(key), f"{key!r} holds the message text in clear"
        elif redis.type(key) == b"hash":
            assert all(needle not in v for v in redis.hvals(key)), key
