"""Importing a .vcf into the address book through the real Celery worker and the test stack's
Radicale: the cards are written by the `transfer_run` task (not the web request) with progress
to N of N at /transfers/<id>/, however many there are; bad cards are named with the reason and
never stop the import; Cancel stops it. Every outcome is read back from Radicale with an
independent CardDAV request (tests/test_contacts.py's plain-urllib reader).

The worker is another process: it finds Radicale through the person's server profile (in the
shared test database), not through this process's settings."""
from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import ServerProfile
from mailview.models import Transfer
from mailview.services.transfer.store import transfer_dir
from tests.support import MailUser, RawUriClient, new_mail_user, wait_until
from tests.test_contacts import RADICALE, server_cards, signed_in_client

pytestmark = pytest.mark.django_db(transaction=True)

DOMAIN = "vcf-import.test"


@pytest.fixture
def person(celery_worker) -> MailUser:
    ServerProfile.objects.update_or_create(domain=DOMAIN, defaults=dict(
        imap_host=os.environ["WEBMAIL_IMAP_HOST"], imap_port=int(os.environ["WEBMAIL_IMAP_PORT"]), imap_security="starttls",
        smtp_host=os.environ["WEBMAIL_SMTP_HOST"], smtp_port=int(os.environ["WEBMAIL_SMTP_PORT"]), smtp_security="starttls",
        verify_tls=True, ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"], carddav_url=RADICALE,
    ))
    return new_mail_user("vcf", domain=DOMAIN)


@pytest.fixture
def client_of(person) -> RawUriClient:
    return signed_in_client(person)


def card(n: int, *, uid: bool = True) -> str:
    uid_line = f"UID:bulk-{n}\r\n" if uid else ""
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\n{uid_line}FN:Person {n:04d}\r\n"
        f"N:{n:04d};Person;;;\r\nEMAIL:person{n}@example.org\r\nCATEGORIES:Bulk\r\nEND:VCARD\r\n"
    )


def start_import(client: RawUriClient, content: bytes) -> Transfer:
    response = client.post("/contacts/import/", {"file": SimpleUploadedFile("contacts.vcf", content, content_type="text/vcard")})
    assert response.status_code == 302, response.content[:500]
    transfer = Transfer.objects.get(kind="contacts")
    assert response["Location"] == f"/transfers/{transfer.pk}/"
    return transfer


def finished(transfer: Transfer, timeout: float = 240) -> Transfer:
    def done() -> Transfer | None:
        transfer.refresh_from_db()
        return transfer if transfer.finished else None

    return wait_until(done, timeout=timeout, interval=0.2, message="the contacts import to finish")


def test_a_file_of_600_cards_is_imported_by_the_worker_with_progress_to_n_of_n(client_of, person):
    """More than the 500 the import in the web request stopped at. (Not more: Radicale checks a
    new card's UID against every card of the book, so each PUT costs more as the book grows;
    1,200 cards took about three minutes on the loaded test machine.)"""
    # Every 7th card has no UID (the import gives it one); the last names a UID again (an update).
    cards = [card(n, uid=n % 7 != 0) for n in range(1, 601)]
    cards.append(card(1).replace("Person 0001", "Person One Again"))
    transfer = start_import(client_of, "".join(cards).encode())
    page = client_of.get(f"/transfers/{transfer.pk}/")
    assert page.status_code == 200 and "<progress" in page.content.decode() and "Cancel" in page.content.decode()

    seen: list[tuple[int, int]] = []

    def polled_done() -> dict | None:
        status = client_of.get(f"/transfers/{transfer.pk}/status/").json()
        if status["total"]:
            seen.append((status["done"], status["total"]))
        return status if status["finished"] else None

    status = wait_until(polled_done, timeout=240, interval=0.3, message="the contacts import to finish")
    assert status["state"] == "done", status
    assert (status["done"], status["total"], status["skipped"], status["percent"]) == (601, 601, 0, 100)
    assert status["progress_label"] == "601 of 601 cards"
    assert status["summary"] == "Imported: 600 new, 1 updated." and status["failures"] == []
    assert all(total == 601 for _done, total in seen) and [d for d, _t in seen] == sorted(d for d, _t in seen)

    on_server = server_cards(person)
    assert len(on_server) == 600
    assert sum("person600@example.org" in c for c in on_server) == 1
    assert sum("FN:Person One Again" in c for c in on_server) == 1 and not any("FN:Person 0001" in c for c in on_server)
    assert not transfer_dir(transfer).exists(), "the upload is removed when the import ends"
    listing = client_of.get("/contacts/?group=Bulk").content.decode()
    assert "Person 0599" in listing and "Person One Again" in listing


