"""Trusting a message's sender: their remote content is always shown from now on."""
from __future__ import annotations

from django.contrib.auth.models import User

from accounts.services import sender_trust
from mailview.imap.connection import ImapConnection
from mailview.services.reading.messages import message_meta


def message_sender_trust(*, imap: ImapConnection, user: User, folder: str, uid: int) -> str | None:
    """Trust the Sender of this message (envelope Sender, as the server reports it); returns
    that address, or None when the message names none. MessageNotFound when it is gone."""
    _selected, meta = message_meta(imap=imap, folder=folder, uid=uid)
    if not meta.sender:
        return None
    email = meta.sender[0].email
    sender_trust(user=user, email=email)
    return email
