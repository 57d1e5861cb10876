"""The rows of a message list, rendered in Python: the one place that builds them.

The list is the most viewed page and is re-fetched by live updates; the template
language spent ~170 µs a row on it (lookups, per-row translations and date formats),
so this renders the same markup with formats and labels looked up once per page.
A template loop over precomputed per-row values (bench/list_rows.py) still costs
~2-4 ms more per 50-row page than this (5.1 vs 3.0 ms best case), so the rows stay
here; the rest of the page, the header cells included, is templates/mailview/message_list.html.
Every value from mail is escaped here.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import quote

from django import template
from django.templatetags.static import static
from django.utils import dateformat, formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from mailview.services.reading.conversations import Conversation
from mailview.services.reading.messages import MessageSummary
from mailview.services.reading.search import SearchHit

from .mail_format import local_time, mail_size
from .mail_urls import conversation_url, folder_url, message_url

register = template.Library()


class _Formats:
    """Per-page constants: translated labels, date formats, today."""

    def __init__(self) -> None:
        self.select = escape(gettext("Select"))
        self.flagged = escape(gettext("Flagged"))
        self.no_subject = gettext("(no subject)")
        self.unknown_sender = gettext("(unknown sender)")
        self.unread_note = f'<span class="visually-hidden"> ({escape(gettext("unread"))})</span>'
        self.attachments = escape(gettext("Has attachments"))
        self.icons = escape(static("img/icons.svg"))
        self.datetime_format = formats.get_format("DATETIME_FORMAT")
        self.short_date_format = formats.get_format("SHORT_DATE_FORMAT")
        self.day_month_format = formats.get_format("j M")
        self.time_format = formats.get_format("H:i")
        self.today = timezone.localdate()
        self.yesterday = self.today - timedelta(days=1)
        self.yesterday_text = gettext("yesterday")

    @staticmethod
    def messages_in(count: int) -> str:
        return ngettext("%(n)d message", "%(n)d messages", count) % {"n": count}

    def time_element(self, value: datetime | None) -> str:
        """The `<time>` of a row: the time today, day and month this year, else the date."""
        if not isinstance(value, datetime):
            return ""
        local = local_time(value)
        if local.date() == self.today:
            short = dateformat.time_format(local, self.time_format)
        elif local.date() == self.yesterday:
            short = self.yesterday_text
        elif local.year == self.today.year:
            short = dateformat.format(local, self.day_month_format)
        else:
            short = dateformat.format(local, self.short_date_format)
        return f'<time datetime="{escape(local.isoformat())}" title="{escape(dateformat.format(local, self.datetime_format))}">{escape(short)}</time>'


def _row(m: MessageSummary, folder: str, f: _Formats, folder_label: str | None = None) -> str:
    subject = escape(m.subject or f.no_subject)
    labels = "".join(f'<span class="label-chip label-color-{int(label.color)}">{escape(label.name)}</span> ' for label in m.labels)
    classes = "message" + ("" if m.seen else " unread") + (" flagged" if m.flagged else "")
    # The preview is text from the mail (hostile): escaped like every other value here.
    preview = f' <span class="preview">{escape(m.preview)}</span>' if m.preview else ""
    attach = (
        f'<svg class="icon paperclip" role="img" aria-label="{f.attachments}"><title>{f.attachments}</title>'
        f'<use href="{f.icons}#paperclip"></use></svg>'
        if m.has_attachment else ""
    )
    if folder_label is None:
        row_attrs = f'data-uid="{int(m.uid)}" draggable="true"'
        check = f'<input type="checkbox" name="uid" value="{int(m.uid)}" aria-label="{f.select}: {subject}">'
        folder_cell = ""
    else:
        # A search result: its folder is shown, and the checkbox names folder and UID.
        ref = escape(quote(folder, safe="") + "/" + str(int(m.uid)))
        row_attrs = f'data-uid="{int(m.uid)}" data-folder="{escape(folder)}" data-ref="{ref}"'
        check = f'<input type="checkbox" name="ref" value="{ref}" aria-label="{f.select}: {subject}">'
        folder_cell = f'      <td class="col-folder"><a href="{escape(folder_url(folder))}">{escape(folder_label)}</a></td>\n'
    return (
        f'\n    <tr class="{classes}" {row_attrs}>\n'
        f'      <td class="col-check">{check}</td>\n'
        f'      <td class="col-flag"><span class="star" title="{f.flagged}"{"" if m.flagged else " hidden"}>★</span></td>\n'
        f'{folder_cell}'
        f'      <td class="col-from" title="{escape(m.correspondent_email)}">{escape(m.correspondent or f.unknown_sender)}</td>\n'
        f'      <td class="col-subject">{labels}<a href="{escape(message_url(folder, m.uid))}">{subject}</a>'
        f'{"" if m.seen else f.unread_note}{preview}</td>\n'
        f'      <td class="col-attach">{attach}</td>\n'
        f'      <td class="col-date">{f.time_element(m.date)}</td>\n'
        f'      <td class="col-size">{escape(mail_size(m.size))}</td>\n'
        f'    </tr>\n  '
    )


# Rows of pages kept under a folder's synced state (`messages.KeptMessages`), as rendered, per
# process: an unchanged watched folder's page renders no row twice. The key holds the state, so
# any change makes a new one; and the language, time zone and day, which the rows show.
_KEPT_ROWS: OrderedDict[tuple[str, str, str, str, str], str] = OrderedDict()
_KEPT_ROWS_SIZE = 64
_kept_rows_lock = threading.Lock()


@register.simple_tag
def message_rows(messages: Iterable[MessageSummary], folder: str) -> SafeString:
    """All `<tr>` rows of one list page."""
    kept = getattr(messages, "rows_key", "")
    key = None
    if kept:
        key = (kept, folder, get_language() or "", timezone.get_current_timezone_name(), timezone.localdate().isoformat())
        with _kept_rows_lock:
            html = _KEPT_ROWS.get(key)
            if html is not None:
                _KEPT_ROWS.move_to_end(key)
                return mark_safe(html)  # noqa: S308 - rendered (and escaped) by _row below
    f = _Formats()
    html = "".join(_row(m, folder, f) for m in messages)
    if key is not None:
        with _kept_rows_lock:
            _KEPT_ROWS[key] = html
            while len(_KEPT_ROWS) > _KEPT_ROWS_SIZE:
                _KEPT_ROWS.popitem(last=False)
    return mark_safe(html)  # noqa: S308 - every value escaped in _row


@register.simple_tag
def search_rows(hits: Iterable[SearchHit]) -> SafeString:
    """The rows of a search across folders: like a list's, with each one's folder."""
    f = _Formats()
    return mark_safe("".join(_row(h.message, h.folder, f, folder_label=h.folder_display) for h in hits))  # noqa: S308 - every value escaped in _row


def _conversation_row(c: Conversation, folder: str, f: _Formats) -> str:
    """A conversation of several messages: its participants, subject, count and newest date;
    the checkbox and `data-uids` carry every message (actions apply to all of them)."""
    m = c.latest
    subject = escape(c.subject or f.no_subject)
    labels = "".join(f'<span class="label-chip label-color-{int(label.color)}">{escape(label.name)}</span> ' for label in m.labels)
    classes = "message conversation" + (" unread" if c.unread else "") + (" flagged" if c.flagged else "")
    uids = " ".join(str(int(u)) for u in c.uids)
    attach = (
        f'<svg class="icon paperclip" role="img" aria-label="{f.attachments}"><title>{f.attachments}</title>'
        f'<use href="{f.icons}#paperclip"></use></svg>'
        if c.has_attachment else ""
    )
    people = ", ".join(c.participants[:3]) + (" …" if len(c.participants) > 3 else "")
    return (
        f'\n    <tr class="{classes}" data-uid="{int(m.uid)}" data-uids="{uids}" draggable="true">\n'
        f'      <td class="col-check"><input type="checkbox" name="uid" value="{",".join(uids.split())}" aria-label="{f.select}: {subject}"></td>\n'
        f'      <td class="col-flag"><span class="star" title="{f.flagged}"{"" if c.flagged else " hidden"}>★</span></td>\n'
        f'      <td class="col-from" title="{escape(m.correspondent_email)}">{escape(people or f.unknown_sender)}</td>\n'
        f'      <td class="col-subject">{labels}<a href="{escape(conversation_url(folder, c.first_uid))}">{subject}</a>'
        f' <span class="thread-count" title="{escape(f.messages_in(c.count))}">{int(c.count)}</span>'
        f'{"" if not c.unread else f.unread_note}</td>\n'
        f'      <td class="col-attach">{attach}</td>\n'
        f'      <td class="col-date">{f.time_element(m.date)}</td>\n'
        f'      <td class="col-size">{escape(mail_size(sum_size(c)))}</td>\n'
        f'    </tr>\n  '
    )


def sum_size(c: Conversation) -> int:
    return c.latest.size if c.count == 1 else sum(m.size for m, _d in c.messages) or c.latest.size


@register.simple_tag
def conversation_rows(conversations: Iterable[Conversation], folder: str, view: str) -> SafeString:
    """The rows of a conversation list: a conversation of one message is exactly the plain
    list's row; the threaded view lists every message of each conversation, indented."""
    f = _Formats()
    out = []
    for c in conversations:
        if view == "threads" and c.count > 1:
            for message, depth in c.messages:
                level = min(int(depth), 8)
                out.append(_row(message, folder, f).replace('<tr class="message', f'<tr data-depth="{level}" class="message thread-depth-{level}', 1))
        elif c.count == 1:
            out.append(_row(c.latest, folder, f))
        else:
            out.append(_conversation_row(c, folder, f))
    return mark_safe("".join(out))  # noqa: S308 - every value escaped in _row and _conversation_row
