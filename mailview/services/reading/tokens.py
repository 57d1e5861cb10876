"""Signed, short-lived part URLs for the sandboxed message body.

A document in an iframe sandboxed without allow-same-origin is a foreign origin:
Chromium sends its image requests without the SameSite=Lax session cookie. So
`cid:` images point at part URLs that carry their own token, bound to the user,
folder, UID and section.
"""
from __future__ import annotations

from django.core import signing

SALT = "mailview.part"
MAX_AGE = 6 * 3600


def part_token(*, user_key: str, folder: str, uid: int, section: str) -> str:
    return signing.dumps([user_key, folder, int(uid), section], salt=SALT, compress=True)


def part_token_user(token: str, *, folder: str, uid: int, section: str) -> str | None:
    """The user key the token was made for, if it is valid for exactly this part."""
    try:
        user_key, t_folder, t_uid, t_section = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if (t_folder, t_uid, t_section) != (folder, int(uid), section):
        return None
    return str(user_key)


def part_token_owner(token: str) -> str | None:
    """The user key a valid (signed, unexpired) part token was made for, whatever part it is
    for: who to count an inline image's request against (`webmail.fairness`)."""
    try:
        user_key = signing.loads(token, salt=SALT, max_age=MAX_AGE)[0]
    except (signing.BadSignature, ValueError, TypeError, IndexError, KeyError):
        return None
    return str(user_key)
