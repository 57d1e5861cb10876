from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import ratelimit
from .forms import SignInForm
from .models import AuditEvent
from .services import MailServerUnavailable, audit, user_sign_out
from .two_factor import pending_set, two_factor_enabled


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate_limited_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = max(1, math.ceil(retry_after / 60))
    response = render(
        request,
        "accounts/rate_limited.html",
        {"minutes": minutes, "message": ngettext("Too many failed sign-ins. Try again in %(n)d minute.", "Too many failed sign-ins. Try again in %(n)d minutes.", minutes) % {"n": minutes}},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)

    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email, password = form.cleaned_data["email"], form.cleaned_data["password"]
        ip = client_ip(request)
        user_agent = request.META.get("HTTP_USER_AGENT", "")
        limited = ratelimit.login_limited(ip=ip, email=email)
        if limited is not None:
            audit(AuditEvent.Kind.RATE_LIMITED, email=email, ip=ip, user_agent=user_agent)
            return _rate_limited_response(request, limited.retry_after)
        try:
            user = authenticate(request, email=email, password=password)
        except MailServerUnavailable:
            audit(AuditEvent.Kind.LOGIN_ERROR, email=email, ip=ip, user_agent=user_agent)
            form.add_error(None, _("The mail server cannot be reached right now. Please try again in a few minutes."))
            status = 503
        else:
            if user is None:
                ratelimit.login_failed(ip=ip, email=email)
                audit(AuditEvent.Kind.LOGIN_FAILED, email=email, ip=ip, user_agent=user_agent)
                form.add_error(None, _("Wrong email address or password."))
                status = 200
            else:
                ratelimit.login_succeeded(ip=ip, email=email)
                if two_factor_enabled(user=user):
                    # The password was right; the code comes next (accounts.two_factor_views).
                    pending_set(request.session, user=user, next_url=next_url or "/mail/")
                    return redirect("accounts:login_code")
                login(request, user)  # rotates the session key
                audit(AuditEvent.Kind.LOGIN, email=email, ip=ip, user_agent=user_agent)
                return HttpResponseRedirect(next_url or "/mail/")
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
@csrf_protect
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit(AuditEvent.Kind.LOGOUT, email=request.user.get_username(), ip=client_ip(request))
        user_sign_out(user=request.user)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


# --- Writing mail (issue 5): the identities and signatures page ---------------------------
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.http import Http404  # noqa: E402

from mailview.compose_forms import IdentityForm  # noqa: E402
from mailview.services.compose import InvalidHeaderInput  # noqa: E402
from mailview.services.identities import (  # noqa: E402
    identity_delete,
    identity_list,
    identity_make_default,
    identity_save,
)

from .models import Identity  # noqa: E402


def _folders(request: HttpRequest) -> list:
    """The sidebar's folders; the settings page still works when the mail server does not."""
    from mailview.imap import ImapError, get_pool
    from mailview.services.folders import flatten, folder_tree

    try:
        with get_pool().session(request.user) as imap:
            return flatten(folder_tree(imap=imap))
    except ImapError:
        return []


@login_required
@never_cache
def identities(request: HttpRequest) -> HttpResponse:
    """List the user's identities; POST adds one."""
    form = IdentityForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            identity_save(user=request.user, data=form.identity_input())
            messages.success(request, _("Identity added."))
            return redirect("accounts:identities")
        status = 400
    context = {"identities": identity_list(user=request.user), "form": form, "folders": _folders(request)}
    return render(request, "accounts/identities.html", context, status=status)


def _own_identity(request: HttpRequest, identity_id: int) -> Identity:
    identity = Identity.objects.filter(pk=identity_id, user=request.user).first()
    if identity is None:
        raise Http404("no such identity")
    return identity


@login_required
@never_cache
def identity_edit(request: HttpRequest, identity_id: int) -> HttpResponse:
    identity = _own_identity(request, identity_id)
    initial = {"name": identity.name, "email": identity.email, "reply_to": identity.reply_to, "signature": identity.signature, "is_default": identity.is_default}
    form = IdentityForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            identity_save(user=request.user, data=form.identity_input(), identity_id=identity.pk)
            messages.success(request, _("Identity saved."))
            return redirect("accounts:identities")
        status = 400
    return render(request, "accounts/identities_edit.html", {"identity": identity, "form": form, "folders": _folders(request)}, status=status)


@login_required
@require_POST
def identity_remove(request: HttpRequest, identity_id: int) -> HttpResponse:
    identity = _own_identity(request, identity_id)
    try:
        identity_delete(user=request.user, identity_id=identity.pk)
        messages.success(request, _("Identity deleted."))
    except InvalidHeaderInput as exc:
        messages.error(request, exc.message)
    return redirect("accounts:identities")


@login_required
@require_POST
def identity_default_set(request: HttpRequest, identity_id: int) -> HttpResponse:
    identity = _own_identity(request, identity_id)
    identity_make_default(user=request.user, identity_id=identity.pk)
    messages.success(request, _("Default identity changed."))
    return redirect("accounts:identities")
