"""The SMTP, ManageSieve and CardDAV doors' errors share one base (mailview/door_errors.py):
every error of every door carries its `code` (what the services turn into a sentence) and a
bounded `detail`, and is caught as that door's own base class."""
from __future__ import annotations

import inspect

import pytest

from mailview.carddav import errors as carddav_errors
from mailview.door_errors import DETAIL_LIMIT, DoorError
from mailview.sieve import errors as sieve_errors
from mailview.smtp import errors as smtp_errors

DOORS = [
    (carddav_errors, carddav_errors.CardDavError),
    (sieve_errors, sieve_errors.SieveError),
    (smtp_errors, smtp_errors.SmtpError),
]


@pytest.mark.parametrize(("module", "base"), DOORS, ids=["carddav", "sieve", "smtp"])
def test_every_door_error_has_its_code_and_a_bounded_detail(module, base):
    classes = [c for _name, c in inspect.getmembers(module, inspect.isclass) if issubclass(c, DoorError) and c is not DoorError]
    assert base in classes and len(classes) >= 5
    codes = set()
    for error_class in classes:
        exc = error_class("x" * 2000)
        assert isinstance(exc, base) and isinstance(exc, DoorError)
        assert exc.detail == "x" * DETAIL_LIMIT and str(exc) == f"{error_class.code}: {'x' * 2000}"
        codes.add(error_class.code)
    # the words the services (sending, filters, contacts) map to sentences
    assert {"unreachable", "tls", "auth", "refused"} <= codes


def test_door_specific_fields_are_kept():
    assert carddav_errors.CardDavConflict("PUT: 412", 412).status == 412
    assert sieve_errors.SieveRefused("no such script", "NONEXISTENT").response_code == "NONEXISTENT"
    assert smtp_errors.SmtpUnreachable("down").transient and not smtp_errors.SmtpAuthError("no").transient
