"""Typing for views behind sign-in."""
from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind `@login_required` gets: its `user` is a signed-in User,
    never AnonymousUser (django-stubs' recommended way to say so)."""

    user: User
