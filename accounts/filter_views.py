"""Filters and the vacation reply: /settings/filters/ and /settings/vacation/.

Thin: the forms turn POSTs into `script.Rule` / `script.Vacation`, and
`mailview.services.filters.store` reads and writes them as Sieve through ManageSieve.
"""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mailview.imap import ImapError, get_pool
from mailview.services.filters.hints import message_filter_hints
from mailview.services.filters.script import Condition, FilterSet, Rule, RuleError, Vacation
from mailview.services.filters.store import (
    FiltersState,
    FiltersUnavailable,
    ForeignScriptChoice,
    filters_load,
    filters_save,
)

from .http import AuthenticatedHttpRequest
from .identities import own_addresses
from .views import _folders

FIELD_CHOICES = [
    ("from", gettext_lazy("From")), ("to", gettext_lazy("To or Cc")), ("subject", gettext_lazy("Subject")),
    ("header", gettext_lazy("Header…")), ("size", gettext_lazy("Size")),
]
OP_CHOICES = [
    ("contains", gettext_lazy("contains")), ("not_contains", gettext_lazy("does not contain")),
    ("is", gettext_lazy("is")), ("not_is", gettext_lazy("is not")), ("matches", gettext_lazy("matches (* and ?)")),
    ("over", gettext_lazy("is over")), ("under", gettext_lazy("is under")),
]
FOREIGN_CHOICES = [
    ("keep", gettext_lazy("Keep it running after my filters")),
    ("stop", gettext_lazy("Stop using it (it stays on the server)")),
]
UNAVAILABLE = {
    "none": gettext_lazy("Your mail server offers no filters."),
    "auth": gettext_lazy("The filter server did not accept your sign-in. Sign out and in again."),
    "refused": gettext_lazy("The filter server refused the filters: %(detail)s"),
}


def _unavailable_message(exc: FiltersUnavailable) -> str:
    template = UNAVAILABLE.get(exc.code, gettext_lazy("The filter server cannot be reached right now. Try again in a moment."))
    return str(template) % {"detail": exc.detail} if "%(detail)s" in str(template) else str(template)


class ConditionForm(forms.Form):
    field = forms.ChoiceField(label=gettext_lazy("Field"), choices=FIELD_CHOICES)
    header = forms.CharField(label=gettext_lazy("Header name"), required=False, max_length=100,
                             widget=forms.TextInput(attrs={"class": "cond-header", "placeholder": gettext_lazy("Header name")}))
    op = forms.ChoiceField(label=gettext_lazy("Comparison"), choices=OP_CHOICES)
    value = forms.CharField(label=gettext_lazy("Value"), required=False, max_length=1000, strip=False,
                            widget=forms.TextInput(attrs={"class": "cond-value"}))

    def condition(self) -> Condition | None:
        data = self.cleaned_data
        if not data or not data.get("value"):
            return None
        return Condition(data["field"], data["op"], data["value"], data.get("header", "").strip())


ConditionFormSet = forms.formset_factory(ConditionForm, extra=2, max_num=20)


class ForeignChoiceMixin(forms.Form):
    foreign = forms.ChoiceField(label=gettext_lazy("Your other filter script"), choices=FOREIGN_CHOICES,
                                widget=forms.RadioSelect, required=False)

    def keep_foreign(self) -> bool | None:
        choice = self.cleaned_data.get("foreign")
        return None if not choice else choice == "keep"


