"""The message list's rows: the Python renderer (mailview/templatetags/mail_list.py)
against the same markup from a template loop, in process, 50 rows (one page).

    .venv/bin/python bench/list_rows.py

Both get the same per-page constants; the template gets per-row values precomputed
(the fairest template version), and must produce byte-identical HTML. The runs are
interleaved so both see the same machine load; the rows stay in Python while the
template costs more than ~1.5 ms a page over it (re-run this after a Django upgrade).
"""
from __future__ import annotations

import os
import statistics
import sys
import timeit
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-list-rows")

import django

django.setup()

from django.template import engines  # noqa: E402
from django.templatetags.static import static  # noqa: E402
from django.utils import dateformat, timezone, translation  # noqa: E402
from django.utils.translation import gettext  # noqa: E402

from mailview.services.reading.messages import Label, MessageSummary  # noqa: E402
from mailview.templatetags.mail_format import local_time, mail_size  # noqa: E402
from mailview.templatetags.mail_list import _Formats, message_rows  # noqa: E402
from mailview.templatetags.mail_urls import message_url  # noqa: E402

ROWS = engines["django"].from_string(
    "{% for r in rows %}\n"
    '    <tr class="{{ r.classes }}" data-uid="{{ r.uid }}" draggable="true">\n'
    '      <td class="col-check"><input type="checkbox" name="uid" value="{{ r.uid }}" aria-label="{{ f.select }}: {{ r.subject }}"></td>\n'
    '      <td class="col-flag"><span class="star" title="{{ f.flagged }}"{% if not r.flagged %} hidden{% endif %}>★</span></td>\n'
    '      <td class="col-from" title="{{ r.email }}">{{ r.correspondent }}</td>\n'
    '      <td class="col-subject">{% for l in r.labels %}<span class="label-chip label-color-{{ l.color }}">{{ l.name }}</span> {% endfor %}'
    '<a href="{{ r.url }}">{{ r.subject }}</a>{% if not r.seen %}<span class="visually-hidden"> ({{ f.unread }})</span>{% endif %}</td>\n'
    '      <td class="col-attach">{% if r.has_attachment %}<svg class="icon paperclip" role="img" aria-label="{{ f.attachments }}">'
    '<title>{{ f.attachments }}</title><use href="{{ f.icons }}#paperclip"></use></svg>{% endif %}</td>\n'
    '      <td class="col-date">{% if r.iso %}<time datetime="{{ r.iso }}" title="{{ r.title }}">{{ r.short }}</time>{% endif %}</td>\n'
    '      <td class="col-size">{{ r.size }}</td>\n'
    "    </tr>\n  {% endfor %}"
)


def template_rows(messages: list[MessageSummary], folder: str) -> str:
    f = _Formats()
    labels = {"select": gettext("Select"), "flagged": gettext("Flagged"), "unread": gettext("unread"),
              "attachments": gettext("Has attachments"), "icons": static("img/icons.svg")}
    rows = []
    for m in messages:
        iso = title = short = ""
        if m.date is not None:
            local = local_time(m.date)
            if local.date() == f.today:
                short = dateformat.time_format(local, f.time_format)
            elif local.year == f.today.year:
                short = dateformat.format(local, f.day_month_format)
            else:
                short = dateformat.format(local, f.short_date_format)
            iso, title = local.isoformat(), dateformat.format(local, f.datetime_format)
        rows.append({
            "classes": "message" + ("" if m.seen else " unread") + (" flagged" if m.flagged else ""),
            "uid": int(m.uid), "seen": m.seen, "flagged": m.flagged, "subject": m.subject or f.no_subject,
            "email": m.correspondent_email, "correspondent": m.correspondent or f.unknown_sender, "labels": m.labels,
            "url": message_url(folder, m.uid), "has_attachment": m.has_attachment, "iso": iso, "title": title, "short": short,
            "size": mail_size(m.size),
        })
    return ROWS.render({"rows": rows, "f": labels})


def main() -> None:
    now = timezone.now()
    page = [
        MessageSummary(
            uid=1000 + i, subject=f"Subject {i} with <b>markup</b> & text", correspondent=f"Person {i}", correspondent_email=f"p{i}@example.org",
            date=now - timedelta(hours=7 * i), size=1234 * i + 100, seen=i % 3 != 0, flagged=i % 7 == 0, answered=False, draft=False,
            has_attachment=i % 4 == 0, labels=(Label(name="work", color=3),) if i % 5 == 0 else (),
        )
        for i in range(50)
    ]
    with translation.override("en"):
        python_html, template_html = str(message_rows(page, "INBOX")), template_rows(page, "INBOX")
        assert python_html == template_html, "the two renderers differ"
        runners = {"python": lambda: message_rows(page, "INBOX"), "template": lambda: template_rows(page, "INBOX")}
        runs: dict[str, list[float]] = {name: [] for name in runners}
        for _ in range(40):
            for name, run in runners.items():
                runs[name].append(min(timeit.repeat(run, number=10, repeat=3)) / 10 * 1000)
    print(f"50 rows, {len(python_html)} bytes of identical HTML")
    for name, values in runs.items():
        print(f"  {name:8s} min {min(values):5.2f} ms   median {statistics.median(values):5.2f} ms")
    paired = [t - p for p, t in zip(runs["python"], runs["template"], strict=True)]
    print(f"  template - python, paired median {statistics.median(paired):+.2f} ms")


if __name__ == "__main__":
    main()
