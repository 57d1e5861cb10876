"""One account per mailbox: merge accounts whose addresses differ only in spelling.

Sign-in used to keep the letter case of the local part (and a trailing dot of the
domain), so `BOB@example.test` and `bob@example.test` became two accounts, and the
second factor of one did not guard the other. Every address-like username is now
rewritten to its canonical spelling (see `accounts.services.canonical_address`, copied
below as it was when this migration was written); where several accounts share one,
the oldest is kept and the others' rows move to it. A second factor of any of them
survives: if one has 2FA on, the merged account has it.
"""
from __future__ import annotations

import re
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, migrations, transaction

_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")


def canonical(raw: str) -> str | None:
    """The canonical address, or None for a username that is not an address (e.g. `admin`)."""
    value = (raw or "").strip()
    if value.count("@") != 1:
        return None
    local, domain = value.split("@")
    if domain.endswith("."):
        domain = domain[:-1]
    if not local or not domain or not local.isascii():
        return None
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    address = f"{local}@{domain}".casefold()
    return address if _DOMAIN.fullmatch(address.rsplit("@", 1)[1]) else None


# Rows with a unique key besides the user, merged by hand below; every other relation
# to the user (compose sessions, admin log entries, models added later) moves wholesale.
HANDLED = {
    ("accounts", "mailcredential"),
    ("accounts", "twofactor"),
    ("accounts", "usersettings"),
    ("accounts", "trustedsender"),
    ("accounts", "identity"),
    ("accounts", "collectedaddress"),
}


def _merge_into(apps, keeper, duplicate, address: str) -> None:
    TwoFactor = apps.get_model("accounts", "TwoFactor")
    UserSettings = apps.get_model("accounts", "UserSettings")
    MailCredential = apps.get_model("accounts", "MailCredential")
    TrustedSender = apps.get_model("accounts", "TrustedSender")
    Identity = apps.get_model("accounts", "Identity")
    CollectedAddress = apps.get_model("accounts", "CollectedAddress")

    # One-per-user rows: the keeper's wins; a duplicate's moves over where the keeper has none.
    # So a second factor on any duplicate ends up on the merged account.
    for model in (TwoFactor, UserSettings, MailCredential):
        row = model.objects.filter(user=duplicate).first()
        if row is not None and not model.objects.filter(user=keeper).exists():
            row.user = keeper
            row.save()

    existing_senders = set(TrustedSender.objects.filter(user=keeper).values_list("email", flat=True))
    for sender in TrustedSender.objects.filter(user=duplicate):
        if sender.email not in existing_senders:
            sender.user = keeper
            sender.save()
            existing_senders.add(sender.email)

    for collected in CollectedAddress.objects.filter(user=duplicate):
        mine = CollectedAddress.objects.filter(user=keeper, email=collected.email).first()
        if mine is None:
            collected.user = keeper
            collected.save()
        else:
            mine.times_used += collected.times_used
            mine.last_used = max(mine.last_used, collected.last_used)
            mine.name = mine.name or collected.name
            mine.save()

    # Identities: the same identity twice (the sign-in address is one of every account) is
    # kept once; compose sessions that used the dropped copy point at the kept one.
    Compose = _model_or_none(apps, "mailview", "Compose")
    keeper_has_default = Identity.objects.filter(user=keeper, is_default=True).exists()
    for identity in Identity.objects.filter(user=duplicate).order_by("pk"):
        same = Identity.objects.filter(
            user=keeper, email__iexact=identity.email, name=identity.name, reply_to=identity.reply_to, signature=identity.signature
        ).first()
        if same is not None:
            if Compose is not None:
                Compose.objects.filter(identity=identity).update(identity=same)
            continue
        identity.user = keeper
        if identity.is_default and keeper_has_default:
            identity.is_default = False
        keeper_has_default = keeper_has_default or identity.is_default
        identity.save()

    # Everything else that belongs to a user moves over.
    for model in apps.get_models():
        if (model._meta.app_label, model._meta.model_name) in HANDLED:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model is not None):
                continue
            if field.related_model._meta.label_lower != settings.AUTH_USER_MODEL.lower():
                continue
            if field.many_to_many:
                continue  # groups and permissions: merged below
            rows = model._default_manager.filter(**{field.name: duplicate})
            if field.one_to_one:
                if not model._default_manager.filter(**{field.name: keeper}).exists():
                    rows.update(**{field.name: keeper})
                continue
            try:
                with transaction.atomic():
                    rows.update(**{field.name: keeper})
            except IntegrityError:  # a unique key we do not know: row by row, keeping the keeper's
                for row in rows:
                    try:
                        with transaction.atomic():
                            model._default_manager.filter(pk=row.pk).update(**{field.name: keeper})
                    except IntegrityError:
                        pass

    # Same person, same mailbox: rights of any spelling stay with the person.
    keeper.is_staff = keeper.is_staff or duplicate.is_staff
    keeper.is_superuser = keeper.is_superuser or duplicate.is_superuser
    keeper.is_active = keeper.is_active and duplicate.is_active  # a blocked spelling blocks the person
    keeper.last_login = max(filter(None, [keeper.last_login, duplicate.last_login]), default=None)
    if hasattr(keeper, "groups"):
        keeper.groups.add(*duplicate.groups.all())
        keeper.user_permissions.add(*duplicate.user_permissions.all())


def _model_or_none(apps, app_label: str, model_name: str):
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def merge_duplicate_accounts(apps, schema_editor) -> None:
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    User = apps.get_model(app_label, model_name)
    MailCredential = apps.get_model("accounts", "MailCredential")
    groups: dict[str, list] = defaultdict(list)
    for user in User.objects.order_by("date_joined", "pk"):
        address = canonical(user.username)
        if address is not None:
            groups[address].append(user)
    with transaction.atomic():
        for address, users in groups.items():
            keeper, duplicates = users[0], users[1:]
            for duplicate in duplicates:
                _merge_into(apps, keeper, duplicate, address)
                duplicate.delete()  # what did not move (the keeper had its own) goes with it
            if keeper.username != address or duplicates:
                keeper.username = address
                if not keeper.email or canonical(keeper.email) == address:
                    keeper.email = address
                keeper.save()
            MailCredential.objects.filter(user=keeper).update(login=address)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_two_factor"),
        ("mailview", "0001_compose"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(merge_duplicate_accounts, migrations.RunPython.noop),
    ]
