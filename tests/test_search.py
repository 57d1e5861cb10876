"""Searching every folder through HTTP, checked against independent imapclient searches
on the real Dovecot: each operator finds exactly what the hand-written SEARCH finds in
every folder; Trash and Junk only when asked; results act across folders."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from html import unescape
from urllib.parse import quote, unquote, urlencode

import pytest

from mailview.mime import decode_header_value
from tests.support import imap_direct, new_mail_user, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

FOLDERS = ["INBOX", "Archive", "Work/Projects", "Trash", "Junk"]
ROW = re.compile(r'<tr class="message[^"]*" data-uid="(\d+)" data-folder="[^"]*" data-ref="([^"]+)">(.*?)</tr>', re.S)
SUBJECT = re.compile(r'<td class="col-subject">.*?<a href="[^"]+">(.*?)</a>', re.S)
TODAY = date.today()


def _message(*, subject: str, sender: str, to: str = "alice@example.test", cc: str = "", body: str = "hello", attachment: bool = False, size: int = 0) -> bytes:
    headers = f"From: {sender}\r\nTo: {to}\r\n" + (f"Cc: {cc}\r\n" if cc else "") + f"Subject: {subject}\r\nMIME-Version: 1.0\r\n"
    text = body + ("\r\n" + "x" * 76) * (size // 78)
    if not attachment:
        return (headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n").encode("utf-8")
    return (
        headers + 'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
        + text + "\r\n--b1\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n"
    ).encode("utf-8")


# (folder, subject, sender, extra message options, flags, days ago)
SEED = [
    ("INBOX", "Quarterly budget", "Anna Schmidt <anna@example.org>", {"cc": "carl@example.org"}, [], 1),
    ("INBOX", "Lunch on Friday", "Bob Stone <bob@example.org>", {"body": "the budget is fine"}, ["\\Seen"], 3),
    ("INBOX", "Grüße aus München", "Jürgen <j@example.org>", {"attachment": True}, ["\\Flagged", "$Work"], 10),
    ("Archive", "Old budget plan", "Anna Schmidt <anna@example.org>", {"size": 40000}, ["\\Seen", "$Work"], 40),
    ("Archive", "Holiday photos", "Dora <dora@example.org>", {"attachment": True, "to": "family@example.org"}, ["\\Seen"], 100),
    ("Work/Projects", "Project budget (draft)", "Carl <carl@example.org>", {"body": 'He said "exact words" here'}, ["$Work"], 5),
    ("Work/Projects", "Re: status", "Anna Schmidt <anna@example.org>", {}, ["\\Flagged"], 2),
    ("Trash", "Deleted budget", "Anna Schmidt <anna@example.org>", {}, ["\\Seen"], 7),
    ("Junk", "Win a budget", "spam@spam.example", {}, [], 8),
]


@pytest.fixture(scope="module")
def seeded():
    user = new_mail_user("searcher")
    with imap_direct(user) as imap:
        imap.create_folder("Work/Projects")
        imap.subscribe_folder("Work/Projects")  # search covers the folders the sidebar shows
        for folder, subject, sender, options, flags, days in SEED:
            raw = _message(subject=subject, sender=sender, **options)
            when = datetime.combine(TODAY - timedelta(days=days), time(12, 0))
            imap.append(folder, raw, flags=flags, msg_time=when)
    return user


def sign_in(client, user) -> None:
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302


def found(client, query: str, **params: str) -> list[tuple[str, str]]:
    """(folder, subject) of every result row of the search page, in page order."""
    response = client.get("/mail/search/?" + urlencode({"q": query, **params}))
    assert response.status_code == 200
    html = response.content.decode()
    out = []
    for _uid, ref, body in ROW.findall(html):
        folder = unquote(unescape(ref).rsplit("/", 1)[0])
        out.append((folder, unescape(SUBJECT.search(body).group(1))))
    return out


def server_found(user, criteria: list, folders: list[str], charset: str | None = None) -> set[tuple[str, str]]:
    """The same search done independently, folder by folder, with imapclient."""
    out = set()
    with imap_direct(user) as imap:
        for folder in folders:
            imap.select_folder(folder, readonly=True)
            uids = imap.search(criteria, charset=charset)
            for data in (imap.fetch(uids, ["ENVELOPE"]) if uids else {}).values():
                out.add((folder, decode_header_value(data[b"ENVELOPE"].subject)))
    return out


DEFAULT = ["INBOX", "Archive", "Work/Projects"]


def _days(n: int) -> str:
    d = TODAY - timedelta(days=n)
    return d.strftime("%d-%b-%Y")


CASES = [
    ("budget", ["OR", "OR", "OR", "FROM", "budget", "TO", "budget", "CC", "budget", "SUBJECT", "budget"], DEFAULT),
    ("from:anna", ["FROM", "anna"], DEFAULT),
    ("to:family", ["TO", "family"], DEFAULT),
    ("cc:carl", ["CC", "carl"], DEFAULT),
    ('subject:"budget plan"', ["SUBJECT", "budget plan"], DEFAULT),
    ("is:unread", ["UNSEEN"], DEFAULT),
    ("is:read", ["SEEN"], DEFAULT),
    ("is:flagged", ["FLAGGED"], DEFAULT),
    ("label:$Work", ["KEYWORD", "$Work"], DEFAULT),
    ("-label:$Work", ["NOT", "KEYWORD", "$Work"], DEFAULT),
    ("has:attachment", ["HEADER", "Content-Type", "multipart/mixed"], DEFAULT),
    ("larger:30K", ["LARGER", "30720"], DEFAULT),
    ("smaller:1K", ["SMALLER", "1024"], DEFAULT),
    ("older_than:20d", ["BEFORE", _days(20)], DEFAULT),
    ("newer_than:4d", ["SINCE", _days(4)], DEFAULT),
    (f"before:{(TODAY - timedelta(days=6)).isoformat()}", ["BEFORE", _days(6)], DEFAULT),
    (f"after:{(TODAY - timedelta(days=6)).isoformat()}", ["SINCE", _days(6)], DEFAULT),
    ("from:anna -is:read", ["FROM", "anna", "UNSEEN"], DEFAULT),
    ("from:bob OR from:carl", ["OR", "FROM", "bob", "FROM", "carl"], DEFAULT),
    ("budget -(from:anna OR is:read)", ["OR", "OR", "OR", "FROM", "budget", "TO", "budget", "CC", "budget", "SUBJECT", "budget", "NOT", "FROM", "anna", "UNSEEN"], DEFAULT),
    ("in:trash budget", ["OR", "OR", "OR", "FROM", "budget", "TO", "budget", "CC", "budget", "SUBJECT", "budget"], ["Trash"]),
    ("in:anywhere budget", ["OR", "OR", "OR", "FROM", "budget", "TO", "budget", "CC", "budget", "SUBJECT", "budget"], FOLDERS),
    ("in:Work/Projects is:flagged", ["FLAGGED"], ["Work/Projects"]),
]


@pytest.mark.parametrize(("query", "criteria", "folders"), CASES, ids=[c[0] for c in CASES])
def test_each_operator_finds_what_the_server_finds_in_every_folder(client, seeded, query, criteria, folders):
    sign_in(client, seeded)
    got = found(client, query)
    assert len(got) == len(set(got))
    assert set(got) == server_found(seeded, criteria, folders)


def test_phrases_and_non_ascii_words(client, seeded):
    sign_in(client, seeded)
    assert found(client, '"exact words"', body="1") == [("Work/Projects", "Project budget (draft)")]
    assert found(client, "München") == [("INBOX", "Grüße aus München")]
    assert set(found(client, "budget", body="1")) == server_found(seeded, ["TEXT", "budget"], DEFAULT)


def test_results_are_newest_first_across_folders_and_paged(client, seeded):
    sign_in(client, seeded)
    found(client, "in:anywhere is:flagged")  # cached before the flag changes below
    got = found(client, "in:anywhere -from:nobody")
    by_age = [s for f, s, *_ in sorted(SEED, key=lambda row: row[5])]
    assert [s for _, s in got] == by_age
    # again: each folder's matches now come from the cache (kept until the folder changes)
    assert found(client, "in:anywhere -from:nobody") == got
    with imap_direct(seeded) as imap:
        imap.select_folder("Archive")
        uid = imap.search(["SUBJECT", "Holiday photos"])[0]
        imap.add_flags([uid], ["\\Flagged"])
    try:
        assert ("Archive", "Holiday photos") in found(client, "in:anywhere is:flagged")
    finally:
        with imap_direct(seeded) as imap:
            imap.select_folder("Archive")
            imap.remove_flags([uid], ["\\Flagged"])
    html = client.get("/mail/search/?q=budget").content.decode()
    assert re.search(r"searched \d+ folders", html) and "not Trash and Junk" in html


def test_everywhere_checkbox_adds_trash_and_junk(client, seeded):
    sign_in(client, seeded)
    assert {f for f, _ in found(client, "budget", everywhere="1")} == {"INBOX", "Archive", "Work/Projects", "Trash", "Junk"}


@pytest.mark.parametrize("query", ['"quoted', "a\\b", "(x", "x)", "\r\nA1 LOGOUT", "{5}\r\nhello", "}{", "\x00", "ü" * 300, "from:" + "y" * 4096, "OR OR", "-", "(((((((((a)))))))))"])
def test_hostile_queries_cannot_break_the_command(client, seeded, query):
    sign_in(client, seeded)
    response = client.get("/mail/search/?" + urlencode({"q": query}))
    assert response.status_code == 200
    # the session survived: a plain search still finds its mail
    assert ("INBOX", "Quarterly budget") in found(client, "from:anna")


def test_chips_show_the_query_and_drop_a_term(client, seeded):
    sign_in(client, seeded)
    html = client.get("/mail/search/?" + urlencode({"q": 'from:anna "budget plan" larger:huge'})).content.decode()
    chips = re.findall(r'<span class="chip-text">(.*?)</span>', html)
    assert [unescape(c) for c in chips] == ["from:anna", '"budget plan"', "larger:huge"]
    assert "not a size" in html
    removes = [unescape(u) for u in re.findall(r'<a href="([^"]+)" class="chip-remove"', html)]
    assert removes[0] == "/mail/search/?" + urlencode({"q": '"budget plan" larger:huge'})


def test_advanced_form_builds_the_same_query(client, seeded):
    sign_in(client, seeded)
    response = client.get("/mail/search/?" + urlencode({"advanced": "1", "f_from": "anna", "f_subject": "budget plan", "f_unread": "", "f_in": "Archive"}))
    assert response.status_code == 302
    assert response["Location"] == "/mail/search/?" + urlencode({"q": 'from:anna subject:"budget plan" in:Archive'})


def test_folder_list_keeps_one_folder_with_the_same_language(client, seeded):
    sign_in(client, seeded)
    html = client.get("/mail/INBOX/?" + urlencode({"q": "from:anna OR is:flagged"})).content.decode()
    subjects = sorted(unescape(s) for s in re.findall(r'<a href="/mail/INBOX/\d+/">(.*?)</a>', html))
    assert subjects == ["Grüße aus München", "Quarterly budget"]
    scoped = client.get("/mail/INBOX/?" + urlencode({"q": "budget", "scope": "all"}))
    assert scoped.status_code == 302 and scoped["Location"].startswith("/mail/search/?q=budget")
    back = client.get("/mail/search/?" + urlencode({"q": "budget", "scope": "Archive"}))
    assert back["Location"] == "/mail/Archive/?q=budget"


def test_selected_results_are_archived_across_folders(celery_worker, client):
    user = new_mail_user("crossfile")
    with imap_direct(user) as imap:
        imap.create_folder("Work/Projects")
        imap.subscribe_folder("Work/Projects")  # search covers the folders the sidebar shows
        imap.append("INBOX", _message(subject="Move me one", sender="zed@example.org"))
        imap.append("Work/Projects", _message(subject="Move me two", sender="zed@example.org"))
        imap.append("INBOX", _message(subject="Stay here", sender="zed@example.org"))
    sign_in(client, user)
    html = client.get("/mail/search/?q=" + quote('subject:"move me"')).content.decode()
    refs = [unescape(ref) for _uid, ref, _body in ROW.findall(html)]
    assert len(refs) == 2
    response = client.post("/actions/", {"action": "archive", "ref": refs}, HTTP_ACCEPT="application/json")
    ids = response.json()["action_ids"]
    assert len(ids) == 2
    for action_id in ids:
        wait_until(lambda a=action_id: client.get(f"/actions/{a}/", HTTP_ACCEPT="application/json").json()["state"] == "done", timeout=30, message="archive")
    assert server_found(user, ["ALL"], ["Archive"]) == {("Archive", "Move me one"), ("Archive", "Move me two")}
    assert sorted(found(client, "zed")) == [("Archive", "Move me one"), ("Archive", "Move me two"), ("INBOX", "Stay here")]


def test_another_person_finds_none_of_it(client, seeded):
    other = new_mail_user("nosy")
    sign_in(client, other)
    assert found(client, "in:anywhere budget") == []


def test_search_needs_sign_in(client):
    response = client.get("/mail/search/?q=x")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_search_page_speaks_german(client, seeded):
    sign_in(client, seeded)
    html = client.get("/mail/search/?q=budget", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Alle Ordner durchsuchen" in html and "nur Absender, Empfänger und Betreff" in html


def test_search_stays_within_the_pool_and_never_waits_for_extra_connections(client, seeded, settings):
    from django.contrib.auth import get_user_model

    from mailview.imap import get_pool
    from tests.support import dovecot_connections

    sign_in(client, seeded)
    everything = set(found(client, "in:anywhere -from:nobody"))
    assert len(everything) == len(SEED)
    assert 1 <= dovecot_connections(seeded.email) <= settings.WEBMAIL_POOL_PER_PROCESS
    # Every connection but one held elsewhere (another request of the same person): the
    # search runs on the one that is left instead of waiting for more, and finds the same.
    user = get_user_model().objects.get(username=seeded.email)
    pool = get_pool()
    with pool.session(user) as _held:
        assert set(found(client, "in:anywhere -from:nobody")) == everything
    assert dovecot_connections(seeded.email) <= settings.WEBMAIL_POOL_PER_PROCESS


def test_folders_not_searched_in_time_are_named_and_connections_go_back(client, seeded):
    from django.contrib.auth import get_user_model

    from mailview.imap import get_pool
    from mailview.services.reading.folders import flatten, folder_tree
    from mailview.services.reading.search import message_search

    sign_in(client, seeded)
    user = get_user_model().objects.get(username=seeded.email)
    pool = get_pool()
    with pool.session(user) as imap:
        folders = flatten(folder_tree(imap=imap))
    scope = [f for f in folders if f.selectable]
    results = message_search(
        session=lambda timeout: pool.session(user, timeout=timeout), folders=scope, text="budget", in_body=False,
        page=1, per_page=50, deadline=0.0, max_connections=2,
    )
    assert [f.name for f in results.late] == [f.name for f in scope] and results.hits == [] and not results.complete
    wait_until(lambda: pool.stats()["in_use"] == 0, timeout=10, message="the search's connections back in the pool")
    html = client.get("/mail/search/?q=budget").content.decode()
    assert "Not searched in time" not in html  # with the configured deadline, every folder is searched


def test_select_all_results_acts_on_every_match_in_every_folder(celery_worker, client):
    """More results than a page, in three folders: "select all N results" archives every
    match on the server (Trash not searched, so not touched), and nothing else."""
    from accounts.services import user_settings

    user = new_mail_user("selectall")
    with imap_direct(user) as imap:
        imap.create_folder("Work/Projects")
        imap.subscribe_folder("Work/Projects")
        for i in range(6):
            imap.append("INBOX", _message(subject=f"Sweep inbox {i}", sender="sweeper@example.org"))
        for i in range(5):
            imap.append("Work/Projects", _message(subject=f"Sweep project {i}", sender="sweeper@example.org"))
        imap.append("Trash", _message(subject="Sweep trash", sender="sweeper@example.org"))
        imap.append("INBOX", _message(subject="Keep me", sender="keeper@example.org"))
    sign_in(client, user)
    from django.contrib.auth import get_user_model

    prefs = user_settings(user=get_user_model().objects.get(username=user.email))
    prefs.messages_per_page = 10
    prefs.save()
    html = client.get("/mail/search/?q=" + quote("from:sweeper")).content.decode()
    assert len(ROW.findall(html)) == 10 and "Select all 11 results" in html
    response = client.post(
        "/actions/", {"action": "archive", "search": "1", "all": "1", "q": "from:sweeper"}, HTTP_ACCEPT="application/json"
    )
    ids = response.json()["action_ids"]
    assert len(ids) == 2  # one per folder with matches
    for action_id in ids:
        wait_until(lambda a=action_id: client.get(f"/actions/{a}/", HTTP_ACCEPT="application/json").json()["state"] == "done", timeout=30, message="archive")
    archived = server_found(user, ["ALL"], ["Archive"])
    assert archived == {("Archive", f"Sweep inbox {i}") for i in range(6)} | {("Archive", f"Sweep project {i}") for i in range(5)}
    assert server_found(user, ["ALL"], ["INBOX", "Work/Projects", "Trash"]) == {("INBOX", "Keep me"), ("Trash", "Sweep trash")}


def test_select_all_results_of_an_empty_query_does_nothing(celery_worker, client, seeded):
    sign_in(client, seeded)
    response = client.post("/actions/", {"action": "delete", "search": "1", "all": "1", "q": "  "}, HTTP_ACCEPT="application/json")
    assert response.json()["action_id"] is None
    assert len(server_found(seeded, ["ALL"], ["INBOX"])) == 3


def _slow_search_user(prefix: str, folders: int = 12):
    """A person with many folders, one match in each: with a tiny first wait most folders are
    still being searched when the page is answered."""
    user = new_mail_user(prefix)
    with imap_direct(user) as imap:
        for i in range(folders):
            name = f"Box{i:02d}"
            imap.create_folder(name)
            imap.subscribe_folder(name)
            imap.append(name, _message(subject=f"Needle {i:02d}", sender="needle@example.org"))
    return user


def test_a_slow_search_streams_the_rest_and_the_page_fills_in(client, settings):
    settings.WEBMAIL_SEARCH_FIRST_MS = 1
    settings.WEBMAIL_POOL_PER_PROCESS = 1  # one folder at a time: the others wait their turn
    user = _slow_search_user("streamer")
    sign_in(client, user)
    html = client.get("/mail/search/?q=" + quote("from:needle")).content.decode()
    assert "Still searching" in html
    sid = re.search(r'name="sid" value="([0-9a-f]{32})"', html).group(1)
    assert f"sid={sid}" in unescape(re.search(r'data-run-url="([^"]+)"', html).group(1))
    assert '<meta http-equiv="refresh"' in html  # without JavaScript the page reloads itself

    def progress():
        return client.get(f"/mail/search/progress/?sid={sid}", HTTP_ACCEPT="application/json").json()

    wait_until(lambda: progress()["finished"], timeout=60, message="every folder searched in the background")
    page = client.get("/mail/search/?" + urlencode({"q": "from:needle", "sid": sid})).content.decode()
    assert "Still searching" not in page and "Not searched" not in page
    shown = found(client, "from:needle", sid=sid)
    assert sorted(shown) == sorted(server_found(user, ["FROM", "needle@example.org"], [f"Box{i:02d}" for i in range(12)]))
    assert len(shown) == 12


def test_a_slow_search_can_be_cancelled(client, settings):
    settings.WEBMAIL_SEARCH_FIRST_MS = 1
    settings.WEBMAIL_POOL_PER_PROCESS = 1
    user = _slow_search_user("canceller", folders=40)
    sign_in(client, user)
    html = client.get("/mail/search/?" + urlencode({"q": "from:needle OR subject:needle OR to:needle OR cc:needle"})).content.decode()
    sid = re.search(r'name="sid" value="([0-9a-f]{32})"', html).group(1)
    response = client.post("/mail/search/cancel/", {"sid": sid}, HTTP_ACCEPT="application/json")
    assert response.json() == {"cancelled": True}
    wait_until(lambda: client.get(f"/mail/search/progress/?sid={sid}", HTTP_ACCEPT="application/json").json()["finished"], timeout=60,
               message="the run ends")
    progress = client.get(f"/mail/search/progress/?sid={sid}", HTTP_ACCEPT="application/json").json()
    assert progress["cancelled"]
    page = client.get("/mail/search/?" + urlencode({"q": "from:needle OR subject:needle OR to:needle OR cc:needle", "sid": sid})).content.decode()
    assert "Search stopped; not searched" in page
    # Some folders were never searched, and nothing was searched twice to show the page.
    assert len(ROW.findall(page)) < 40


def test_another_person_cannot_see_or_cancel_a_search_run(client, settings):
    settings.WEBMAIL_SEARCH_FIRST_MS = 1
    settings.WEBMAIL_POOL_PER_PROCESS = 1
    user = _slow_search_user("runowner", folders=6)
    sign_in(client, user)
    html = client.get("/mail/search/?q=" + quote("from:needle")).content.decode()
    match = re.search(r'name="sid" value="([0-9a-f]{32})"', html)
    sid = match.group(1) if match else "0" * 32
    sign_in(client, new_mail_user("snoop"))
    assert client.get(f"/mail/search/progress/?sid={sid}", HTTP_ACCEPT="application/json").status_code == 404
    assert client.post("/mail/search/cancel/", {"sid": sid}, HTTP_ACCEPT="application/json").status_code == 404
    assert client.get("/mail/search/progress/?sid=../../x", HTTP_ACCEPT="application/json").status_code == 404


def test_a_folder_search_shows_its_chips_and_a_chip_drops_its_term_in_that_folder(client, seeded):
    sign_in(client, seeded)
    html = client.get("/mail/Archive/?" + urlencode({"q": "from:anna budget"})).content.decode()
    chips = re.findall(r'<span class="chip-text">(.*?)</span>.*?<a href="([^"]+)" class="chip-remove"', html, re.S)
    assert [unescape(text) for text, _url in chips] == ["from:anna", "budget"]
    assert unescape(chips[0][1]) == "/mail/Archive/?q=budget"
    assert [s for _f, s in found_in_folder(client, unescape(chips[0][1]))] == ["Old budget plan"]


def found_in_folder(client, url: str) -> list[tuple[str, str]]:
    html = client.get(url).content.decode()
    return [("", unescape(m)) for m in re.findall(r'<td class="col-subject">.*?<a href="[^"]+">(.*?)</a>', html, re.S)]
