"""Filters and the vacation reply, end to end: the forms write Sieve through ManageSieve
(Dovecot with Pigeonhole), mail is delivered through Postfix (SMTP, then LMTP), and the
test checks where Sieve put it, what it sent, and that scripts of other programs survive."""
from __future__ import annotations

import imaplib
import os
import smtplib
import uuid
from email.header import decode_header, make_header

import pytest

from mailview.services.filters.script import SCRIPT_NAME
from mailview.sieve.client import SieveEndpoint, sieve_session
from tests.support import DovecotLog, MailUser, imap_direct, new_mail_user, server_subjects, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def send(to: str, subject: str, *, sender: str = "outside@example.org", headers: str = "") -> str:
    """One message through Postfix's SMTP port, as from outside; returns its Message-ID."""
    message_id = f"<{uuid.uuid4().hex}@example.org>"
    body = (f"From: Sender <{sender}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n{headers}"
            "\r\nHello.\r\n")
    with smtplib.SMTP("127.0.0.1", int(os.environ["MAILSTACK_SMTP_PORT"]), timeout=30) as smtp:
        smtp.sendmail(sender, [to], body.encode("utf-8"))
    return message_id


def subjects(user: MailUser, folder: str, *criteria: str) -> list[str]:
    """The folder's subjects with RFC 2047 encoded words decoded (replies Sieve writes encode them)."""
    return [str(make_header(decode_header(s))) for s in server_subjects(user, folder, *criteria)]


def arrives(user: MailUser, folder: str, subject: str, *criteria: str) -> None:
    def there() -> bool:
        try:
            return subject in subjects(user, folder, *criteria)
        except imaplib.IMAP4.error:  # the folder may not exist yet
            return False
    wait_until(there, timeout=30, message=f"{subject!r} in {folder}")


