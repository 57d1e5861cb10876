"""Importing a .vcf into the person's address book: a `Transfer` of kind "contacts", run by the
`transfer_run` Celery task like the mail imports (`services/transfer/`), with its progress bar
and Cancel at /transfers/<id>/.

The uploaded file (kept under the transfer's directory, at most WEBMAIL_CONTACTS_IMPORT_MAX_BYTES)
is read twice, card by card (`cards.cards_read`: memory stays at about one card): once to count
the cards (the "n of N"), once to parse each with vobject and write it to the CardDAV server
(`book.ContactsWriter`, one PUT a card). Progress is saved every BATCH cards, which is also where
Cancel is seen. A card that cannot be imported (unreadable, too large, without a name or an
address, refused by the server) is counted and reported with its number, name and reason; it
never stops the import. Only the server itself failing does (ContactsUnavailable).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mailview.models import Transfer
from mailview.services.transfer.store import TransferRefused, transfer_dir, transfer_progress

from .book import CardRefused, ContactsWriter
from .cards import Contact, GroupCard, RawCard, card_parse, cards_read

# Cards written between two progress saves (and Cancel checks).
BATCH = 50
# Failed cards named one by one in the report (all are counted).
MAX_REPORTED = 200

REASONS = {
    "unreadable": gettext_lazy("not a vCard that can be read"),
    "too_large": gettext_lazy("too large"),
    "incomplete": gettext_lazy("the file ends inside it (no END:VCARD)"),
    "empty": gettext_lazy("neither a name nor an e-mail address"),
    "group": gettext_lazy("a group card (groups are imported as the contacts' categories)"),
    "changed": gettext_lazy("changed on the server meanwhile"),
    "refused": gettext_lazy("refused by the address book server"),
}


@dataclass(frozen=True)
class CardFailure:
    number: int
    name: str
    reason: str  # a sentence in the reader's language


@dataclass(frozen=True)
class ContactsImportReport:
    added: int
    updated: int
    failed: int
    failures: list[CardFailure]  # the first MAX_REPORTED


def contacts_import_upload(transfer: Transfer) -> Path:
    return transfer_dir(transfer) / "upload" / "0000"


def _contact(raw: RawCard, transfer: Transfer) -> Contact | str:
    """The card as a contact to write, or why it is not imported."""
    if raw.problem:
        return raw.problem
    parsed = card_parse(raw.text)
    if isinstance(parsed, GroupCard):
        return "group"
    if parsed is None:
        return "unreadable"
    if not (parsed.display_name or parsed.emails):
        return "empty"
    if not parsed.uid:
        # The same UID if the task runs again (its worker died): the card is updated, not doubled.
        parsed.uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"webmail-import:{transfer.pk}:{raw.number}"))
    return parsed


def contacts_file_import(*, transfer: Transfer) -> None:
    """Write every card of the uploaded file to the person's address book. A task run again
    (its worker died) goes on after the cards the first run recorded. Raises TransferRefused
    (no cards in the file), ContactsUnavailable (the server cannot be used), TransferCancelled."""
    path = contacts_import_upload(transfer)
    with open(path, "rb") as handle:
        total = sum(1 for _card in cards_read(handle))
    if total == 0:
        raise TransferRefused(_("This file contains no vCards (.vcf)."))
    report = dict(transfer.report or {})
    added, updated = int(report.get("added", 0)), int(report.get("updated", 0))
    failures: list[dict[str, object]] = list(report.get("failures", []))
    done, failed = transfer.done, transfer.skipped
    already = done + failed
    transfer_progress(transfer, total=total)
    writer = ContactsWriter(user=transfer.user)

    def save() -> None:
        transfer_progress(
            transfer, done=done, skipped=failed, report={"added": added, "updated": updated, "failures": failures},
        )

    try:
        with open(path, "rb") as handle:
            for raw in cards_read(handle):
                if raw.number <= already:
                    continue
                contact = _contact(raw, transfer)
                problem = contact if isinstance(contact, str) else ""
                if isinstance(contact, Contact):
                    try:
                        if writer.put(contact):
                            updated += 1
                        else:
                            added += 1
                        done += 1
                    except CardRefused as exc:
                        problem = exc.code
                if problem:
                    failed += 1
                    if len(failures) < MAX_REPORTED:
                        name = contact.display_name if isinstance(contact, Contact) else raw.label
                        failures.append({"n": raw.number, "name": name[:100], "reason": problem})
                if (done + failed) % BATCH == 0:
                    save()
    finally:
        writer.close()
    save()


def contacts_import_report(transfer: Transfer) -> ContactsImportReport:
    """What a contacts import did so far, for its page (reasons in the reader's language)."""
    report = transfer.report if isinstance(transfer.report, dict) else {}
    failures = [
        CardFailure(
            number=int(item.get("n", 0)), name=str(item.get("name", "")),
            reason=str(REASONS.get(str(item.get("reason", "")), REASONS["unreadable"])),
        )
        for item in report.get("failures", [])
        if isinstance(item, dict)
    ]
    return ContactsImportReport(
        added=int(report.get("added", 0)), updated=int(report.get("updated", 0)), failed=transfer.skipped, failures=failures,
    )
