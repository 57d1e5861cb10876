"""The sending task checks out its owner's IMAP session for the service, and knows what
to do when it cannot have one (the person signed out while the message waited)."""
from __future__ import annotations

import pytest

from mailview.models import Compose
from mailview.services.compose import lifecycle
from mailview.tasks import compose_send
from tests.support import new_mail_user
from tests.test_compose import messages_in, open_compose, send, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queued(client, mail_user, monkeypatch) -> Compose:
    """A message queued by the page; no task reaches the broker (the test runs it here)."""
    monkeypatch.setattr(lifecycle, "_enqueue", lambda compose, enqueue: None)
    sign_in(client, mail_user)
    bob = new_mail_user("bob")
    return send(client, open_compose(client), to=bob.email, subject="Waiting", body="x")


def test_a_send_whose_owner_signed_out_before_it_ran_fails_and_keeps_the_draft(client, mail_user, queued):
    assert client.post("/accounts/logout/").status_code == 302
    assert compose_send.apply(args=[str(queued.pk)]).get() == "failed"
    queued.refresh_from_db()
    assert (queued.state, queued.error_code) == ("failed", "signed_out")
    assert len(messages_in(mail_user, "Drafts")) == 1


def test_a_send_the_server_took_before_the_owner_signed_out_is_done(client, mail_user, queued):
    Compose.objects.filter(pk=queued.pk).update(state="submitted")  # as a worker leaves it after DATA
    assert client.post("/accounts/logout/").status_code == 302
    assert compose_send.apply(args=[str(queued.pk)]).get() == "done"
    queued.refresh_from_db()
    assert queued.state == "sent"


def test_a_send_of_a_compose_that_is_gone_does_nothing():
    assert compose_send.apply(args=["00000000-0000-0000-0000-000000000000"]).get() == "done"
