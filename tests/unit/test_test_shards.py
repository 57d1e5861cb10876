"""The suite's shards (scripts/test_shards.py): balanced by measured time, Cyrus/Courier tests on
the one shard that starts those servers, and nothing shared between shards."""
from __future__ import annotations

from scripts import test_shards
from scripts.test_shards import PORT_SHIFT, TEST_PORTS, shard_environment, split


def test_files_are_balanced_longest_first():
    files = ["tests/unit/test_typing.py", "tests/unit/test_validate.py", "tests/unit/test_mailgen.py", "tests/unit/test_search_query.py"]
    measured = {files[0]: 100.0, files[1]: 60.0, files[2]: 50.0, files[3]: 10.0}
    groups = split(files, 2, measured)
    loads = [sum(measured[path] for path in group) for group in groups]
    assert sorted(loads) == [110.0, 110.0]
    assert sorted(path for group in groups for path in group) == sorted(files)


def test_files_that_need_cyrus_or_courier_run_on_shard_one():
    any_server = "tests/test_any_server.py"
    heavy = "tests/test_actions.py"
    # the any-server file is lighter, so without the pin it would go to the emptier shard
    groups = split([heavy, any_server], 2, {heavy: 500.0, any_server: 10.0})
    assert any_server in groups[0]
    assert heavy in groups[0] or heavy in groups[1]
    assert groups[1] == [] or any_server not in groups[1]


def test_a_file_not_measured_yet_is_guessed_from_its_tests():
    assert test_shards.guessed_seconds("tests/test_actions.py") > test_shards.guessed_seconds("tests/unit/test_typing.py")


def test_every_shard_but_the_first_has_its_own_ports_stack_and_folder(monkeypatch):
    for name in TEST_PORTS:
        monkeypatch.delenv(name, raising=False)
    for name in ("MAILSTACK_TEST_DIR", "WEBMAIL_TEST_VAR", "WEBMAIL_TEST_IMAPSERVERS"):
        monkeypatch.delenv(name, raising=False)  # as when the parent is not itself a shard
    first, second, third = (shard_environment(n) for n in (1, 2, 3))
    assert "WEBMAIL_TEST_VAR" not in first and "MAILSTACK_TEST_DIR" not in first
    for name, port in TEST_PORTS.items():
        assert int(second[name]) == port + PORT_SHIFT
        assert int(third[name]) == port + 2 * PORT_SHIFT
    assert len({second["MAILSTACK_TEST_DIR"], third["MAILSTACK_TEST_DIR"]}) == 2
    assert len({second["WEBMAIL_TEST_VAR"], third["WEBMAIL_TEST_VAR"]}) == 2
    assert second["WEBMAIL_TEST_IMAPSERVERS"] == "0"
    # No server of the two shards CI runs binds a port an outgoing connection may be holding.
    assert max([*TEST_PORTS.values(), *(int(second[name]) for name in TEST_PORTS)]) < 32768
