"""Attachments uploaded in chunks, kept on disk until the message is sent or discarded.

Files live under settings.WEBMAIL_UPLOAD_DIR/<user id>/<compose id>/<attachment id>:
names chosen by us, never by the browser (its filename is only a header value).
A chunk is accepted only at the offset already received, so a retried request
is harmless, and never beyond the size declared (and checked against the SMTP
server's limit) when the upload started.
"""
from __future__ import annotations

import fcntl
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mailview.models import Compose, ComposeAttachment
from mailview.services.compose.building import estimated_size
from mailview.services.compose.headers import check_content_type, check_filename

MAX_ATTACHMENTS = 100


class UploadRefused(Exception):
    """Refused with a message for the person and an HTTP status."""

    def __init__(self, message: str, *, status: int = 400, received: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.received = received


@dataclass(frozen=True)
class UploadState:
    id: str
    filename: str
    size: int
    received: int

    @property
    def complete(self) -> bool:
        return self.received == self.size


def compose_dir(compose: Compose) -> Path:
    return Path(settings.WEBMAIL_UPLOAD_DIR) / str(int(compose.user_id)) / compose.pk.hex


def attachment_path(attachment: ComposeAttachment) -> Path:
    return compose_dir(attachment.compose) / attachment.pk.hex


def too_big_message(*, filename: str, limit: int, size: int) -> str:
    return _(
        "“%(name)s” is too big to send: your mail server accepts messages up to %(limit)s, "
        "and with this file the message would be about %(size)s."
    ) % {"name": filename, "limit": filesizeformat(limit), "size": filesizeformat(size)}


def compose_estimated_size(compose: Compose, *, extra_file: int = 0) -> int:
    files = sum(a.size for a in compose.attachments.all()) + extra_file
    return estimated_size(text_chars=len(compose.body_text) + len(compose.body_html), attachment_bytes=files)


def uploads_pending_bytes(*, user_id: int) -> int:
    """What a person's uploads not yet sent or discarded take up (declared sizes, all drafts;
    a sent message's files are gone, though its rows stay a few days)."""
    pending = ComposeAttachment.objects.filter(compose__user_id=user_id).exclude(compose__state=Compose.State.SENT)
    return int(pending.aggregate(total=Sum("size"))["total"] or 0)


def quota_message(*, used: int, quota: int) -> str:
    return _(
        "This file is too big for the space left for your uploads: attachments waiting to be sent take up "
        "%(used)s of %(quota)s. Send or discard some drafts, or remove attachments, first."
    ) % {"used": filesizeformat(used), "quota": filesizeformat(quota)}


def upload_start(*, compose: Compose, filename: str, size: int, content_type: str, limit: int) -> ComposeAttachment:
    """Register a new upload after checking its name, that the message stays under `limit`
    and that the person's pending uploads stay under WEBMAIL_UPLOAD_QUOTA_BYTES."""
    name = check_filename(filename)
    if size < 0:
        raise UploadRefused(_("The file size is missing."))
    if compose.attachments.count() >= MAX_ATTACHMENTS:
        raise UploadRefused(_("Too many attachments."))
    total = compose_estimated_size(compose, extra_file=size)
    if total > limit:
        raise UploadRefused(too_big_message(filename=name, limit=limit, size=total), status=413)
    used, quota = uploads_pending_bytes(user_id=int(compose.user_id)), int(settings.WEBMAIL_UPLOAD_QUOTA_BYTES)
    if used + size > quota:
        raise UploadRefused(quota_message(used=used, quota=quota), status=413)
    attachment = ComposeAttachment.objects.create(compose=compose, filename=name, content_type=check_content_type(content_type), size=size)
    path = attachment_path(attachment)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.touch(mode=0o600)
    return attachment


def upload_chunk(*, attachment: ComposeAttachment, offset: int, data: bytes) -> int:
    """Append `data` at `offset`; returns the bytes received so far.

    Offsets make retries idempotent: a chunk already stored is acknowledged, a gap
    is refused (409, with what the server has, so the browser resumes from there).
    """
    path = attachment_path(attachment)
    with path.open("r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # one writer per file, across processes
        attachment.refresh_from_db(fields=["received", "size"])
        received = attachment.received
        if offset + len(data) <= received:
            return received  # a retry of a chunk we already have
        if offset != received:
            raise UploadRefused(_("Upload out of order."), status=409, received=received)
        if received + len(data) > attachment.size:
            raise UploadRefused(_("The file is larger than announced."), status=413, received=received)
        handle.seek(received)
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
        received += len(data)
        ComposeAttachment.objects.filter(pk=attachment.pk).update(received=received)
    attachment.received = received
    return received


def upload_read(attachment: ComposeAttachment) -> bytes:
    return attachment_path(attachment).read_bytes()


def upload_delete(*, attachment: ComposeAttachment) -> None:
    path = attachment_path(attachment)
    with transaction.atomic():
        attachment.delete()
    path.unlink(missing_ok=True)


def uploads_purge(*, compose: Compose) -> None:
    """Remove every uploaded file of a compose (after sending, or when discarded)."""
    shutil.rmtree(compose_dir(compose), ignore_errors=True)


def upload_states(compose: Compose) -> list[UploadState]:
    return [UploadState(id=str(a.pk), filename=a.filename, size=a.size, received=a.received) for a in compose.attachments.all()]
