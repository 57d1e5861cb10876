from urllib.parse import quote, unquote

from django.urls import include, path, register_converter

from mailview.views import compose, contacts, filing, labels, reading, search, snooze, transfer


class FolderConverter:
    """An IMAP folder name as one percent-encoded path segment (`Work%2FProjects`)."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        return quote(value, safe="")


class SectionConverter:
    regex = r"[0-9]+(?:\.[0-9]+)*(?:\.TEXT)?|TEXT"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FolderConverter, "folder")
register_converter(SectionConverter, "section")

# /mail/compose/: writing mail (in the "mailview" namespace).
compose_urlpatterns = [
    path("", compose.compose, name="compose"),
    path("addresses/", compose.addresses, name="compose_addresses"),
    path("<uuid:compose_id>/", compose.compose_edit, name="compose_edit"),
    path("<uuid:compose_id>/status/", compose.status, name="compose_status"),
    path("<uuid:compose_id>/cancel/", compose.cancel, name="compose_cancel"),
    path("<uuid:compose_id>/discard/", compose.discard, name="compose_discard"),
    path("<uuid:compose_id>/attachments/", compose.attachment_start, name="compose_attachment_start"),
    path("<uuid:compose_id>/attachments/<uuid:attachment_id>/", compose.attachment_chunk, name="compose_attachment_chunk"),
    path("<uuid:compose_id>/attachments/<uuid:attachment_id>/delete/", compose.attachment_delete, name="compose_attachment_delete"),
]

# /mail/: folders and messages ("mailview" namespace).
app_name = "mailview"
urlpatterns = [
    path("", reading.home, name="home"),
    # Before the folder routes: "compose" is not a folder here.
    path("compose/", include(compose_urlpatterns)),
    path("search/", search.search, name="search"),
    path("search/progress/", search.search_progress_view, name="search_progress"),
    path("search/cancel/", search.search_cancel_view, name="search_cancel"),
    path("scheduled/", compose.scheduled, name="scheduled"),
    path("<folder:folder>/", reading.message_list, name="message_list"),
    path("<folder:folder>/<int:uid>/", reading.message_detail, name="message_detail"),
    path("<folder:folder>/thread/<int:uid>/", reading.conversation_detail, name="conversation_detail"),
    path("<folder:folder>/thread/<int:uid>/print/", reading.conversation_print, name="conversation_print"),
    path("<folder:folder>/thread/<int:uid>/previous/", reading.conversation_step, {"step": -1}, name="conversation_previous"),
    path("<folder:folder>/thread/<int:uid>/next/", reading.conversation_step, {"step": 1}, name="conversation_next"),
    path("<folder:folder>/view/", reading.list_view_choose, name="list_view_choose"),
    path("<folder:folder>/<int:uid>/body/", reading.message_body_document, name="message_body"),
    path("<folder:folder>/<int:uid>/raw/", reading.message_raw, name="message_raw"),
    path("<folder:folder>/<int:uid>/print/", reading.message_print, name="message_print"),
    path("<folder:folder>/<int:uid>/part/<section:section>/", reading.message_part, name="message_part"),
    path("<folder:folder>/<int:uid>/trust-sender/", reading.trust_sender, name="trust_sender"),
    path("<folder:folder>/<int:uid>/previous/", reading.message_step, {"step": -1}, name="message_previous"),
    path("<folder:folder>/<int:uid>/next/", reading.message_step, {"step": 1}, name="message_next"),
]

# /actions/: filing mail ("mailview_actions"; not under /mail/, where every path segment
# is a folder name).
action_urlpatterns = [
    path("", filing.action_create, name="create"),
    path("<str:action_id>/", filing.action_status, name="status"),
    path("<str:action_id>/undo/", filing.action_undo, name="undo"),
]

# /folders/: managing folders ("mailview_folders").
folder_urlpatterns = [
    path("", filing.folders_manage, name="folders_manage"),
    path("tree/", filing.folder_tree_fragment, name="folder_tree"),
    path("state/", filing.folder_state, name="folder_state"),
]

# /labels/: labels (IMAP keywords) listed with counts, renamed or deleted everywhere ("mailview_labels").
label_urlpatterns = [
    path("", labels.labels_manage, name="manage"),
]

# /snooze/: snoozing mail and bringing it back early ("mailview_snooze").
snooze_urlpatterns = [
    path("", snooze.snooze_create, name="create"),
    path("<int:snooze_id>/wake/", snooze.snooze_wake_now, name="wake"),
    path("<int:snooze_id>/time/", snooze.snooze_change, name="change"),
]

# /transfers/: imports and exports with progress, and their downloads ("mailview_transfers").
transfer_urlpatterns = [
    path("", transfer.transfer_create, name="create"),
    path("import/", transfer.import_create, name="import"),
    path("<uuid:transfer_id>/", transfer.transfer_page, name="page"),
    path("<uuid:transfer_id>/status/", transfer.transfer_status, name="status"),
    path("<uuid:transfer_id>/cancel/", transfer.transfer_cancel, name="cancel"),
    path("<uuid:transfer_id>/download/", transfer.transfer_download, name="download"),
]

# /contacts/: the address book ("contacts"). Cards are under card/ so a card's name never
# collides with new/, import/ or export/.
contact_urlpatterns = [
    path("", contacts.contact_list, name="list"),
    path("new/", contacts.contact_new, name="new"),
    path("import/", contacts.contact_import, name="import"),
    path("export/", contacts.contact_export, name="export"),
    path("card/<str:name>/", contacts.contact_edit, name="edit"),
    path("card/<str:name>/delete/", contacts.contact_remove, name="delete"),
]
