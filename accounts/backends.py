"""Django authentication against the user's IMAP server."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from .services import user_sign_in


class ImapBackend(BaseBackend):
    """`authenticate(request, email=..., password=...)` succeeds when IMAP LOGIN does.

    May raise `accounts.services.MailServerUnavailable`: the sign-in view tells the
    user the server is down rather than that their password is wrong.
    """

    def authenticate(self, request: HttpRequest | None, email: str | None = None, password: str | None = None, **kwargs: object) -> AbstractBaseUser | None:
        if email is None or password is None:
            return None
        return user_sign_in(email=email, password=password)

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        User = get_user_model()
        # Settings come in the same query: nearly every page needs them.
        try:
            user = User.objects.select_related("mail_settings").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if user.is_active else None
