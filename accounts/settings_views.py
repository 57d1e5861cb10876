"""The reading preferences page: /accounts/settings/."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .http import AuthenticatedHttpRequest
from .models import UserSettings
from .services import user_settings

UNDO_SEND_CHOICES = [
    ("0", gettext_lazy("off")),
    ("5", gettext_lazy("5 seconds")),
    ("10", gettext_lazy("10 seconds")),
    ("20", gettext_lazy("20 seconds")),
    ("30", gettext_lazy("30 seconds")),
]


class ReadingSettingsForm(forms.ModelForm):
    messages_per_page = forms.IntegerField(label=gettext_lazy("messages per page"), min_value=10, max_value=200)
    # How long a sent message waits, with an "Undo" on the sending page, before it goes out.
    undo_send_seconds = forms.TypedChoiceField(
        label=gettext_lazy("undo send: wait before sending"), choices=UNDO_SEND_CHOICES, coerce=int, required=False, empty_value=None
    )

    class Meta:
        model = UserSettings
        fields = ["messages_per_page", "prefer_plain_text", "mark_read_on_open", "undo_send_seconds"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.instance.undo_send_seconds is None:  # not chosen yet: the deployment's default
            self.initial["undo_send_seconds"] = str(settings.WEBMAIL_UNDO_SEND_SECONDS)


@login_required
def reading_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReadingSettingsForm(request.POST or None, instance=user_settings(user=request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("reading_settings")
    return render(request, "accounts/settings.html", {"form": form, "folders": [], "current_folder": ""})
