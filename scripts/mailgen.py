#!/usr/bin/env python3
"""Deterministic generator of realistic mailboxes, written straight into Maildir.

Standard library only, so it runs with any python3 (no venv needed).

Usage::

    python3 scripts/mailgen.py seed --user alice@example.test --count 3000 --seed 1
    python3 scripts/mailgen.py seed --user alice@example.test --count 100 --tree --index
    python3 scripts/mailgen.py show --seed 1 --index 42          # print one message
    python3 scripts/mailgen.py show --seed 1 --index 7 --headers # the 20 MB one, headers only

Layout written (Dovecot ``maildir:~/Maildir:LAYOUT=fs:INBOX=~/Maildir/INBOX``):
folder ``INBOX`` is ``<root>/INBOX/{cur,new,tmp}``, folder ``Work/Projects`` is
``<root>/Work/Projects/{cur,new,tmp}``; every component of a folder name is stored
in IMAP modified UTF-7 (``Entwürfe`` -> ``Entw&APw-rfe``).  The root for user
``local@domain`` is ``$MAILSTACK_DIR/mail/<domain>/<local>/Maildir``
(``MAILSTACK_DIR`` defaults to ``<repo>/var/mailstack``).

Determinism: message ``index`` of folder ``F`` with seed ``S`` is built from
``random.Random(f"{S}/{F}/{index}/...")`` only (plus the folder's total ``count``,
which spreads the dates over four years ending at :data:`END_DATE`), so any
message can be regenerated alone with :func:`generate_message`.

Stable facts that tests and the benchmark rely on:

* :data:`BIG_INDEX` (7) is, whenever big attachments are enabled (default for
  ``count >= 100``), the message with subject :data:`BIG_SUBJECT`
  ("Quarterly report with 20 MB attachment") and one attachment
  ``Quarterly-report-Q3.pdf`` of exactly :data:`BIG_EXACT_SIZE` (20 MiB) bytes.
  It is the only message with that subject (find it by ``SEARCH SUBJECT``).
* Every message has Message-ID, Date, From, To and Subject headers and parses
  with ``email.policy.default``.  A small share (``X-Mailgen-Kind: hostile``,
  ~1.5 % of INBOX, more in Junk) carries hostile HTML, headers and filenames
  (script, event handlers, javascript: URLs, CSS url()/expression(),
  position:fixed, forms, iframes, relative links, path-traversal filenames)
  for sanitizer tests.  Every message carries ``X-Mailgen-Kind`` and
  ``X-Mailgen-Index`` headers so tests can find a kind.
"""
from __future__ import annotations

import argparse
import base64
import binascii
import functools
import hashlib
import html
import io
import multiprocessing
import os
import random
import struct
import subprocess
import sys
import textwrap
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email import policy as email_policy
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "BIG_EXACT_SIZE",
    "BIG_INDEX",
    "BIG_SUBJECT",
    "END_DATE",
    "TREE",
    "GenOptions",
    "GeneratedMessage",
    "big_attachment_indices",
    "build_message",
    "count_messages",
    "default_maildir",
    "ensure_tree",
    "folder_path",
    "generate_message",
    "imap_utf7_decode",
    "imap_utf7_encode",
    "maildir_filename",
    "seed_folder",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_USER = "alice@example.test"
MAIL_OWNER = "wmvmail"

#: Dates of a folder are spread over four years ending here (never now()).
END_DATE = datetime(2026, 11, 20, 17, 30, 0, tzinfo=UTC)
SPAN_SECONDS = int(4 * 365.25 * 86400)

#: The message index that holds exactly a 20 MiB attachment (when big attachments are on).
BIG_INDEX = 7
BIG_SUBJECT = "Quarterly report with 20 MB attachment"
BIG_FILENAME = "Quarterly-report-Q3.pdf"
BIG_EXACT_SIZE = 20 * 1024 * 1024
BIG_MIN_SIZE = 20 * 1024 * 1024
BIG_MAX_SIZE = 25 * 1024 * 1024

#: Folder tree made by ensure_tree(): (folder name, number of messages).
TREE: tuple[tuple[str, int], ...] = (
    ("Work", 60),
    ("Work/Projects", 40),
    ("Work/Projects/Zeta", 25),
    ("Work/Clients & Partners", 15),
    ("Personal", 40),
    ("Personal/Travel", 20),
    ("Receipts", 30),
    ("Lists", 5),
    ("Lists/python-dev", 150),
    ("Entwürfe", 8),
    ("Проекты", 12),
    ("Проекты/Архив 2024", 6),
    ("Sent", 80),
    ("Archive", 200),
    ("Junk", 30),
    ("Trash", 25),
    ("Drafts", 6),
)

class _CachedHeaderRegistry(HeaderRegistry):
    """HeaderRegistry builds a new class on every lookup; cache them (a ~10 % speed-up)."""

    @functools.cache  # noqa: B019 - one registry for the whole run
    def __getitem__(self, name):
        return super().__getitem__(name)


# linesep "\n": maildir files hold LF line endings. Same behaviour as email.policy.default.
POLICY = email_policy.default.clone(header_factory=_CachedHeaderRegistry())
BLOCK = 40  # thread layout block size (threads live inside one block of indices)


