"""vCards ↔ contacts (mailview/services/contacts/cards.py) and the CardDAV door's XML reading,
without a server: what is kept, what is bounded, what never raises."""
from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailview.carddav.client import card_name_valid, parse_multistatus
from mailview.carddav.errors import CardDavProtocolError
from mailview.services.contacts.cards import (
    LINE_PIECE,
    MAX_CARD_CHARS,
    Contact,
    GroupCard,
    RawCard,
    card_parse,
    card_text,
    cards_join,
    cards_read,
)

RICH = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u-1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nEMAIL:ada@example.org\r\n"
    "ADR;TYPE=home:;;12 St James's Square;London;;SW1Y 4JH;UK\r\nBDAY:1815-12-10\r\nX-CUSTOM:kept\r\nEND:VCARD\r\n"
)


def test_a_contact_written_and_read_back_is_the_same():
    contact = Contact(
        full_name="Jürgen Müller, Jr.", given="Jürgen", family="Müller", org="ACME; Inc", emails=["j@example.de", "m@example.de"],
        phones=["+49 30 1"], note="two\nlines, with; punctuation", groups=["Team", "Family"],
    )
    again = card_parse(card_text(contact))
    assert isinstance(again, Contact)
    assert (again.full_name, again.given, again.family, again.org) == ("Jürgen Müller, Jr.", "Jürgen", "Müller", "ACME; Inc")
    assert again.emails == contact.emails and again.phones == contact.phones and again.groups == ["Team", "Family"]
    assert again.note == contact.note and again.uid == contact.uid != ""


def test_writing_keeps_the_properties_the_form_does_not_edit():
    contact = card_parse(RICH)
    assert isinstance(contact, Contact)
    contact.full_name, contact.emails = "Ada King", ["ada@example.com"]
    text = card_text(contact)
    assert "12 St James's Square" in text and "BDAY:1815-12-10" in text and "X-CUSTOM:kept" in text and "UID:u-1" in text
    assert "ada@example.org" not in text and "FN:Ada King" in text


def test_group_cards_of_other_clients_are_read_as_groups():
    group = card_parse("BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Team\r\nMEMBER:urn:uuid:u-1\r\nEND:VCARD\r\n")
    assert group == GroupCard(name="Team", members=frozenset({"u-1"}))
    apple = card_parse(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nFN:Club\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:u-2\r\nEND:VCARD\r\n"
    )
    assert apple == GroupCard(name="Club", members=frozenset({"u-2"}))


def test_reading_a_file_gives_every_card_however_many():
    one = "BEGIN:VCARD\nVERSION:3.0\nFN:x\nEND:VCARD\n"
    cards = list(cards_read(io.BytesIO((one * 1500).encode())))
    assert len(cards) == 1500 and [c.number for c in cards] == list(range(1, 1501))
    assert cards[0] == RawCard(number=1, text="BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nEND:VCARD\r\n", label="x")
    # a BOM, then a Latin-1 card among UTF-8 ones: each card is decoded on its own
    data = b"\xef\xbb\xbfBEGIN:VCARD\r\nFN:\xe4\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:\xc3\xbc\r\nEND:VCARD"
    assert [c.text for c in cards_read(io.BytesIO(data))] == ["BEGIN:VCARD\r\nFN:ä\r\nEND:VCARD\r\n", "BEGIN:VCARD\r\nFN:ü\r\nEND:VCARD\r\n"]
    assert cards_join(["A\nB\n", "C\r\n"]) == "A\r\nB\r\nC\r\n"


def test_reading_a_hostile_file_reports_cards_it_cannot_hold_and_goes_on():
    huge_line = b"NOTE:" + b"x" * (MAX_CARD_CHARS + LINE_PIECE * 2) + b"\r\n"
    data = (
        b"garbage before\r\nEND:VCARD\r\n"  # an END outside a card is ignored
        b"BEGIN:VCARD\r\nFN:Too Big\r\n" + huge_line + b"END:VCARD\r\n"
        b"BEGIN:VCARD\r\nFN:Agent\r\nAGENT:\r\nBEGIN:VCARD\r\nFN:Inner\r\nEND:VCARD\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nNOTE:BEGIN:VCARD\r\nFN:Fine\r\nEND:VCARD\r\n"  # a marker inside a value is not one
        b"BEGIN:VCARD\r\nFN:Cut off\r\nBEGIN:VCARD\r\n"
    )
    cards = list(cards_read(io.BytesIO(data)))
    assert [(c.number, c.problem, c.label) for c in cards] == [
        (1, "too_large", "Too Big"), (2, "", "Agent"), (3, "", "Fine"), (4, "incomplete", "Cut off"),
    ]
    assert "FN:Inner" in cards[1].text and cards[0].text == ""
    assert list(cards_read(io.BytesIO(b""))) == [] and list(cards_read(io.BytesIO(b"\x00\xff" * 10_000))) == []


@given(st.text(max_size=400))
def test_reading_any_text_never_raises(text):
    card_parse(text)
    card_parse("BEGIN:VCARD\r\nVERSION:3.0\r\n" + text + "\r\nEND:VCARD\r\n")


def test_card_names_are_plain():
    assert card_name_valid("0f8c1a2e-1b7e-4d0e-9a55-3c1f3a0e6a11.vcf")
    for bad in ("", ".", "..", "../x", "a/b", "a\nb", "x" * 300, "%2e%2e"):
        assert not card_name_valid(bad)


def test_dav_answers_with_dtds_or_entities_are_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><multistatus xmlns="DAV:">&b;</multistatus>'
    with pytest.raises(CardDavProtocolError):
        parse_multistatus(bomb)
    with pytest.raises(CardDavProtocolError):
        parse_multistatus(b"not xml")
    found = parse_multistatus(
        b'<d:multistatus xmlns:d="DAV:"><d:response><d:href>/a/b.vcf</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag>'
        b"</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat><d:propstat><d:prop><d:displayname/></d:prop>"
        b"<d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response></d:multistatus>"
    )
    assert [r.href for r in found] == ["/a/b.vcf"] and list(found[0].props) == ["{DAV:}getetag"]
