from django.apps import AppConfig


class MailviewConfig(AppConfig):
    name = "mailview"
    verbose_name = "Mail"

    def ready(self) -> None:
        from . import wiring

        wiring.wire()  # the IMAP pool's settings and credentials, the IMAP timer
        from . import signals

        signals.connect()  # the full-text index: filled at sign-in, removed with the account
