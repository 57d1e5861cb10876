"""The settings area: its index (/settings/), the reading and appearance preferences page
(/accounts/settings/) and the reading pane's size, remembered as the person drags it."""
from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mailview.imap import ImapError, get_pool
from mailview.services.special_folders import special_folder_choose, special_folder_options

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
        fields = ["messages_per_page", "prefer_plain_text", "mark_read_on_open", "undo_send_seconds", "list_view"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["list_view"].required = False  # a form without it keeps the person's choice
        if self.instance.undo_send_seconds is None:  # not chosen yet: the deployment's default
            self.initial["undo_send_seconds"] = str(settings.WEBMAIL_UNDO_SEND_SECONDS)

    def clean_list_view(self) -> str:
        return str(self.cleaned_data.get("list_view") or self.instance.list_view or "conversations")


@cache
def _time_zone_choices() -> list[tuple[str, str]]:
    return sorted((name, name.replace("_", " ")) for name in zoneinfo.available_timezones() if "/" in name and not name.startswith("Etc/"))


class AppearanceForm(forms.ModelForm):
    """Theme, time zone and the reading pane: each applies from the next page on."""

    time_zone = forms.ChoiceField(label=gettext_lazy("time zone"), required=False)

    class Meta:
        model = UserSettings
        fields = ["theme", "time_zone", "reading_pane"]
        widgets = {"theme": forms.RadioSelect, "reading_pane": forms.RadioSelect}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        default = _("as the server (%(zone)s)") % {"zone": settings.TIME_ZONE}
        self.fields["time_zone"].choices = [("", default), *_time_zone_choices()]  # type: ignore[attr-defined]


SPECIAL_FOLDER_LABELS = {
    "drafts": gettext_lazy("Drafts"),
    "sent": gettext_lazy("Sent"),
    "trash": gettext_lazy("Trash"),
    "junk": gettext_lazy("Junk"),
    "archive": gettext_lazy("Archive"),
}


class SpecialFoldersForm(forms.Form):
    """Which folder is Drafts, Sent, Trash, Junk, Archive (as Roundcube has): "automatic"
    lets the server's attributes or the usual names decide."""

    def __init__(self, *args: object, names: list[str], automatic: dict[str, str | None], chosen: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for use, label in SPECIAL_FOLDER_LABELS.items():
            found = automatic.get(use)
            auto = _("Automatic (%(folder)s)") % {"folder": found} if found else _("Automatic (made when needed)")
            self.fields[use] = forms.ChoiceField(
                label=label, required=False, choices=[("", auto), *((n, n) for n in names)], initial=chosen.get(use, "")
            )


@login_required
def settings_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The settings area's index: every section, each linking its page."""
    return render(request, "accounts/settings_home.html", {"folders": [], "current_folder": ""})


@login_required
@require_POST
def reading_pane_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list's share beside the reading pane, as the person left it (static/js/reading_pane.js)."""
    try:
        split = int(request.POST.get("split", ""))
    except ValueError:
        return HttpResponse(status=400)
    prefs = user_settings(user=request.user)
    prefs.reading_pane_split = min(80, max(20, split))
    prefs.save(update_fields=["reading_pane_split"])
    return HttpResponse(status=204)


@login_required
def reading_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    user_key = str(request.user.pk)
    section = request.POST.get("section", "") if request.method == "POST" else ""
    special_post = section == "special"
    appearance = AppearanceForm(request.POST if section == "appearance" else None, instance=user_settings(user=request.user))
    if section == "appearance" and appearance.is_valid():
        appearance.save()
        messages.success(request, _("Settings saved."))
        return redirect("reading_settings")
    # One form per section; the reading form's posts carry no section (as they always did).
    form = ReadingSettingsForm(request.POST if request.method == "POST" and not section else None, instance=user_settings(user=request.user))
    special: SpecialFoldersForm | None = None
    try:
        with get_pool().session(request.user) as imap:
            names, automatic, chosen = special_folder_options(imap=imap, user_key=user_key)
    except ImapError:
        # The other settings need no mail server: the folder choice waits until it answers.
        if special_post:
            raise
    else:
        special = SpecialFoldersForm(
            request.POST if special_post else None,
            names=names, automatic={use: getattr(automatic, use) for use in SPECIAL_FOLDER_LABELS}, chosen=chosen,
        )
    if section == "special" and special is not None and special.is_valid():
        special_folder_choose(user_key=user_key, choices={use: special.cleaned_data[use] for use in SPECIAL_FOLDER_LABELS})
        messages.success(request, _("Settings saved."))
        return redirect("reading_settings")
    if request.method == "POST" and not section and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("reading_settings")
    return render(
        request, "accounts/settings.html", {"form": form, "special": special, "appearance": appearance, "folders": [], "current_folder": ""}
    )
