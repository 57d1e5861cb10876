"""URLs under /mail/compose/ (writing mail)."""
from django.urls import path

from . import compose_views as views

urlpatterns = [
    path("", views.compose, name="compose"),
    path("addresses/", views.addresses, name="compose_addresses"),
    path("<uuid:compose_id>/", views.compose_edit, name="compose_edit"),
    path("<uuid:compose_id>/status/", views.status, name="compose_status"),
    path("<uuid:compose_id>/cancel/", views.cancel, name="compose_cancel"),
    path("<uuid:compose_id>/discard/", views.discard, name="compose_discard"),
    path("<uuid:compose_id>/attachments/", views.attachment_start, name="compose_attachment_start"),
    path("<uuid:compose_id>/attachments/<uuid:attachment_id>/", views.attachment_chunk, name="compose_attachment_chunk"),
    path("<uuid:compose_id>/attachments/<uuid:attachment_id>/delete/", views.attachment_delete, name="compose_attachment_delete"),
]