def endpoint() -> SieveEndpoint:
    return SieveEndpoint(host=os.environ["WEBMAIL_MANAGESIEVE_HOST"], port=int(os.environ["WEBMAIL_MANAGESIEVE_PORT"]),
                         security="starttls", ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"])


def rule_post(client, *, conditions: list[dict[str, str]], url: str = "/settings/filters/new/", **fields: object):
    data: dict[str, object] = {"name": "r", "enabled": "on", "match": "all", "cond-TOTAL_FORMS": str(len(conditions)),
                               "cond-INITIAL_FORMS": "0", "cond-MIN_NUM_FORMS": "0", "cond-MAX_NUM_FORMS": "20"}
    for i, condition in enumerate(conditions):
        data.update({f"cond-{i}-{k}": v for k, v in {"header": "", **condition}.items()})
    data.update(fields)
    return client.post(url, data)


def test_rules_move_label_and_mark_read_and_hostile_values_stay_data(signed_in, mail_user):
    hostile = 'Bill "; discard; \\ Grüße'
    response = rule_post(signed_in, conditions=[{"field": "subject", "op": "contains", "value": hostile}],
                         move_to="Archive", label="$work", mark_read="on")
    assert response.status_code == 302, response.content[:2000]
    page = signed_in.get("/settings/filters/")
    assert page.status_code == 200 and "Archive" in page.content.decode()

    send(mail_user.email, f"Re: {hostile} 1")
    send(mail_user.email, "Something else")
    arrives(mail_user, "Archive", f"Re: {hostile} 1", "SEEN", "KEYWORD", "$work")
    arrives(mail_user, "INBOX", "Something else", "UNSEEN")
    assert server_subjects(mail_user, "INBOX") == ["Something else"]


def test_forward_with_a_copy_and_discard(signed_in, mail_user, other_mail_user):
    assert rule_post(signed_in, conditions=[{"field": "from", "op": "contains", "value": "boss@example.org"}],
                     forward_to=other_mail_user.email, forward_keep="on").status_code == 302
    assert rule_post(signed_in, conditions=[{"field": "header", "header": "X-Spam", "op": "is", "value": "yes"}],
                     discard="on").status_code == 302
    log = DovecotLog()
    send(mail_user.email, "From the boss", sender="boss@example.org")
    arrives(other_mail_user, "INBOX", "From the boss")
    arrives(mail_user, "INBOX", "From the boss")
    discarded = send(mail_user.email, "Spam spam", headers="X-Spam: yes\r\n")
    wait_until(lambda: any(discarded in line and "discard" in line.lower() for line in log.lines()), timeout=30,
               message="Sieve to discard the message")
    assert "Spam spam" not in server_subjects(mail_user, "INBOX")


def test_vacation_reply_goes_to_the_sender_once_per_period(signed_in, mail_user, other_mail_user):
    response = signed_in.post("/settings/vacation/", {
        "enabled": "on", "subject": "Away: Grüße", "body": 'Back on Monday.\n"Quotes" \\ stay.', "days": "1",
        "start": "2000-01-01", "end": "2099-12-31", "addresses": [mail_user.email],
    })
    assert response.status_code == 302, response.content[:2000]
    log = DovecotLog()
    send(mail_user.email, "Are you there?", sender=other_mail_user.email)
    arrives(other_mail_user, "INBOX", "Away: Grüße")
    second = send(mail_user.email, "Are you there now?", sender=other_mail_user.email)
    arrives(mail_user, "INBOX", "Are you there now?")
    wait_until(lambda: any(second in line and "vacation" in line.lower() for line in log.lines()), timeout=30,
               message="Sieve's vacation decision on the second message")
    assert subjects(other_mail_user, "INBOX") == ["Away: Grüße"]
    # a mailing list gets no reply (a sender who has had none yet)
    carol = new_mail_user("carol")
    listed = send(mail_user.email, "List post", sender=carol.email, headers="List-Id: Friends <friends.example.org>\r\n")
    wait_until(lambda: any(listed in line and "stored mail" in line for line in log.lines()), timeout=30,
               message="the list post delivered")
    assert not [line for line in log.lines() if listed in line and "vacation" in line.lower()]
    assert subjects(carol, "INBOX") == []


def test_a_foreign_active_script_survives_and_keeps_running(signed_in, mail_user):
    foreign = 'require ["fileinto", "mailbox"];\nif header :contains "subject" "ForeignRule" { fileinto :create "FromForeign"; }\n'
    with sieve_session(endpoint(), mail_user.email, mail_user.password) as sieve:
        sieve.put_script("roundcube", foreign)
        sieve.set_active("roundcube")
    page = signed_in.get("/settings/filters/").content.decode()
    assert "roundcube" in page and "FromForeign" in page

    conditions = [{"field": "subject", "op": "contains", "value": "MineRule"}]
    refused = rule_post(signed_in, conditions=conditions, move_to="Archive")
    assert refused.status_code == 400
    with sieve_session(endpoint(), mail_user.email, mail_user.password) as sieve:
        assert dict(sieve.list_scripts()) == {"roundcube": True}

    assert rule_post(signed_in, conditions=conditions, move_to="Archive", foreign="keep").status_code == 302
    with sieve_session(endpoint(), mail_user.email, mail_user.password) as sieve:
        assert dict(sieve.list_scripts()) == {"roundcube": False, SCRIPT_NAME: True}
        assert sieve.get_script("roundcube") == foreign
    send(mail_user.email, "ForeignRule still works")
    send(mail_user.email, "MineRule works")
    arrives(mail_user, "FromForeign", "ForeignRule still works")
    arrives(mail_user, "Archive", "MineRule works")

    # a later save (a second rule, a reorder, a delete) keeps it included and untouched
    assert rule_post(signed_in, conditions=[{"field": "size", "op": "over", "value": "10M"}], discard="on").status_code == 302
    with sieve_session(endpoint(), mail_user.email, mail_user.password) as sieve:
        ours = sieve.get_script(SCRIPT_NAME)
        assert 'include :personal :optional "roundcube";' in ours
        assert sieve.get_script("roundcube") == foreign
        # another client removes it: our script still runs (the include is optional)
        sieve.delete_script("roundcube")
    send(mail_user.email, "MineRule after the other script went")
    arrives(mail_user, "Archive", "MineRule after the other script went")


def test_our_script_edited_elsewhere_is_kept_as_a_copy(signed_in, mail_user):
    conditions = [{"field": "subject", "op": "is", "value": "x"}]
    assert rule_post(signed_in, conditions=conditions, mark_read="on").status_code == 302
    with sieve_session(endpoint(), mail_user.email, mail_user.password) as sieve:
        edited = sieve.get_script(SCRIPT_NAME) + "# my own change\n"
        sieve.put_script(SCRIPT_NAME, edited)
    page = signed_in.get("/settings/filters/").content.decode()
    assert "my own change" in page
    assert rule_post(signed_in, conditions=conditions, mark_read="on").status_code == 302
    with sieve_session(endpoint(), mail_user.email, mail_user.password) as sieve:
        copies = [name for name, _active in sieve.list_scripts() if name.startswith(f"{SCRIPT_NAME}-edited-")]
        assert len(copies) == 1 and sieve.get_script(copies[0]) == edited


def test_filter_messages_like_this_prefills_from_the_message(signed_in, mail_user):
    with imap_direct(mail_user) as imap:
        imap.append("INBOX", b"From: News <news@lists.example.org>\r\nSubject: Weekly\r\nList-Id: Weekly news <weekly.lists.example.org>\r\n\r\nx\r\n")
        imap.select_folder("INBOX", readonly=True)
        uid = imap.search(["ALL"])[-1]
    page = signed_in.get(f"/mail/INBOX/{uid}/").content.decode()
    assert f"/settings/filters/new/?message=INBOX/{uid}" in page.replace("%2F", "/")
    form = signed_in.get(f"/settings/filters/new/?message=INBOX/{uid}").content.decode()
    assert 'value="weekly.lists.example.org"' in form and 'value="List-Id"' in form


def test_rule_ordering_and_delete(signed_in, mail_user):
    for word in ("first", "second"):
        assert rule_post(signed_in, conditions=[{"field": "subject", "op": "is", "value": word}], mark_read="on",
                         name=word).status_code == 302
    with sieve_session(endpoint(), mail_user.email, mail_user.password) as sieve:
        from mailview.services.filters.script import parse
        rules = parse(sieve.get_script(SCRIPT_NAME)).rules  # type: ignore[union-attr]
    assert [r.name for r in rules] == ["first", "second"]
    assert signed_in.post(f"/settings/filters/{rules[1].id}/change/", {"what": "up"}).status_code == 302
    assert signed_in.post(f"/settings/filters/{rules[0].id}/change/", {"what": "delete"}).status_code == 302
    with sieve_session(endpoint(), mail_user.email, mail_user.password) as sieve:
        from mailview.services.filters.script import parse
        assert [r.name for r in parse(sieve.get_script(SCRIPT_NAME)).rules] == ["second"]  # type: ignore[union-attr]


def test_bad_values_are_refused_by_the_form(signed_in, mail_user):
    response = rule_post(signed_in, conditions=[{"field": "header", "header": "X-Bad: yes", "op": "is", "value": "v"}],
                         mark_read="on")
    assert response.status_code == 400
    response = rule_post(signed_in, conditions=[{"field": "subject", "op": "is", "value": "v"}], label="\\Deleted")
    assert response.status_code == 400
    with sieve_session(endpoint(), mail_user.email, mail_user.password) as sieve:
        assert sieve.list_scripts() == []


def test_stop_using_a_foreign_script_leaves_it_on_the_server(signed_in, mail_user):
    foreign = 'require "fileinto";\nif header :contains "subject" "Old" { fileinto "Junk"; }\n'
    with sieve_session(endpoint(), mail_user.email, mail_user.password) as sieve:
        sieve.put_script("old-client", foreign)
        sieve.set_active("old-client")
    conditions = [{"field": "subject", "op": "contains", "value": "Old"}]
    assert rule_post(signed_in, conditions=conditions, move_to="Archive", foreign="stop").status_code == 302
    with sieve_session(endpoint(), mail_user.email, mail_user.password) as sieve:
        assert dict(sieve.list_scripts()) == {"old-client": False, SCRIPT_NAME: True}
        assert sieve.get_script("old-client") == foreign
        assert "include" not in sieve.get_script(SCRIPT_NAME)
    send(mail_user.email, "Old news")
    arrives(mail_user, "Archive", "Old news")
    assert subjects(mail_user, "Junk") == []


@pytest.mark.parametrize(("host", "port", "words"), [("", 4190, "offers no filters"), ("127.0.0.1", 1, "cannot be reached")])
def test_no_or_unreachable_managesieve_server_is_said_not_failed(signed_in, mail_user, host, port, words):
    from accounts.models import ServerProfile

    ServerProfile.objects.create(
        domain="example.test", imap_host="127.0.0.1", imap_port=int(os.environ["WEBMAIL_IMAP_PORT"]), imap_security="starttls",
        smtp_host="127.0.0.1", smtp_port=int(os.environ["WEBMAIL_SMTP_PORT"]), ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"],
        managesieve_host=host, managesieve_port=port,
    )
    for path in ("/settings/filters/", "/settings/vacation/"):
        response = signed_in.get(path)
        assert response.status_code == 200
        assert words in response.content.decode()
    response = signed_in.post("/settings/vacation/", {"enabled": "on", "body": "x", "days": "3"})
    assert response.status_code == 400 and words in response.content.decode()


def test_vacation_outside_its_dates_sends_nothing(signed_in, mail_user, other_mail_user):
    response = signed_in.post("/settings/vacation/", {
        "enabled": "on", "subject": "Later", "body": "Not yet.", "days": "1", "start": "2099-01-01", "end": "2099-01-31",
        "addresses": [mail_user.email],
    })
    assert response.status_code == 302, response.content[:2000]
    page = signed_in.get("/settings/vacation/").content.decode()
    assert 'value="2099-01-01"' in page and "Not yet." in page
    log = DovecotLog()
    message_id = send(mail_user.email, "Early", sender=other_mail_user.email)
    wait_until(lambda: any(message_id in line and "stored mail" in line for line in log.lines()), timeout=30,
               message="the message delivered")
    assert not [line for line in log.lines() if message_id in line and "vacation" in line.lower()]
    assert subjects(other_mail_user, "INBOX") == []


def test_managesieve_sign_in_with_a_non_ascii_password():
    """SASL PLAIN carries UTF-8 (RFC 4616): a password like `pässwörd` signs in over STARTTLS."""
    from tests.support import CREATED_MAIL_USERS, mailstack

    email, password = f"umlaut-{uuid.uuid4().hex[:10]}@example.test", f"pässwörd-€-{uuid.uuid4().hex[:6]}"
    CREATED_MAIL_USERS.append(email)
    mailstack("adduser", email, password)
    with sieve_session(endpoint(), email, password) as sieve:
        # after STARTTLS the server lists its capabilities again, without STARTTLS
        assert "STARTTLS" not in sieve.capabilities and sieve.list_scripts() == []
    from mailview.sieve.errors import SieveAuthError

    with pytest.raises(SieveAuthError), sieve_session(endpoint(), email, password.replace("ä", "a")):
        pass
