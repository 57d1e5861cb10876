"""The operations dashboard (`/admin/operations/`, issue #14): only staff with the
`view_operations` permission; the figures of `/metrics` per process and in total; who is
signed in; a person's sessions, recent audit events and "sign out everywhere", which ends
every session and closes their IMAP connections (counted by Dovecot)."""
from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from accounts.models import AuditEvent, SignedInSession
from tests.support import dovecot_connections, mailstack, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def operator(django_user_model):
    staff = django_user_model.objects.create_user("operator", password="operator-pw-1", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_operations"))
    return staff


def as_staff(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def signed_in_client(mail_user) -> Client:
    c = Client()
    assert c.post("/accounts/login/", {"email": mail_user.email, "password": mail_user.password}).status_code == 302
    assert c.get("/mail/INBOX/").status_code == 200  # opens a pooled IMAP connection
    return c


def test_only_staff_with_the_operations_permission_see_the_dashboard(django_user_model, signed_in, mail_user):
    helpdesk = django_user_model.objects.create_user("helpdesk", password="x", is_staff=True)
    helpdesk.user_permissions.add(Permission.objects.get(codename="view_pool_stats"))  # another permission is not enough
    staff = as_staff(helpdesk)
    person = django_user_model.objects.get(username=mail_user.email)
    urls = ["/admin/operations/", f"/admin/operations/people/{person.pk}/"]
    for url in urls:
        assert staff.get(url).status_code == 403
    assert staff.post(f"/admin/operations/people/{person.pk}/sign-out/").status_code == 403
    assert signed_in.get("/mail/INBOX/").status_code == 200, "refused: the person is still signed in"
    assert signed_in.get("/admin/operations/").status_code == 302  # not staff: the admin's sign-in
    helpdesk.user_permissions.add(Permission.objects.get(codename="view_operations"))
    staff = as_staff(django_user_model.objects.get(pk=helpdesk.pk))
    for url in urls:
        assert staff.get(url).status_code == 200


def test_the_dashboard_shows_the_figures_and_who_is_signed_in(operator, mail_user, client):
    person_client = signed_in_client(mail_user)
    assert client.post("/accounts/login/", {"email": mail_user.email, "password": "wrong"}).status_code == 200
    page = as_staff(operator).get("/admin/operations/").content.decode()
    total = re.search(r'<tr id="imap-total"><th>[^<]*</th><th>(\d+)</th>', page)
    assert total and int(total.group(1)) >= 1, "open IMAP connections, all processes"
    assert re.search(r'<tr data-outcome="login"><td>login</td><td>[1-9]', page)
    assert re.search(r'<tr data-outcome="login_failed"><td>login_failed</td><td>[1-9]', page)
    assert 'id="lockouts"' in page and "data-queue=" in page
    assert mail_user.email in page  # signed-in people
    assert person_client.get("/mail/INBOX/").status_code == 200


def test_logins_per_minute_come_from_two_readings():
    from webmail.metrics import per_minute
    from webmail.redis_client import get_redis, key_prefix

    get_redis().delete(f"{key_prefix()}:ops:rate-samples")
    assert per_minute({"logins|p1": 10.0}, now=1_000_000.0) == {"logins|p1": None}
    assert per_minute({"logins|p1": 30.0}, now=1_000_030.0) == {"logins|p1": 40.0}  # 20 in 30 s
    assert per_minute({"logins|p1": 5.0}, now=1_000_060.0)["logins|p1"] == pytest.approx(10.0)  # restarted at 0: 5 in 30 s


def test_sign_out_everywhere_ends_every_session_and_closes_the_imap_connections(operator, mail_user, django_user_model):
    laptop, phone = signed_in_client(mail_user), signed_in_client(mail_user)
    person = django_user_model.objects.get(username=mail_user.email)
    assert SignedInSession.objects.filter(user=person).count() == 2
    wait_until(lambda: dovecot_connections(mail_user.email) >= 1, timeout=10, message="a pooled connection")
    staff = as_staff(operator)
    page = staff.get(f"/admin/operations/people/{person.pk}/").content.decode()
    assert page.count("<tr><td>20") == 2  # two sessions listed (signed in on 20xx-..)

    response = staff.post(f"/admin/operations/people/{person.pk}/sign-out/")
    assert response.status_code == 302
    for device in (laptop, phone):
        answer = device.get("/mail/INBOX/")
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    wait_until(lambda: dovecot_connections(mail_user.email) == 0, timeout=15, message="IMAP connections closed")
    assert not SignedInSession.objects.filter(user=person).exists()
    events = staff.get(f"/admin/operations/people/{person.pk}/").content.decode()
    assert 'data-kind="signout_everywhere"' in events and 'data-kind="login"' in events
    # The audit event names the administrator who acted (the person's own events name nobody).
    assert re.search(r'data-kind="signout_everywhere">(?:(?!</tr>).)*<td class="actor">operator</td>', events)
    assert AuditEvent.objects.get(kind="signout_everywhere", email=mail_user.email).actor == "operator"
    assert AuditEvent.objects.filter(kind="login", email=mail_user.email, actor="").exists()
    assert signed_in_client(mail_user).get("/mail/INBOX/").status_code == 200  # the person can sign in again


def test_a_session_signed_in_before_the_index_ends_too(operator, mail_user, django_user_model):
    """A session the index does not know (signed in before it existed) ends with the others."""
    old = signed_in_client(mail_user)
    SignedInSession.objects.all().delete()
    person = django_user_model.objects.get(username=mail_user.email)
    assert as_staff(operator).post(f"/admin/operations/people/{person.pk}/sign-out/").status_code == 302
    answer = old.get("/mail/INBOX/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")


def test_a_changed_mail_password_is_in_the_audit_log(mail_user):
    first = signed_in_client(mail_user)
    new_password = mail_user.password + "-new"
    mailstack("adduser", mail_user.email, new_password)
    again = Client()
    assert again.post("/accounts/login/", {"email": mail_user.email, "password": new_password}).status_code == 302
    assert AuditEvent.objects.filter(email=mail_user.email, kind="password_changed").count() == 1
    assert first is not again


def test_sign_out_everywhere_ends_the_open_event_streams(operator, mail_user, django_user_model, event_server):
    """An open tab's event stream was authorised when it opened: it is told and ends, so no
    more of the person's mail reaches that browser."""
    from django.conf import settings

    from mailview.services.live import events
    from tests.support import EventStreamClient

    tab = signed_in_client(mail_user)
    person = django_user_model.objects.get(username=mail_user.email)
    session = tab.cookies[settings.SESSION_COOKIE_NAME].value
    with EventStreamClient(f"{event_server.url}?last={events.latest_event_id(person.pk)}", session=session) as stream:
        assert stream.status == 200
        assert as_staff(operator).post(f"/admin/operations/people/{person.pk}/sign-out/").status_code == 302
        assert stream.next_event(timeout=15).kind == "signed_out"
        with pytest.raises(EOFError):
            stream.next_event(timeout=15)
    with EventStreamClient(event_server.url, session=session) as again:
        assert again.status == 403
