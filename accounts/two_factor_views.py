"""The second sign-in step and the page that turns 2FA on and off."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import ratelimit
from .http import AuthenticatedHttpRequest
from .models import AuditEvent
from .services import audit
from .two_factor import (
    PENDING_KEY,
    code_check,
    enrollment_confirm,
    enrollment_start,
    pending_backend,
    pending_user_id,
    two_factor_disable,
    two_factor_enabled,
)
from .views import _rate_limited_response, client_ip

# Wrong codes allowed per window across all IPs: guessing a code must stay hopeless even
# for someone who has the password (three codes of a million are valid at a time).
TWO_FACTOR_FAILURES_PER_ACCOUNT = 10

SETUP_KEY = "two_factor_setup_secret"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app (or a recovery code)"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


@sensitive_post_parameters("code")
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Second step of the sign-in for users with 2FA: the password was right already."""
    user_id = pending_user_id(request.session)
    if user_id is None:
        messages.warning(request, _("Please sign in again."))
        return redirect("accounts:login")
    user = get_user_model().objects.get(pk=user_id)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip, key = client_ip(request), f"2fa:{user.pk}"
        limited = ratelimit.login_attempt_begin(ip=ip, email=key, address_limit=TWO_FACTOR_FAILURES_PER_ACCOUNT)
        if limited is not None:
            audit(AuditEvent.Kind.RATE_LIMITED, email=user.get_username(), ip=ip)
            return _rate_limited_response(request, limited.retry_after)
        if code_check(user=user, code=form.cleaned_data["code"]):
            ratelimit.login_succeeded(ip=ip, email=key)
            next_url = request.session.get(PENDING_KEY, {}).get("next") or reverse("mailview:home")
            backend = pending_backend(request.session)
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=backend)  # rotates the session key
            audit(AuditEvent.Kind.LOGIN, email=user.get_username(), ip=ip, user_agent=request.META.get("HTTP_USER_AGENT", ""))
            return HttpResponseRedirect(next_url)
        audit(AuditEvent.Kind.TWO_FACTOR_FAILED, email=user.get_username(), ip=ip)
        form.add_error("code", _("That code is not right (or was used already)."))
    return render(request, "accounts/login_code.html", {"form": form})


@login_required
@sensitive_post_parameters("code")
def two_factor_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn 2FA on (scan, confirm with a code, keep the recovery codes) or off (with a code)."""
    enabled = two_factor_enabled(user=request.user)
    form = CodeForm(request.POST or None)
    context: dict[str, object] = {"enabled": enabled, "form": form, "folders": [], "current_folder": ""}
    op = request.POST.get("op", "")
    if request.method == "POST" and op == "start" and not enabled:
        enrollment = enrollment_start(user=request.user)
        request.session[SETUP_KEY] = enrollment.secret
        return render(request, "accounts/two_factor.html", {**context, "enrollment": enrollment, "form": CodeForm()})
    if request.method == "POST" and op == "confirm" and not enabled and request.session.get(SETUP_KEY):
        secret = request.session[SETUP_KEY]
        codes = enrollment_confirm(user=request.user, secret=secret, code=request.POST.get("code", "")) if form.is_valid() else None
        if codes is None:
            form.add_error("code", _("That code is not right. Check the time on your phone and try again."))
            return render(request, "accounts/two_factor.html", {**context, "enrollment": enrollment_start(user=request.user, secret=secret)})
        del request.session[SETUP_KEY]
        audit(AuditEvent.Kind.TWO_FACTOR_CHANGED, email=request.user.get_username(), ip=client_ip(request))
        return render(request, "accounts/two_factor.html", {**context, "enabled": True, "recovery_codes": codes})
    if request.method == "POST" and op == "disable" and enabled:
        if form.is_valid() and code_check(user=request.user, code=form.cleaned_data["code"]):
            two_factor_disable(user=request.user)
            audit(AuditEvent.Kind.TWO_FACTOR_CHANGED, email=request.user.get_username(), ip=client_ip(request))
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("accounts:two_factor")
        form.add_error("code", _("That code is not right (or was used already)."))
    return render(request, "accounts/two_factor.html", context)
