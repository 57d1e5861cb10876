""""Filter messages like this": what a new rule starts from, read from one message's header."""
from __future__ import annotations

import email
from email import policy
from email.utils import getaddresses

from mailview.imap.connection import ImapConnection
from mailview.mime import decode_header_value


def message_filter_hints(*, imap: ImapConnection, folder: str, uid: int) -> dict[str, str]:
    """The sender's address, the subject and the List-Id of a message (empty strings when
    absent). Raises the IMAP layer's errors (MessageNotFound, MailboxNotFound, ...)."""
    imap.select(folder)
    raw = imap.fetch_header(uid) or b""
    message = email.message_from_bytes(raw, policy=policy.compat32)

    def header(name: str) -> str:
        value = message.get(name)
        if value is None:
            return ""
        data = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else bytes(value)
        return " ".join(decode_header_value(data).split())[:300]

    senders = getaddresses([header("From")])
    list_id = header("List-Id")
    if "<" in list_id:
        list_id = list_id.rsplit("<", 1)[1].split(">", 1)[0].strip()
    return {"from": senders[0][1] if senders else "", "subject": header("Subject"), "list_id": list_id}
