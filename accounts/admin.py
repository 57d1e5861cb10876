from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import AuditEvent, MailCredential, ServerProfile


@admin.register(ServerProfile)
class ServerProfileAdmin(admin.ModelAdmin):
    list_display = ("domain", "imap_host", "imap_port", "imap_security", "smtp_host", "smtp_port", "smtp_security", "verify_tls")
    search_fields = ("domain", "imap_host", "smtp_host")
    fieldsets = (
        (None, {"fields": ("domain",)}),
        ("IMAP", {"fields": ("imap_host", "imap_port", "imap_security", "imap_login")}),
        ("SMTP", {"fields": ("smtp_host", "smtp_port", "smtp_security", "smtp_login", "server_saves_sent", "allowed_senders")}),
        ("ManageSieve", {"fields": ("managesieve_host", "managesieve_port", "managesieve_security")}),
        ("CardDAV", {"fields": ("carddav_url",)}),
        ("TLS", {"fields": ("verify_tls", "ca_file")}),
    )


@admin.register(MailCredential)
class MailCredentialAdmin(admin.ModelAdmin):
    """Shows who has a stored credential; the secret itself is never displayed."""

    list_display = ("login", "user", "created_at")
    fields = ("user", "login", "created_at")
    readonly_fields = fields
    search_fields = ("login",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("when", "kind", "email", "actor", "ip")
    list_filter = ("kind",)
    search_fields = ("email", "actor", "ip")
    readonly_fields = ("when", "kind", "email", "actor", "ip", "user_agent")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# --- Writing mail: identities and collected addresses ---------------------------
from .models import CollectedAddress, Identity  # noqa: E402


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "user", "is_default")
    list_filter = ("is_default",)
    search_fields = ("email", "name", "user__username")
    raw_id_fields = ("user",)


@admin.register(CollectedAddress)
class CollectedAddressAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "user", "times_used", "last_used")
    search_fields = ("email", "name", "user__username")
    raw_id_fields = ("user",)
