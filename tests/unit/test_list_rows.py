"""The message list's rows, rendered in Python: escaping, dates, flags, labels."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from django.utils import timezone, translation

from mailview.services.reading.messages import Label, MessageSummary
from mailview.templatetags.mail_list import message_rows

HOSTILE = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>&amp;'


def summary(**changes) -> MessageSummary:
    values = dict(
        uid=7, subject="Hello", correspondent="Ann", correspondent_email="ann@example.org", date=timezone.now(), size=2048,
        seen=True, flagged=False, answered=False, draft=False, has_attachment=False, labels=(),
    )
    values.update(changes)
    return MessageSummary(**values)


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Collect:
    parser = Collect()
    parser.feed(html)
    return parser


def test_values_from_mail_are_text_never_markup():
    row = summary(subject=HOSTILE, correspondent=HOSTILE, correspondent_email=HOSTILE, labels=(Label(name=HOSTILE, color=3),))
    html = str(message_rows([row], "Work/<b>"))
    parsed = parse(html)
    assert {tag for tag, _ in parsed.tags} <= {"tr", "td", "input", "span", "a", "time"}
    assert all(not name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    assert "".join(parsed.text).count(HOSTILE) == 3  # sender, label and subject, shown as text
    link = next(attrs for tag, attrs in parsed.tags if tag == "a")
    assert link["href"] == "/mail/Work%2F%3Cb%3E/7/"


def test_flags_attachments_and_missing_values():
    html = str(message_rows([summary(seen=False, flagged=True, has_attachment=True, subject="", correspondent="")], "INBOX"))
    assert '<tr class="message unread flagged" data-uid="7"' in html
    assert "#paperclip" in html and "(no subject)" in html and "(unknown sender)" in html and "(unread)" in html
    assert ' hidden>★' not in html  # the star shows
    plain = str(message_rows([summary()], "INBOX"))
    assert '<tr class="message" data-uid="7"' in plain and "#paperclip" not in plain and ' hidden>★' in plain


def test_dates_read_like_a_mail_client():
    now = timezone.localtime()
    today = summary(date=now.replace(hour=9, minute=5))
    this_year = summary(date=datetime(now.year, 1, 2, 12, 0, tzinfo=UTC) if now.month > 1 else now - timedelta(days=400))
    long_ago = summary(date=datetime(2001, 3, 4, 12, 0, tzinfo=UTC))
    with translation.override("en"):
        html = str(message_rows([today, this_year, long_ago], "INBOX"))
    times = re.findall(r"<time [^>]*>([^<]*)</time>", html)
    assert times[0] == "09:05"
    if now.month > 1:
        assert times[1] == "2 Jan"
    assert times[2] == "03/04/2001"
    assert 'datetime="2001-03-04T' in html and 'title="March 4, 2001' in html


def test_rows_follow_the_language():
    with translation.override("de"):
        html = str(message_rows([summary(subject="", seen=False)], "INBOX"))
    assert "(kein Betreff)" in html
