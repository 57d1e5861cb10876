from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and mail servers"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import checks  # noqa: F401 - registers the system checks
        from .sessions import on_logged_in, on_logged_out

        # Which session is whose, for "sign out everywhere" (accounts/sessions.py).
        user_logged_in.connect(on_logged_in, dispatch_uid="accounts.sessions.logged_in")
        user_logged_out.connect(on_logged_out, dispatch_uid="accounts.sessions.logged_out")
