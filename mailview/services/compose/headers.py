"""Everything typed that goes into a header, checked: subjects, addresses, file names,
content types, Message-IDs.

Pure functions without I/O. Every value that reaches a header passes
`check_header_text` or `parse_address_list` first: CR, LF and other control
characters are refused with a message naming the field, never silently folded.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from email import policy

from django.utils.translation import gettext as _

from mailview.mime import Address, safe_filename

MAX_SUBJECT = 900
MAX_ADDRESSES = 500

# Characters that must never reach a header: C0/C1 controls (CR, LF, NUL …), DEL,
# and the Unicode line/paragraph separators some parsers treat as line ends.
_HEADER_FORBIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f\x80-\x9f\u2028\u2029]")
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$")
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_MSG_ID = re.compile(r"<[!-;=?-~]{1,250}>")  # printable ASCII except < and >, no spaces


class InvalidHeaderInput(ValueError):
    """Something typed cannot go into a header; the message is for the person."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def check_header_text(value: str, *, field: str, max_length: int = MAX_SUBJECT) -> str:
    """A one-line header text: refused if it holds a line break or control character."""
    text = (value or "").replace("\t", " ")
    if _HEADER_FORBIDDEN.search(text):
        raise InvalidHeaderInput(
            _("%(field)s must be a single line (line breaks and control characters are not allowed).") % {"field": field}, field=field
        )
    text = text.strip()
    if len(text) > max_length:
        raise InvalidHeaderInput(_("%(field)s is too long.") % {"field": field}, field=field)
    return text


def _split_addresses(value: str) -> list[str]:
    """Split on commas and semicolons outside quotes and angle brackets."""
    chunks, current, quoted, angle, escaped = [], [], False, False, False
    for ch in value:
        if escaped:
            current.append(ch)
            escaped = False
            continue
        if ch == "\\" and quoted:
            current.append(ch)
            escaped = True
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "<" and not quoted:
            angle = True
        elif ch == ">" and not quoted:
            angle = False
        if ch in ",;" and not quoted and not angle:
            chunks.append("".join(current))
            current = []
            continue
        current.append(ch)
    chunks.append("".join(current))
    return [c.strip() for c in chunks if c.strip()]


def _ascii_domain(domain: str) -> str | None:
    domain = domain.strip().rstrip(".")
    if not domain:
        return None
    try:
        ascii_domain = domain.encode("idna").decode("ascii") if not domain.isascii() else domain
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(ascii_domain) > 253 or len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return None
    return ascii_domain.lower()


def parse_single_address(value: str, *, field: str) -> Address:
    found = parse_address_list(value, field=field)
    if len(found) != 1:
        raise InvalidHeaderInput(_("%(field)s must be one address.") % {"field": field}, field=field)
    return found[0]


def parse_one_address(chunk: str) -> Address | None:
    """One address, or None when `chunk` is not exactly one valid address."""
    try:
        header = policy.default.header_factory("To", chunk)
        addresses = list(getattr(header, "addresses", ()))
    except Exception:  # noqa: BLE001 - the stdlib parser raises on some malformed input
        return None
    if len(addresses) != 1 or any(type(d).__name__ in ("InvalidHeaderDefect", "NonASCIILocalPartDefect") for d in header.defects):
        return None
    found = addresses[0]
    local, domain = found.username, _ascii_domain(found.domain or "")
    if not local or domain is None or not _LOCAL_PART.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return None
    name = found.display_name.strip()
    if _HEADER_FORBIDDEN.search(name) or len(name) > 200:
        return None
    return Address(name=name, email=f"{local}@{domain}")


def parse_address_list(value: str, *, field: str, strict: bool = True) -> list[Address]:
    """`Name <a@b.c>, "Doe, J" <j@d.e>; x@y.z` → addresses (duplicates dropped).

    Strict: any chunk that is not one valid address is refused, naming it. Not
    strict (autosave while typing): invalid chunks are left out. CR/LF is refused
    either way.
    """
    text = value or ""
    if re.search("[\r\n\x00\u2028\u2029\x85]", text):
        raise InvalidHeaderInput(_("%(field)s must not contain line breaks.") % {"field": field}, field=field)
    out: list[Address] = []
    seen: set[str] = set()
    for chunk in _split_addresses(text.replace("\t", " ")):
        address = parse_one_address(chunk)
        if address is None:
            if strict:
                raise InvalidHeaderInput(
                    _("“%(address)s” in %(field)s is not a valid email address.") % {"address": chunk[:100], "field": field}, field=field
                )
            continue
        if address.email.lower() not in seen:
            seen.add(address.email.lower())
            out.append(address)
    if len(out) > MAX_ADDRESSES:
        raise InvalidHeaderInput(_("%(field)s has too many addresses.") % {"field": field}, field=field)
    return out


def format_addresses(addresses: Iterable[Address]) -> str:
    """For a form field: parseable again by `parse_address_list`."""
    return ", ".join(str(a) for a in addresses if a.email)


def check_filename(value: str) -> str:
    """An upload's name: refused with a line break or control character, else made safe."""
    if _HEADER_FORBIDDEN.search(value or ""):
        raise InvalidHeaderInput(_("The file name must not contain line breaks or control characters."), field="filename")
    return safe_filename(value)


def check_content_type(value: str) -> str:
    text = (value or "").strip().lower()
    return text if _CONTENT_TYPE.match(text) else "application/octet-stream"


def clean_message_ids(value: str, *, limit: int = 30) -> list[str]:
    """Message-IDs found in a (hostile) header, well-formed ones only; the first and the last `limit - 1`."""
    found = _MSG_ID.findall(value or "")
    if len(found) > limit:
        found = found[:1] + found[-(limit - 1) :]
    return found


def new_message_id(sender_email: str) -> str:
    domain = _ascii_domain(sender_email.rsplit("@", 1)[-1]) or "webmail.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def message_id_valid(value: str) -> bool:
    """One well-formed Message-ID, angle brackets included."""
    return bool(_MSG_ID.fullmatch(value or ""))
