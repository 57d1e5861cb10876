from django.contrib import admin
from django.contrib.auth.decorators import permission_required
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import filter_views, operations_views
from accounts.settings_views import reading_pane_save, reading_settings, settings_home
from accounts.views import admin_sign_in
from mailview.urls import action_urlpatterns, contact_urlpatterns, folder_urlpatterns, label_urlpatterns, snooze_urlpatterns, transfer_urlpatterns
from mailview.views import reading
from mailview.views.admin import pool_stats
from mailview.views.events import event_stream
from webmail.metrics import metrics_view

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="mailview:home", permanent=False)),
    # Staff status alone is not enough: the pool's page shows every process's users and counts.
    path(
        "admin/pool/",
        admin.site.admin_view(permission_required("accounts.view_pool_stats", raise_exception=True)(pool_stats)),
        name="admin_pool_stats",
    ),
    # The operations dashboard: its own permission (it shows who is signed in and can end their sessions).
    path(
        "admin/operations/",
        admin.site.admin_view(permission_required("accounts.view_operations", raise_exception=True)(operations_views.operations)),
        name="admin_operations",
    ),
    path(
        "admin/operations/people/<int:user_id>/",
        admin.site.admin_view(permission_required("accounts.view_operations", raise_exception=True)(operations_views.operations_person)),
        name="admin_operations_person",
    ),
    path(
        "admin/operations/people/<int:user_id>/sign-out/",
        admin.site.admin_view(
            permission_required("accounts.view_operations", raise_exception=True)(operations_views.operations_sign_out)
        ),
        name="admin_operations_sign_out",
    ),
    # Before admin.site.urls: the admin's sign-in gets the app's rate limits and second factor.
    path("admin/login/", admin_sign_in, name="admin_login"),
    path("admin/", admin.site.urls),
    path("accounts/settings/", reading_settings, name="reading_settings"),
    path("settings/", settings_home, name="settings_home"),
    # The PDF attachment preview's sandboxed frame (not under /mail/, where a segment is a folder).
    path("preview/pdf/", reading.pdf_viewer, name="pdf_viewer"),
    path("settings/reading-pane/", reading_pane_save, name="reading_pane_save"),
    path("settings/filters/", filter_views.filters, name="filters"),
    path("settings/filters/new/", filter_views.filter_edit, name="filter_new"),
    path("settings/filters/<str:rule_id>/", filter_views.filter_edit, name="filter_edit"),
    path("settings/filters/<str:rule_id>/change/", filter_views.filter_change, name="filter_change"),
    path("settings/vacation/", filter_views.vacation, name="vacation"),
    path("accounts/", include("accounts.urls")),
    path("mail/", include("mailview.urls")),
    path("actions/", include((action_urlpatterns, "mailview_actions"))),
    path("folders/", include((folder_urlpatterns, "mailview_actions"), namespace="mailview_folders")),
    # The live mailbox's Server-Sent Events, served by the ASGI event server (README: "The event server").
    path("events/", event_stream, name="events"),
    path("labels/", include((label_urlpatterns, "mailview_labels"))),
    path("snooze/", include((snooze_urlpatterns, "mailview_snooze"))),
    path("transfers/", include((transfer_urlpatterns, "mailview_transfers"))),
    # The address book (CardDAV; the collected addresses without a server).
    path("contacts/", include((contact_urlpatterns, "contacts"))),
    # Prometheus; 404 unless WEBMAIL_METRICS_TOKEN / WEBMAIL_METRICS_ALLOWED_NETWORKS allow the caller.
    path("metrics", metrics_view, name="metrics"),
]

# A Redis or task-queue outage raised outside a view still gets the 503 page; else the plain 500.
handler500 = "webmail.outage.server_error"