# --------------------------------------------------------------------------- #
# IMAP modified UTF-7 (RFC 3501 5.1.3)
# --------------------------------------------------------------------------- #
def imap_utf7_encode(name: str) -> str:
    """Encode a folder name in IMAP modified UTF-7 ("Entwürfe" -> "Entw&APw-rfe")."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            raw = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(raw).decode("ascii").rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def imap_utf7_decode(name: str) -> str:
    """Inverse of :func:`imap_utf7_encode`."""
    out: list[str] = []
    i = 0
    while i < len(name):
        ch = name[i]
        if ch != "&":
            out.append(ch)
            i += 1
            continue
        end = name.index("-", i + 1)
        chunk = name[i + 1:end]
        if not chunk:
            out.append("&")
        else:
            b64 = chunk.replace(",", "/")
            b64 += "=" * (-len(b64) % 4)
            out.append(base64.b64decode(b64).decode("utf-16-be"))
        i = end + 1
    return "".join(out)


# --------------------------------------------------------------------------- #
# Text corpora
# --------------------------------------------------------------------------- #
SENTENCES: dict[str, list[str]] = {
    "en": [
        "Thanks for sending the updated figures over this morning.",
        "I had a look at the draft and left a few comments inline.",
        "Could we move our call to Thursday afternoon instead?",
        "The deployment went out last night without any issues.",
        "Let me know if you need anything else from my side.",
        "We are still waiting on legal to sign off on the contract.",
        "I think the second option is the better trade-off for now.",
        "Just a quick reminder that the invoices are due at the end of the month.",
        "The build on main has been red since the last merge; can someone take a look?",
        "I've booked the meeting room on the third floor for 10:30.",
        "Happy to jump on a call if that's easier.",
        "The customer reported that the export fails for files larger than 2 GB.",
        "We should probably loop in the design team before we commit to a date.",
        "Sorry for the late reply, I was travelling most of last week.",
        "The numbers for Q3 look much better than we expected.",
        "Can you double-check the shipping address before we send it out?",
        "I'm out of office on Friday, but reachable by phone.",
        "The new onboarding flow cut support tickets by about a third.",
        "We'll need to rotate the API keys before the audit.",
        "The kids loved the trip, thank you again for the recommendation!",
        "Dinner on Saturday still works for us, shall we say 7pm?",
        "Our flight lands at 14:20, so we should be at the hotel by four.",
        "I've pushed a fix to the branch; it needs another review.",
        "The vendor quoted 12 weeks for delivery, which is too long.",
        "Let's keep the scope small and ship the first version next sprint.",
        "Great work on the presentation yesterday, it went down really well.",
        "I'm not sure the current approach scales past a few thousand users.",
        "The conference talks are now online, mine is around minute 42.",
        "Our landlord finally agreed to fix the heating next week.",
        "Could you forward this to whoever handles procurement?",
        "I've attached the spreadsheet with the per-region breakdown.",
        "We hit the rate limit again around midnight UTC.",
        "Please don't reply-all to this thread, it's getting long.",
        "The migration script took about four hours on the production copy.",
        "Do we have a budget owner for the new monitoring setup?",
        "I'll be in Berlin for the workshop from Monday to Wednesday.",
        "The photos from the offsite are in the shared album.",
        "If nobody objects, I'll merge this tomorrow morning.",
        "Quick question: is the 15th still the deadline for the report?",
        "The printer on the second floor is jammed again.",
    ],
    "de": [
        "Vielen Dank für die schnelle Rückmeldung.",
        "Können wir den Termin auf nächste Woche verschieben?",
        "Anbei die Unterlagen für die Besprechung am Dienstag.",
        "Die Rechnung wurde bereits überwiesen.",
        "Grüße aus München und ein schönes Wochenende!",
        "Ich melde mich, sobald ich Näheres weiß.",
        "Das Büro bleibt zwischen den Feiertagen geschlossen.",
        "Bitte prüfe noch einmal die Änderungen im Vertrag.",
        "Die Straßenbahn fährt wegen Bauarbeiten nur bis zum Hauptbahnhof.",
        "Für Rückfragen stehe ich gerne zur Verfügung.",
        "Der Server ist seit heute früh wieder erreichbar.",
        "Wir haben die Präsentation für Donnerstag überarbeitet.",
        "Könntest du mir die Zugangsdaten für das Testsystem schicken?",
        "Die Lieferung verzögert sich leider um zwei Wochen.",
    ],
    "fr": [
        "Merci beaucoup pour votre réponse rapide.",
        "Pourriez-vous m'envoyer le devis mis à jour avant vendredi ?",
        "Je suis en congé la semaine prochaine, à bientôt.",
        "Le rendez-vous est déplacé à jeudi, même heure.",
        "Voici les pièces jointes dont nous avons parlé.",
        "Nous avons reçu votre commande, elle sera expédiée demain.",
        "Bonne journée et à très bientôt !",
        "L'équipe a terminé la première étape du projet.",
        "Il faudrait vérifier les chiffres du deuxième trimestre.",
        "Où en est la réservation de l'hôtel à Genève ?",
        "Le serveur de test sera indisponible ce week-end.",
        "J'ai relu le contrat, tout me semble correct.",
    ],
    "ja": [
        "お疲れ様です。",
        "先日の会議の議事録をお送りします。",
        "来週の打ち合わせの日程についてご相談させてください。",
        "資料を添付いたしましたので、ご確認ください。",
        "よろしくお願いいたします。",
        "東京は今日も暑いですね。",
        "見積書の件、承知しました。",
        "ご返信が遅くなり申し訳ありません。",
        "新しいプロジェクトの進捗を報告します。",
        "金曜日までにご回答いただけますと幸いです。",
        "サーバーの移行作業は予定通り完了しました。",
        "来月の出張の件でご連絡いたしました。",
    ],
    "ru": [
        "Спасибо за быстрый ответ.",
        "Высылаю документы для согласования.",
        "Давайте перенесём встречу на среду.",
        "Отчёт за третий квартал во вложении.",
        "Буду рад обсудить детали по телефону.",
        "Сервер снова недоступен с утра.",
        "Поздравляю с днём рождения!",
        "Пожалуйста, проверьте счёт ещё раз.",
        "Мы приедем в Москву в понедельник вечером.",
        "Новая версия сайта будет готова к пятнице.",
        "Напомню, что срок сдачи проекта — конец месяца.",
        "Коллеги, прошу ознакомиться с планом работ.",
    ],
}
# Sentences only windows-1252 (not ISO-8859-1) can carry: euro sign, typographic quotes, dashes.
CP1252_EXTRA = {
    "de": [
        "Der Preis beträgt 1.250 € zzgl. MwSt. – bitte kurz bestätigen.",
        "Sie sagte nur „passt schon“ … und legte auf.",
    ],
    "fr": [
        "Le total s’élève à 480 € – TVA comprise.",
        "Il a répondu « c’est parfait » … et puis plus rien.",
    ],
    "en": [
        "The total comes to €1,250 – “excluding VAT”, as agreed…",
        "She said it’s “basically done” — we’ll see.",
    ],
}

SUBJECTS: dict[str, list[str]] = {
    "en": [
        "Meeting notes from Tuesday", "Updated figures for Q3", "Quick question about the invoice",
        "Call on Thursday?", "Deployment schedule", "Contract review", "Trip photos",
        "Dinner on Saturday", "Budget for next year", "Onboarding feedback", "Server migration plan",
        "Conference talk recording", "Heating repair", "Procurement request", "Rate limit incidents",
        "Offsite agenda", "Draft proposal v2", "Expense report", "Hiring plan", "Release checklist",
        "Roadmap review", "Customer escalation: export failures", "Lunch next week?",
        "Security audit follow-up", "Design review", "Holiday schedule", "Office move",
        "Your feedback on the draft", "Re-org announcement", "Weekly sync",
        "Café meetup on Friday ☕", "Launch day! 🎉", "Résumé for the open position",
        "Naïve question about the API", "Status update — week 12",
    ],
    "de": [
        "Termin nächste Woche", "Unterlagen für die Besprechung", "Rechnung März", "Grüße aus München",
        "Änderungen am Vertrag", "Lieferverzögerung", "Präsentation für Donnerstag", "Zugangsdaten Testsystem",
        "Urlaubsvertretung", "Angebot für die Wartung", "Protokoll der Teamsitzung", "Frage zur Abrechnung",
        "Einladung zum Sommerfest", "Serverwartung am Wochenende",
    ],
    "fr": [
        "Devis mis à jour", "Rendez-vous déplacé", "Pièces jointes", "Réservation de l'hôtel à Genève",
        "Première étape du projet", "Chiffres du deuxième trimestre", "Congés de l'été",
        "Compte rendu de la réunion", "Facture en attente", "Invitation au séminaire", "Mise à jour du planning",
    ],
    "ja": [
        "会議の議事録", "打ち合わせ日程のご相談", "見積書について", "プロジェクト進捗報告",
        "出張の件", "サーバー移行作業完了のお知らせ", "請求書送付のご案内", "新製品発表会のご案内",
        "システム障害のご報告", "契約更新について", "年末年始の営業について", "資料送付の件",
    ],
    "ru": [
        "Документы для согласования", "Перенос встречи", "Отчёт за третий квартал", "План работ",
        "Новая версия сайта", "Счёт на оплату", "Протокол совещания", "Приглашение на конференцию",
        "Договор поставки", "Отпуск в августе", "Обновление сервера", "Вопрос по проекту",
    ],
}

GREETINGS = {
    "en": ["Hi {first},", "Hello {first},", "Hey {first},", "Dear {first},", "{first},", "Hi all,"],
    "de": ["Hallo {first},", "Liebe/r {first},", "Guten Tag,", "Hi {first},"],
    "fr": ["Bonjour {first},", "Salut {first},", "Bonjour à tous,"],
    "ja": ["{first}様", "各位"],
    "ru": ["Здравствуйте, {first}!", "Привет, {first}!", "Коллеги, добрый день!"],
}
SIGNOFFS = {
    "en": ["Best,", "Thanks,", "Cheers,", "Kind regards,", "Best regards,", "Thanks!"],
    "de": ["Viele Grüße", "Beste Grüße", "Mit freundlichen Grüßen", "LG"],
    "fr": ["Cordialement,", "Bien à vous,", "À bientôt,", "Merci,"],
    "ja": ["よろしくお願いいたします。", "以上、よろしくお願いします。"],
    "ru": ["С уважением,", "Спасибо,", "Всего доброго,"],
}
URLS = [
    "https://docs.example.com/guide/install#step-3",
    "https://git.example.org/team/project/pull/1423",
    "https://calendar.example.com/event?id=8823&tz=Europe%2FBerlin",
    "https://www.example.net/blog/2024/05/release-notes",
    "https://files.example.com/s/AbC123xYz",
    "https://wiki.example.org/display/OPS/Runbook+Database+Failover",
    "https://meet.example.com/j/84512093377?pwd=Qm9vYm9v",
    "https://status.example.net/incidents/2f9k3",
    "http://intranet.example.test/hr/holidays.pdf",
    "https://www.example.com/search?q=maildir+format&lang=en",
]
HEADLINES = [
    "Ten tips for a calmer inbox", "What we shipped this month", "The best hiking trails near you",
    "Spring sale: up to 40% off", "How we cut our cloud bill in half", "Five recipes for busy weeknights",
    "Your year in review", "New features you might have missed", "Event guide for the weekend",
    "Behind the scenes at our new studio", "Last chance: early-bird tickets", "Reader stories: working remotely",
    "A beginner's guide to sourdough", "The state of open source in 2025", "Weekend getaways under 300 €",
    "Why your tomatoes crack (and how to stop it)", "Kubernetes without the tears", "Meet the team",
    "Our favourite books of the season", "Price drop on items in your wishlist",
]
BRANDS = [  # (display name, domain, accent colour)
    ("Northwind Weekly", "northwind.example", "#1a73e8"),
    ("The Gardening Digest", "garden-digest.example", "#2e7d32"),
    ("DevOps Dispatch", "devops-dispatch.example", "#6a1b9a"),
    ("City Events", "cityevents.example", "#e65100"),
    ("TravelDeals", "traveldeals.example", "#00838f"),
    ("Bücherwurm Newsletter", "buecherwurm.example", "#8d6e63"),
    ("Le Petit Gourmet", "petit-gourmet.example", "#c62828"),
    ("Tech Radar", "techradar.example", "#37474f"),
]
SHOPS = [
    ("Corner Bookshop", "cornerbooks.example"), ("Hardware Depot", "hardware-depot.example"),
    ("Blue Mountain Coffee Roasters", "bluemountain.example"), ("SkyHigh Airlines", "skyhigh-air.example"),
    ("Pharmacie du Centre", "pharmacie-centre.example"), ("Elektro Müller", "elektro-mueller.example"),
    ("CloudHost", "cloudhost.example"),
]
SPAM_SUBJECTS = [
    "You've WON a $1000 gift card!!!", "URGENT: Your account has been suspended",
    "Cheap meds online - 80% off", "Re: your invoice", "Ｆｒｅｅ　ｇｉｆｔ　ｆｏｒ　ｙｏｕ",
    "Final notice: unpaid parcel fee", "Hot singles in your area", "Investment opportunity 500% ROI",
    "Ваш аккаунт заблокирован", "Gewinnbenachrichtigung: Sie haben gewonnen!",
]
NOTIFICATIONS = [
    ("CI", "ci@builds.example.com", "[CI] Build #{n} failed on main",
     "Build #{n} failed.\n\nFailing job: test (3.11)\nCommit: {hexid}\nLogs: https://ci.example.com/builds/{n}/log\n"),
    ("Calendar", "calendar-noreply@example.com", "Reminder: Weekly sync #{n} @ Mon 10:00",
     "This is a reminder for the event \"Weekly sync\".\nJoin: https://meet.example.com/j/{n}\n"),
    ("Parcel Service", "noreply@parcel.example", "Your parcel {hexid} is on its way",
     "Track your parcel: https://parcel.example/track/{hexid}\nExpected delivery: tomorrow, 9:00-13:00.\n"),
    ("Git Hosting", "notifications@git.example.org", "[team/project] New issue #{n}: crash on startup",
     "A new issue was opened by a contributor.\n\nView it on the web: https://git.example.org/team/project/issues/{n}\n"),
]
FILENAMES_ASCII = [
    "invoice-2024-0193.pdf", "notes.txt", "Q3_numbers.csv", "screenshot.png", "contract_v2.docx",
    "IMG_4821.png", "README.txt", "minutes 2024-05-14.pdf", "export.csv", "proposal.docx",
]
FILENAMES_INTL = [
    "Überweisung März.pdf", "Angebot_Müller_GmbH.docx", "facture_été_2024.pdf", "отчёт_за_квартал.csv",
    "見積書.pdf", "Präsentation final (2).docx", "Café-Menü.txt", "photo_Zoë.png",
    "Jahresabschluss 2024 – Entwurf mit Anmerkungen der Geschäftsführung.pdf",
]

# --------------------------------------------------------------------------- #
# People
# --------------------------------------------------------------------------- #
_FIRST = {
    "en": ["James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda", "Sarah", "Thomas",
           "Emily", "Daniel", "Olivia", "Chris", "Hannah", "Kevin", "Laura", "Brian", "Megan", "Oliver"],
    "de": ["Jürgen", "Anna", "Lukas", "Sophie", "Matthias", "Katrin", "Jörg", "Bärbel", "Stefan", "Ute"],
    "fr": ["François", "Amélie", "Jérôme", "Céline", "Hélène", "Benoît", "Élodie", "Mathieu", "Chloé", "Rémi"],
    "ja": ["太郎", "花子", "健一", "美咲", "翔太", "由美", "大輔", "直子"],
    "ru": ["Дмитрий", "Ольга", "Сергей", "Наталья", "Алексей", "Екатерина", "Иван", "Татьяна"],
    "xx": ["Søren", "Zoë", "José", "Agnieszka", "Björn", "Noémie", "Ana", "Mateus", "Ingrid", "Wei"],
}
_LAST = {
    "en": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
           "Thomas", "Moore", "Martin", "Lee", "Walker", "Hall", "Young", "King", "Wright", "Clarke"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Becker", "Schäfer", "Köhler", "Groß", "Hoffmann"],
    "fr": ["Lefèvre", "Dubois", "Moreau", "Laurent", "Girard", "Rousseau", "Fontaine", "Chevalier", "Mercier",
           "Faure"],
    "ja": ["山田", "佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "中村"],
    "ru": ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков"],
    "xx": ["Kjærgaard", "Nováková", "García", "Kowalska", "Åström", "Lindqvist", "Silva", "Øberg", "Zhang",
           "Costa"],
}
_ROMAJI = {
    "太郎": "taro", "花子": "hanako", "健一": "kenichi", "美咲": "misaki", "翔太": "shota", "由美": "yumi",
    "大輔": "daisuke", "直子": "naoko", "山田": "yamada", "佐藤": "sato", "鈴木": "suzuki", "高橋": "takahashi",
    "田中": "tanaka", "渡辺": "watanabe", "伊藤": "ito", "中村": "nakamura",
}
_RU_FEMALE = {"Ольга", "Наталья", "Екатерина", "Татьяна"}
_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                 "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))
_DOMAINS = {
    "en": ["example.com", "example.org", "acme-corp.example", "northwind.example", "mail.example.net",
           "contoso.example", "university.example.edu"],
    "de": ["firma-beispiel.example", "mueller-gmbh.example", "mail.example.net", "stadtwerke.example"],
    "fr": ["societe.example", "exemple-sarl.example", "mail.example.net"],
    "ja": ["kaisha.example", "shoji.example", "mail.example.net"],
    "ru": ["kompaniya.example", "zavod.example", "mail.example.net"],
    "xx": ["example.com", "mail.example.net", "nordic.example", "example.org"],
}
_TZ = {
    "en": [-8, -5, 0, 1, -6], "de": [1, 2], "fr": [1, 2], "ja": [9], "ru": [3], "xx": [1, 2, -3, 8, 0],
}
_MAILERS = [
    "Mozilla Thunderbird 115.6.0", "Apple Mail (2.3774.300.61.1.2)", "Microsoft Outlook 16.0",
    "Roundcube Webmail/1.6.5", "K-9 Mail for Android", "Evolution 3.50.2", "Mutt/2.2.12 (2023-09-09)",
]


class Person(NamedTuple):
    first: str
    last: str
    name: str  # display name ("" for a bare address)
    addr: str
    lang: str  # language of the text they write
    tz: int    # preferred UTC offset (hours)


def _ascii_slug(s: str) -> str:
    s = s.lower()
    if s in _ROMAJI:
        return _ROMAJI[s]
    if any("\u0400" <= c <= "\u04ff" for c in s):
        return "".join(_CYR.get(c, c) for c in s)
    s = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss").replace("ø", "o")
    s = s.replace("æ", "ae").replace("å", "a")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    return "".join(c for c in s if c.isalnum())


@functools.lru_cache(maxsize=1)
def people() -> tuple[Person, ...]:
    """The fixed pool of ~200 correspondents (deterministic)."""
    rng = random.Random("mailgen-people-v1")
    quotas = {"en": 80, "de": 30, "fr": 25, "ja": 25, "ru": 25, "xx": 15}
    pool: list[Person] = []
    seen: set[str] = set()
    for lang, quota in quotas.items():
        made = 0
        while made < quota:
            first = rng.choice(_FIRST[lang])
            last = rng.choice(_LAST[lang])
            if lang == "ru" and first in _RU_FEMALE:
                last += "а"
            domain = rng.choice(_DOMAINS[lang])
            f, l_ = _ascii_slug(first), _ascii_slug(last.rstrip("а") if lang == "ru" else last)
            if lang == "ru" and first in _RU_FEMALE:
                l_ += "a"
            style = rng.random()
            if domain.startswith("mail."):
                local = f"{f}.{l_}{rng.randint(1, 99)}" if style < 0.5 else f"{f}_{l_}"
            elif style < 0.6:
                local = f"{f}.{l_}"
            elif style < 0.85:
                local = f"{f[0]}{l_}"
            else:
                local = f
            addr = f"{local}@{domain}"
            if addr in seen:
                continue
            seen.add(addr)
            if lang == "ja":
                name = f"{last} {first}"
            else:
                name = f"{first} {last}"
            ns = rng.random()
            if ns < 0.05:
                name = ""
            elif ns < 0.10 and lang == "en":
                name = f"{last}, {first}"
            elif ns < 0.14:
                name = f"{name} ({domain.split('.')[0].replace('-', ' ').title()})"
            text_lang = "en" if lang == "xx" or (lang != "en" and rng.random() < 0.15) else lang
            pool.append(Person(first, last, name, addr, text_lang, rng.choice(_TZ[lang])))
            made += 1
    return tuple(pool)


def _user_person(user: str, user_name: str | None) -> Person:
    local, _, domain = user.partition("@")
    first = local.split(".")[0].capitalize() or "User"
    name = user_name or f"{first} {domain.split('.')[0].capitalize()}"
    return Person(first, name.split()[-1], name, user, "en", 1)


# --------------------------------------------------------------------------- #
# Options and per-message facts
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class GenOptions:
    """What a message depends on besides (seed, index)."""
    user: str = DEFAULT_USER
    user_name: str | None = None
    folder: str = "INBOX"       # namespace of the RNG and the folder's "role"
    count: int = 1000           # total messages in the folder (spreads dates over 4 years)
    big_indices: frozenset = field(default_factory=frozenset)  # indices with a 20-25 MB attachment


@dataclass
class GeneratedMessage:
    data: bytes
    timestamp: float   # the Date header as unix time (used for mtime / INTERNALDATE)
    flags: str         # maildir flag letters, sorted (e.g. "FS")
    subject: str
    message_id: str
    kind: str


class _Facts(NamedTuple):
    index: int
    kind: str
    sender: Person
    to: tuple[Person, ...]
    cc: tuple[Person, ...]
    subject: str
    lang: str
    ts: float
    tz: int
    message_id: str
    refs: tuple[str, ...]        # References (oldest first); last one is In-Reply-To
    parent: int | None
    grandparent: int | None
    flags: str
    extra: tuple                 # kind-specific (brand, shop, ...)


def folder_role(folder: str) -> str:
    top = folder.split("/")[0].lower()
    if top == "lists" and "/" not in folder.strip("/"):
        return "inbox"
    return {
        "sent": "sent", "drafts": "drafts", "junk": "junk", "spam": "junk", "trash": "trash",
        "archive": "archive", "lists": "list", "receipts": "receipts",
    }.get(top, "inbox")


_THREAD_P = {"inbox": 0.06, "archive": 0.06, "trash": 0.04, "sent": 0.08, "list": 0.22,
             "junk": 0.0, "drafts": 0.0, "receipts": 0.0}

# Kinds of single (non-thread) messages per role, as cumulative weights.
_KIND_WEIGHTS = {
    "inbox": [("plain", 27), ("notification", 3), ("newsletter", 33), ("related", 13), ("mixed", 18),
              ("forward", 4), ("hostile", 2)],
    "archive": [("plain", 30), ("notification", 5), ("newsletter", 25), ("related", 12), ("mixed", 22),
                ("forward", 5), ("hostile", 1)],
    "trash": [("plain", 25), ("notification", 10), ("newsletter", 40), ("related", 10), ("mixed", 12),
              ("forward", 2), ("hostile", 1)],
    "junk": [("spam", 55), ("hostile", 30), ("newsletter", 15)],
    "sent": [("plain", 70), ("mixed", 20), ("alt", 10)],
    "drafts": [("plain", 60), ("alt", 25), ("mixed", 15)],
    "list": [("plain", 90), ("mixed", 5), ("alt", 5)],
    "receipts": [("receipt", 70), ("invoice", 30)],
}


def _pick_kind(role: str, r: float) -> str:
    weights = _KIND_WEIGHTS[role]
    total = sum(w for _, w in weights)
    acc = 0.0
    for kind, w in weights:
        acc += w / total
        if r < acc:
            return kind
    return weights[-1][0]


_PROJECTS = ["Zeta", "Apollo", "Falcon", "Orion", "Hermes", "Atlas", "Nimbus", "Kestrel", "Borealis", "Quartz"]


def _vary_subject(base: str, rng: random.Random, ts: float) -> str:
    """Make subjects diverse enough that THREAD REFERENCES does not glue unrelated mail together."""
    if rng.random() < 0.08:
        return base
    n = rng.randint(2, 999)
    p = rng.choice(_PROJECTS)
    day = datetime.fromtimestamp(ts, UTC)
    # RFC 5256 base subjects strip "[...]" prefixes, so always vary the rest too
    return rng.choice([
        f"{base} – {p}", f"{base} ({n})", f"{base} #{n}", f"{base} v{n % 9 + 2}", f"{base} {day:%d.%m.}",
        f"{p}: {base}", f"[{p}] {base} ({day:%b %d})", f"{base} / {p} {n}",
    ])


def _digest(*parts) -> str:
    return hashlib.blake2b("/".join(str(p) for p in parts).encode(), digest_size=10).hexdigest()


@functools.lru_cache(maxsize=512)
def _block_layout(seed: int, ns: str, block: int, thread_p: float, forced: tuple[int, ...]):
    """Thread membership for indices block*BLOCK .. +BLOCK-1: a tuple of member tuples."""
    rng = random.Random(f"{seed}/{ns}/block/{block}")
    base = block * BLOCK
    positions = [p for p in range(BLOCK) if p not in forced]
    sizes: list[int] = []
    remaining = len(positions)
    while remaining > 0:
        if remaining >= 2 and rng.random() < thread_p:
            s = rng.randint(2, min(8, remaining))
        else:
            s = 1
        sizes.append(s)
        remaining -= s
    labels = [t for t, s in enumerate(sizes) for _ in range(s)]
    rng.shuffle(labels)
    groups: dict[int, list[int]] = {}
    for pos, lab in zip(positions, labels, strict=False):
        groups.setdefault(lab, []).append(base + pos)
    result: list[tuple[int, ...]] = [()] * BLOCK
    for members in groups.values():
        t = tuple(members)
        for m in members:
            result[m - base] = t
    for p in forced:
        result[p] = (base + p,)
    return tuple(result)


def _thread_members(seed: int, opts: GenOptions, index: int) -> tuple[int, ...]:
    role = folder_role(opts.folder)
    block = index // BLOCK
    forced = tuple(sorted(i - block * BLOCK for i in opts.big_indices if i // BLOCK == block))
    return _block_layout(seed, opts.folder, block, _THREAD_P[role], forced)[index % BLOCK]


def _message_id(seed: int, ns: str, index: int, sender: Person, ts: float, rng: random.Random) -> str:
    h = _digest(seed, ns, index, "mid")
    domain = sender.addr.split("@", 1)[1]
    style = rng.random()
    if style < 0.4:
        return f"<{h}.{index}@{domain}>"
    if style < 0.7:
        stamp = datetime.fromtimestamp(ts, UTC).strftime("%Y%m%d%H%M%S")
        return f"<{stamp}.{h[:12]}.{index}@{domain}>"
    if style < 0.9:
        return f"<{h.upper()}{index:06X}@{domain.split('.')[0].upper()}.prod.mail.example>"
    return f"<CA+{base64.urlsafe_b64encode(bytes.fromhex(h)).decode().rstrip('=')}-{index}@mail.example.net>"


@functools.lru_cache(maxsize=16384)
def _facts(seed: int, opts: GenOptions, index: int) -> _Facts:
    ns = opts.folder
    role = folder_role(ns)
    rng = random.Random(f"{seed}/{ns}/{index}/h")
    pool = people()
    user = _user_person(opts.user, opts.user_name)
    members = _thread_members(seed, opts, index)
    pos = members.index(index)
    root = members[0]
    parent = members[pos - 1] if pos > 0 else None
    grandparent = members[pos - 2] if pos > 1 else None
    extra: tuple = ()

    # --- date: spread over 4 years ending at END_DATE, in index order with jitter ---
    count = max(opts.count, 1)
    end_ts = END_DATE.timestamp()
    start_ts = end_ts - SPAN_SECONDS
    step = SPAN_SECONDS / count
    ts = start_ts + min((index + rng.random()) / count, 1.0) * SPAN_SECONDS
    ts += rng.gauss(0, step * 1.5)
    ts = min(max(ts, start_ts + rng.randint(0, 7200)), end_ts - rng.randint(60, 3600))

    # --- kind, sender, subject ---
    if index in opts.big_indices:
        kind = "big"
    elif len(members) > 1:
        kind = "reply" if parent is not None else "thread_root"
    else:
        kind = _pick_kind(role, rng.random())

    to: tuple[Person, ...] = (user,)
    cc: tuple[Person, ...] = ()
    if len(members) > 1:
        trng = random.Random(f"{seed}/{ns}/{root}/t")
        participants = trng.sample(pool, trng.randint(2, 4))
        lang = "en" if role == "list" else participants[0].lang
        subj_ts = ts if parent is None else _facts(seed, opts, root).ts
        subject = _vary_subject(trng.choice(SUBJECTS[lang]), trng, subj_ts)
        if role == "list":
            subject = f"[{ns.split('/')[-1].title()}] {subject}"
        if role in ("sent", "drafts"):
            sender = user
            to = (participants[pos % len(participants)],)
        else:
            sender = participants[pos % len(participants)] if rng.random() < 0.8 else rng.choice(participants)
            if parent is not None and sender == _facts(seed, opts, parent).sender:
                sender = participants[(participants.index(sender) + 1) % len(participants)]
            others = tuple(p for p in participants if p is not sender)
            if role != "list" and others and rng.random() < 0.4:
                cc = others[:2]
        if parent is not None:
            subject = "Re: " + subject
            pf = _facts(seed, opts, parent)
            ts = min(max(ts, pf.ts + rng.uniform(120, 2 * 86400)), end_ts)
            refs = pf.refs + (pf.message_id,)
            if len(refs) > 12:  # long chains: keep first + last ones, as MUAs do
                refs = refs[:1] + refs[-11:]
        else:
            refs = ()
    else:
        refs = ()
        if role in ("sent", "drafts"):
            sender = user
            to = (rng.choice(pool),)
            if rng.random() < 0.2:
                to = to + (rng.choice(pool),)
            lang = to[0].lang
        else:
            sender = rng.choice(pool)
            lang = "en" if role == "list" else sender.lang
            if rng.random() < 0.15:
                cc = (rng.choice(pool),)
        subject = _vary_subject(rng.choice(SUBJECTS[lang]), rng, ts)
        if kind == "big":
            big_n = sorted(opts.big_indices).index(index)
            subject = BIG_SUBJECT if index == BIG_INDEX else rng.choice([
                "Raw footage for the promo video", "Full-resolution scans", "Site survey photos (archive)",
                "Database export for the audit", "Backup of the project share"]) + f" [{big_n}]"
            lang = "en"
        elif kind in ("newsletter",):
            brand = rng.choice(BRANDS)
            extra = brand
            sender = Person("", "", brand[0], f"news@{brand[1]}", "en", 0)
            subject = rng.choice([f"{brand[0]} #{rng.randint(12, 480)}: {rng.choice(HEADLINES)}",
                                  f"{rng.choice(HEADLINES)} | {brand[0]}",
                                  f"Your weekly digest – {datetime.fromtimestamp(ts, UTC):%d %b %Y}"])
            lang = "en"
        elif kind == "notification":
            label, addr, subj, _body = rng.choice(NOTIFICATIONS)
            n = rng.randint(100, 99999)
            extra = (label, n, _digest(seed, ns, index, "n")[:10])
            sender = Person("", "", label, addr, "en", 0)
            subject = subj.format(n=n, hexid=extra[2])
            lang = "en"
        elif kind in ("receipt", "invoice"):
            shop = rng.choice(SHOPS)
            order = rng.randint(100000, 999999)
            extra = (shop, order)
            sender = Person("", "", shop[0], f"orders@{shop[1]}", "en", 1)
            subject = (f"Your order #{order} has been confirmed" if kind == "receipt"
                       else f"Invoice {order} from {shop[0]}")
            lang = "en"
        elif kind == "spam":
            subject = rng.choice(SPAM_SUBJECTS)
            sender = Person("", "", rng.choice(["Prize Department", "Security Team", "Pharmacy", "Bank Support",
                                                "Служба поддержки", ""]),
                            f"{rng.choice(['info', 'noreply', 'support', 'winner'])}{rng.randint(1, 999)}"
                            f"@{rng.choice(['promo', 'secure-login', 'bestdeals'])}.example.invalid", "en", 0)
            lang = "en"
        elif kind == "hostile":
            subject = rng.choice([
                "Action required: verify your account <script>alert(1)</script>",
                "Invoice overdue \"><img src=x onerror=alert(document.domain)>",
                "Document shared with you", "Re: payment details {{7*7}} ${7*7}",
            ])
            sender = Person("", "", rng.choice(["<img src=x onerror=alert(1)>", "IT Support \"admin\"",
                                                "javascript:alert(1)", "Help\u202eDesk"]),
                            f"security{rng.randint(1, 99)}@phish.example.invalid", "en", 0)
            lang = "en"
        elif kind == "forward":
            subject = "Fwd: " + _vary_subject(rng.choice(SUBJECTS[lang]), rng, ts)
        if role == "list":
            subject = f"[{ns.split('/')[-1].title()}] {subject}"

    ts = float(int(ts))  # whole seconds: Date header == mtime == INTERNALDATE
    tz = sender.tz
    if tz in (1, 2) and sender.lang in ("de", "fr"):  # rough CET/CEST
        month = datetime.fromtimestamp(ts, UTC).month
        tz = 2 if 4 <= month <= 10 else 1
    message_id = _message_id(seed, ns, index, sender, ts, rng)

    # --- flags ---
    f = set()
    if role in ("sent", "archive"):
        f.add("S")
    elif role == "drafts":
        f.add("D")
        if rng.random() < 0.5:
            f.add("S")
    elif role == "junk":
        if rng.random() < 0.2:
            f.add("S")
    elif role == "trash":
        if rng.random() < 0.9:
            f.add("S")
    else:
        if rng.random() < 0.70:
            f.add("S")
    if role not in ("junk", "drafts") and rng.random() < 0.05:
        f.add("F")
    if role in ("inbox", "archive", "list") and "S" in f and rng.random() < 0.12:
        f.add("R")
    flags = "".join(sorted(f))
    return _Facts(index, kind, sender, to, cc, subject, lang, ts, tz, message_id, refs, parent, grandparent,
                  flags, extra)


# --------------------------------------------------------------------------- #
# Header helpers (RFC 2047)
# --------------------------------------------------------------------------- #
_Q_SAFE = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!*+-/")


def _encoded_words(text: str, charset: str, enc: str, first_room: int = 60) -> str:
    """Encode text as RFC 2047 encoded-words in a given charset, folded with LF+space."""
    words: list[str] = []
    prefix = f"=?{charset}?{enc}?"
    chunk = ""
    room = first_room

    def encode(s: str) -> str:
        raw = s.encode(charset)
        if enc == "B":
            return prefix + base64.b64encode(raw).decode("ascii") + "?="
        return prefix + "".join(chr(b) if b in _Q_SAFE else ("_" if b == 32 else f"={b:02X}") for b in raw) + "?="

    for ch in text:
        cand = chunk + ch
        if len(encode(cand)) > room and chunk:
            words.append(encode(chunk))
            chunk = ch
            room = 70
        else:
            chunk = cand
    if chunk:
        words.append(encode(chunk))
    return "\n ".join(words)


_CHARSET_FOR_HEADER = {"de": "ISO-8859-1", "fr": "ISO-8859-1", "ja": "ISO-2022-JP", "ru": "KOI8-R"}


def _raw(msg: EmailMessage, name: str, value: str) -> None:
    """Set a header without the (slow) parse/refold when it is short plain ASCII."""
    if value.isascii() and "\n" not in value and len(name) + 2 + len(value) <= 78:
        msg.set_raw(name, value)
    else:
        msg[name] = value


def _set_text_header(msg: EmailMessage, name: str, value: str, rng: random.Random, lang: str) -> None:
    """Set Subject-like header; non-ASCII values sometimes as hand-made encoded-words (Q/B, many charsets)."""
    if value.isascii() or rng.random() < 0.5:
        _raw(msg, name, value)
        return
    cs = _CHARSET_FOR_HEADER.get(lang, "UTF-8")
    if rng.random() < 0.3:
        cs = "UTF-8"
    try:
        value.encode(cs)
    except UnicodeEncodeError:
        cs = "UTF-8"
    enc = "Q" if cs in ("ISO-8859-1", "windows-1252") or (cs == "UTF-8" and rng.random() < 0.5) else "B"
    msg.set_raw(name, _encoded_words(value, cs, enc, first_room=70 - len(name)))


def _addr_header(people_: Iterable[Person], rng: random.Random) -> tuple[str, bool]:
    """Return (header value, is_raw). Non-ASCII display names become encoded-words, either
    hand-made in the person's legacy charset (raw) or by the email policy (UTF-8)."""
    people_ = list(people_)
    manual = any(p.name and not p.name.isascii() for p in people_) and rng.random() < 0.5
    parts = []
    for p in people_:
        if not p.name:
            parts.append(p.addr)
        elif p.name.isascii():
            parts.append(formataddr((p.name, p.addr)))
        elif manual:
            cs = _CHARSET_FOR_HEADER.get(p.lang, "UTF-8") if rng.random() < 0.7 else "UTF-8"
            try:
                p.name.encode(cs)
            except UnicodeEncodeError:
                cs = "UTF-8"
            enc = "B" if cs in ("ISO-2022-JP", "KOI8-R") or rng.random() < 0.3 else "Q"
            parts.append(_encoded_words(p.name, cs, enc) + f"\n <{p.addr}>")
        else:
            parts.append(str(Address(display_name=p.name, addr_spec=p.addr)))
    return ",\n ".join(parts), manual


