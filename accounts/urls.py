from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
]

# --- Writing mail: identities and signatures ------------------------------------
urlpatterns += [
    path("identities/", views.identities, name="identities"),
    path("identities/<int:identity_id>/", views.identity_edit, name="identity_edit"),
    path("identities/<int:identity_id>/delete/", views.identity_remove, name="identity_delete"),
    path("identities/<int:identity_id>/default/", views.identity_default_set, name="identity_default"),
]

# --- Two-step sign-in -------------------------------------------------------------------
from . import two_factor_views  # noqa: E402

urlpatterns += [
    path("login/code/", two_factor_views.sign_in_code, name="login_code"),
    path("two-factor/", two_factor_views.two_factor_settings, name="two_factor"),
]
