"""Django authentication against the user's IMAP server."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import User
from django.http import HttpRequest

from webmail.client_ip import client_ip

from .services import user_sign_in


class ImapBackend(BaseBackend):
    """`authenticate(request, email=..., password=...)` succeeds when IMAP LOGIN does.

    May raise `accounts.services.MailServerUnavailable` (or its `MailServerBusy`): the sign-in view tells the
    user the server is down rather than that their password is wrong.
    """

    def authenticate(
        self, request: HttpRequest | None, email: str | None = None, password: str | None = None, **kwargs: object
    ) -> User | None:
        if email is None or password is None:
            return None
        ip = client_ip(request) if request is not None else "unknown"
        return user_sign_in(email=email, password=password, client_ip=None if ip == "unknown" else ip)

    def get_user(self, user_id: int) -> User | None:
        User = get_user_model()
        # Settings come in the same query: nearly every page needs them.
        try:
            user = User.objects.select_related("mail_settings").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if user.is_active else None