def _set_addr(msg: EmailMessage, name: str, people_: Iterable[Person], rng: random.Random) -> None:
    value, raw = _addr_header(people_, rng)
    if raw:
        msg.set_raw(name, value)
    else:
        _raw(msg, name, value.replace("\n ", " "))


# --------------------------------------------------------------------------- #
# Bodies
# --------------------------------------------------------------------------- #
def _core_paragraphs(seed: int, ns: str, index: int, lang: str) -> list[str]:
    """The 'new' text of a message; regenerated for quoting by its replies."""
    rng = random.Random(f"{seed}/{ns}/{index}/c")
    pool = SENTENCES[lang]
    joiner = "" if lang == "ja" else " "
    paras = []
    for _ in range(rng.randint(1, 4)):
        paras.append(joiner.join(rng.sample(pool, rng.randint(1, 4))))
    if lang != "ja" and rng.random() < 0.3:
        paras.insert(rng.randint(0, len(paras)), f"Details: {rng.choice(URLS)}")
    return paras


def _wrap(paras: list[str], lang: str, flowed: bool = False, width: int = 72) -> str:
    if lang == "ja":
        return "\n\n".join(paras)
    out = []
    for p in paras:
        lines = textwrap.wrap(p, width=width, break_long_words=False, break_on_hyphens=False) or [""]
        out.append((" \n" if flowed else "\n").join(lines))
    return "\n\n".join(out)


