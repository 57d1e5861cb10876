"""Identities (From addresses with signatures): services write, selectors read.

The sign-in address is always an identity, created on first use, and the default
until the user picks another. Every value that ends up in a header is checked
here, once, so the compose code can trust an Identity row (and checks again).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Identity

from .compose import InvalidHeaderInput, check_header_text, parse_single_address


@dataclass(frozen=True)
class IdentityInput:
    name: str
    email: str
    reply_to: str
    signature: str
    is_default: bool


def _login_address(user: AbstractBaseUser) -> str:
    credential = getattr(user, "mail_credential", None)
    login = getattr(credential, "login", "") if credential is not None else ""
    return (login or getattr(user, "email", "") or user.get_username()).strip()


def identity_list(*, user: AbstractBaseUser) -> list[Identity]:
    """The user's identities, default first; creates the sign-in one if there is none."""
    identities = list(Identity.objects.filter(user=user))
    if not identities:
        with transaction.atomic():
            identity, _created = Identity.objects.get_or_create(user=user, email=_login_address(user).lower(), defaults={"is_default": True})
        identities = [identity]
    elif not any(i.is_default for i in identities):
        identity_make_default(user=user, identity_id=identities[0].pk)
        identities = list(Identity.objects.filter(user=user))
    return identities


def identity_default(*, user: AbstractBaseUser) -> Identity:
    return identity_list(user=user)[0]


def identity_get(*, user: AbstractBaseUser, value: object) -> Identity | None:
    """The user's identity chosen by a form's `from` value: its id, or its address."""
    text = str(value or "").strip()
    if not text:
        return None
    identities = identity_list(user=user)
    if text.isascii() and text.isdigit():
        return next((i for i in identities if str(i.pk) == text), None)
    return next((i for i in identities if i.email.lower() == text.lower()), None)


def own_addresses(*, user: AbstractBaseUser) -> set[str]:
    """Every address that is the user (lower-cased): dropped from reply-all."""
    addresses = {i.email.lower() for i in identity_list(user=user)}
    addresses.add(_login_address(user).lower())
    return addresses


def identity_check(*, user: AbstractBaseUser, data: IdentityInput) -> IdentityInput:
    """Validate an identity; raises InvalidHeaderInput (a ValueError) with a user-facing message."""
    name = check_header_text(data.name.strip(), field=_("Display name"), max_length=200)
    email = parse_single_address(data.email, field=_("Email address")).email
    reply_to = parse_single_address(data.reply_to, field=_("Reply-to address")).email if data.reply_to.strip() else ""
    if not settings.WEBMAIL_IDENTITY_ANY_ADDRESS:
        login = _login_address(user).lower()
        domain = login.rsplit("@", 1)[-1]
        if email.lower() != login and email.lower().rsplit("@", 1)[-1] != domain:
            raise InvalidHeaderInput(_("You can only send from addresses at %(domain)s.") % {"domain": domain})
    signature = data.signature.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in signature:
        raise InvalidHeaderInput(_("The signature contains invalid characters."))
    if len(signature) > 10_000:
        raise InvalidHeaderInput(_("The signature is too long."))
    return IdentityInput(name=name, email=email, reply_to=reply_to, signature=signature, is_default=data.is_default)


def identity_save(*, user: AbstractBaseUser, data: IdentityInput, identity_id: int | None = None) -> Identity:
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


def identity_make_default(*, user: AbstractBaseUser, identity_id: int) -> None:
    with transaction.atomic():
        identity = Identity.objects.get(pk=identity_id, user=user)
        Identity.objects.filter(user=user, is_default=True).exclude(pk=identity.pk).update(is_default=False)
        if not identity.is_default:
            identity.is_default = True
            identity.save(update_fields=["is_default"])


def identity_delete(*, user: AbstractBaseUser, identity_id: int) -> None:
    """Delete one identity; the last one cannot go (the sign-in address comes back anyway)."""
    with transaction.atomic():
        identity = Identity.objects.get(pk=identity_id, user=user)
        if Identity.objects.filter(user=user).count() <= 1:
            raise InvalidHeaderInput(_("You need at least one identity."))
        identity.delete()
    identity_list(user=user)
