from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.settings_views import reading_settings
from mailview.action_urls import folder_urlpatterns
from mailview.admin_views import pool_stats

urlpatterns = [
    path("", RedirectView.as_view(url="/mail/", permanent=False)),
    path("admin/pool/", admin.site.admin_view(pool_stats), name="admin_pool_stats"),
    path("admin/", admin.site.urls),
    path("accounts/settings/", reading_settings, name="reading_settings"),
    path("accounts/", include("accounts.urls")),
    path("mail/", include("mailview.urls")),
    path("actions/", include("mailview.action_urls")),
    path("folders/", include((folder_urlpatterns, "mailview_actions"), namespace="mailview_folders")),
]

# A Redis or task-queue outage raised outside a view still gets the 503 page; else the plain 500.
handler500 = "webmail.outage.server_error"