def _signature(p: Person, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return ""
    org = p.addr.split("@", 1)[1].split(".")[0].replace("-", " ").title()
    title = rng.choice(["Project Manager", "Senior Engineer", "Account Executive", "Head of Operations",
                        "Designer", "CTO", "Office Manager"])
    return (f"\n-- \n{p.name or p.first}\n{title} | {org}\n"
            f"Tel. +49 30 {rng.randint(1000000, 9999999)}\n")


def _quote_header(pf: _Facts, lang: str) -> str:
    dt = datetime.fromtimestamp(pf.ts, timezone(timedelta(hours=pf.tz)))
    who = pf.sender.name or pf.sender.addr
    if lang == "de":
        return f"Am {dt:%d.%m.%Y} um {dt:%H:%M} schrieb {who} <{pf.sender.addr}>:"
    if lang == "fr":
        return f"Le {dt:%d/%m/%Y} à {dt:%H:%M}, {who} <{pf.sender.addr}> a écrit :"
    return f"On {format_datetime(dt)}, {who} <{pf.sender.addr}> wrote:"


def _plain_body(seed: int, opts: GenOptions, f: _Facts, rng: random.Random, flowed: bool = False) -> str:
    lang = f.lang
    paras = _core_paragraphs(seed, opts.folder, f.index, lang)
    rcpt = f.to[0]
    greet = rng.choice(GREETINGS[lang]).format(first=rcpt.first)
    sign = rng.choice(SIGNOFFS[lang])
    text = greet + "\n\n" + _wrap(paras, lang, flowed) + "\n\n" + sign + "\n" + (f.sender.first or f.sender.name)
    text += "\n" + _signature(f.sender, rng)
    if f.parent is not None:
        pf = _facts(seed, opts, f.parent)
        quoted = _wrap(_core_paragraphs(seed, opts.folder, f.parent, pf.lang), pf.lang)
        qlines = ["> " + ln if ln else ">" for ln in quoted.split("\n")]
        if f.grandparent is not None:
            gf = _facts(seed, opts, f.grandparent)
            gq = _wrap(_core_paragraphs(seed, opts.folder, f.grandparent, gf.lang), gf.lang)
            qlines += [">", "> " + _quote_header(gf, lang)]
            qlines += [">> " + ln if ln else ">>" for ln in gq.split("\n")]
        text += "\n" + _quote_header(pf, lang) + "\n" + "\n".join(qlines) + "\n"
    return text


def _choose_charset(lang: str, rng: random.Random) -> tuple[str, str | None]:
    """(charset, transfer encoding) for a text body in lang."""
    r = rng.random()
    if lang == "en":
        if r < 0.08:
            return "windows-1252", "quoted-printable"
        if r < 0.15:
            return "us-ascii", None
        return "utf-8", None if rng.random() < 0.7 else "quoted-printable"
    if lang in ("de", "fr"):
        if r < 0.35:
            return "utf-8", rng.choice([None, "quoted-printable", "8bit", "base64"])
        if r < 0.7:
            return "iso-8859-1", rng.choice(["quoted-printable", "8bit"])
        return "windows-1252", rng.choice(["quoted-printable", "8bit"])
    if lang == "ja":
        if r < 0.25:
            return "utf-8", "base64"
        if r < 0.65:
            return "Shift_JIS", "base64"
        return "iso-2022-jp", "7bit"
    if lang == "ru":
        if r < 0.3:
            return "utf-8", rng.choice(["base64", "quoted-printable", "8bit"])
        if r < 0.8:
            return "KOI8-R", rng.choice(["8bit", "base64", "quoted-printable"])
        return "windows-1251", rng.choice(["8bit", "quoted-printable"])
    return "utf-8", None


def _set_text(part: EmailMessage, text: str, lang: str, rng: random.Random, flowed: bool = False,
              charset: str | None = None, cte: str | None = None) -> None:
    if charset is None:
        charset, cte = _choose_charset(lang, rng)
        if charset == "windows-1252" and lang in CP1252_EXTRA and rng.random() < 0.7:
            text = text.replace("\n\n", "\n\n" + rng.choice(CP1252_EXTRA[lang]) + "\n\n", 1)
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        charset, cte = "utf-8", cte if cte != "7bit" else None
    if charset.lower() == "us-ascii":
        cte = "7bit"
    part.set_content(text, charset=charset, cte=cte)
    if flowed:
        part.set_param("format", "flowed")


def _gmail_html(text_paras: list[str], quote: str | None, quote_head: str | None) -> str:
    body = "".join(f"<div>{html.escape(p)}</div><div><br></div>" for p in text_paras)
    out = f'<div dir="ltr">{body}</div>'
    if quote:
        qhtml = "<br>".join(html.escape(ln) for ln in quote.split("\n"))
        out += ('<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
                f"{html.escape(quote_head or '')}<br></div>"
                '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;'
                f'border-left:1px solid rgb(204,204,204);padding-left:1ex">{qhtml}</blockquote></div>')
    return out + "\n"


def _newsletter_html(rng: random.Random, brand: tuple, token: str, subject: str) -> tuple[str, str]:
    name, domain, color = brand
    slug = domain.split(".")[0]
    camp = f"nl{rng.randint(100, 999)}"
    n_articles = rng.randint(2, 5)
    rows_html = []
    rows_text = []
    for a in range(n_articles):
        title = rng.choice(HEADLINES)
        text = " ".join(rng.sample(SENTENCES["en"], rng.randint(2, 4)))
        link = (f"https://news.example.com/{slug}/a/{rng.randint(1000, 99999)}"
                f"?utm_source=newsletter&utm_medium=email&utm_campaign={camp}")
        img = f"https://images.example.net/{slug}/{camp}/article-{a}.jpg"
        rows_html.append(f"""<tr>
<td class="col" style="padding:16px 20px;border-bottom:1px solid #eeeeee;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td width="160" valign="top" style="padding-right:16px;"><img src="{img}" width="160" height="110" alt="{html.escape(title)}" style="display:block;border:0;border-radius:4px;"></td>
<td valign="top"><h2 style="margin:0 0 8px;font-size:20px;line-height:26px;color:#222222;font-family:Georgia,serif;">{html.escape(title)}</h2>
<p style="margin:0 0 12px;font-size:15px;line-height:22px;color:#555555;">{html.escape(text)}</p>
<a class="btn" href="{html.escape(link)}" style="background:{color};color:#ffffff;padding:8px 16px;border-radius:4px;text-decoration:none;display:inline-block;">Read more &rarr;</a></td>
</tr></table></td></tr>""")
        rows_text.append(f"{title}\n{'-' * len(title)}\n{textwrap.fill(text, 72)}\nRead more: {link}\n")
    unsub = f"https://news.example.com/{slug}/unsubscribe?u={token}"
    pixel = f"https://track.example.net/o/{token}.gif"
    preheader = html.escape(" ".join(rng.sample(SENTENCES["en"], 1)))
    html_doc = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(subject)}</title>
