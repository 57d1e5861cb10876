"""MIME, without I/O: BODYSTRUCTURE -> typed tree, what to fetch for display,
and decoding of what comes back.

    from mailview.mime import parse_bodystructure, display_plan, decode_transfer, decode_text

    root = parse_bodystructure(fetched[uid][b"BODYSTRUCTURE"])
    plan = display_plan(root, prefer_plain=False)
    for part in plan.body_parts:          # fetch BODY.PEEK[part.section] for these only
        text = decode_text(decode_transfer(raw, part.encoding), part.charset)

Rules of display_plan:
* multipart/alternative: text/html preferred (text/plain with prefer_plain),
  falling back to whatever exists; an invitation (text/calendar) or an
  explicit attachment inside a branch not chosen is still listed;
* multipart/related: the root (``start`` parameter, else the first child) is
  shown, the other children with a Content-ID and an image type are inline
  images (served by part URLs, not listed as attachments);
* multipart/mixed and any unknown multipart: inline prose text in order,
  everything else an attachment; a text part with a filename or
  ``disposition: attachment`` is an attachment;
* multipart/signed: first part shown, the signature listed (it does not set
  ``has_attachments``); multipart/report and message/delivery-status (and
  other report message/* types) are shown as text;
* message/rfc822: listed (download as .eml) and shown nested, its body parts
  marked in ``DisplayPlan.nested_in``;
* nesting deeper than MAX_DEPTH (32): the remaining leaves are attachments.
"""
from __future__ import annotations

from .decode import (
    decode_header_value,
    decode_text,
    decode_transfer,
    safe_filename,
    transfer_damaged,
)
from .structure import (
    MAX_DEPTH,
    Address,
    DisplayPlan,
    EmbeddedMessage,
    MimePart,
    Params,
    cid_map,
    display_plan,
    find_part,
    has_attachment,
    iter_parts,
    parse_bodystructure,
    parse_envelope_addresses,
)

__all__ = [
    "MAX_DEPTH",
    "Address",
    "DisplayPlan",
    "EmbeddedMessage",
    "MimePart",
    "Params",
    "cid_map",
    "decode_header_value",
    "decode_text",
    "decode_transfer",
    "display_plan",
    "find_part",
    "has_attachment",
    "iter_parts",
    "parse_bodystructure",
    "parse_envelope_addresses",
    "safe_filename",
    "transfer_damaged",
]
