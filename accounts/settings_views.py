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
def reading_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    user_key = str(request.user.pk)
    special_post = request.method == "POST" and request.POST.get("section") == "special"
    form = ReadingSettingsForm(None if special_post else request.POST or None, instance=user_settings(user=request.user))
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
    if special_post and special is not None and special.is_valid():
        special_folder_choose(user_key=user_key, choices={use: special.cleaned_data[use] for use in SPECIAL_FOLDER_LABELS})
        messages.success(request, _("Settings saved."))
        return redirect("reading_settings")
    if request.method == "POST" and not special_post and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("reading_settings")
    return render(request, "accounts/settings.html", {"form": form, "special": special, "folders": [], "current_folder": ""})
