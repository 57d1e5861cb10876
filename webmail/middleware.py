"""Project-wide middleware: raw mail paths, the Content-Security-Policy, no caching, IMAP error pages."""
from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mailview.imap import (
    ImapAuthenticationError,
    ImapConnectionError,
    ImapError,
    ImapResponseTooLarge,
    ImapTimeout,
    InvalidImapInput,
    MailboxNotFound,
    MessageNotFound,
    NoStoredCredentials,
    PoolBusy,
    PoolTimeout,
    originating_ip,
)
from webmail.client_ip import client_ip

log = logging.getLogger(__name__)

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
MAIL_PREFIX = "/mail/"


class RawPathMiddleware:
    """Route /mail/ URLs on the path as the browser sent it.

    A folder is one percent-encoded path segment (`Work%2FProjects`), but WSGI
    servers decode %2F in PATH_INFO, which would make `/mail/2024/12/` ambiguous.
    gunicorn keeps the undecoded target in RAW_URI (REQUEST_URI elsewhere); the
    folder converter decodes the segment itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
        if raw and request.path_info.startswith(MAIL_PREFIX):
            raw_path = urlsplit(raw).path
            if raw_path.startswith(MAIL_PREFIX):
                request.path_info = raw_path
                request.path = request.META.get("SCRIPT_NAME", "").rstrip("/") + raw_path
        return self.get_response(request)


def content_security_policy(events_url: str) -> str:
    """DEFAULT_CSP, with the event server's origin in connect-src when it is another origin
    (WEBMAIL_EVENTS_URL on its own port, as in the demo and the tests)."""
    parts = urlsplit(events_url)
    if not (parts.scheme and parts.netloc):
        return DEFAULT_CSP
    return DEFAULT_CSP.replace("connect-src 'self'", f"connect-src 'self' {parts.scheme}://{parts.netloc}", 1)


class OriginatingIpMiddleware:
    """The client's IP, for the IMAP connections the request opens: the mail server then sees
    the person's address at login (`ID ("x-originating-ip" ...)`), as at sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip = client_ip(request)
        token = originating_ip.set(None if ip == "unknown" else ip)
        try:
            return self.get_response(request)
        finally:
            originating_ip.reset(token)


class ContentSecurityPolicyMiddleware:
    """A strict CSP on every response that did not set its own (no inline script anywhere)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.policy = content_security_policy(settings.WEBMAIL_EVENTS_URL)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and not request.path.startswith("/admin/"):
            response["Content-Security-Policy"] = self.policy
            if getattr(response, "frame_ancestors_self", False):  # a page shown in the app's own reading pane
                response["Content-Security-Policy"] = self.policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        response.setdefault("X-Content-Type-Options", "nosniff")
        return response


class NoStoreMiddleware:
    """Nothing the app answers may be kept by a browser or a proxy: pages, body documents,
    parts, raw sources and JSON all show someone's mail or account (a shared computer's
    disk cache, the back button after sign-out, a caching proxy). Static files never get
    here: WhiteNoise answers them earlier, with their own long cache lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "private, no-store"
        return response


class ImapErrorMiddleware:
    """Turn IMAP-layer errors raised by views into clear pages, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ImapError):
            return None
        if isinstance(exception, (NoStoredCredentials, ImapAuthenticationError)):
            logout(request)
            messages.warning(request, _("Your mail session has ended. Please sign in again."))
            return redirect("accounts:login")
        if isinstance(exception, MessageNotFound):
            return _error(request, 404, _("Message not found"), _("This message does not exist (any more). It may have been moved or deleted."))
        if isinstance(exception, MailboxNotFound):
            return _error(request, 404, _("Folder not found"), _("This folder does not exist (any more)."))
        if isinstance(exception, InvalidImapInput):
            return _error(request, 400, _("Bad request"), _("That address is not valid."))
        if isinstance(exception, PoolBusy):
            # Answered at once, before this request could hold a server thread waiting.
            busy = _("Your mail is still busy with your earlier requests. Please try again in a moment.")
            response = _error(request, 429, _("Too many requests at once"), busy, retry_after=2)
            # A burst is counted in the pool's stats, not logged per request (Django's own marker).
            response._has_been_logged = True  # type: ignore[attr-defined]  # noqa: SLF001
            return response
        if isinstance(exception, PoolTimeout):
            all_busy = _("Your mail server connections are all busy. Please try again in a moment.")
            return _error(request, 503, _("Mail server busy"), all_busy, retry_after=5)
        # One line each (with the request and user ids, see webmail/request_log.py), not a second
        # one from Django for the same response.
        if isinstance(exception, ImapTimeout):
            # Slow, not gone (a whole-folder command on a big folder the server has not cached
            # yet): said after one timeout, not two (the pool does not retry a timeout).
            log.warning("IMAP timeout on %s %s: %s", request.method, request.path, exception)
            slow = _("The mail server did not answer in time. A big folder can take a while the first time; please try again in a minute.")
            response = _error(request, 504, _("Mail server too slow"), slow, retry_after=30)
        elif isinstance(exception, ImapConnectionError):
            log.warning("IMAP connection error on %s %s: %s", request.method, request.path, exception)
            unreachable = _("The mail server cannot be reached right now. Please try again in a few minutes.")
            response = _error(request, 503, _("Mail server unavailable"), unreachable, retry_after=60)
        elif isinstance(exception, ImapResponseTooLarge):
            # Trying again gets the same answer: say what it is, not "try again".
            log.warning("IMAP answer too large on %s %s: %s", request.method, request.path, exception)
            too_large = _(
                "The mail server's answer to this request is larger than this webmail reads at once "
                "(a message built to be unreadable, or a folder beyond the configured limit). Other folders and messages still work."
            )
            response = _error(request, 502, _("Answer too large"), too_large)
        else:
            log.warning("IMAP error on %s %s: %s", request.method, request.path, exception)
            response = _error(request, 502, _("Mail server error"), _("The mail server gave an answer we could not use. Please try again."))
        response._has_been_logged = True  # type: ignore[attr-defined]  # noqa: SLF001 - Django's marker: logged once, above
        return response


def _error(request: HttpRequest, status: int, title: str, message: str, *, retry_after: int | None = None) -> HttpResponse:
    response: HttpResponse
    if request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse({"error": message}, status=status)  # what the page's scripts show
    else:
        response = render(request, "error.html", {"title": title, "message": message, "status": status}, status=status)
        if request.GET.get("pane") == "1":
            # Asked for the list's reading pane: shown there (a frame of the app's own origin), not refused.
            response["X-Frame-Options"] = "SAMEORIGIN"
            response.frame_ancestors_self = True  # type: ignore[attr-defined] # read by ContentSecurityPolicyMiddleware
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
