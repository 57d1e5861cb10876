"""Login name formats (pure): address, local part, Dovecot-style templates."""
from __future__ import annotations

import pytest

from accounts.login_names import login_format_check, login_name


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("address", "alice@example.test"),
        ("", "alice@example.test"),
        ("localpart", "alice"),
        ("%n", "alice"),
        ("%u", "alice@example.test"),
        ("%n@mail.%d", "alice@mail.example.test"),
        ("%d/%n", "example.test/alice"),
        ("100%%-%n", "100%-alice"),
    ],
)
def test_it_shapes_the_login_name(fmt: str, expected: str) -> None:
    assert login_name(fmt, "alice@example.test") == expected


@pytest.mark.parametrize("bad", ["%x", "plain", "%n %d", "%n\r\n", "%n%"])
def test_it_refuses_formats_it_cannot_fill(bad: str) -> None:
    with pytest.raises(ValueError):
        login_format_check(bad)


def test_keywords_and_templates_pass_the_check() -> None:
    assert login_format_check(" localpart ") == "localpart"
    assert login_format_check("") == "address"
    assert login_format_check("%n@%d") == "%n@%d"
