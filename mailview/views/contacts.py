"""The address book at /contacts/: list with search and groups, view/edit/create/delete,
vCard import (a Celery task with progress at /transfers/<id>/) and export. Thin: each view
calls one service function. Without a CardDAV server the page lists the collected addresses
instead."""
from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from mailview.imap import ImapError, get_pool
from mailview.models import Transfer
from mailview.services.addressbook import collected_list
from mailview.services.contacts.book import (
    ContactChanged,
    ContactList,
    ContactNotFound,
    ContactsUnavailable,
    contact_delete,
    contact_get,
    contact_save,
    contacts_export,
    contacts_list,
    contacts_server_configured,
    unavailable_text,
)
from mailview.services.contacts.cards import MAX_GROUPS, MAX_NOTE, MAX_VALUE, MAX_VALUES, Contact, valid_email
from mailview.services.reading.folders import FolderInfo, flatten, folder_tree
from mailview.services.transfer.store import TransferRefused, contacts_import_too_large, transfer_start
from mailview.tasks import transfer_enqueue


def _folders(request: AuthenticatedHttpRequest) -> list[FolderInfo]:
    """The sidebar's folders; the address book still works when the mail server does not."""
    try:
        with get_pool().session(request.user) as imap:
            return flatten(folder_tree(imap=imap))
    except ImapError:
        return []


def _unavailable(request: AuthenticatedHttpRequest, exc: ContactsUnavailable) -> None:
    messages.error(request, unavailable_text(exc.code))


def _page(request: AuthenticatedHttpRequest, template: str, **context: Any) -> HttpResponse:
    return render(request, template, {"folders": _folders(request), "current_folder": "", **context})


def _matches(contact: Contact, query: str) -> bool:
    folded = query.casefold()
    return any(folded in value.casefold() for value in (contact.display_name, contact.org, *contact.emails, *contact.phones))


@login_required
@never_cache
@require_GET
def contact_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    group = request.GET.get("group", "").strip()[:100]
    if not contacts_server_configured(user=request.user):
        return _page(request, "mailview/contacts.html", server=False, query=query, collected=collected_list(user=request.user, query=query))
    listing: ContactList | None = None
    try:
        listing = contacts_list(user=request.user)
    except ContactsUnavailable as exc:
        _unavailable(request, exc)
    shown = listing.contacts if listing else []
    if group:
        shown = [c for c in shown if group in c.groups]
    if query:
        shown = [c for c in shown if _matches(c, query)]
    return _page(
        request, "mailview/contacts.html", server=True, listing=listing, contacts=shown, query=query, group=group,
        max_import=filesizeformat(settings.WEBMAIL_CONTACTS_IMPORT_MAX_BYTES),
    )


class ContactForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Display name"), max_length=MAX_VALUE, required=False)
    given = forms.CharField(label=gettext_lazy("First name"), max_length=MAX_VALUE, required=False)
    family = forms.CharField(label=gettext_lazy("Last name"), max_length=MAX_VALUE, required=False)
    org = forms.CharField(label=gettext_lazy("Organization"), max_length=MAX_VALUE, required=False)
    groups = forms.CharField(
        label=gettext_lazy("Groups"), max_length=2000, required=False, help_text=gettext_lazy("Separated by commas."),
    )
    note = forms.CharField(label=gettext_lazy("Notes"), max_length=MAX_NOTE, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    etag = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.emails: list[str] = []
        self.phones: list[str] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        data = self.data if isinstance(self.data, QueryDict) else QueryDict()
        emails = [e.strip() for e in data.getlist("email") if e.strip()]
        phones = [p.strip() for p in data.getlist("phone") if p.strip()]
        bad = [e for e in emails if not valid_email(e) or len(e) > MAX_VALUE]
        if bad:
            self.add_error(None, _("Not an e-mail address: %(address)s") % {"address": bad[0][:100]})
        if len(emails) > MAX_VALUES or len(phones) > MAX_VALUES:
            self.add_error(None, _("At most %(n)d addresses and %(n)d phone numbers.") % {"n": MAX_VALUES})
        if any(len(p) > 100 or any(c in p for c in "\r\n") for p in phones):
            self.add_error(None, _("A phone number is too long."))
        self.emails, self.phones = emails, phones
        if not (cleaned.get("full_name") or cleaned.get("given") or cleaned.get("family") or cleaned.get("org") or emails):
            self.add_error(None, _("Give the contact a name or an e-mail address."))
        groups: list[str] = []
        for raw in (cleaned.get("groups") or "").split(","):
            name = " ".join(raw.split())[:100]
            if name and name not in groups:
                groups.append(name)
        cleaned["group_list"] = groups[:MAX_GROUPS]
        return cleaned

    def apply(self, contact: Contact) -> Contact:
        data = self.cleaned_data
        contact.full_name, contact.given, contact.family = data["full_name"].strip(), data["given"].strip(), data["family"].strip()
        contact.org, contact.note = data["org"].strip(), data["note"].strip()
        contact.emails, contact.phones, contact.groups = self.emails, self.phones, data["group_list"]
        contact.etag = data.get("etag") or contact.etag
        return contact


def _edit_page(request: AuthenticatedHttpRequest, form: ContactForm, contact: Contact, *, status: int = 200) -> HttpResponse:
    emails = form.emails if form.is_bound else contact.emails
    phones = form.phones if form.is_bound else contact.phones
    response = _page(
        request, "mailview/contact_edit.html", form=form, contact=contact,
        emails=[*emails, "", ""][: max(2, len(emails) + 1)], phones=[*phones, ""][: max(1, len(phones) + 1)],
    )
    response.status_code = status
    return response


def _save(request: AuthenticatedHttpRequest, form: ContactForm, contact: Contact) -> HttpResponse:
    try:
        saved = contact_save(user=request.user, contact=form.apply(contact))
    except ContactChanged:
        form.add_error(None, _("This contact was changed elsewhere meanwhile. Reload it to see the changes, then edit again."))
        return _edit_page(request, form, contact, status=409)
    except ContactNotFound as exc:
        raise Http404 from exc
    except ContactsUnavailable as exc:
        _unavailable(request, exc)
        return _edit_page(request, form, contact, status=503)
    messages.success(request, _("Contact “%(name)s” saved.") % {"name": saved.display_name})
    return redirect("contacts:edit", name=saved.name)


def _require_server(request: AuthenticatedHttpRequest) -> HttpResponse | None:
    if contacts_server_configured(user=request.user):
        return None
    messages.info(request, _("No address book server is configured for your account: the address book lists the addresses you have written to."))
    return redirect("contacts:list")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def contact_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new contact; `?email=&name=` prefill it ("add sender to contacts" from a message)."""
    refused = _require_server(request)
    if refused:
        return refused
    if request.method == "POST":
        form = ContactForm(request.POST)
        if not form.is_valid():
            return _edit_page(request, form, Contact(), status=400)
        return _save(request, form, Contact())
    email = request.GET.get("email", "").strip()[:MAX_VALUE]
    name = request.GET.get("name", "").strip()[:MAX_VALUE]
    contact = Contact(full_name=name, emails=[email] if valid_email(email) else [])
    return _edit_page(request, ContactForm(initial={"full_name": name}), contact)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    refused = _require_server(request)
    if refused:
        return refused
    try:
        contact = contact_get(user=request.user, name=name)
    except ContactNotFound as exc:
        raise Http404 from exc
    except ContactsUnavailable as exc:
        _unavailable(request, exc)
        return redirect("contacts:list")
    if request.method == "POST":
        form = ContactForm(request.POST)
        if not form.is_valid():
            return _edit_page(request, form, contact, status=400)
        return _save(request, form, contact)
    form = ContactForm(initial={
        "full_name": contact.full_name, "given": contact.given, "family": contact.family, "org": contact.org,
        "groups": ", ".join(contact.groups), "note": contact.note, "etag": contact.etag,
    })
    return _edit_page(request, form, contact)


@login_required
@require_POST
def contact_remove(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    refused = _require_server(request)
    if refused:
        return refused
    try:
        contact_delete(user=request.user, name=name, etag=request.POST.get("etag", "")[:300])
    except ContactNotFound as exc:
        raise Http404 from exc
    except ContactChanged:
        messages.error(request, _("This contact was changed elsewhere meanwhile; it was not deleted."))
        return redirect("contacts:edit", name=name)
    except ContactsUnavailable as exc:
        _unavailable(request, exc)
        return redirect("contacts:list")
    messages.success(request, _("Contact deleted."))
    return redirect("contacts:list")


@login_required
@require_POST
def contact_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start importing a .vcf: the file is stored and a task writes its cards (the page it
    redirects to shows the progress). Refused by its Content-Length before the body is read
    when it is over WEBMAIL_CONTACTS_IMPORT_MAX_BYTES."""
    if int(request.headers.get("Content-Length") or 0) > settings.WEBMAIL_CONTACTS_IMPORT_MAX_BYTES + 64 * 1024:
        return HttpResponse(contacts_import_too_large(), status=413, content_type="text/plain; charset=utf-8")
    if not contacts_server_configured(user=request.user):
        messages.error(request, _("No address book server is configured for your account, so contacts cannot be imported."))
        return redirect("contacts:list")
    try:
        transfer = transfer_start(
            user=request.user, kind=Transfer.Kind.CONTACTS, folder="", uploads=request.FILES.getlist("file"), enqueue=transfer_enqueue,
        )
    except TransferRefused as exc:
        messages.error(request, str(exc))
        return redirect("contacts:list")
    return redirect("mailview_transfers:page", transfer_id=transfer.pk)


@login_required
@never_cache
@require_GET
def contact_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    refused = _require_server(request)
    if refused:
        return refused
    group = request.GET.get("group", "").strip()[:100]
    try:
        text = contacts_export(user=request.user, group=group)
    except ContactsUnavailable as exc:
        _unavailable(request, exc)
        return redirect("contacts:list")
    response = HttpResponse(text.encode("utf-8"), content_type="text/vcard; charset=utf-8")
    filename = f"{group or _('contacts')}.vcf"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response

