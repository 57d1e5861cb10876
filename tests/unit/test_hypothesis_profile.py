"""Hypothesis keeps no example database, and CI runs are derandomized (reproducible)."""
from __future__ import annotations

from hypothesis import settings

from tests.conftest import hypothesis_profile_name


def test_ci_picks_the_derandomized_profile():
    assert hypothesis_profile_name({"CI": "true"}) == "ci"
    assert hypothesis_profile_name({"CI": "1"}) == "ci"
    assert hypothesis_profile_name({}) == "dev"
    assert hypothesis_profile_name({"CI": "false"}) == "dev"
    assert hypothesis_profile_name({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}) == "dev"
    ci = settings.get_profile("ci")
    assert ci.derandomize is True and ci.database is None


def test_no_run_reads_or_writes_an_example_database():
    assert settings.default.database is None
    assert settings.get_profile("dev").database is None


def test_per_test_settings_start_from_the_profile():
    from tests.unit.test_mime import FAST

    # a test's own settings(...) inherit the loaded profile: no database there either
    assert FAST.database is None
    assert settings(max_examples=5).database is None
