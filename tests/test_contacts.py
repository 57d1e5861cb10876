"""The address book (/contacts/) against the real Radicale the test stack runs
(scripts/radicale.sh; it signs people in with their IMAP password against Dovecot): every
change made through the pages is read back with an independent CardDAV request (plain
urllib, not the app's client); import/export, groups, completion, the fallback without a
server, and hostile vCards."""
from __future__ import annotations

import base64
import os
import re
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import quote, urljoin

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mailview.mime import Address
from mailview.models import Transfer
from mailview.services.addressbook import addresses_collect
from mailview.services.transfer.run import transfer_execute
from mailview.services.transfer.store import transfer_claim, transfer_dir
from tests.support import MailUser, RawUriClient, new_mail_user

pytestmark = pytest.mark.django_db

RADICALE = os.environ.get("MAILSTACK_RADICALE_URL", "http://127.0.0.1:31232/")


# ---- an independent CardDAV reader -----------------------------------------------------
def dav(user: MailUser, method: str, url: str, body: bytes | None = None, *, depth: str | None = None,
        headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(urljoin(RADICALE, url), data=body, method=method)  # noqa: S310 - http(s) to the test Radicale
    token = base64.b64encode(f"{user.email}:{user.password}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    if depth is not None:
        request.add_header("Depth", depth)
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def server_books(user: MailUser) -> list[str]:
    """The hrefs of the person's address books on Radicale."""
    status, data = dav(
        user, "PROPFIND", f"/{quote(user.email)}/",
        b'<?xml version="1.0"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>', depth="1",
    )
    assert status == 207, data[:300]
    hrefs = []
    for response in re.findall(rb"<(?:\w+:)?response>(.*?)</(?:\w+:)?response>", data, re.S):
        if b"addressbook" in response:
            hrefs.append(re.search(rb"<(?:\w+:)?href>([^<]+)<", response).group(1).decode())
    return hrefs


def server_cards(user: MailUser) -> list[str]:
    """Every vCard in the person's address book as Radicale has it (GET on the collection)."""
    books = server_books(user)
    if not books:
        return []
    assert len(books) == 1, books
    status, data = dav(user, "GET", books[0])
    assert status == 200, data[:300]
    text = data.decode("utf-8").replace("\r\n ", "").replace("\n ", "")
    return re.findall(r"BEGIN:VCARD.*?END:VCARD", text, re.S)


def card_with(cards: list[str], needle: str) -> str:
    found = [c for c in cards if needle in c]
    assert len(found) == 1, (needle, cards)
    return found[0]


# ---- fixtures ------------------------------------------------------------------------------
@pytest.fixture
def carddav(settings):
    settings.WEBMAIL_CARDDAV_URL = RADICALE
    return RADICALE


def signed_in_client(user: MailUser) -> RawUriClient:
    client = RawUriClient()
    response = client.post("/accounts/login/", {"email": user.email, "password": user.password})
    assert response.status_code == 302, response.content[:300]
    return client


@pytest.fixture
def person():
    return new_mail_user("contacts")


@pytest.fixture
def browser_like(person, carddav, db):
    return signed_in_client(person)


def new_contact(client: RawUriClient, **fields: object) -> str:
    data = {"full_name": "", "given": "", "family": "", "org": "", "groups": "", "note": "", **fields}
    response = client.post("/contacts/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.match(r"^/contacts/card/([^/]+)/$", response["Location"])
    assert match, response["Location"]
    return match.group(1)


# ---- Radicale signs people in with their mail password --------------------------------------
def test_radicale_takes_the_imap_password_and_nothing_else(person):
    ok, _ = dav(person, "PROPFIND", f"/{quote(person.email)}/", depth="0")
    assert ok == 207
    wrong, _ = dav(MailUser(person.email, person.password + "x"), "PROPFIND", f"/{quote(person.email)}/", depth="0")
    assert wrong == 401
    stranger = new_mail_user("stranger")
    other, _ = dav(stranger, "PROPFIND", f"/{quote(person.email)}/", depth="0")
    assert other in {403, 404}, "another person's address book is not theirs to read"


# ---- create, edit, delete through the pages; read back from the server ----------------------
def test_it_creates_edits_and_deletes_a_contact_on_the_carddav_server(browser_like, person):
    client = browser_like
    name = new_contact(
        client, full_name="Ada Lovelace", given="Ada", family="Lovelace", org="Analytical Engines",
        email=["ada@example.org", "ada.work@example.com", ""], phone=["+44 20 7946 0000", ""],
        note="Met at the\nmath club", groups="Friends, Math",
    )
    card = card_with(server_cards(person), "Ada Lovelace")
    assert "EMAIL:ada@example.org" in card and "EMAIL:ada.work@example.com" in card
    assert "TEL:+44 20 7946 0000" in card and "N:Lovelace;Ada" in card and "ORG:Analytical Engines" in card
    assert "CATEGORIES:Friends,Math" in card and "NOTE:Met at the\\nmath club" in card

    page = client.get("/contacts/")
    assert page.status_code == 200
    assert b"Ada Lovelace" in page.content and b"ada.work@example.com" in page.content
    form = client.get(f"/contacts/card/{name}/")
    assert form.status_code == 200 and b'value="ada@example.org"' in form.content
    etag = re.search(rb'name="etag" value="([^"]*)"', form.content).group(1).decode().replace("&quot;", '"')

    response = client.post(f"/contacts/card/{name}/", {
        "full_name": "Ada King", "given": "Ada", "family": "King", "org": "", "groups": "Math", "note": "",
        "email": ["ada@example.org"], "phone": [], "etag": etag,
    })
    assert response.status_code == 302
    card = card_with(server_cards(person), "Ada King")
    assert "ada.work@example.com" not in card and "CATEGORIES:Math" in card and "NOTE" not in card
    assert "Lovelace" not in card

    form = client.get(f"/contacts/card/{name}/")
    etag = re.search(rb'name="etag" value="([^"]*)"', form.content).group(1).decode().replace("&quot;", '"')
    response = client.post(f"/contacts/card/{name}/delete/", {"etag": etag})
    assert response.status_code == 302
    assert server_cards(person) == []
    assert client.get(f"/contacts/card/{name}/").status_code == 404


def test_an_edit_keeps_what_the_form_does_not_show(browser_like, person):
    """A photo, an address, a birthday set by another client survive an edit here."""
    client = browser_like
    name = new_contact(client, full_name="Grace Hopper", email=["grace@example.org"])
    books = server_books(person)
    status, data = dav(person, "GET", books[0] + name)
    assert status == 200
    richer = data.decode().replace("END:VCARD", "ADR;TYPE=work:;;1 Navy Way;Arlington;VA;22202;USA\r\nBDAY:1906-12-09\r\nEND:VCARD")
    status, _ = dav(person, "PUT", books[0] + name, richer.encode(), headers={"Content-Type": "text/vcard"})
    assert status in {201, 204}
    form = client.get(f"/contacts/card/{name}/")
    etag = re.search(rb'name="etag" value="([^"]*)"', form.content).group(1).decode().replace("&quot;", '"')
    response = client.post(f"/contacts/card/{name}/", {
        "full_name": "Grace Brewster Hopper", "given": "", "family": "", "org": "", "groups": "", "note": "",
        "email": ["grace@example.org"], "etag": etag,
    })
    assert response.status_code == 302
    card = card_with(server_cards(person), "Grace Brewster Hopper")
    assert "1 Navy Way" in card and "BDAY:1906-12-09" in card


def test_a_contact_changed_elsewhere_is_not_overwritten(browser_like, person):
    client = browser_like
    name = new_contact(client, full_name="Alan Turing", email=["alan@example.org"])
    form = client.get(f"/contacts/card/{name}/")
    etag = re.search(rb'name="etag" value="([^"]*)"', form.content).group(1).decode().replace("&quot;", '"')
    # another device changes the card meanwhile
    books = server_books(person)
    _status, data = dav(person, "GET", books[0] + name)
    status, _ = dav(person, "PUT", books[0] + name, data.replace(b"Alan Turing", b"Alan M. Turing"), headers={"Content-Type": "text/vcard"})
    assert status in {201, 204}
    response = client.post(f"/contacts/card/{name}/", {
        "full_name": "Alan Stale", "given": "", "family": "", "org": "", "groups": "", "note": "",
        "email": ["alan@example.org"], "etag": etag,
    })
    assert response.status_code == 409
    assert "changed elsewhere" in response.content.decode()
    assert "Alan M. Turing" in card_with(server_cards(person), "alan@example.org")


def test_another_person_gets_a_404_for_a_contact_that_is_not_theirs(browser_like, carddav):
    name = new_contact(browser_like, full_name="Private Person", email=["private@example.org"])
    bob = signed_in_client(new_mail_user("bob"))
    assert bob.get(f"/contacts/card/{name}/").status_code == 404
    assert bob.post(f"/contacts/card/{name}/delete/", {}).status_code in {302, 404}
    assert b"Private Person" not in bob.get("/contacts/").content
    assert browser_like.get(f"/contacts/card/{name}/").status_code == 200, "bob's attempt deleted nothing"


def test_pages_need_a_signed_in_person(client):
    for url in ("/contacts/", "/contacts/new/", "/contacts/export/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---- import and export -----------------------------------------------------------------------
VCF = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:imp-1\r\nFN:Jürgen Müller\r\nN:Müller;Jürgen;;;\r\nEMAIL;TYPE=work:juergen@example.de\r\n"
    "CATEGORIES:Team\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:imp-2\r\nFN:Li Wei\r\nEMAIL:li@example.cn\r\nEMAIL:wei@example.cn\r\nTEL:+86 10 1234\r\n"
    "CATEGORIES:Team,Family\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:imp-3\r\nFN:No Address\r\nTEL:123\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nthis is not a vcard line at all\r\n:::\r\nEND:VCARD\r\n"
)


def upload(client: RawUriClient, content: bytes, name: str = "contacts.vcf"):
    """Import a file and return the page that reports it. The import's task runs here, in this
    process (this module's tests run in a transaction, so nothing reaches the Celery worker;
    tests/test_contacts_import.py runs it through the worker)."""
    response = client.post("/contacts/import/", {"file": SimpleUploadedFile(name, content, content_type="text/vcard")})
    if response.status_code != 302:
        return response
    location = response["Location"]
    if location.startswith("/transfers/"):
        claimed = transfer_claim(location.split("/")[2])
        assert claimed is not None
        transfer_execute(imap=None, transfer=claimed)
    return client.get(location)


def test_import_then_export_round_trips_and_importing_again_makes_no_duplicates(browser_like, person):
    client = browser_like
    page = upload(client, VCF.encode("utf-8"))
    text = page.content.decode()
    assert "Imported: 3 new, 0 updated." in text and "1 card could not be imported." in text
    assert "Card 4: neither a name nor an e-mail address" in text
    cards = server_cards(person)
    assert len(cards) == 3
    assert "juergen@example.de" in card_with(cards, "imp-1")

    export = client.get("/contacts/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/vcard")
    assert "attachment" in export["Content-Disposition"]
    exported = export.content.decode("utf-8")
    assert exported.count("BEGIN:VCARD") == 3
    for needle in ("Jürgen Müller", "li@example.cn", "wei@example.cn", "No Address"):
        assert needle in exported

    # the export imported again: the same three cards, updated in place
    page = upload(client, export.content)
    assert "Imported: 0 new, 3 updated." in page.content.decode()
    assert len(server_cards(person)) == 3

    team = client.get("/contacts/export/?group=Team").content.decode()
    assert team.count("BEGIN:VCARD") == 2 and "No Address" not in team


def test_an_import_run_again_goes_on_after_the_cards_it_recorded(browser_like, person):
    """A worker that died mid-import: the redelivered task skips what the first run saved as
    done and keeps its counts (cards without a UID get the same one again, so a batch written
    twice updates, never doubles)."""
    user = get_user_model().objects.get(username=person.email)
    transfer = Transfer.objects.create(
        user=user, kind="contacts", folder="", state="running", done=2, total=4,
        report={"added": 2, "updated": 0, "failures": []}, expires_at=timezone.now() + timedelta(hours=1),
    )
    where = transfer_dir(transfer) / "upload"
    where.mkdir(parents=True)
    (where / "0000").write_bytes("".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Resumed {n}\r\nEMAIL:r{n}@example.org\r\nEND:VCARD\r\n" for n in range(1, 5)
    ).encode())
    claimed = transfer_claim(str(transfer.pk))
    assert claimed is not None and transfer_execute(imap=None, transfer=claimed) == "done"
    transfer.refresh_from_db()
    assert (transfer.done, transfer.skipped, transfer.report["added"]) == (4, 0, 4)
    names = sorted(re.search(r"FN:(.*)", c).group(1).strip() for c in server_cards(person))
    assert names == ["Resumed 3", "Resumed 4"], "the first two were written by the run that died"
    assert not where.exists()


def test_a_file_naming_one_uid_twice_makes_one_contact(browser_like, person):
    twice = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:same\r\nFN:First Version\r\nEMAIL:v1@example.org\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:same\r\nFN:Second Version\r\nEMAIL:v2@example.org\r\nEND:VCARD\r\n"
    )
    assert "Imported: 1 new, 1 updated." in upload(browser_like, twice.encode()).content.decode()
    cards = server_cards(person)
    assert len(cards) == 1 and "Second Version" in cards[0]


def test_groups_filter_the_list_and_complete_to_all_their_members(browser_like, person):
    client = browser_like
    upload(client, VCF.encode("utf-8"))
    page = client.get("/contacts/").content.decode()
    assert "Team" in page and "Family" in page
    team = client.get("/contacts/?group=Team").content.decode()
    assert "Jürgen Müller" in team and "Li Wei" in team and "No Address" not in team

    results = client.get("/mail/compose/addresses/?q=tea").json()["results"]
    group = [r for r in results if r["kind"] == "group"]
    assert len(group) == 1 and group[0]["name"] == "Team" and group[0]["members"] == 2
    assert "juergen@example.de" in group[0]["label"] and "li@example.cn" in group[0]["label"]


def test_completion_offers_contacts_then_collected_addresses_once_each(browser_like, person):
    client = browser_like
    new_contact(client, full_name="Marie Curie", email=["marie@example.fr", "curie@example.fr"])
    user = get_user_model().objects.get(username=person.email)
    addresses_collect(user=user, addresses=[Address("Marie C.", "marie@example.fr"), Address("Marianne", "marianne@example.org")])
    results = client.get("/mail/compose/addresses/?q=mari").json()["results"]
    emails = [(r["kind"], r["email"]) for r in results]
    assert emails[:2] == [("contact", "marie@example.fr"), ("contact", "curie@example.fr")]
    assert ("collected", "marianne@example.org") in emails
    assert [e for _k, e in emails].count("marie@example.fr") == 1
    assert results[0]["label"] == "Marie Curie <marie@example.fr>"
    # a contact edited here is offered at once (the completion copy is refreshed)
    new_contact(client, full_name="Pierre Curie", email=["pierre@example.fr"])
    assert any(r["email"] == "pierre@example.fr" for r in client.get("/mail/compose/addresses/?q=pie").json()["results"])


def test_a_contact_added_elsewhere_is_offered_after_the_cache_time(browser_like, person, settings):
    settings.WEBMAIL_CARDDAV_CACHE_SECONDS = 0
    client = browser_like
    new_contact(client, full_name="Niels Bohr", email=["niels@example.dk"])
    assert client.get("/mail/compose/addresses/?q=niels").json()["results"]
    books = server_books(person)
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:elsewhere-1\r\nFN:Lise Meitner\r\nEMAIL:lise@example.at\r\nEND:VCARD\r\n"
    status, _ = dav(person, "PUT", books[0] + "elsewhere-1.vcf", card.encode(), headers={"Content-Type": "text/vcard"})
    assert status == 201
    results = client.get("/mail/compose/addresses/?q=lise").json()["results"]
    assert [r["email"] for r in results] == ["lise@example.at"]


# ---- without a CardDAV server: the collected addresses ---------------------------------------
def test_without_a_carddav_server_the_address_book_is_the_collected_addresses(signed_in, mail_user, settings):
    settings.WEBMAIL_CARDDAV_URL = ""
    user = get_user_model().objects.get(username=mail_user.email)
    addresses_collect(user=user, addresses=[Address("Rosalind Franklin", "rosalind@example.org")])
    page = signed_in.get("/contacts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rosalind Franklin" in text and "rosalind@example.org" in text and "No address book server" in text
    assert "Rosalind" not in signed_in.get("/contacts/?q=zzz").content.decode()
    response = signed_in.get("/contacts/new/", follow=True)
    assert response.redirect_chain[-1][0] == "/contacts/"
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nowhere\r\nEMAIL:nowhere@example.org\r\nEND:VCARD\r\n"
    response = signed_in.post("/contacts/import/", {"file": SimpleUploadedFile("a.vcf", card)}, follow=True)
    assert response.redirect_chain[-1][0] == "/contacts/"
    assert "so contacts cannot be imported" in response.content.decode() and not Transfer.objects.exists()
    results = signed_in.get("/mail/compose/addresses/?q=ros").json()["results"]
    assert results == [{"name": "Rosalind Franklin", "email": "rosalind@example.org", "label": "Rosalind Franklin <rosalind@example.org>",
                        "kind": "collected", "members": 0}]
    assert server_books(mail_user) == [], "nothing was written to a CardDAV server"


def test_a_server_that_cannot_be_reached_leaves_completion_working(browser_like, person, settings):
    settings.WEBMAIL_CARDDAV_URL = "http://127.0.0.1:9/"  # discard port: nothing listens
    user = get_user_model().objects.get(username=person.email)
    addresses_collect(user=user, addresses=[Address("Emmy Noether", "emmy@example.de")])
    assert [r["email"] for r in browser_like.get("/mail/compose/addresses/?q=emmy").json()["results"]] == ["emmy@example.de"]
    page = browser_like.get("/contacts/")
    assert page.status_code == 200 and "cannot be reached" in page.content.decode()


# ---- hostile vCards --------------------------------------------------------------------------
def test_hostile_vcards_are_escaped_bounded_or_skipped(browser_like, person):
    client = browser_like
    many_emails = "".join(f"EMAIL:a{i}@example.org\r\n" for i in range(500))
    hostile = (
        'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h-1\r\nFN:<script>alert("x")</script><img src=x onerror=alert(1)>\r\n'
        "EMAIL:evil@example.org\r\nCATEGORIES:<b>bold</b>\r\nNOTE:</textarea><script>alert(2)</script>\r\nEND:VCARD\r\n"
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h-2\r\nFN:Many\r\n{many_emails}END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h-3\r\nFN:" + "x" * 300_000 + "\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h-4\r\nFN;ENCODING=BASE64:!!!notbase64\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nBEGIN:VCARD\r\nEND:VCARD\r\n"  # nested and never closed
    )
    page = upload(client, hostile.encode("utf-8"))
    text = page.content.decode()
    assert "Imported: 2 new" in text
    listing = client.get("/contacts/").content.decode()
    assert "<script>alert" not in listing and "onerror=alert" not in listing.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in listing
    assert "&lt;b&gt;bold&lt;/b&gt;" in listing
    many = card_with(server_cards(person), "h-2")
    assert many.count("EMAIL:") == 20, "at most 20 addresses a card"
    evil = card_with(server_cards(person), "h-1")
    name = re.search(r"/contacts/card/([^/]+)/", listing[listing.index("&lt;script&gt;") - 300:]).group(1)
    form = client.get(f"/contacts/card/{name}/").content.decode()
    assert "</textarea><script>" not in form and "&lt;/textarea&gt;&lt;script&gt;alert(2)" in form
    assert "evil@example.org" in evil


def test_a_file_over_the_limit_is_refused_before_anything_is_written(browser_like, person, settings):
    settings.WEBMAIL_CONTACTS_IMPORT_MAX_BYTES = 1024 * 1024
    big = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big\r\nNOTE:" + b"x" * (2 * 1024 * 1024) + b"\r\nEND:VCARD\r\n"
    page = upload(browser_like, big)
    assert page.status_code == 413 and "too large to import (at most 1.0" in page.content.decode()
    # just over: the body is read, then refused with the same sentence on the address book page
    page = upload(browser_like, big[: 1024 * 1024 + 10])
    assert page.status_code == 200 and "too large to import" in page.content.decode()
    assert server_cards(person) == [] and not Transfer.objects.exists()


def test_a_form_with_a_bad_address_is_refused_with_the_reason(browser_like, person):
    response = browser_like.post("/contacts/new/", {"full_name": "X", "email": ["not an address"], "groups": "", "note": ""})
    assert response.status_code == 400 and "Not an e-mail address" in response.content.decode()
    assert server_cards(person) == []


# ---- "add sender to contacts" ----------------------------------------------------------------
def test_the_new_contact_form_is_prefilled_from_a_sender(browser_like):
    page = browser_like.get("/contacts/new/?email=someone%40example.org&name=Some+One")
    text = page.content.decode()
    assert page.status_code == 200 and 'value="someone@example.org"' in text and 'value="Some One"' in text


def test_a_message_page_offers_to_add_its_sender_to_contacts(client, db):
    from tests.support import imap_direct, mail_user_with

    owner = mail_user_with("reader", ["Hello there"])
    with imap_direct(owner) as imap:
        imap.select_folder("INBOX", readonly=True)
        uid = imap.search(["ALL"])[0]
    signed = signed_in_client(owner)
    page = signed.get(f"/mail/INBOX/{uid}/").content.decode()
    assert '/contacts/new/?email=someone%40example.org&amp;name=Someone"' in page


def test_the_address_book_is_never_kept_by_a_cache(browser_like):
    name = new_contact(browser_like, full_name="Cached Not", email=["cached@example.org"])
    for url in ("/contacts/", f"/contacts/card/{name}/", "/contacts/export/", "/contacts/new/?email=a%40example.org",
                "/mail/compose/addresses/?q=cach"):
        response = browser_like.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response.get("Cache-Control", "").lower().split(",")}
        assert {"private", "no-store"} <= directives, url