HOSTILE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:good-1\r\nFN:Good One\r\nEMAIL:good1@example.org\r\nEND:VCARD\r\n"
    "some text between cards\r\n\x00\x01binary\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:bad-base64\r\nFN;ENCODING=BASE64:!!!notbase64\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Huge Note\r\nNOTE:" + "x" * 300_000 + "\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:good-2\r\nFN:<img src=x onerror=alert(1)>Good Two\r\nEMAIL:good2@example.org\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nthis is not a vcard line at all\r\n:::\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:A Group\r\nMEMBER:urn:uuid:good-1\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:good-3\r\nFN:Mismatch\r\nEND:VCALENDAR\r\nEND:VCARD\r\n"
).encode() + (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:good-4\r\nFN:J\xfcrgen Latin-1\r\nEMAIL:juergen@example.de\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:<b>Cut off</b>\r\nEMAIL:cut@example.org\r\n"
)


def test_bad_cards_are_reported_one_by_one_and_the_good_ones_imported(client_of, person):
    transfer = finished(start_import(client_of, HOSTILE))
    assert (transfer.state, transfer.total, transfer.done, transfer.skipped) == ("done", 9, 3, 6), transfer.error
    on_server = server_cards(person)
    assert len(on_server) == 3
    assert "good1@example.org" in "".join(on_server) and "good2@example.org" in "".join(on_server)
    assert "FN:Jürgen Latin-1" in "".join(on_server)

    status = client_of.get(f"/transfers/{transfer.pk}/status/").json()
    assert status["summary"] == "Imported: 3 new, 0 updated. 6 cards could not be imported."
    assert status["failures"] == [
        "Card 2 (!!!notbase64): not a vCard that can be read",
        "Card 3 (Huge Note): too large",
        "Card 5: neither a name nor an e-mail address",
        "Card 6 (A Group): a group card (groups are imported as the contacts' categories)",
        "Card 7 (Mismatch): not a vCard that can be read",
        "Card 9 (<b>Cut off</b>): the file ends inside it (no END:VCARD)",
    ]
    page = client_of.get(f"/transfers/{transfer.pk}/").content.decode()
    assert "Card 9 (&lt;b&gt;Cut off&lt;/b&gt;)" in page and "<b>Cut off" not in page
    assert "Back to contacts" in page
    Transfer.objects.filter(pk=transfer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client_of.get(f"/transfers/{transfer.pk}/").content.decode()
    assert "Card 9 (" in page and "link has expired" not in page, "an import makes no download to expire"
    listing = client_of.get("/contacts/").content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;Good Two" in listing and "<img src=x" not in listing

    stranger = signed_in_client(new_mail_user("vcf-stranger", domain=DOMAIN))
    for url in ("", "status/"):
        assert stranger.get(f"/transfers/{transfer.pk}/{url}").status_code == 404
    assert stranger.post(f"/transfers/{transfer.pk}/cancel/").status_code == 404


def test_a_file_without_cards_fails_with_a_sentence(client_of, person):
    transfer = finished(start_import(client_of, b"\x89PNG\r\n\x1a\nnot a vcard at all\r\n"))
    assert transfer.state == "failed" and "contains no vCards" in transfer.error
    assert "contains no vCards" in client_of.get(f"/transfers/{transfer.pk}/").content.decode()
    assert server_cards(person) == []


def test_cancel_stops_a_running_import(client_of, person):
    transfer = start_import(client_of, "".join(card(n) for n in range(1, 1201)).encode())

    def some_written() -> Transfer | None:
        transfer.refresh_from_db()
        return transfer if transfer.done or transfer.finished else None

    wait_until(some_written, timeout=120, interval=0.05, message="the first batch of cards")
    assert transfer.state == "running", "the import was still running when Cancel was pressed"
    assert client_of.post(f"/transfers/{transfer.pk}/cancel/").status_code == 302
    transfer = finished(transfer)
    assert transfer.state == "cancelled"
    on_server = server_cards(person)
    assert 0 < len(on_server) < 1200
    assert len(on_server) == transfer.done, "the cards counted are the cards written"
    assert not transfer_dir(transfer).exists(), "the upload is removed when the import ends"