class RuleForm(ForeignChoiceMixin):
    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=200)
    enabled = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)
    match = forms.ChoiceField(label=gettext_lazy("Apply when"), widget=forms.RadioSelect, initial="all",
                              choices=[("all", gettext_lazy("all conditions match")), ("any", gettext_lazy("any condition matches"))])
    move_to = forms.ChoiceField(label=gettext_lazy("Move to folder"), required=False)
    label = forms.CharField(label=gettext_lazy("Add label"), required=False, max_length=100)
    mark_read = forms.BooleanField(label=gettext_lazy("Mark as read"), required=False)
    forward_to = forms.CharField(label=gettext_lazy("Forward to"), required=False, max_length=320,
                                 widget=forms.EmailInput(attrs={"inputmode": "email"}))
    forward_keep = forms.BooleanField(label=gettext_lazy("Keep a copy"), required=False, initial=True)
    discard = forms.BooleanField(label=gettext_lazy("Delete it (discard, no copy kept)"), required=False)
    stop = forms.BooleanField(label=gettext_lazy("Stop: no further rules"), required=False)

    def __init__(self, *args: Any, folders: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["move_to"].choices = [("", _("(do not move)"))] + [(f, f) for f in folders]  # type: ignore[attr-defined]


def _rule_form_data(rule: Rule) -> dict[str, Any]:
    return {k: getattr(rule, k) for k in ("name", "enabled", "match", "move_to", "label", "mark_read", "forward_to",
                                          "forward_keep", "discard", "stop")}


def _folder_names(request: AuthenticatedHttpRequest) -> tuple[list[Any], list[str]]:
    folders = _folders(request)
    return folders, [f.name for f in folders if f.selectable]


def _load(request: AuthenticatedHttpRequest) -> FiltersState | None:
    try:
        return filters_load(user=request.user)
    except FiltersUnavailable as exc:
        messages.error(request, _unavailable_message(exc))
        return None


def _save(request: AuthenticatedHttpRequest, form: ForeignChoiceMixin, filters: FilterSet) -> bool:
    """Save, or put the reason on the form; True when saved."""
    try:
        filters_save(user=request.user, filters=filters, keep_foreign=form.keep_foreign())
    except ForeignScriptChoice:
        form.add_error("foreign", _("Another filter script is active on the server: choose what happens to it."))
        return False
    except RuleError as exc:
        form.add_error(None, _("This cannot be saved: %(field)s: %(reason)s") % {"field": exc.field, "reason": exc})
        return False
    except FiltersUnavailable as exc:
        form.add_error(None, _unavailable_message(exc))
        return False
    return True


def _context(request: AuthenticatedHttpRequest, state: FiltersState | None, folders: list[Any], **extra: Any) -> dict[str, Any]:
    needs_choice = bool(state and state.foreign_active and not state.ours_active)
    return {"state": state, "folders": folders, "current_folder": "", "needs_choice": needs_choice, **extra}


def _describe(rule: Rule) -> str:
    """The rule's conditions in the person's language: `Subject contains “x” and …`."""
    fields, ops = dict(FIELD_CHOICES), dict(OP_CHOICES)
    joiner = f" {_('and')} " if rule.match == "all" else f" {_('or')} "
    return joiner.join(
        f"{c.header if c.field == 'header' else fields.get(c.field, c.field)} {ops.get(c.op, c.op)} “{c.value}”" for c in rule.conditions
    )


@login_required
@never_cache
def filters(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The rules, in order, with their scripts; other scripts read-only."""
    folders = _folders(request)
    state = _load(request)
    rows = [(rule, _describe(rule)) for rule in state.filters.rules] if state else []
    return render(request, "accounts/filters.html", _context(request, state, folders, form=ForeignChoiceMixin(), rows=rows))


def _message_hints(request: AuthenticatedHttpRequest) -> dict[str, str]:
    """?message=<folder>/<uid>: that message's sender, subject and List-Id (read from its header);
    else ?from= / ?subject= / ?list_id= as given."""
    ref = request.GET.get("message", "")
    folder, _sep, uid = ref.rpartition("/")
    if folder and uid.isdigit():
        try:
            with get_pool().session(request.user) as imap:
                return message_filter_hints(imap=imap, folder=folder, uid=int(uid))
        except (ImapError, ValueError):
            return {}
    return {k: request.GET.get(k, "")[:300] for k in ("from", "subject", "list_id")}


def _prefill(request: AuthenticatedHttpRequest) -> tuple[Rule, list[dict[str, str]]]:
    """"Filter messages like this": the mailing list if the message came from one, else its
    sender; the subject as a second (empty-able) row. The person edits before saving."""
    hints = _message_hints(request)
    conditions = []
    if hints.get("list_id"):
        conditions.append({"field": "header", "header": "List-Id", "op": "contains", "value": hints["list_id"]})
    elif hints.get("from"):
        conditions.append({"field": "from", "op": "contains", "value": hints["from"]})
    if hints.get("subject") and not conditions:
        conditions.append({"field": "subject", "op": "contains", "value": hints["subject"]})
    name = hints.get("list_id") or hints.get("from") or ""
    return Rule(name=name), conditions


@login_required
@never_cache
def filter_edit(request: AuthenticatedHttpRequest, rule_id: str = "") -> HttpResponse:
    """Add (no id) or change one rule."""
    folders, folder_names = _folder_names(request)
    state = _load(request)
    if state is None:
        return redirect("filters")
    if state.edited_elsewhere:
        messages.error(request, _("Your filters were changed by another program; saving keeps a copy of that version."))
    existing = next((r for r in state.filters.rules if r.id == rule_id), None) if rule_id else None
    if rule_id and existing is None:
        raise Http404("no such rule")
    if existing is not None:
        rule, initial_conditions = existing, [
            {"field": c.field, "header": c.header, "op": c.op, "value": c.value} for c in existing.conditions
        ]
    else:
        rule, initial_conditions = _prefill(request)
    if existing is not None and existing.move_to and existing.move_to not in folder_names:
        folder_names.append(existing.move_to)
    form = RuleForm(request.POST or None, initial=_rule_form_data(rule), folders=folder_names)
    formset = ConditionFormSet(request.POST or None, initial=initial_conditions, prefix="cond")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        conditions = [c for c in (f.condition() for f in formset.forms) if c is not None]
        data = form.cleaned_data
        new_rule = Rule(
            name=data["name"], enabled=data["enabled"], match=data["match"], conditions=conditions, move_to=data["move_to"],
            label=data["label"].strip(), mark_read=data["mark_read"], forward_to=data["forward_to"].strip(),
            forward_keep=data["forward_keep"], discard=data["discard"], stop=data["stop"], id=rule.id,
        )
        try:
            new_rule = new_rule.validated()
        except RuleError as exc:
            form.add_error(None, _("Check the rule: %(field)s: %(reason)s") % {"field": exc.field, "reason": exc})
        else:
            rules = [new_rule if r.id == rule.id else r for r in state.filters.rules]
            if existing is None:
                rules.append(new_rule)
            if _save(request, form, FilterSet(rules, state.filters.vacation, state.filters.include)):
                messages.success(request, _("Filter saved."))
                return redirect("filters")
    status = 400 if request.method == "POST" else 200
    context = _context(request, state, folders, form=form, formset=formset, rule=existing)
    return render(request, "accounts/filter_edit.html", context, status=status)


@login_required
@require_POST
def filter_change(request: AuthenticatedHttpRequest, rule_id: str) -> HttpResponse:
    """Delete a rule, or move it up or down (`what` = delete | up | down)."""
    state = _load(request)
    if state is None:
        return redirect("filters")
    rules = list(state.filters.rules)
    index = next((i for i, r in enumerate(rules) if r.id == rule_id), None)
    if index is None:
        raise Http404("no such rule")
    what = request.POST.get("what")
    if what == "delete":
        del rules[index]
    elif what == "up" and index > 0:
        rules[index - 1], rules[index] = rules[index], rules[index - 1]
    elif what == "down" and index < len(rules) - 1:
        rules[index + 1], rules[index] = rules[index], rules[index + 1]
    form = ForeignChoiceMixin(request.POST)
    form.is_valid()
    if _save(request, form, FilterSet(rules, state.filters.vacation, state.filters.include)):
        messages.success(request, _("Filter deleted.") if what == "delete" else _("Filters saved."))
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
    return redirect("filters")


class VacationForm(ForeignChoiceMixin):
    enabled = forms.BooleanField(label=gettext_lazy("Send an automatic reply"), required=False)
    subject = forms.CharField(label=gettext_lazy("Subject"), required=False, max_length=300)
    body = forms.CharField(label=gettext_lazy("Message"), required=False, max_length=20000, strip=False,
                           widget=forms.Textarea(attrs={"rows": 8}))
    start = forms.DateField(label=gettext_lazy("From (first day)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Until (last day)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label=gettext_lazy("Days before the same sender gets another reply"), min_value=1, max_value=90, initial=7)
    addresses = forms.MultipleChoiceField(label=gettext_lazy("Reply to mail sent to"), required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, addresses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addresses"].choices = [(a, a) for a in addresses]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("enabled") and not (data.get("body") or "").strip():
            self.add_error("body", _("Write the reply."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The last day is before the first."))
        return data


@login_required
@never_cache
def vacation(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The automatic reply: on/off, text, dates, how often, for which addresses."""
    folders = _folders(request)
    state = _load(request)
    addresses = sorted(own_addresses(user=request.user))
    current = state.filters.vacation if state else Vacation()
    initial = {
        "enabled": current.enabled, "subject": current.subject, "body": current.body, "start": current.start or None,
        "end": current.end or None, "days": current.days, "addresses": current.addresses or addresses,
    }
    form = VacationForm(request.POST or None, initial=initial, addresses=sorted(set(addresses) | set(current.addresses)))
    if request.method == "POST" and state is not None and form.is_valid():
        data = form.cleaned_data
        new = Vacation(
            enabled=data["enabled"], subject=data["subject"], body=data["body"],
            start=data["start"].isoformat() if data["start"] else "", end=data["end"].isoformat() if data["end"] else "",
            days=data["days"], addresses=list(data["addresses"]),
        )
        if _save(request, form, FilterSet(state.filters.rules, new, state.filters.include)):
            messages.success(request, _("Vacation reply saved."))
            return redirect("vacation")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/vacation.html", _context(request, state, folders, form=form), status=status)
