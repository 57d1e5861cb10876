"""Login names: what the mail servers are told at LOGIN and AUTH, given the sign-in address.

The sign-in address stays the person's identity (their account, their profile's key);
many servers want something else as the login name: the local part (`alice`), or the
address in another shape. A format is `address` (the default), `localpart`, or a
template with Dovecot's variables: `%u` the whole address, `%n` its local part, `%d`
its domain, `%%` a percent sign (e.g. `%n@mail.%d`).
"""
from __future__ import annotations

import re

ADDRESS = "address"
LOCALPART = "localpart"
_VARIABLE = re.compile(r"%(.)", re.DOTALL)


def login_format_check(value: str) -> str:
    """The format, stripped; ValueError when it is neither a keyword nor a usable template."""
    if any(c in (value or "") for c in "\r\n\x00"):
        raise ValueError("a login name format must not contain line breaks")
    value = (value or "").strip()
    if value in ("", ADDRESS, LOCALPART):
        return value or ADDRESS
    if any(c.isspace() for c in value):
        raise ValueError("a login name format must not contain spaces or line breaks")
    for match in _VARIABLE.finditer(value):
        if match.group(1) not in "und%":
            raise ValueError(f"unknown variable %{match.group(1)} (use %u, %n, %d or %%)")
    if value.endswith("%") and not value.endswith("%%"):
        raise ValueError("a lone % at the end (write %% for a percent sign)")
    if not re.search(r"%[und]", value):
        raise ValueError("a template needs %u, %n or %d (or use address / localpart)")
    return value


def login_name(fmt: str, address: str) -> str:
    """The login name for `address` under the format `fmt` (see the module docstring)."""
    fmt = (fmt or "").strip() or ADDRESS
    local, _, domain = address.rpartition("@")
    if not local:  # not an address at all: nothing to reshape
        return address
    if fmt == ADDRESS:
        return address
    if fmt == LOCALPART:
        return local
    values = {"u": address, "n": local, "d": domain, "%": "%"}
    return _VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), fmt)
