"""The reading preferences page: /accounts/settings/."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .http import AuthenticatedHttpRequest
from .models import UserSettings
from .services import user_settings


class ReadingSettingsForm(forms.ModelForm):
    messages_per_page = forms.IntegerField(label=gettext_lazy("messages per page"), min_value=10, max_value=200)

    class Meta:
        model = UserSettings
        fields = ["messages_per_page", "prefer_plain_text", "mark_read_on_open"]


@login_required
def reading_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReadingSettingsForm(request.POST or None, instance=user_settings(user=request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("reading_settings")
    return render(request, "accounts/settings.html", {"form": form, "folders": [], "current_folder": ""})
