"""One person, one account, however the address is typed."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import CollectedAddress, Identity, MailCredential, TrustedSender, TwoFactor, UserSettings
from accounts.services import InvalidAddress, canonical_address
from mailview.models import Compose
from tests.test_two_factor import next_code, turn_on

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(client, email: str, password: str):
    return client.post("/accounts/login/", {"email": email, "password": password})


@pytest.fixture
def protected(signed_in, mail_user):
    secret, _ = turn_on(signed_in)
    signed_in.post("/accounts/logout/")
    return mail_user, secret


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param(lambda a: a.upper(), id="upper-case"),
        pytest.param(lambda a: a[0].upper() + a[1:].replace("@example", "@Example"), id="mixed-case"),
        pytest.param(lambda a: a + ".", id="trailing-dot"),
        pytest.param(lambda a: f"  {a.upper()}\t", id="surrounding-whitespace"),
    ],
)
def test_another_spelling_of_the_address_still_needs_the_second_factor(client, protected, django_user_model, spelling):
    user, secret = protected
    response = sign_in(client, spelling(user.email), user.password)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/mail/INBOX/").status_code == 302  # not signed in by the password alone
    assert django_user_model.objects.count() == 1
    response = client.post("/accounts/login/code/", {"code": next_code(secret)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == django_user_model.objects.get(username=user.email).pk


def test_every_spelling_signs_in_to_the_one_account(client, mail_user, django_user_model):
    for spelling in (mail_user.email, mail_user.email.upper(), f" {mail_user.email}. ", mail_user.email.title()):
        assert sign_in(client, spelling, mail_user.password).status_code == 302, spelling
        client.post("/accounts/logout/")
    assert list(django_user_model.objects.values_list("username", flat=True)) == [mail_user.email]


def test_the_mail_server_gets_the_canonical_address(client, mail_user):
    assert sign_in(client, "  " + mail_user.email.upper() + ".", mail_user.password).status_code == 302
    assert MailCredential.objects.get().login == mail_user.email


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Bob@Example.TEST", "bob@example.test"),
        (" bob@example.test. ", "bob@example.test"),
        ("bob@bücher.example", "bob@xn--bcher-kva.example"),
    ],
)
def test_canonical_address(raw, expected):
    assert canonical_address(raw) == expected


@pytest.mark.parametrize("raw", ["bob", "bob@", "@example.test", "bob@@example.test", "b ob@example.test", "bob@example..test", "bob@exa_mple.test", "bob@example.test.."])
def test_malformed_addresses_are_refused(raw):
    with pytest.raises(InvalidAddress):
        canonical_address(raw)


BEFORE = [("accounts", "0004_two_factor")]


def test_the_migration_merges_accounts_that_differ_only_in_spelling(django_user_model):
    """Two accounts made by the old sign-in (`bob@` first, `BOB@…` later, 2FA only on the
    later one) become the older one, with the other's rows and its second factor."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE + [("mailview", "0001_compose")])  # mailview's later migrations unapplied too
    apps = executor.loader.project_state(BEFORE + [("mailview", "0001_compose")]).apps
    User = apps.get_model("auth", "User")
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    older = User.objects.create(username="bob@example.test", email="bob@example.test", date_joined=now - dt.timedelta(days=30), password="!")
    newer = User.objects.create(username="BOB@Example.Test.", email="BOB@example.test", date_joined=now, password="!")
    User.objects.create(username="carol@example.test", email="carol@example.test", date_joined=now, password="!")
    apps.get_model("accounts", "TwoFactor").objects.create(user=newer, encrypted_secret="secret-of-newer", recovery_hashes=["h"])
    apps.get_model("accounts", "UserSettings").objects.create(user=older, messages_per_page=100)
    apps.get_model("accounts", "UserSettings").objects.create(user=newer, messages_per_page=25)
    apps.get_model("accounts", "MailCredential").objects.create(user=newer, login="BOB@Example.Test.", encrypted_password="x")
    HistIdentity = apps.get_model("accounts", "Identity")
    HistIdentity.objects.create(user=older, email="bob@example.test", is_default=True)
    twin = HistIdentity.objects.create(user=newer, email="BOB@example.test", is_default=True)  # the same identity again
    HistIdentity.objects.create(user=newer, email="bob@example.test", name="Bob at work", signature="-- \nBob", is_default=False)
    Collected = apps.get_model("accounts", "CollectedAddress")
    Collected.objects.create(user=older, email="ann@example.org", times_used=2, last_used=now - dt.timedelta(days=3))
    Collected.objects.create(user=newer, email="ann@example.org", name="Ann", times_used=3, last_used=now)
    Collected.objects.create(user=newer, email="dan@example.org", times_used=1, last_used=now)
    apps.get_model("accounts", "TrustedSender").objects.create(user=newer, email="news@example.org")
    apps.get_model("mailview", "Compose").objects.create(user=newer, identity=twin, subject="half-written", message_id="<m1@example.test>")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    users = list(django_user_model.objects.order_by("pk"))
    assert [u.username for u in users] == ["bob@example.test", "carol@example.test"]
    bob = users[0]
    assert bob.pk == older.pk  # the oldest account is kept
    assert TwoFactor.objects.get(user=bob).encrypted_secret == "secret-of-newer"  # 2FA survives
    assert UserSettings.objects.get(user=bob).messages_per_page == 100  # the kept account's own
    assert MailCredential.objects.get(user=bob).login == "bob@example.test"
    identities = Identity.objects.filter(user=bob)
    assert sorted((i.name, i.is_default) for i in identities) == [("", True), ("Bob at work", False)]
    compose = Compose.objects.get(subject="half-written")
    assert compose.user_id == bob.pk and compose.identity.user_id == bob.pk and compose.identity.is_default
    ann = CollectedAddress.objects.get(user=bob, email="ann@example.org")
    assert (ann.times_used, ann.name, ann.last_used) == (5, "Ann", now)
    assert CollectedAddress.objects.filter(user=bob, email="dan@example.org").exists()
    assert TrustedSender.objects.filter(user=bob, email="news@example.org").exists()
    assert not TwoFactor.objects.exclude(user=bob).exists()
