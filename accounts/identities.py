"""Identities (From addresses with signatures): services write, selectors read.

The sign-in address is always an identity, created on first use, and the default
until the user picks another. Every value that ends up in a header is checked
here, once, so the compose code can trust an Identity row (and checks again).

Which From addresses a person may use is the operator's call (`sender_allowed`):
the sign-in address, plus the aliases their server profile (or, without one,
WEBMAIL_ALLOWED_SENDERS) allows; any address only with WEBMAIL_IDENTITY_ANY_ADDRESS.
It is checked when an identity is saved and again when a message is sent (web
request and worker), so an identity made before a policy change cannot be used to
spoof. The envelope sender is always the sign-in address.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Identity
from accounts.services import server_profile_for
from mailview.services.compose.headers import InvalidHeaderInput, check_header_text, parse_single_address


@dataclass(frozen=True)
class IdentityInput:
    name: str
    email: str
    reply_to: str
    signature: str
    is_default: bool


def login_address(*, user: User) -> str:
    """The sign-in address (lower-cased): the envelope sender of everything the person
    sends, and the address their server profile is looked up by. The one helper for it."""
    credential = getattr(user, "mail_credential", None)
    login = getattr(credential, "login", "") if credential is not None else ""
    return (login or getattr(user, "email", "") or user.get_username()).strip().lower()


def _pattern_regex(pattern: str, *, local: str) -> re.Pattern[str]:
    """`*@example.com`, `{local}@alias.example`, `sales+*@example.com` → a regex; `*` never spans "@"."""
    parts = [re.escape(piece) for piece in pattern.split("*")]
    return re.compile("[^@]*".join(parts).replace(re.escape("{local}"), re.escape(local)))


def allowed_sender_patterns(*, login: str) -> list[str]:
    """The operator's alias list for this sign-in address: its domain's profile, else the setting."""
    profile = server_profile_for(login)
    raw = profile.allowed_senders if profile is not None else ",".join(settings.WEBMAIL_ALLOWED_SENDERS)
    return [p for p in re.split(r"[\s,;]+", (raw or "").lower()) if p]


def sender_allowed(*, user: User, email: str) -> bool:
    """May this person send with `email` as From? (See the module docstring.)"""
    if settings.WEBMAIL_IDENTITY_ANY_ADDRESS:
        return True
    address = (email or "").strip().lower()
    login = login_address(user=user)
    if not address or address.count("@") != 1:
        return False
    if address == login:
        return True
    local = login.rsplit("@", 1)[0]
    return any(_pattern_regex(p, local=local).fullmatch(address) for p in allowed_sender_patterns(login=login))


def identity_list(*, user: User) -> list[Identity]:
    """The user's identities, default first; the sign-in one is always there (created on first use)."""
    identities = list(Identity.objects.filter(user=user))
    login = login_address(user=user)
    if not any(i.email.lower() == login for i in identities):
        with transaction.atomic():
            Identity.objects.get_or_create(user=user, email=login, defaults={"is_default": not any(i.is_default for i in identities)})
        identities = list(Identity.objects.filter(user=user))
    if not any(i.is_default for i in identities):
        identity_make_default(user=user, identity_id=identities[0].pk)
        identities = list(Identity.objects.filter(user=user))
    return identities


def identity_default(*, user: User) -> Identity:
    return identity_list(user=user)[0]


def identity_get(*, user: User, value: object) -> Identity | None:
    """The user's identity chosen by a form's `from` value: its id, or its address."""
    text = str(value or "").strip()
    if not text:
        return None
    identities = identity_list(user=user)
    if text.isascii() and text.isdigit():
        return next((i for i in identities if str(i.pk) == text), None)
    return next((i for i in identities if i.email.lower() == text.lower()), None)


def own_addresses(*, user: User) -> set[str]:
    """Every address that is the user (lower-cased): dropped from reply-all."""
    addresses = {i.email.lower() for i in identity_list(user=user)}
    addresses.add(login_address(user=user))
    return addresses


def identity_check(*, user: User, data: IdentityInput) -> IdentityInput:
    """Validate an identity; raises InvalidHeaderInput (a ValueError) with a user-facing message."""
    name = check_header_text(data.name.strip(), field=_("Display name"), max_length=200)
    email = parse_single_address(data.email, field=_("Email address")).email
    reply_to = parse_single_address(data.reply_to, field=_("Reply-to address")).email if data.reply_to.strip() else ""
    if not sender_allowed(user=user, email=email):
        raise InvalidHeaderInput(
            _("You cannot send as %(address)s: only as %(login)s and the addresses your mail provider allows.")
            % {"address": email, "login": login_address(user=user)}
        )
    signature = data.signature.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in signature:
        raise InvalidHeaderInput(_("The signature contains invalid characters."))
    if len(signature) > 10_000:
        raise InvalidHeaderInput(_("The signature is too long."))
    return IdentityInput(name=name, email=email, reply_to=reply_to, signature=signature, is_default=data.is_default)


def identity_save(*, user: User, data: IdentityInput, identity_id: int | None = None) -> Identity:
    """Create or update one identity (checked first). Raises Identity.DoesNotExist for someone else's."""
    clean = identity_check(user=user, data=data)
    with transaction.atomic():
        identity = Identity.objects.get(pk=identity_id, user=user) if identity_id else Identity(user=user)
        identity.name, identity.email, identity.reply_to, identity.signature = clean.name, clean.email, clean.reply_to, clean.signature
        if clean.is_default:
            Identity.objects.filter(user=user, is_default=True).exclude(pk=identity.pk).update(is_default=False)
            identity.is_default = True
        identity.save()
    identity_list(user=user)  # keeps exactly one default
    return identity


def identity_make_default(*, user: User, identity_id: int) -> None:
    with transaction.atomic():
        identity = Identity.objects.get(pk=identity_id, user=user)
        Identity.objects.filter(user=user, is_default=True).exclude(pk=identity.pk).update(is_default=False)
        if not identity.is_default:
            identity.is_default = True
            identity.save(update_fields=["is_default"])


def identity_delete(*, user: User, identity_id: int) -> None:
    """Delete one identity; the last one cannot go (the sign-in address comes back anyway)."""
    with transaction.atomic():
        identity = Identity.objects.get(pk=identity_id, user=user)
        if Identity.objects.filter(user=user).count() <= 1:
            raise InvalidHeaderInput(_("You need at least one identity."))
        if identity.email.lower() == login_address(user=user):
            raise InvalidHeaderInput(_("Your sign-in address is always one of your identities."))
        identity.delete()
    identity_list(user=user)
