from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from webmail.client_ip import client_ip

from . import ratelimit
from .forms import SignInForm
from .http import AuthenticatedHttpRequest
from .models import AuditEvent
from .services import MailServerBusy, MailServerUnavailable, audit, user_sign_out
from .two_factor import pending_set, two_factor_enabled


def _rate_limited_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    if retry_after < 60:
        message = ngettext(
            "Too many failed sign-ins. Try again in %(n)d second.", "Too many failed sign-ins. Try again in %(n)d seconds.", retry_after
        ) % {"n": retry_after}
    else:
        minutes = math.ceil(retry_after / 60)
        message = ngettext(
            "Too many failed sign-ins. Try again in %(n)d minute.", "Too many failed sign-ins. Try again in %(n)d minutes.", minutes
        ) % {"n": minutes}
    response = render(request, "accounts/rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _busy_response(request: HttpRequest, form: SignInForm, template: str, context: dict) -> HttpResponse:
    form.add_error(
        None,
        _(
            "The mail server has too many connections open for this address or is busy right now. "
            "Close other mail apps or try again in a minute."
        ),
    )
    response = render(request, template, {**context, "form": form}, status=503)
    response["Retry-After"] = "60"
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
        email, password = form.cleaned_data["email"], form.cleaned_data["password"]  # email: canonical
        ip = client_ip(request)
        user_agent = request.META.get("HTTP_USER_AGENT", "")
        # Counted before the password is checked, so concurrent guesses cannot slip past.
        limited = ratelimit.login_attempt_begin(ip=ip, email=email)
        if limited is not None:
            audit(AuditEvent.Kind.RATE_LIMITED, email=email, ip=ip, user_agent=user_agent)
            return _rate_limited_response(request, limited.retry_after)
        try:
            user = authenticate(request, email=email, password=password)
        except MailServerBusy:
            ratelimit.login_attempt_refund(ip=ip, email=email)  # not a wrong password
            audit(AuditEvent.Kind.LOGIN_ERROR, email=email, ip=ip, user_agent=user_agent)
            return _busy_response(request, form, "accounts/login.html", {"next": next_url})
        except MailServerUnavailable:
            ratelimit.login_attempt_refund(ip=ip, email=email)
            audit(AuditEvent.Kind.LOGIN_ERROR, email=email, ip=ip, user_agent=user_agent)
            form.add_error(None, _("The mail server cannot be reached right now. Please try again in a few minutes."))
            status = 503
        else:
            if user is None:
                audit(AuditEvent.Kind.LOGIN_FAILED, email=email, ip=ip, user_agent=user_agent)
                form.add_error(None, _("Wrong email address or password."))
                status = 200
            else:
                ratelimit.login_succeeded(ip=ip, email=email)
                return _signed_in(request, user, email=email, next_url=next_url or reverse("mailview:home"))
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


def _signed_in(request: HttpRequest, user: User, *, email: str, next_url: str) -> HttpResponse:
    """The password was right: ask for the second factor if the account has one, else sign in."""
    if two_factor_enabled(user=user):
        # The password was right; the code comes next (accounts.two_factor_views).
        pending_set(request.session, user=user, next_url=next_url, backend=getattr(user, "backend", ""))
        return redirect("accounts:login_code")
    login(request, user)  # rotates the session key
    audit(AuditEvent.Kind.LOGIN, email=email, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""))
    return HttpResponseRedirect(next_url)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """/admin/login/: Django's admin form for local (staff) accounts, with the sign-in's
    rate limits and second factor; Django's own admin login has neither."""
    from django.contrib import admin
    from django.contrib.admin.forms import AdminAuthenticationForm
    from django.contrib.auth import REDIRECT_FIELD_NAME

    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    next_url = next_url or reverse("admin:index")
    if request.method == "GET" and request.user.is_authenticated and request.user.is_staff:
        return HttpResponseRedirect(next_url)
    form = AdminAuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        username = (request.POST.get("username") or "").strip()
        key = f"admin:{username.casefold()}"
        ip, user_agent = client_ip(request), request.META.get("HTTP_USER_AGENT", "")
        limited = ratelimit.login_attempt_begin(ip=ip, email=key)
        if limited is not None:
            audit(AuditEvent.Kind.RATE_LIMITED, email=username, ip=ip, user_agent=user_agent)
            return _rate_limited_response(request, limited.retry_after)
        if form.is_valid():
            ratelimit.login_succeeded(ip=ip, email=key)
            return _signed_in(request, form.get_user(), email=username, next_url=next_url)
        audit(AuditEvent.Kind.LOGIN_FAILED, email=username, ip=ip, user_agent=user_agent)
    context = {
        **admin.site.each_context(request),
        "title": _("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
        "form": form,
        REDIRECT_FIELD_NAME: next_url,
    }
    return render(request, "admin/login.html", context)


@require_POST
@csrf_protect
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit(AuditEvent.Kind.LOGOUT, email=request.user.get_username(), ip=client_ip(request))
        user_sign_out(user=request.user)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


# --- Writing mail: the identities and signatures page ---------------------------
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.http import Http404  # noqa: E402

from accounts.forms import IdentityForm  # noqa: E402
from accounts.identities import (  # noqa: E402
    identity_delete,
    identity_list,
    identity_make_default,
    identity_save,
)
from mailview.services.compose.headers import InvalidHeaderInput  # noqa: E402

from .models import Identity  # noqa: E402


def _folders(request: HttpRequest) -> list:
    """The sidebar's folders; the settings page still works when the mail server does not."""
    from mailview.imap import ImapError, get_pool
    from mailview.services.reading.folders import flatten, folder_tree

    try:
        with get_pool().session(request.user) as imap:
            return flatten(folder_tree(imap=imap))
    except ImapError:
        return []


@login_required
@never_cache
def identities(request: AuthenticatedHttpRequest) -> HttpResponse:
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


def _own_identity(request: AuthenticatedHttpRequest, identity_id: int) -> Identity:
    identity = Identity.objects.filter(pk=identity_id, user=request.user).first()
    if identity is None:
        raise Http404("no such identity")
    return identity


@login_required
@never_cache
def identity_edit(request: AuthenticatedHttpRequest, identity_id: int) -> HttpResponse:
    identity = _own_identity(request, identity_id)
    initial = {
        "name": identity.name, "email": identity.email, "reply_to": identity.reply_to,
        "signature": identity.signature, "is_default": identity.is_default,
    }
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
def identity_remove(request: AuthenticatedHttpRequest, identity_id: int) -> HttpResponse:
    identity = _own_identity(request, identity_id)
    try:
        identity_delete(user=request.user, identity_id=identity.pk)
        messages.success(request, _("Identity deleted."))
    except InvalidHeaderInput as exc:
        messages.error(request, exc.message)
    return redirect("accounts:identities")


@login_required
@require_POST
def identity_default_set(request: AuthenticatedHttpRequest, identity_id: int) -> HttpResponse:
    identity = _own_identity(request, identity_id)
    identity_make_default(user=request.user, identity_id=identity.pk)
    messages.success(request, _("Default identity changed."))
    return redirect("accounts:identities")
