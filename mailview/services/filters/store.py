"""Reading and saving the person's filters and vacation reply on their ManageSieve server.

One script is ours (`script.SCRIPT_NAME`); everything else on the server belongs to
someone else (another client, the admin) and is never changed or deleted:

- other scripts are listed read-only;
- if another script is active when the person first saves, they choose: keep it running
  (ours becomes active and `include`s it after our rules) or stop it (it stays on the
  server, just not active). Without that choice nothing is saved (`ForeignScriptChoice`);
- if our own script was edited elsewhere (its text no longer matches its data), saving
  first keeps a copy of that text under a new name.
"""
from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.models import User

from accounts.services import imap_credentials_for, server_profile_for
from mailview.sieve.client import ManageSieveClient, SieveEndpoint, sieve_session
from mailview.sieve.errors import SieveError, SieveRefused

from .script import SCRIPT_NAME, FilterSet, generate, parse

log = logging.getLogger(__name__)


class FiltersUnavailable(Exception):
    """No ManageSieve server for this person, or it cannot be reached / refused us.
    `code`: "none", "unreachable", "tls", "auth", "protocol", "refused"."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class ForeignScriptChoice(Exception):
    """Another script is active: the person has to say whether to keep it running."""


@dataclass
class ForeignScript:
    name: str
    active: bool
    text: str
    included: bool = False


@dataclass
class FiltersState:
    filters: FilterSet
    others: list[ForeignScript] = field(default_factory=list)
    ours_active: bool = False
    edited_elsewhere: str = ""  # our script's text when it no longer matches its data

    @property
    def foreign_active(self) -> ForeignScript | None:
        return next((s for s in self.others if s.active), None)


def sieve_endpoint_for(email: str) -> SieveEndpoint | None:
    """The ManageSieve server for an address: its domain's profile, else the default."""
    profile = server_profile_for(email)
    timeout = float(settings.WEBMAIL_MANAGESIEVE_TIMEOUT)
    if profile is not None:
        if not profile.managesieve_host:
            return None
        return SieveEndpoint(
            host=profile.managesieve_host, port=profile.managesieve_port or 4190, security=profile.managesieve_security or "starttls",
            verify_tls=profile.verify_tls, ca_file=profile.ca_file, timeout=timeout,
        )
    if not settings.WEBMAIL_MANAGESIEVE_HOST:
        return None
    return SieveEndpoint(
        host=settings.WEBMAIL_MANAGESIEVE_HOST, port=settings.WEBMAIL_MANAGESIEVE_PORT,
        security=settings.WEBMAIL_MANAGESIEVE_SECURITY, verify_tls=settings.WEBMAIL_TLS_VERIFY,
        ca_file=settings.WEBMAIL_IMAP_CA_FILE, timeout=timeout,
    )


def _read(client: ManageSieveClient) -> FiltersState:
    scripts = client.list_scripts()
    state = FiltersState(filters=FilterSet())
    for name, active in scripts:
        if name == SCRIPT_NAME:
            text = client.get_script(name)
            parsed = parse(text)
            state.ours_active = active
            if parsed is None:
                state.edited_elsewhere = text
            else:
                state.filters = parsed
        else:
            state.others.append(ForeignScript(name, active, client.get_script(name)))
    names = {s.name for s in state.others}
    state.filters.include = [n for n in state.filters.include if n in names]
    for other in state.others:
        other.included = other.name in state.filters.include
    return state


def _unavailable(exc: SieveError) -> FiltersUnavailable:
    log.warning("filters: ManageSieve %s", exc.code)
    return FiltersUnavailable(exc.code, exc.detail)


def _session(user: User) -> AbstractContextManager[ManageSieveClient]:
    _imap_endpoint, credentials = imap_credentials_for(str(user.pk))
    endpoint = sieve_endpoint_for(credentials.username)
    if endpoint is None:
        raise FiltersUnavailable("none")
    return sieve_session(endpoint, credentials.username, credentials.password)


def filters_load(*, user: User) -> FiltersState:
    """Everything on the server, read once. Raises FiltersUnavailable."""
    try:
        with _session(user) as client:
            return _read(client)
    except SieveError as exc:
        raise _unavailable(exc) from exc


def filters_save(*, user: User, filters: FilterSet, keep_foreign: bool | None = None) -> FiltersState:
    """Write our script from `filters` (validated here) and make it the active one.

    `filters.include` is recomputed: scripts it already included stay included (if they
    still exist); a foreign active script is included if `keep_foreign`, left inactive if
    False, and without a choice ForeignScriptChoice is raised before anything is written.
    Raises FiltersUnavailable, or RuleError for values the script cannot hold; a script the
    server refuses raises FiltersUnavailable("refused", its errors)."""
    filters = filters.validated()
    try:
        with _session(user) as client:
            state = _read(client)
            include = list(state.filters.include)
            foreign = state.foreign_active
            if foreign is not None and not state.ours_active:
                if keep_foreign is None:
                    raise ForeignScriptChoice(foreign.name)
                if keep_foreign and foreign.name not in include:
                    include.append(foreign.name)
            filters.include = include
            if state.edited_elsewhere:
                stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
                client.put_script(f"{SCRIPT_NAME}-edited-{stamp}", state.edited_elsewhere)
            client.put_script(SCRIPT_NAME, generate(filters))
            client.set_active(SCRIPT_NAME)
            return _read(client)
    except SieveRefused as exc:
        raise FiltersUnavailable("refused", exc.detail) from exc
    except SieveError as exc:
        raise _unavailable(exc) from exc
