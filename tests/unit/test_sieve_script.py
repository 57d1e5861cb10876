"""The Sieve the filter form writes: strings escaped per RFC 5228, values checked, and a
script that reads back to the same rules. Hostile values must stay data, never become
Sieve commands; where `sievec` (Pigeonhole) is installed, it compiles every script."""
from __future__ import annotations

import subprocess

import pytest

from mailview.services.filters.script import (
    Condition,
    FilterSet,
    Rule,
    RuleError,
    Vacation,
    generate,
    parse,
    sieve_string,
)

HOSTILE = [
    'say "hi"',
    "back\\slash",
    '"; discard;',
    '\\"; discard; #',
    "Grüße aus Köln ✓",
    "${hex:22}; discard;",
    "trailing backslash \\",
]


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("a\\b", '"a\\\\b"'),
        ('"; discard;', '"\\"; discard;"'),
        ("Grüße", '"Grüße"'),
        ("two\nlines", '"two\nlines"'),
    ],
)
def test_sieve_string_escapes_quote_and_backslash_only(value, quoted):
    assert sieve_string(value) == quoted


def _unquote(quoted: str) -> str:
    """RFC 5228 2.4.2 read back: a backslash takes the next character literally."""
    assert quoted[0] == quoted[-1] == '"'
    out, i, body = [], 0, quoted[1:-1]
    while i < len(body):
        if body[i] == "\\":
            i += 1
        elif body[i] == '"':
            raise AssertionError(f"unescaped quote in {quoted!r}")
        out.append(body[i])
        i += 1
    return "".join(out)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_round_trips_as_one_string(value):
    assert _unquote(sieve_string(value)) == value


def test_nul_is_refused():
    with pytest.raises(RuleError):
        sieve_string("a\x00b")


@pytest.mark.parametrize("value", ["a\rb", "a\nb", "a\r\n", "tab\x0bstop", "x\x7f"])
def test_line_breaks_are_refused_in_conditions(value):
    with pytest.raises(RuleError):
        Rule(conditions=[Condition("subject", "contains", value)], mark_read=True).validated()


@pytest.mark.parametrize("name", ["X-Spam: yes", "X Spam", "", "Ä-Header", "a\r\nb"])
def test_bad_header_names_are_refused(name):
    with pytest.raises(RuleError):
        Rule(conditions=[Condition("header", "is", "v", header=name)], mark_read=True).validated()


@pytest.mark.parametrize(
    ("field", "value"),
    [("move_to", 'Lists"; discard; "'.replace(";", "\n")), ("label", "\\Deleted"), ("label", 'a"b'), ("forward_to", 'x@y"; discard;')],
)
def test_bad_action_values_are_refused(field, value):
    rule = Rule(conditions=[Condition("from", "contains", "x")], mark_read=True)
    setattr(rule, field, value)
    with pytest.raises(RuleError):
        rule.validated()


def test_sizes_are_numbers_with_a_unit():
    assert Rule(conditions=[Condition("size", "over", "10m")], discard=True).validated().conditions[0].value == "10M"
    with pytest.raises(RuleError):
        Rule(conditions=[Condition("size", "over", "10; discard")], discard=True).validated()


def _hostile_set() -> FilterSet:
    rules = [
        Rule(name=value, conditions=[Condition("subject", "contains", value), Condition("header", "is", value, header="X-Test")],
             match="any", move_to=f"Folder {value}".replace("\\", "-"), label="$label1", mark_read=True)
        for value in HOSTILE
    ]
    vacation = Vacation(enabled=True, subject=HOSTILE[2], body='Line 1\r\n"; discard;\nGrüße \\', start="2026-01-01",
                        end="2026-12-31", days=3, addresses=["me@example.test"])
    return FilterSet(rules, vacation).validated()


def test_the_script_reads_back_to_the_same_rules():
    filters = _hostile_set()
    text = generate(filters)
    assert parse(text) == filters
    # no hostile value became a command: every "discard" is inside a string
    assert "\ndiscard;" not in text and "  discard;" not in text


def test_a_script_edited_elsewhere_is_not_read_as_ours():
    text = generate(_hostile_set())
    assert parse(text.replace("# rule 1\n", "# rule 1\nif true { discard; }\n")) is None
    assert parse('require "fileinto";\nfileinto "x";\n') is None


def test_pigeonhole_compiles_the_hostile_script(tmp_path):
    script = tmp_path / "webmail.sieve"
    script.write_text(generate(_hostile_set()), encoding="utf-8")
    result = subprocess.run(["sievec", "-x", "+vacation-seconds", str(script), str(tmp_path / "out.svbin")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    dump = subprocess.run(["sieve-dump", str(tmp_path / "out.svbin")], capture_output=True, text=True, timeout=60)
    # Pigeonhole's own reading: no DISCARD operation anywhere, the hostile values are string operands
    assert not [line for line in dump.stdout.splitlines() if line.rstrip().endswith(": DISCARD")]
    assert 'STR[11] ""; discard;"' in dump.stdout


def test_the_vacation_skips_a_list_message_with_any_one_list_header():
    """`exists ["a", "b"]` is true only when all are there: each list header is tested alone."""
    text = generate(FilterSet(vacation=Vacation(enabled=True, body="Away", days=1)).validated())
    assert 'not exists "list-id"' in text and 'not exists "list-unsubscribe"' in text
    assert "exists [" not in text
