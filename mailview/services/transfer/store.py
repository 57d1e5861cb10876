"""The `Transfer` rows and their files under WEBMAIL_EXPORT_DIR: starting, progress, cancel,
ownership, expiry. Files live in `<dir>/<user id>/<transfer id>/`; the beat sweep removes
expired ones."""
from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from mailview.models import Transfer

Kind = Transfer.Kind
State = Transfer.State
# Kinds that read an uploaded file (and make no download).
IMPORTS = (Kind.IMPORT, Kind.CONTACTS)
# Rows are kept this long after their link expired (the page then says "expired").
KEEP_ROWS = timedelta(days=7)


class TransferRefused(Exception):
    """The request cannot be done; `str(exc)` is a sentence for the person."""


class TransferCancelled(Exception):
    """The person pressed Cancel: the task stops at the next batch."""


def transfer_dir(transfer: Transfer) -> Path:
    return Path(settings.WEBMAIL_EXPORT_DIR) / str(int(transfer.user_id)) / str(transfer.pk)


def transfer_uses_imap(transfer: Transfer) -> bool:
    """Whether its task needs an IMAP connection (a contacts import speaks CardDAV only)."""
    return transfer.kind != Kind.CONTACTS


def transfer_start(
    *, user: User, kind: str, folder: str, enqueue: Callable[[str], object], uid: int | None = None, query: str = "",
    uploads: Iterable[UploadedFile] = (),
) -> Transfer:
    """Record a transfer and queue its task (after the transaction commits). An import's
    uploaded files are moved under its directory first (Django spooled them to disk)."""
    if kind not in Kind.values:
        raise TransferRefused(_("Unknown export."))
    if kind == Kind.ATTACHMENTS and not uid:
        raise TransferRefused(_("Choose a message."))
    files = list(uploads)
    if kind == Kind.IMPORT:
        if not files:
            raise TransferRefused(_("Choose an mbox file or .eml files to import."))
        if sum(int(f.size or 0) for f in files) > settings.WEBMAIL_IMPORT_MAX_BYTES:
            raise TransferRefused(_("The files are too large to import at once."))
    if kind == Kind.CONTACTS:
        files = [f for f in files if f.size][:1]
        if not files:
            raise TransferRefused(_("Choose a .vcf file to import."))
        if int(files[0].size or 0) > settings.WEBMAIL_CONTACTS_IMPORT_MAX_BYTES:
            raise TransferRefused(contacts_import_too_large())
    transfer = Transfer.objects.create(
        user=user, kind=kind, folder=folder, uid=uid, query=query[:1000],
        expires_at=timezone.now() + timedelta(hours=settings.WEBMAIL_EXPORT_HOURS),
    )
    if files:
        where = transfer_dir(transfer) / "upload"
        where.mkdir(parents=True, exist_ok=True)
        total = 0
        for index, upload in enumerate(files):
            with open(where / f"{index:04d}", "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
                    total += len(chunk)
        Transfer.objects.filter(pk=transfer.pk).update(size=total, filename=(files[0].name or "")[:255])
    transfer_id = str(transfer.pk)
    transaction.on_commit(lambda: enqueue(transfer_id))
    return transfer


def contacts_import_too_large() -> str:
    return _("That file is too large to import (at most %(size)s).") % {"size": filesizeformat(settings.WEBMAIL_CONTACTS_IMPORT_MAX_BYTES)}


def transfer_for_user(*, user: User, transfer_id: uuid.UUID | str) -> Transfer:
    """Ownership in one place: another person's transfer does not exist (Transfer.DoesNotExist)."""
    try:
        return Transfer.objects.get(pk=transfer_id, user=user)
    except (ValueError, ValidationError) as exc:
        raise Transfer.DoesNotExist(str(transfer_id)) from exc


def transfer_cancel(*, user: User, transfer_id: uuid.UUID | str) -> Transfer:
    """Ask a running transfer to stop (it does at its next batch); a queued one stops now."""
    transfer = transfer_for_user(user=user, transfer_id=transfer_id)
    Transfer.objects.filter(pk=transfer.pk, state__in=[State.QUEUED, State.RUNNING]).update(cancel_requested=True)
    if Transfer.objects.filter(pk=transfer.pk, state=State.QUEUED).update(state=State.CANCELLED):
        _remove_files(transfer)
    transfer.refresh_from_db()
    return transfer


def transfer_download_path(*, transfer: Transfer, now: datetime | None = None) -> Path | None:
    """The finished file of an export, or None when there is none (yet, or any more)."""
    now = now or timezone.now()
    if transfer.kind in IMPORTS or transfer.state != State.DONE or transfer.expires_at <= now or not transfer.path:
        return None
    path = Path(transfer.path)
    return path if path.is_file() else None


def transfer_expired(transfer: Transfer, *, now: datetime | None = None) -> bool:
    return transfer.expires_at <= (now or timezone.now())


def transfer_claim(transfer_id: str) -> Transfer | None:
    """Mark a transfer running (a redelivered task takes over a running one); None when it
    is finished or cancelled, or gone."""
    Transfer.objects.filter(pk=transfer_id, state=State.QUEUED).update(state=State.RUNNING)
    transfer = Transfer.objects.filter(pk=transfer_id, state=State.RUNNING).first()
    if transfer is not None and transfer.cancel_requested:
        transfer_finish(transfer, state=State.CANCELLED)
        return None
    return transfer


def transfer_progress(transfer: Transfer, **fields: object) -> None:
    """Save progress; raises TransferCancelled when the person pressed Cancel meanwhile."""
    for name, value in fields.items():
        setattr(transfer, name, value)
    Transfer.objects.filter(pk=transfer.pk).update(updated_at=timezone.now(), **fields)
    if Transfer.objects.filter(pk=transfer.pk, cancel_requested=True).exists():
        raise TransferCancelled(str(transfer.pk))


def transfer_finish(transfer: Transfer, *, state: str, error: str = "", path: str = "", filename: str = "") -> None:
    """The end: its state, and the file to download (exports). A failed or cancelled one
    leaves no file behind; an import's upload is removed either way."""
    fields: dict[str, object] = {"state": state, "error": error[:500], "updated_at": timezone.now()}
    if path:
        fields["path"] = path
    if filename:
        fields["filename"] = filename[:255]
    Transfer.objects.filter(pk=transfer.pk).update(**fields)
    if state != State.DONE:
        _remove_files(transfer)
    elif transfer.kind in IMPORTS:
        shutil.rmtree(transfer_dir(transfer), ignore_errors=True)


def _remove_files(transfer: Transfer) -> None:
    shutil.rmtree(transfer_dir(transfer), ignore_errors=True)


def transfer_cleanup(*, now: datetime | None = None) -> int:
    """Beat: remove the files of expired transfers (and rows long expired). Returns how many
    files were removed."""
    now = now or timezone.now()
    removed = 0
    for transfer in Transfer.objects.filter(expires_at__lte=now).exclude(path=""):
        _remove_files(transfer)
        Transfer.objects.filter(pk=transfer.pk).update(path="")
        removed += 1
    for transfer in Transfer.objects.filter(expires_at__lte=now, state__in=[State.QUEUED, State.RUNNING]):
        transfer_finish(transfer, state=State.FAILED, error="expired")
    Transfer.objects.filter(expires_at__lte=now - KEEP_ROWS).delete()
    return removed