<style type="text/css">
body {{ margin:0; padding:0; background:#f4f4f4; -webkit-text-size-adjust:100%; }}
table {{ border-collapse:collapse; }}
a {{ color:{color}; }}
.btn:hover {{ opacity:0.85; }}
.footer p {{ font-size:12px; color:#999999; }}
@media only screen and (max-width:600px) {{
  .container {{ width:100% !important; }}
  .col {{ display:block !important; width:100% !important; }}
}}
</style>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f4;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">{preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f4f4f4">
<tr><td align="center" style="padding:24px 0;">
<table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0" style="background:#ffffff;font-family:Helvetica,Arial,sans-serif;">
<tr><td style="padding:20px;background:{color};">
<a href="https://news.example.com/{slug}/?utm_source=newsletter"><img src="https://images.example.net/{slug}/logo.png" width="160" height="40" alt="{html.escape(name)}" style="display:block;border:0;"></a>
</td></tr>
<tr><td><img src="https://images.example.net/{slug}/{camp}/hero.jpg" width="600" alt="" style="display:block;width:100%;max-width:600px;height:auto;"></td></tr>
{"".join(rows_html)}
<tr><td class="footer" style="padding:20px;background:#fafafa;text-align:center;">
<p style="margin:0 0 6px;">You receive this email because you subscribed to {html.escape(name)}.</p>
<p style="margin:0;"><a href="{html.escape(unsub)}" style="color:#999999;">Unsubscribe</a> &middot; <a href="https://news.example.com/{slug}/prefs?u={token}" style="color:#999999;">Preferences</a> &middot; 1 Example Street, 10115 Berlin</p>
</td></tr>
</table></td></tr></table>
<img src="{pixel}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;">
</body></html>
"""
    text = f"{name}\n\n" + "\n".join(rows_text) + f"\nUnsubscribe: {unsub}\n"
    return text, html_doc


def _hostile_html(rng: random.Random) -> str:
    bits = [
        "<script>alert('xss')</script>",
        '<img src="x" onerror="alert(document.cookie)">',
        '<a href="javascript:alert(1)">Verify your account</a>',
        '<a href="JaVaScRiPt:alert(2)">click</a>',
        '<a href="/accounts/logout/">relative link to the app</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
        '<iframe src="https://evil.example.invalid/frame"></iframe>',
        '<form action="https://phish.example.invalid/login" method="post">'
        '<input type="password" name="password"><button>Sign in</button></form>',
        '<div style="position:fixed;top:0;left:0;width:100%;height:100%;'
        'background:url(https://evil.example.invalid/bg.png)">overlay</div>',
        '<p style="width: expression(alert(1)); color: red">IE expression</p>',
        '<p style="background-image: image-set(\'https://track.example.invalid/a.png\' 1x)">image-set</p>',
        '<p style="--x: url(https://track.example.invalid/v.png); background: var(--x)">css var</p>',
        '<svg onload="alert(1)"><circle r="10"></circle></svg>',
        '<object data="https://evil.example.invalid/x.swf"></object>',
        '<link rel="stylesheet" href="https://evil.example.invalid/x.css">',
        '<meta http-equiv="refresh" content="0;url=https://evil.example.invalid/">',
        '<base href="https://evil.example.invalid/">',
        '<img src="https://track.example.invalid/pixel.gif" width="1" height="1">',
        '<body onload="alert(1)">',
        '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    ]
    rng.shuffle(bits)
    chosen = bits[: rng.randint(6, len(bits))]
    return ("<html><head><style>@import url(https://evil.example.invalid/x.css);"
            "body{background:url('https://track.example.invalid/css.gif')}</style></head><body>"
            "<p>Dear customer, your mailbox is almost full.</p>\n" + "\n".join(chosen) + "\n</body></html>\n")


# --- tiny real images -------------------------------------------------------- #
def _png(width: int, height: int, rgb_rows: bytes, level: int = 6) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rgb_rows, level)) + \
        chunk(b"IEND", b"")


def make_png(rng: random.Random, width: int, height: int) -> bytes:
    """A small valid PNG with a colour gradient."""
    r0, g0, b0 = rng.randrange(256), rng.randrange(256), rng.randrange(256)
    dx, dy = rng.randint(1, 6), rng.randint(1, 6)
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        rows += bytes(v & 255 for x in range(width) for v in (r0 + x * dx, g0 + y * dy, b0 + (x + y)))
    return _png(width, height, bytes(rows))


def make_noise_png(rng: random.Random, approx_size: int) -> bytes:
    """A valid PNG of about approx_size bytes (random pixels, stored uncompressed)."""
    width = 256
    height = max(1, approx_size // (width * 3 + 1))
    raw = bytearray()
    noise = rng.randbytes(height * width * 3)
    for y in range(height):
        raw.append(0)
        raw += noise[y * width * 3:(y + 1) * width * 3]
    return _png(width, height, bytes(raw), level=0)


def make_gif(rng: random.Random, width: int, height: int) -> bytes:
    """A small valid GIF (4-colour stripes); LZW stream kept trivial by clearing every 2 codes."""
    palette = b"".join(bytes((rng.randrange(256), rng.randrange(256), rng.randrange(256))) for _ in range(4))
    codes: list[int] = []
    pixels = [((x // 3) + (y // 2)) % 4 for y in range(height) for x in range(width)]
    for i in range(0, len(pixels), 2):
        codes.append(4)  # clear
        codes.extend(pixels[i:i + 2])
    codes.append(5)  # end of information
    bits = 0
    nbits = 0
    out = bytearray()
    for c in codes:
        bits |= c << nbits
        nbits += 3
        while nbits >= 8:
            out.append(bits & 255)
            bits >>= 8
            nbits -= 8
    if nbits:
        out.append(bits & 255)
    blocks = b"".join(bytes((len(out[i:i + 255]),)) + bytes(out[i:i + 255]) for i in range(0, len(out), 255))
    return (b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF1, 0, 0) + palette +
            b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02" + blocks + b"\x00\x3b")


# --- attachments -------------------------------------------------------------- #
def make_pdf(rng: random.Random, size: int, title: str = "Invoice") -> bytes:
    """A valid minimal one-page PDF padded with an unreferenced binary stream to ~size bytes."""
    text = f"{title} {rng.randint(1000, 9999)}".encode("latin-1", "replace")
    content = b"BT /F1 24 Tf 72 720 Td (" + text + b") Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pad = max(0, size - 700)
    objs.append(b"<< /Length %d >>\nstream\n" % pad + rng.randbytes(pad) + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def make_docx(rng: random.Random, size: int) -> bytes:
    """A small docx (a real zip with the OOXML parts) padded with a stored media blob to ~size bytes."""
    buf = io.BytesIO()
    stamp = (2024, 3, 1, 12, 0, 0)
    paras = "".join(f"<w:p><w:r><w:t>{html.escape(s)}</w:t></w:r></w:p>"
                    for s in rng.sample(SENTENCES["en"], 5))
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Default Extension="bin" '
        'ContentType="application/octet-stream"/><Override PartName="/word/document.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{paras}</w:body></w:document>",
    }
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(zipfile.ZipInfo(name, stamp), data, compress_type=zipfile.ZIP_DEFLATED)
        pad = max(0, size - 1500)
        if pad:
            z.writestr(zipfile.ZipInfo("word/media/embedded1.bin", stamp), rng.randbytes(pad),
                       compress_type=zipfile.ZIP_STORED)
    return buf.getvalue()


def make_csv(rng: random.Random, size: int) -> str:
    regions = ["North", "South", "East", "West", "Zürich", "Köln", "Москва", "東京"]
    products = ["Widget", "Gadget", "Sprocket", "Gizmo", "Doohickey", "Thingamajig"]
    rows = [f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},{rng.choice(regions)},"
            f"{rng.choice(products)},{rng.randint(1, 500)},{rng.uniform(1, 999):.2f}" for _ in range(64)]
    n = max(1, size // 40)
    return "date,region,product,quantity,price\n" + "\n".join(rng.choices(rows, k=n)) + "\n"


def make_txt(rng: random.Random, size: int) -> str:
    lines = [textwrap.fill(" ".join(rng.sample(SENTENCES["en"], 3)), 72) for _ in range(16)]
    n = max(1, size // 200)
    return "\n\n".join(rng.choices(lines, k=n)) + "\n"


def _attachment_size(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.65:
        return rng.randint(2_000, 40_000)
    if r < 0.95:
        return rng.randint(40_000, 200_000)
    return rng.randint(200_000, 2_100_000)


def _attach_bytes(msg: EmailMessage, data: bytes, maintype: str, subtype: str, filename: str,
                  blobs: list | None) -> None:
    """add_attachment(); large payloads go in as a placeholder, swapped for their base64 after
    serialising (the email generator writes base64 line by line, which is slow)."""
    if blobs is not None and len(data) > 16384:
        marker = b"\x00MAILGEN-BLOB-%04d\x00" % len(blobs)
        blobs.append((base64.encodebytes(marker), data))
        data = marker
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)


def _add_attachment(msg: EmailMessage, rng: random.Random, intl: bool, blobs: list | None = None) -> None:
    kind = rng.choice(["pdf", "pdf", "txt", "csv", "png", "docx"])
    size = _attachment_size(rng)
    names = [n for n in (FILENAMES_INTL if intl else FILENAMES_ASCII)
             if n.endswith("." + kind) or (kind == "txt" and n.endswith(".txt"))]
    if not names:
        names = [n for n in FILENAMES_ASCII if n.endswith("." + kind)]
    filename = rng.choice(names)
    if kind == "pdf":
        _attach_bytes(msg, make_pdf(rng, size), "application", "pdf", filename, blobs)
    elif kind == "docx":
        _attach_bytes(msg, make_docx(rng, size), "application",
                      "vnd.openxmlformats-officedocument.wordprocessingml.document", filename, blobs)
    elif kind == "png":
        _attach_bytes(msg, make_noise_png(rng, size), "image", "png", filename, blobs)
    elif kind == "csv":
        msg.add_attachment(make_csv(rng, min(size, 300_000)), subtype="csv", filename=filename)
    else:
        msg.add_attachment(make_txt(rng, min(size, 200_000)), subtype="plain", filename=filename)


# --- the big attachment (cached) ------------------------------------------------ #
_BIG_CACHE: tuple[bytes, bytes] | None = None
_B64_LINE = 57  # raw bytes per 76-character base64 line


def _big_payload() -> tuple[bytes, bytes]:
    """(raw, base64 with 76-char LF lines) of BIG_MAX_SIZE bytes; built once per process."""
    global _BIG_CACHE
    if _BIG_CACHE is None:
        rng = random.Random("mailgen-big-payload-v1")
        raw = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + rng.randbytes(BIG_MAX_SIZE)
        raw = raw[:BIG_MAX_SIZE]
        full = (len(raw) // _B64_LINE) * _B64_LINE
        enc = base64.encodebytes(raw[:full])  # 76 chars + "\n" per line
        _BIG_CACHE = (raw, enc)
    return _BIG_CACHE


def _big_encoded(size: int) -> bytes:
    raw, enc = _big_payload()
    full_lines = size // _B64_LINE
    head = enc[: full_lines * 77]
    tail = raw[full_lines * _B64_LINE:size]
    return head + (binascii.b2a_base64(tail) if tail else b"")


_BIG_MARKER = b"\x00MAILGEN-BIG-PAYLOAD-PLACEHOLDER\x00"


# --------------------------------------------------------------------------- #
# Message assembly
# --------------------------------------------------------------------------- #
_BOUNDARY_STYLES = (
    lambda h, n: f"----=_Part_{int(h[:6], 16)}_{int(h[6:12], 16)}.{n}",
    lambda h, n: f"------------{int(h[:10], 16):024d}{n}",
    lambda h, n: f"000000000000{h[:16]}{n}",
    lambda h, n: f"_00{n}_{h.upper()}_",
    lambda h, n: f"=_{h}_{n}",
)


def _finalise(msg: EmailMessage, seed: int, ns: str, index: int, inner: set[int]) -> None:
    h = _digest(seed, ns, index, "boundary")
    style = _BOUNDARY_STYLES[int(h[:2], 16) % len(_BOUNDARY_STYLES)]
    for n, part in enumerate(msg.walk()):
        if part.get_content_maintype() == "multipart":
            part.set_boundary(style(h, n))
        if part is not msg and id(part) not in inner and "MIME-Version" in part:
            del part["MIME-Version"]


def _base_headers(msg: EmailMessage, seed: int, opts: GenOptions, f: _Facts, rng: random.Random) -> None:
    role = folder_role(opts.folder)
    dt = datetime.fromtimestamp(f.ts, timezone(timedelta(hours=f.tz)))
    user_domain = opts.user.split("@", 1)[1] if "@" in opts.user else "example.test"
    if role not in ("sent", "drafts"):
        _raw(msg, "Return-Path", f"<{f.sender.addr}>")
        rdt = format_datetime(datetime.fromtimestamp(f.ts + rng.randint(1, 90), UTC))
        sdom = f.sender.addr.split("@", 1)[1]
        ip = f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randint(1, 254)}"
        queue_id = _digest(seed, f.index)[:10].upper()
        msg.set_raw("Received", f"from mail{rng.randint(1, 40)}.{sdom}\n\t(mail.{sdom} [{ip}])\n"
                                f"\tby mx.{user_domain} (Postfix) with ESMTPS id {queue_id}\n"
                                f"\tfor <{opts.user}>;\n\t{rdt}")
        if role == "junk":
            _raw(msg, "X-Spam-Flag", "YES")
            _raw(msg, "X-Spam-Status", f"Yes, score={rng.uniform(6, 30):.1f} required=5.0")
    _raw(msg, "Date", format_datetime(dt))
    _set_addr(msg, "From", [f.sender], rng)
    if role == "list":
        lname = opts.folder.split("/")[-1]
        _raw(msg, "To", f"{lname}@lists.example.org")
        _raw(msg, "List-Id", f"<{lname}.lists.example.org>")
        _raw(msg, "List-Post", f"<mailto:{lname}@lists.example.org>")
        _raw(msg, "List-Unsubscribe", f"<mailto:{lname}-leave@lists.example.org>")
        _raw(msg, "Precedence", "list")
    else:
        _set_addr(msg, "To", f.to, rng)
    if f.cc:
        _set_addr(msg, "Cc", f.cc, rng)
    _set_text_header(msg, "Subject", f.subject, rng, f.lang)
    _raw(msg, "Message-ID", f.message_id)
    if f.refs:
        _raw(msg, "In-Reply-To", f.refs[-1])
        msg.set_raw("References", "\n ".join(f.refs))
    if f.sender.name and f.kind in ("plain", "reply", "thread_root", "mixed", "related", "alt", "forward") and rng.random() < 0.6:
        _raw(msg, "User-Agent" if rng.random() < 0.5 else "X-Mailer", rng.choice(_MAILERS))
    _raw(msg, "X-Mailgen-Kind", f.kind)
    _raw(msg, "X-Mailgen-Index", str(f.index))


def _text_or_alt(msg: EmailMessage, seed: int, opts: GenOptions, f: _Facts, rng: random.Random,
                 alt: bool) -> None:
    flowed = f.lang not in ("ja",) and rng.random() < 0.2
    text = _plain_body(seed, opts, f, rng, flowed=flowed)
    if not alt:
        _set_text(msg, text, f.lang, rng, flowed=flowed)
        return
    msg.set_content(text, charset="utf-8")
    paras = _core_paragraphs(seed, opts.folder, f.index, f.lang)
    quote = head = None
    if f.parent is not None:
        pf = _facts(seed, opts, f.parent)
        quote = _wrap(_core_paragraphs(seed, opts.folder, f.parent, pf.lang), pf.lang)
        head = _quote_header(pf, f.lang)
    msg.add_alternative(_gmail_html(paras, quote, head), subtype="html", charset="utf-8")


def build_message(rng_seed: int, index: int, *, options: GenOptions | None = None) -> GeneratedMessage:
    """Build message `index` of the folder described by `options` (pure and deterministic)."""
    opts = options or GenOptions()
    seed = rng_seed
    f = _facts(seed, opts, index)
    rng = random.Random(f"{seed}/{opts.folder}/{index}/b")
    msg = EmailMessage(policy=POLICY)
    _base_headers(msg, seed, opts, f, rng)
    inner: set[int] = set()
    kind = f.kind
    big_size = 0
    blobs: list = []

    if kind in ("plain", "reply", "thread_root", "alt"):
        alt = kind == "alt" or (kind in ("reply", "thread_root") and rng.random() < 0.25)
        _text_or_alt(msg, seed, opts, f, rng, alt)
        if kind == "reply" and rng.random() < 0.08:
            _add_attachment(msg, rng, rng.random() < 0.3, blobs)
    elif kind == "notification":
        body = next(n[3] for n in NOTIFICATIONS if n[0] == f.extra[0])
        _raw(msg, "Auto-Submitted", "auto-generated")
        msg.set_content(body.format(n=f.extra[1], hexid=f.extra[2]))
    elif kind == "newsletter":
        token = _digest(seed, opts.folder, index, "tok")
        text, html_doc = _newsletter_html(rng, f.extra, token, f.subject)
        _raw(msg, "List-Unsubscribe",
             f"<https://news.example.com/unsubscribe?u={token}>, <mailto:unsub-{token}@{f.extra[1]}>")
        _raw(msg, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
        _raw(msg, "Precedence", "bulk")
        msg.set_content(text, cte="quoted-printable")
        msg.add_alternative(html_doc, subtype="html", cte="quoted-printable")
    elif kind == "related":
        paras = _core_paragraphs(seed, opts.folder, index, f.lang)
        n_img = rng.randint(1, 4)
        stamp = f"{_digest(seed, index, 'cid')[:8].upper()}.{_digest(index, 'cid2')[:8].upper()}"
        imgs = []
        for i in range(n_img):
            if rng.random() < 0.7:
                data, sub = make_png(rng, rng.randint(8, 64), rng.randint(8, 48)), "png"
            else:
                data, sub = make_gif(rng, rng.randint(8, 48), rng.randint(8, 32)), "gif"
            imgs.append((f"image{i + 1:03d}.{sub}@{stamp}", data, sub))
        img_html = "".join(f'<p><img src="cid:{cid}" alt="image {n}" width="200" '
                           f'style="max-width:100%;border:1px solid #ddd"></p>\n' for n, (cid, _d, _s) in
                           enumerate(imgs, 1))
        html_doc = ('<html><head><meta charset="utf-8"></head><body style="font-family:Calibri,sans-serif">\n'
                    + "".join(f"<p>{html.escape(p)}</p>\n" for p in paras) + img_html +
                    f"<p>{html.escape(f.sender.first or f.sender.name)}</p></body></html>\n")
        if rng.random() < 0.5:
            msg.set_content(_wrap(paras, f.lang) + "\n", charset="utf-8")
            msg.add_alternative(html_doc, subtype="html", charset="utf-8")
            html_part = msg.get_payload()[1]
        else:
            msg.set_content(html_doc, subtype="html", charset="utf-8")
            html_part = msg
        for cid, data, sub in imgs:
            html_part.add_related(data, "image", sub, cid=f"<{cid}>", filename=cid.split("@")[0],
                                  disposition="inline")
    elif kind == "mixed":
        alt = rng.random() < 0.3
        _text_or_alt(msg, seed, opts, f, rng, alt)
        for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 3)):
            _add_attachment(msg, rng, rng.random() < 0.3, blobs)
    elif kind == "forward":
        irng = random.Random(f"{seed}/{opts.folder}/{index}/fwd")
        pool = people()
        isender = irng.choice(pool)
        inner_msg = EmailMessage(policy=POLICY)
        its = f.ts - irng.randint(3600, 30 * 86400)
        inner_msg["Date"] = format_datetime(datetime.fromtimestamp(its, timezone(timedelta(hours=isender.tz))))
        _set_addr(inner_msg, "From", [isender], irng)
        _set_addr(inner_msg, "To", [f.sender], irng)
        isubj = f.subject[5:] if f.subject.startswith("Fwd: ") else f.subject
        _set_text_header(inner_msg, "Subject", isubj, irng, isender.lang)
        inner_msg["Message-ID"] = f"<{_digest(seed, opts.folder, index, 'inner')}@{isender.addr.split('@')[1]}>"
        itext = _wrap(_core_paragraphs(seed, opts.folder + "/fwd", index, isender.lang), isender.lang) + "\n"
        inner_msg.set_content(itext, charset="utf-8", cte="quoted-printable")
        as_attachment = rng.random() < 0.6
        if as_attachment and irng.random() < 0.3:
            _add_attachment(inner_msg, irng, irng.random() < 0.3, blobs)
        note = rng.choice(["FYI, see below.", "Forwarding this for your records.", "Can you take a look?",
                           "Siehe unten.", "Pour info."])
        if as_attachment:
            msg.set_content(f"{note}\n\n{f.sender.first}\n", charset="utf-8")
            _finalise(inner_msg, seed, opts.folder + "/fwd", index, set())
            inner.add(id(inner_msg))
            msg.add_attachment(inner_msg)
        else:  # inline forward
            idt = format_datetime(datetime.fromtimestamp(its, timezone(timedelta(hours=isender.tz))))
            fwd = (f"{note}\n\n---------- Forwarded message ---------\nFrom: {isender.name} <{isender.addr}>\n"
                   f"Date: {idt}\nSubject: {isubj}\nTo: {f.sender.name} <{f.sender.addr}>\n\n{itext}")
            msg.set_content(fwd, charset="utf-8")
    elif kind == "hostile":
        msg.set_content("Dear customer, your mailbox is almost full. Open the HTML part.\n")
        msg.add_alternative(_hostile_html(rng), subtype="html")
        if rng.random() < 0.5:
            bad = rng.choice(["../../../../etc/passwd", "invoice.pdf.exe", "<script>alert(1)</script>.html",
                              "..\\..\\windows\\win.ini", "report\u202egpj.exe", "CON.txt"])
            if bad.endswith(".html"):
                msg.add_attachment("<script>alert('attachment')</script>\n", subtype="html", filename=bad)
            else:
                msg.add_attachment(rng.randbytes(2048), maintype="application", subtype="octet-stream",
                                   filename=bad)
        if rng.random() < 0.5:
            msg.add_attachment('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
                               '<script>alert(2)</script></svg>\n', subtype="svg+xml", filename="logo.svg")
    elif kind == "spam":
        msg.set_content("Congratulations!!! Claim your prize now: http://promo.example.invalid/claim?id="
                        f"{rng.randint(1, 10**9)}\n")
        msg.add_alternative(
            '<html><body style="background:#ff0">'
            f'<h1 style="color:red">{html.escape(f.subject)}</h1>'
            '<p><a href="http://promo.example.invalid/claim">CLICK HERE</a></p>'
            '<img src="http://promo.example.invalid/banner.jpg" width="600" height="300">'
            f'<img src="https://track.example.invalid/o/{rng.randint(1, 10**9)}.gif" width="1" height="1">'
            '</body></html>\n', subtype="html")
    elif kind in ("receipt", "invoice"):
        (shop, domain), order = f.extra
        items = [(rng.choice(["USB-C cable", "Notebook A5", "Coffee beans 1 kg", "Desk lamp", "Paperback novel",
                              "Cloud plan (monthly)", "Seat reservation", "Vitamin D3"]),
                  rng.randint(1, 3), rng.uniform(2, 120)) for _ in range(rng.randint(1, 5))]
        total = sum(q * p for _n, q, p in items)
        text = (f"Thank you for your order #{order} at {shop}.\n\n" +
                "\n".join(f"{q} x {n:<24} {q * p:8.2f} EUR" for n, q, p in items) +
                f"\n\nTotal: {total:.2f} EUR\nhttps://{domain}/orders/{order}\n")
        rows = "".join(f'<tr><td style="padding:4px 8px">{html.escape(n)}</td><td align="right">{q}</td>'
                       f'<td align="right" style="padding:4px 8px">{q * p:.2f}&nbsp;&euro;</td></tr>'
                       for n, q, p in items)
        html_doc = (f'<html><body style="font-family:Arial,sans-serif"><h2>{html.escape(shop)}</h2>'
                    f'<p>Order <a href="https://{domain}/orders/{order}">#{order}</a></p>'
                    f'<table cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse">{rows}'
                    f'<tr><td colspan="2"><b>Total</b></td><td align="right"><b>{total:.2f}&nbsp;&euro;</b>'
                    f'</td></tr></table><img src="https://images.example.net/{domain.split(".")[0]}/logo.png" '
                    f'alt="{html.escape(shop)}"></body></html>\n')
        msg.set_content(text)
        msg.add_alternative(html_doc, subtype="html")
        if kind == "invoice":
            _attach_bytes(msg, make_pdf(rng, rng.randint(20_000, 120_000), "Invoice"), "application", "pdf",
                          f"Invoice-{order}.pdf", blobs)
    elif kind == "big":
        big_size = BIG_EXACT_SIZE if index == BIG_INDEX else rng.randint(BIG_MIN_SIZE, BIG_MAX_SIZE)
        msg.set_content(
            f"Hi {f.to[0].first},\n\nattached is the file ({big_size / 1048576:.1f} MB, {big_size} bytes) "
            f"you asked for.\n\n{f.sender.first or f.sender.name}\n")
        fname = BIG_FILENAME if index == BIG_INDEX else rng.choice(
            ["footage.pdf", "scans-full.pdf", "survey-photos.pdf", "audit-export.pdf", "share-backup.pdf"])
        msg.add_attachment(_BIG_MARKER, maintype="application", subtype="pdf", filename=fname)
    else:  # pragma: no cover
        raise ValueError(kind)

    _finalise(msg, seed, opts.folder, index, inner)
    data = msg.as_bytes(policy=POLICY)
    if big_size:
        blobs.append((base64.encodebytes(_BIG_MARKER), None))
    if blobs:
        pieces = []
        pos = 0
        for marker, raw in blobs:  # markers appear in the order they were added
            at = data.index(marker, pos)
            pieces.append(data[pos:at])
            pieces.append(base64.encodebytes(raw) if raw is not None else _big_encoded(big_size))
            pos = at + len(marker)
        pieces.append(data[pos:])
        data = b"".join(pieces)
    return GeneratedMessage(data, f.ts, f.flags, f.subject, f.message_id, kind)


def generate_message(rng_seed: int, index: int, *, options: GenOptions | None = None) -> bytes:
    """The bytes (LF line endings) of message `index`; same seed+index+options -> same bytes."""
    return build_message(rng_seed, index, options=options).data


# --------------------------------------------------------------------------- #
# Maildir writing
# --------------------------------------------------------------------------- #
def default_maildir(user: str) -> Path:
    base = Path(os.environ.get("MAILSTACK_DIR") or REPO_ROOT / "var" / "mailstack")
    local, _, domain = user.partition("@")
    if not local or not domain or "/" in user or user.startswith("."):
        raise ValueError(f"not a mail address: {user!r}")
    return base / "mail" / domain / local / "Maildir"


def folder_path(maildir_root: Path, folder: str) -> Path:
    """Directory of an IMAP folder in the LAYOUT=fs maildir (components in modified UTF-7)."""
    parts = [p for p in folder.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        raise ValueError(f"bad folder name: {folder!r}")
    if parts[0].upper() == "INBOX":
        parts[0] = "INBOX"
    return Path(maildir_root).joinpath(*(imap_utf7_encode(p) for p in parts))


@functools.lru_cache(maxsize=1)
def _mail_owner() -> tuple[int, int] | None:
    try:
        import pwd
        pw = pwd.getpwnam(MAIL_OWNER)
    except (ImportError, KeyError):
        return None
    if os.geteuid() not in (0, pw.pw_uid):
        print(f"mailgen: not root, cannot chown to {MAIL_OWNER}; leaving ownership alone", file=sys.stderr)
        return None
    return pw.pw_uid, pw.pw_gid


def _chown(path: Path | str, owner: tuple[int, int] | None) -> None:
    if owner is not None:
        os.chown(path, *owner)


def _makedirs(path: Path, owner: tuple[int, int] | None) -> None:
    """mkdir -p that chowns every directory it creates."""
    missing = []
    p = Path(path)
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:
            continue
        _chown(d, owner)


def ensure_folder(maildir_root: Path, folder: str, owner: tuple[int, int] | None = None) -> Path:
    d = folder_path(maildir_root, folder)
    for sub in ("cur", "new", "tmp"):
        _makedirs(d / sub, owner)
    return d


def count_messages(folder_dir: Path) -> int:
    n = 0
    for sub in ("cur", "new"):
        try:
            n += sum(1 for e in os.scandir(Path(folder_dir) / sub) if not e.name.startswith("."))
        except FileNotFoundError:
            pass
    return n


def maildir_filename(seed: int, index: int, data: bytes, ts: float, flags: str, host: str = "mailgen") -> str:
    size = len(data)
    vsize = size + data.count(b"\n")
    return f"{int(ts)}.M{index}P{seed}.{host},S={size},W={vsize}:2,{''.join(sorted(flags))}"


def _write_one(folder_dir: str, seed: int, index: int, opts: GenOptions, owner) -> int:
    g = build_message(seed, index, options=opts)
    name = maildir_filename(seed, index, g.data, g.timestamp, g.flags)
    tmp = os.path.join(folder_dir, "tmp", name)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(g.data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    os.utime(tmp, (g.timestamp, g.timestamp))
    if owner is not None:
        os.chown(tmp, *owner)
    os.rename(tmp, os.path.join(folder_dir, "cur", name))
    return len(g.data)


def _write_chunk(args) -> tuple[int, int]:
    folder_dir, seed, indices, opts, owner = args
    total = 0
    for i in indices:
        total += _write_one(folder_dir, seed, i, opts, owner)
    return len(indices), total


def big_attachment_indices(count: int, n: int | None = None) -> frozenset[int]:
    """Which indices carry a 20-25 MB attachment: BIG_INDEX first, the rest spread evenly.

    n=None means the default: one per 1000 messages, at least one when count >= 100.
    """
    if n is None:
        n = max(count // 1000, 1 if count >= 100 else 0)
    if n <= 0 or count <= BIG_INDEX:
        return frozenset()
    out = {BIG_INDEX}
    for k in range(1, n):
        i = BIG_INDEX + (k * count) // n
        while i in out and i < count - 1:
            i += 1
        if i < count:
            out.add(i)
    return frozenset(out)


def seed_folder(maildir_root: Path, folder: str, count: int, seed: int, *, user: str = DEFAULT_USER,
                big_attachments: int | None = None, jobs: int | None = None, verbose: bool = True) -> int:
    """Make `folder` hold (at least) `count` generated messages; returns how many were written.

    A folder that already holds >= count messages is left alone. One holding fewer gets the
    missing indices (existing .. count-1). big_attachments: how many 20-25 MB messages
    (None = default of one per 1000, 0 = none).
    """
    t0 = time.monotonic()
    owner = _mail_owner()
    _makedirs(Path(maildir_root), owner)
    fdir = ensure_folder(Path(maildir_root), folder, owner)
    existing = count_messages(fdir)
    if existing >= count:
        if verbose:
            print(f"{folder}: already has {existing} messages (>= {count}), nothing to do")
        return 0
    opts = GenOptions(user=user, folder=folder, count=count,
                      big_indices=big_attachment_indices(count, big_attachments))
    indices = list(range(existing, count))
    if jobs is None:
        jobs = os.cpu_count() or 1
    if any(i in opts.big_indices for i in indices):
        _big_payload()  # build before forking so workers share it
    chunks = [indices[i:i + 250] for i in range(0, len(indices), 250)]
    written = nbytes = 0
    work = [(str(fdir), seed, c, opts, owner) for c in chunks]
    if jobs > 1 and len(indices) >= 500 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for n, b in pool.imap_unordered(_write_chunk, work):
                written += n
                nbytes += b
    else:
        for w in work:
            n, b = _write_chunk(w)
            written += n
            nbytes += b
    if verbose:
        dt = time.monotonic() - t0
        big = len([i for i in indices if i in opts.big_indices])
        print(f"{folder}: wrote {written} messages ({nbytes / 1048576:.1f} MiB, {big} with big attachments) "
              f"into {fdir} in {dt:.1f}s ({written / dt if dt else 0:.0f} msg/s)")
    return written


def ensure_tree(maildir_root: Path, seed: int, *, user: str = DEFAULT_USER, scale: float = 1.0,
                jobs: int | None = None, verbose: bool = True) -> dict[str, int]:
    """Create the folder tree TREE with some mail in each; returns {folder: written}."""
    out = {}
    for folder, n in TREE:
        out[folder] = seed_folder(maildir_root, folder, max(1, int(n * scale)), seed, user=user,
                                  big_attachments=0, jobs=jobs, verbose=verbose)
    return out


def _mailstack(*args: str) -> None:
    script = REPO_ROOT / "scripts" / "mailstack.sh"
    if not script.exists():
        print("mailgen: scripts/mailstack.sh not found; skipping doveadm", file=sys.stderr)
        return
    cmd = ["bash", str(script), *args]
    try:
        r = subprocess.run(cmd, cwd=REPO_ROOT, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"mailgen: {' '.join(cmd)} failed: {e}", file=sys.stderr)
        return
    if r.returncode:
        print(f"mailgen: {' '.join(cmd)} exited {r.returncode} (ignored)", file=sys.stderr)


# --------------------------------------------------------------------------- #
# Seeding over IMAP (Cyrus, Courier: servers whose storage is not Dovecot's Maildir)
# --------------------------------------------------------------------------- #
_MAILDIR_FLAGS = {"S": "\\Seen", "R": "\\Answered", "F": "\\Flagged", "D": "\\Draft"}


def _imap_quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def imap_folder_name(folder: str, prefix: str, separator: str) -> str:
    """`Work/Projects` as this server spells it: under its personal prefix (Courier's
    `INBOX.`), with its separator, in modified UTF-7. INBOX stays INBOX."""
    if folder.upper() == "INBOX":
        return "INBOX"
    return prefix + separator.join(imap_utf7_encode(part) for part in folder.split("/"))


def seed_over_imap(host: str, port: int, login: str, password: str, *, user: str, folder: str, count: int,
                   seed: int, tree: bool = False, tree_scale: float = 1.0, starttls_cafile: str | None = None,
                   big_attachments: int | None = 0, verbose: bool = True) -> int:
    """APPEND generated messages through IMAP (flags and dates as in the Maildir seeding);
    folders are created under the server's personal namespace and subscribed. A folder
    that already holds >= its count is left alone. Returns how many were appended."""
    import imaplib
    import re as _re
    import ssl

    imap = imaplib.IMAP4(host, port)
    if starttls_cafile:
        imap.starttls(ssl.create_default_context(cafile=starttls_cafile))
    imap.login(login, password)
    prefix, separator = "", "/"
    typ, data = imap.namespace()
    found = _re.match(rb'\(\("([^"]*)" (?:"([^"]*)"|NIL)\)', data[0] or b"") if typ == "OK" else None
    if found:
        prefix, separator = found.group(1).decode(), (found.group(2) or b"/").decode()
    wanted = [(folder, count)] + ([(f, max(1, int(n * tree_scale))) for f, n in TREE] if tree else [])
    written = 0
    for name, n in wanted:
        box = imap_folder_name(name, prefix, separator)
        if box != "INBOX":
            parts = box[len(prefix):].split(separator)
            for depth in range(1, len(parts) + 1):
                partial = prefix + separator.join(parts[:depth])
                imap.create(_imap_quote(partial))  # NO when it exists: fine
                imap.subscribe(_imap_quote(partial))
        typ, data = imap.status(_imap_quote(box), "(MESSAGES)")
        have = int(_re.search(rb"MESSAGES (\d+)", data[0]).group(1)) if typ == "OK" else 0
        opts = GenOptions(user=user, folder=name, count=n, big_indices=big_attachment_indices(n, big_attachments))
        for index in range(have, n):
            g = build_message(seed, index, options=opts)
            flags = "(" + " ".join(_MAILDIR_FLAGS[f] for f in g.flags if f in _MAILDIR_FLAGS) + ")"
            typ, data = imap.append(_imap_quote(box), flags, imaplib.Time2Internaldate(g.timestamp), g.data)
            if typ != "OK":
                raise RuntimeError(f"APPEND to {box} failed: {data!r}")
            written += 1
        if verbose:
            print(f"{box}: {n - have if n > have else 0} messages appended over IMAP")
    imap.logout()
    return written


# --------------------------------------------------------------------------- #
# CLI
# --------------------------------------------------------------------------- #
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("seed", help="write generated messages into a user's maildir")
    s.add_argument("--user", required=True, help="mail address, e.g. alice@example.test")
    s.add_argument("--count", type=int, default=1000)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--folder", default="INBOX")
    s.add_argument("--tree", action="store_true", help="also create a nested folder tree with mail in each")
    s.add_argument("--tree-scale", type=float, default=1.0, help="multiply the tree's per-folder counts")
    s.add_argument("--maildir", type=Path, help="maildir root (default $MAILSTACK_DIR/mail/<domain>/<local>/Maildir)")
    s.add_argument("--index", action="store_true",
                   help="afterwards run `doveadm force-resync` (and, with --tree, subscribe the folders) "
                        "via scripts/mailstack.sh; skipped if that script is missing")
    s.add_argument("--big-attachments", type=int, default=None, metavar="N",
                   help="messages with a 20-25 MB attachment (default 1 per 1000, >=1 when count>=100); "
                        f"index {BIG_INDEX} has exactly 20 MiB, subject {BIG_SUBJECT!r}")
    s.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU count)")
    s.add_argument("--imap", metavar="HOST:PORT",
                   help="APPEND over IMAP instead of writing Maildir (Cyrus, Courier); with --login, --password")
    s.add_argument("--login", help="IMAP login name (default: --user)")
    s.add_argument("--password", help="IMAP password (with --imap)")
    s.add_argument("--starttls-cafile", help="with --imap: STARTTLS, trusting this CA file")
    sh = sub.add_parser("show", help="print one generated message to stdout")
    sh.add_argument("--seed", type=int, default=1)
    sh.add_argument("--index", type=int, required=True)
    sh.add_argument("--folder", default="INBOX")
    sh.add_argument("--count", type=int, default=1000)
    sh.add_argument("--user", default=DEFAULT_USER)
    sh.add_argument("--big-attachments", type=int, default=None)
    sh.add_argument("--headers", action="store_true", help="headers only")
    a = ap.parse_args(argv)

    if a.cmd == "show":
        opts = GenOptions(user=a.user, folder=a.folder, count=a.count,
                          big_indices=big_attachment_indices(a.count, a.big_attachments))
        data = generate_message(a.seed, a.index, options=opts)
        if a.headers:
            data = data.split(b"\n\n", 1)[0] + b"\n"
        sys.stdout.buffer.write(data)
        return 0

    t0 = time.monotonic()
    if a.imap:
        host, _, port = a.imap.rpartition(":")
        total = seed_over_imap(host or "127.0.0.1", int(port), a.login or a.user, a.password or "", user=a.user,
                               folder=a.folder, count=a.count, seed=a.seed, tree=a.tree, tree_scale=a.tree_scale,
                               starttls_cafile=a.starttls_cafile, big_attachments=a.big_attachments)
        print(f"mailgen: {total} messages appended over IMAP in {time.monotonic() - t0:.1f}s")
        return 0
    root = a.maildir or default_maildir(a.user)
    total = seed_folder(root, a.folder, a.count, a.seed, user=a.user, big_attachments=a.big_attachments,
                        jobs=a.jobs)
    if a.tree:
        total += sum(ensure_tree(root, a.seed, user=a.user, scale=a.tree_scale, jobs=a.jobs).values())
    print(f"mailgen: {total} messages written under {root} in {time.monotonic() - t0:.1f}s")
    if a.index:
        _mailstack("doveadm", "force-resync", "-u", a.user, "*")
        if a.tree:  # so that LSUB / LIST (SUBSCRIBED) clients see the tree too
            _mailstack("doveadm", "mailbox", "subscribe", "-u", a.user, a.folder, *(f for f, _n in TREE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
