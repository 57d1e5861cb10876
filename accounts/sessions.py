"""A person's signed-in sessions: listed for the operations dashboard and ended all at once.

Django keeps sessions by key only (`webmail/sessions.py`: Redis, written through to the
database), so which sessions are whose is recorded at sign-in (`SignedInSession`, from the
`user_logged_in` signal) and forgotten at sign-out. "Sign out everywhere" deletes each of
those sessions from the store, and for people who sign in with their mail password (no
usable Django password) also renews the unusable password hash: Django checks every
session's copy of that hash on each request (`get_session_auth_hash`), so a session the
index never saw (signed in before it existed) ends too. Then the mail password is forgotten
and the person's IMAP connections closed in every process (`user_sign_out`).
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.module_loading import import_string

from webmail.client_ip import client_ip

from .models import AuditEvent, SignedInSession
from .services import audit, user_sign_out

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest


def _ip_or_none(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def session_record(*, request: HttpRequest, user: User) -> None:
    """Remember that the request's (new, rotated) session is `user`'s."""
    key = request.session.session_key
    if not key:
        return
    SignedInSession.objects.update_or_create(
        session_key=key,
        defaults={"user": user, "ip": _ip_or_none(client_ip(request)), "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300]},
    )


def session_forget(*, session_key: str | None) -> None:
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).delete()


def sessions_active(*, user: User) -> list[SignedInSession]:
    """The person's sessions that still exist and have not expired, newest first."""
    rows = list(SignedInSession.objects.filter(user=user))
    alive = set(
        Session.objects.filter(session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now()).values_list(
            "session_key", flat=True
        )
    )
    return [r for r in rows if r.session_key in alive]


def sessions_active_counts(*, limit: int = 200) -> list[dict[str, Any]]:
    """People with signed-in sessions and how many, most first (the dashboard's table)."""
    from django.db.models import Count

    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return list(
        SignedInSession.objects.filter(session_key__in=alive)
        .values("user_id", "user__username")
        .annotate(sessions=Count("id"))
        .order_by("-sessions", "user__username")[:limit]
    )


def user_sign_out_everywhere(*, user: User, ip: str | None = None, actor: str = "") -> int:
    """End every session of `user` and close their IMAP connections in every process.
    Returns how many indexed sessions were ended. `actor`: the administrator who asked,
    recorded in the audit event (with `ip`, theirs)."""
    from django.conf import settings

    store = import_string(settings.SESSION_ENGINE).SessionStore
    keys = list(SignedInSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()  # the cache's copy and the database's
    SignedInSession.objects.filter(user=user, session_key__in=keys).delete()
    if not user.has_usable_password():
        user.set_unusable_password()  # a new random hash: every other session of theirs is void
        user.save(update_fields=["password"])
    user_sign_out(user=user)  # also ends their open event streams (`signed_out`)
    audit(AuditEvent.Kind.SIGNED_OUT_EVERYWHERE, email=user.get_username(), ip=ip, actor=actor)
    return len(keys)


def on_logged_in(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        session_record(request=request, user=user)


def on_logged_out(sender: object, request: HttpRequest | None, user: User | None, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        session_forget(session_key=request.session.session_key)
