from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .login_names import login_format_check, login_name

SECURITY_CHOICES = [
    ("ssl", _("TLS (implicit, e.g. port 993/465)")),
    ("starttls", _("STARTTLS (e.g. port 143/587)")),
    ("none", _("None (plain text, trusted networks only)")),
]


def login_format_validator(value: str) -> None:
    if value:
        try:
            login_format_check(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


def carddav_url_check(value: str) -> None:
    """http(s)://host[:port]/path: Django's URLValidator would refuse a bare service name
    such as `http://radicale:5232/` (docker-compose), which is what a deployment uses."""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or any(c in value for c in " \r\n\t"):
        raise ValidationError(_("Enter an http:// or https:// URL."))


class ServerProfile(models.Model):
    """Which IMAP and SMTP servers serve the addresses of one domain."""

    domain = models.CharField(_("domain"), max_length=253, unique=True, help_text=_("Mail addresses ending in @domain use this profile."))
    imap_host = models.CharField(_("IMAP host"), max_length=253)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(_("IMAP security"), max_length=10, choices=SECURITY_CHOICES, default="ssl")
    smtp_host = models.CharField(_("SMTP host"), max_length=253)
    smtp_port = models.PositiveIntegerField(_("SMTP port"), default=587)
    smtp_security = models.CharField(_("SMTP security"), max_length=10, choices=SECURITY_CHOICES, default="starttls")
    verify_tls = models.BooleanField(_("verify TLS certificates"), default=True)
    ca_file = models.CharField(
        _("trusted CA file"), max_length=500, blank=True, help_text=_("Path of a CA bundle to trust, for self-signed servers.")
    )
    imap_login = models.CharField(
        _("IMAP login name"), max_length=100, blank=True, default="address", validators=[login_format_validator],
        help_text=_(
            "What the IMAP server is told at LOGIN: address (the whole sign-in address), localpart (what is before "
            "the @), or a template with %u (the address), %n (the local part) and %d (the domain), as in Dovecot; empty: address."
        ),
    )
    smtp_login = models.CharField(
        _("SMTP login name"), max_length=100, blank=True, validators=[login_format_validator],
        help_text=_("The same for SMTP AUTH; empty: as for IMAP."),
    )
    server_saves_sent = models.BooleanField(_("server saves sent mail itself"), default=False)
    managesieve_host = models.CharField(
        _("ManageSieve host"), max_length=253, blank=True,
        help_text=_("Where filters and the vacation reply are kept (RFC 5804). Empty: no filters for this domain."),
    )
    # blank: 4190 and STARTTLS (profiles made before ManageSieve, or without it, need no values)
    managesieve_port = models.PositiveIntegerField(_("ManageSieve port"), default=4190, null=True, blank=True)
    managesieve_security = models.CharField(
        _("ManageSieve security"), max_length=10, choices=SECURITY_CHOICES, default="starttls", blank=True
    )
    carddav_url = models.CharField(
        _("CardDAV URL"), max_length=500, blank=True,
        help_text=_(
            "Where the address book is kept (CardDAV, e.g. Radicale): the server's root, the person's home or an "
            "address book's URL; people sign in with their IMAP login name and password. Empty: the default "
            "(WEBMAIL_CARDDAV_URL), and without one, only collected addresses."
        ),
        validators=[carddav_url_check],
    )
    allowed_senders = models.TextField(
        _("allowed sender addresses"), blank=True,
        help_text=_(
            "Besides their sign-in address, the From addresses people of this domain may send as: one per line "
            "(or comma-separated), exact addresses or patterns such as *@example.com, sales@example.com or "
            "{local}@alias.example.com ({local} is the local part of the sign-in address; * never spans the @). "
            "Let your SMTP server allow the same (smtpd_sender_login_maps)."
        ),
    )

    class Meta:
        verbose_name = _("mail server profile")
        ordering = ["domain"]
        permissions = [("view_pool_stats", _("Can see the IMAP session pool's statistics"))]

    def __str__(self) -> str:
        return self.domain

    def imap_login_name(self, address: str) -> str:
        return login_name(self.imap_login, address)

    def smtp_login_name(self, address: str) -> str:
        return login_name(self.smtp_login or self.imap_login, address)

    def save(self, *args: object, **kwargs: object) -> None:
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class MailCredential(models.Model):
    """The user's mail password, Fernet-encrypted; deleted at sign-out."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_credential")
    login = models.CharField(max_length=320)
    encrypted_password = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.login


class AuditEvent(models.Model):
    """Security-relevant events, for the admin. Never holds a password."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_failed", _("wrong password")
        LOGIN_ERROR = "login_error", _("mail server unavailable")
        RATE_LIMITED = "rate_limited", _("rate limited")
        LOGOUT = "logout", _("signed out")
        TWO_FACTOR_FAILED = "2fa_failed", _("wrong second-factor code")
        TWO_FACTOR_CHANGED = "2fa_changed", _("second factor turned on or off")
        PASSWORD_CHANGED = "password_changed", _("mail password changed")
        SIGNED_OUT_EVERYWHERE = "signout_everywhere", _("signed out everywhere")

    when = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.CharField(max_length=320, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # Who did it, when that is not the person themselves (an administrator's sign-out-everywhere).
    actor = models.CharField(_("done by"), max_length=320, blank=True)

    class Meta:
        ordering = ["-when"]
        verbose_name = _("audit event")
        permissions = [("view_operations", _("Can see the operations dashboard and sign people out everywhere"))]

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.kind} {self.email}"


class SignedInSession(models.Model):
    """One signed-in browser: which Django session belongs to whom, so the operations
    dashboard can list a person's sessions and end them all (`accounts/sessions.py`).
    The session itself stays in Django's store; a row whose session has ended is ignored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class TwoFactor(models.Model):
    """A TOTP second factor (RFC 6238) for the sign-in, with one-time recovery codes."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor")
    encrypted_secret = models.TextField()
    enabled_at = models.DateTimeField(auto_now_add=True)
    last_step = models.BigIntegerField(default=0)  # the last time step accepted: a code works once
    recovery_hashes = models.JSONField(default=list)  # SHA-256 of the unused recovery codes

    def __str__(self) -> str:
        return f"2FA of {self.user}"


