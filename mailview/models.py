"""What the app keeps about mail being written: the compose session and its uploads.

Mail itself stays on the IMAP server (drafts in the \\Drafts folder); these rows
hold what IMAP cannot: which draft UID is the current version, where an upload
is on disk, and the state of a send, written before and after SMTP so a task
that runs twice never sends twice.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Compose(models.Model):
    """One message being written, from the compose page to Sent.

    States (see `mailview.services.compose.sending`):
      draft       being edited (autosaved to IMAP as it goes)
      queued      the person pressed Send; a task is (or will be) on the broker. With
                  `send_at` in the future it waits there (undo send, send later) and
                  can be recalled to `draft` until then
      sending     a worker claimed it and is talking SMTP up to RCPT TO
      submitting  DATA is under way: if a worker dies here we cannot know whether
                  the server took it, so it is never sent again automatically
      submitted   the server accepted it; copying to Sent, deleting the draft, flags
      sent        all done
      failed      refused or gave up; the message is kept as a draft
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SUBMITTING = "submitting", _("submitting")
        SUBMITTED = "submitted", _("submitted")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    class Source(models.TextChoices):
        NEW = "new", _("new message")
        REPLY = "reply", _("reply")
        REPLY_ALL = "reply_all", _("reply to all")
        FORWARD = "forward", _("forward")
        DRAFT = "draft", _("resumed draft")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="composes")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What the person wrote, as last saved.
    identity = models.ForeignKey("accounts.Identity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to = models.TextField(blank=True)
    cc = models.TextField(blank=True)
    bcc = models.TextField(blank=True)
    subject = models.CharField(max_length=998, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)  # sanitized; empty for plain text

    # Threading, and the one Message-ID every draft version and the sent message carry.
    message_id = models.CharField(max_length=250, unique=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)

    # The message replied to or forwarded.
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.NEW)
    source_folder = models.CharField(max_length=1000, blank=True)
    source_uid = models.PositiveBigIntegerField(null=True, blank=True)
    forward_as_attachment = models.BooleanField(default=False)
    forward_sections = models.JSONField(default=list, blank=True)  # original attachments kept (inline forward)

    # The current draft version on the server.
    draft_folder = models.CharField(max_length=1000, blank=True)
    draft_uid = models.PositiveBigIntegerField(null=True, blank=True)
    draft_hash = models.CharField(max_length=64, blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)

    # Sending.
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    envelope_from = models.CharField(max_length=320, blank=True)
    envelope_to = models.JSONField(default=list, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=20, blank=True)
    error_detail = models.CharField(max_length=500, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    # When a queued message goes out (undo delay or "send later"); null: at once.
    send_at = models.DateTimeField(null=True, blank=True, db_index=True)
    send_later = models.BooleanField(default=False)  # scheduled by the person (listed at /mail/scheduled/)

    class Meta:
        verbose_name = _("message being written")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.subject or '(no subject)'} [{self.state}]"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.FAILED)


class ComposeAttachment(models.Model):
    """A file uploaded in chunks for a compose; on disk (never in the repo) until sent or discarded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    compose = models.ForeignKey(Compose, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=127, default="application/octet-stream")
    size = models.PositiveBigIntegerField()  # declared by the browser, enforced on every chunk
    received = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def complete(self) -> bool:
        return self.received == self.size


class Snooze(models.Model):
    """A snoozed message: it waits in the Snoozed folder on the IMAP server (other devices see
    it there) and this row says when it comes back, and where to (`services/filing/snooze.py`).
    Found again by UID (under `uidvalidity`), else by its Message-ID."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="snoozes")
    folder = models.CharField(max_length=1000)  # the Snoozed folder it waits in
    uid = models.PositiveBigIntegerField(null=True, blank=True)  # its UID there (null: the server did not say)
    uidvalidity = models.PositiveBigIntegerField(null=True, blank=True)
    message_id = models.CharField(max_length=998, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    sender = models.CharField(max_length=998, blank=True)
    return_to = models.CharField(max_length=1000, default="INBOX")
    due_at = models.DateTimeField(db_index=True)
    # Set while a sweep (or "unsnooze now") brings it back; a claim older than a few minutes
    # is a worker that died, and is taken over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return f"{self.subject or '(no subject)'} until {self.due_at:%Y-%m-%d %H:%M}"


class Transfer(models.Model):
    """One import or export (a Celery task with progress, `services/transfer/`): what to do,
    how far it is, and the file it reads or writes under WEBMAIL_EXPORT_DIR."""

    class Kind(models.TextChoices):
        ATTACHMENTS = "attachments", _("attachments as zip")
        MBOX = "mbox", _("export as mbox")
        EML_ZIP = "eml_zip", _("export as zip of .eml files")
        IMPORT = "import", _("import")
        CONTACTS = "contacts", _("contacts import")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    folder = models.CharField(max_length=1000)
    uid = models.PositiveBigIntegerField(null=True, blank=True)  # attachments: the message
    query = models.CharField(max_length=1000, blank=True)  # export of a search within the folder
    filename = models.CharField(max_length=255, blank=True)  # what the download (or the upload) is called
    path = models.CharField(max_length=1000, blank=True)  # under WEBMAIL_EXPORT_DIR
    total = models.PositiveIntegerField(default=0)  # messages (or attachments) to do
    done = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # import: entries that were not mail (contacts: cards not imported)
    size = models.PositiveBigIntegerField(default=0)  # bytes written (export) or uploaded (import)
    position = models.PositiveBigIntegerField(default=0)  # import: bytes of the upload read so far
    cancel_requested = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True)
    # contacts: {"added": n, "updated": n, "failures": [{"n": card number, "name": .., "reason": code}, ...]}
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.folder} [{self.state}]"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.CANCELLED)