class UserSettings(models.Model):
    """Per-user preferences for reading mail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_settings")
    messages_per_page = models.PositiveSmallIntegerField(_("messages per page"), default=50)
    prefer_plain_text = models.BooleanField(_("prefer plain text over HTML"), default=False)
    mark_read_on_open = models.BooleanField(_("mark messages read when opened"), default=True)
    # Special folders the person chose (empty: found by the server's attributes or the usual names).
    drafts_folder = models.CharField(_("drafts folder"), max_length=500, blank=True)
    sent_folder = models.CharField(_("sent folder"), max_length=500, blank=True)
    trash_folder = models.CharField(_("trash folder"), max_length=500, blank=True)
    junk_folder = models.CharField(_("junk folder"), max_length=500, blank=True)
    archive_folder = models.CharField(_("archive folder"), max_length=500, blank=True)
    # Seconds a sent message waits (and can be undone) before it goes out; null: WEBMAIL_UNDO_SEND_SECONDS.
    undo_send_seconds = models.PositiveSmallIntegerField(_("undo send"), null=True, blank=True)
    # How a folder is listed: one row per conversation, the threads as an indented tree, or one row per message.
    list_view = models.CharField(
        _("list view"),
        max_length=16,
        default="conversations",
        choices=[("conversations", _("conversations")), ("threads", _("threads (indented)")), ("flat", _("one row per message"))],
    )
    # Appearance and reading layout, applied on the next page (no restart).
    theme = models.CharField(
        _("theme"), max_length=6, default="system",
        choices=[("system", _("as the system")), ("light", _("light")), ("dark", _("dark"))],
    )
    # An IANA zone name ("Europe/Berlin"); empty: the deployment's WEBMAIL_TIME_ZONE.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    reading_pane = models.CharField(
        _("reading pane"), max_length=5, default="right",
        choices=[("right", _("on the right")), ("below", _("below the list")), ("off", _("off"))],
    )
    # The list's share of the content area beside (or above) the reading pane, in percent.
    reading_pane_split = models.PositiveSmallIntegerField(_("reading pane split"), default=45)

    def __str__(self) -> str:
        return f"settings of {self.user}"


class TrustedSender(models.Model):
    """Remote content (images) is always shown for mail from these addresses."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trusted_senders")
    email = models.CharField(max_length=320)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "email"], name="unique_trusted_sender")]

    def __str__(self) -> str:
        return self.email


# --- Writing mail: identities with signatures, collected addresses ---------------


class Identity(models.Model):
    """A From address the user writes as, with its own signature.

    The sign-in address is always one (created on first use, see
    `accounts.identities.identity_list`); exactly one is the default.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities")
    name = models.CharField(_("display name"), max_length=200, blank=True)
    email = models.CharField(_("email address"), max_length=320)
    reply_to = models.CharField(_("reply-to address"), max_length=320, blank=True)
    signature = models.TextField(_("signature"), blank=True, max_length=10_000)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        ordering = ["-is_default", "email", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(is_default=True), name="one_default_identity"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


class CollectedAddress(models.Model):
    """An address the user wrote to or received from: what recipient fields suggest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collected_addresses")
    email = models.CharField(max_length=320)  # lower-cased
    name = models.CharField(max_length=200, blank=True)
    times_used = models.PositiveIntegerField(default=0)
    last_used = models.DateTimeField()

    class Meta:
        verbose_name = _("collected address")
        verbose_name_plural = _("collected addresses")
        constraints = [models.UniqueConstraint(fields=["user", "email"], name="unique_collected_address")]
        indexes = [models.Index(fields=["user", "-times_used", "-last_used"], name="collected_rank")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email
