"""Rules and the vacation reply ↔ the Sieve script the webmail owns (RFC 5228). Pure: no I/O.

The script carries its own source: a header comment with the rules as base64 JSON
(`# webmail-data: ...`), so the form reads back exactly what it wrote. A script whose
text is not what its data generates was edited elsewhere: the caller shows it read-only.

Every string that reaches the script goes through `sieve_string` (RFC 5228 section 2.4.2:
only `\\` and `"` need escaping inside a quoted string), and every value is checked before
(`validate_*`): no NUL, CR or LF in single-line values, header names as RFC 5322 field
names, sizes as numbers with K/M/G. The script requires neither `variables` nor
`encoded-character`, so `${...}` in a value is literal text.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date

SCRIPT_NAME = "webmail"
DATA_PREFIX = "# webmail-data: "
FORMAT_VERSION = 1

FIELDS = ("from", "to", "subject", "header", "size")
TEXT_OPS = ("contains", "not_contains", "is", "not_is", "matches")
SIZE_OPS = ("over", "under")
MAX_VALUE = 1000
MAX_RULES = 200
MAX_CONDITIONS = 20
_HEADER_NAME = re.compile(r"[!-9;-~]{1,100}")  # RFC 5322 field-name: printable ASCII but ":"
_SIZE = re.compile(r"([0-9]{1,9})([KMG]?)")
_KEYWORD = re.compile(r"[A-Za-z0-9$_.\-]{1,100}")  # the app's label rule (IMAP keywords)
_ADDRESS = re.compile(r"[^\s@\"\\<>(),;:]{1,64}@[A-Za-z0-9.\-]{1,253}")


class RuleError(ValueError):
    """A value the script cannot hold; `field` names the form field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# ---- values ---------------------------------------------------------------------------
def sieve_string(value: str) -> str:
    """A Sieve quoted string (RFC 5228 2.4.2). CR/LF stay (a quoted string may span lines:
    the vacation body); NUL cannot be in a script at all."""
    if "\x00" in value:
        raise RuleError("NUL is not allowed")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sieve_string_list(values: list[str]) -> str:
    return sieve_string(values[0]) if len(values) == 1 else "[" + ", ".join(sieve_string(v) for v in values) + "]"


def validate_line(value: str, field: str = "value", *, required: bool = True) -> str:
    """A single-line value: no control characters but tab, bounded."""
    if required and not value:
        raise RuleError("required", field)
    if len(value) > MAX_VALUE:
        raise RuleError("too long", field)
    if any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in value):
        raise RuleError("line breaks and control characters are not allowed", field)
    return value


def validate_header_name(value: str) -> str:
    if not _HEADER_NAME.fullmatch(value):
        raise RuleError("not a header name", "header")
    return value


def validate_size(value: str) -> str:
    value = value.strip().upper().removesuffix("B")
    if not _SIZE.fullmatch(value):
        raise RuleError("a size such as 500K or 10M", "value")
    return value


def validate_folder(value: str) -> str:
    validate_line(value, "folder")
    if value.startswith("/") or "//" in value or value.endswith("/"):
        raise RuleError("not a folder name", "folder")
    return value


def validate_label(value: str) -> str:
    if not _KEYWORD.fullmatch(value) or value.startswith("\\"):
        raise RuleError("letters, digits and $ _ . - only", "label")
    return value


def validate_address(value: str, field: str = "address") -> str:
    value = value.strip()
    if not _ADDRESS.fullmatch(value):
        raise RuleError("not a mail address", field)
    return value


# ---- the model --------------------------------------------------------------------------
@dataclass
class Condition:
    field: str  # FIELDS
    op: str  # TEXT_OPS or SIZE_OPS
    value: str
    header: str = ""  # when field == "header"

    def validated(self) -> Condition:
        if self.field not in FIELDS:
            raise RuleError("unknown field", "field")
        if self.field == "size":
            if self.op not in SIZE_OPS:
                raise RuleError("size is over or under", "op")
            return Condition("size", self.op, validate_size(self.value))
        if self.op not in TEXT_OPS:
            raise RuleError("unknown comparison", "op")
        header = validate_header_name(self.header) if self.field == "header" else ""
        return Condition(self.field, self.op, validate_line(self.value), header)


@dataclass
class Rule:
    name: str = ""
    match: str = "all"  # "all" | "any"
    conditions: list[Condition] = field(default_factory=list)
    move_to: str = ""
    label: str = ""
    mark_read: bool = False
    forward_to: str = ""
    forward_keep: bool = True
    discard: bool = False
    stop: bool = False
    enabled: bool = True
    id: str = field(default_factory=lambda: secrets.token_hex(6))

    def validated(self) -> Rule:
        if self.match not in ("all", "any"):
            raise RuleError("all or any", "match")
        if not self.conditions:
            raise RuleError("at least one condition", "conditions")
        if len(self.conditions) > MAX_CONDITIONS:
            raise RuleError("too many conditions", "conditions")
        if not (self.move_to or self.label or self.mark_read or self.forward_to or self.discard or self.stop):
            raise RuleError("at least one action", "actions")
        if self.discard and self.move_to:
            raise RuleError("a message is either moved or discarded", "discard")
        if not re.fullmatch(r"[0-9a-f]{4,32}", self.id):
            raise RuleError("bad id", "id")
        return Rule(
            name=validate_line(self.name.strip(), "name", required=False)[:200],
            match=self.match,
            conditions=[c.validated() for c in self.conditions],
            move_to=validate_folder(self.move_to) if self.move_to else "",
            label=validate_label(self.label) if self.label else "",
            mark_read=bool(self.mark_read),
            forward_to=validate_address(self.forward_to, "forward_to") if self.forward_to else "",
            forward_keep=bool(self.forward_keep),
            discard=bool(self.discard),
            stop=bool(self.stop),
            enabled=bool(self.enabled),
            id=self.id,
        )


@dataclass
class Vacation:
    enabled: bool = False
    subject: str = ""
    body: str = ""
    start: str = ""  # ISO date or ""
    end: str = ""
    days: int = 7
    addresses: list[str] = field(default_factory=list)

    def validated(self) -> Vacation:
        for name, value in (("start", self.start), ("end", self.end)):
            if value:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise RuleError("a date", name) from None
        if self.start and self.end and self.end < self.start:
            raise RuleError("the end is before the start", "end")
        if not 1 <= int(self.days) <= 90:
            raise RuleError("1 to 90 days", "days")
        if self.enabled and not self.body.strip():
            raise RuleError("required", "body")
        if len(self.body) > 20000:
            raise RuleError("too long", "body")
        return Vacation(
            enabled=bool(self.enabled),
            subject=validate_line(self.subject, "subject", required=False),
            body=self.body.replace("\r\n", "\n").replace("\r", "\n"),
            start=self.start,
            end=self.end,
            days=int(self.days),
            addresses=[validate_address(a, "addresses") for a in self.addresses][:50],
        )


@dataclass
class FilterSet:
    rules: list[Rule] = field(default_factory=list)
    vacation: Vacation = field(default_factory=Vacation)
    include: list[str] = field(default_factory=list)  # other scripts run after ours (names)

    def validated(self) -> FilterSet:
        if len(self.rules) > MAX_RULES:
            raise RuleError("too many rules", "rules")
        for name in self.include:
            validate_line(name, "include")
        return FilterSet([r.validated() for r in self.rules], self.vacation.validated(), list(self.include))


# ---- generating ---------------------------------------------------------------------------
def _test(condition: Condition) -> str:
    if condition.field == "size":
        return f":{condition.op} {condition.value}"
    negate = condition.op.startswith("not_")
    op = condition.op.removeprefix("not_")
    if condition.field == "header":
        headers = sieve_string(condition.header)
    elif condition.field == "to":
        headers = sieve_string_list(["to", "cc"])
    else:
        headers = sieve_string(condition.field)
    test = f"header :{op} {headers} {sieve_string(condition.value)}"
    return f"not {test}" if negate else test


def _tests(rule: Rule) -> str:
    tests = [("size " if c.field == "size" else "") + _test(c) for c in rule.conditions]
    if len(tests) == 1:
        return tests[0]
    return ("allof" if rule.match == "all" else "anyof") + " (" + ", ".join(tests) + ")"


def _actions(rule: Rule) -> list[str]:
    flags = (["\\Seen"] if rule.mark_read else []) + ([rule.label] if rule.label else [])
    actions = []
    if rule.forward_to:
        actions.append(f"redirect{' :copy' if rule.forward_keep or rule.move_to else ''} {sieve_string(rule.forward_to)};")
    if rule.move_to:
        actions.append(f"fileinto{' :flags ' + sieve_string_list(flags) if flags else ''} {sieve_string(rule.move_to)};")
    elif flags and not rule.discard:
        actions.append(f"addflag {sieve_string_list(flags)};")
    if rule.discard:
        actions.append("discard;")
    if rule.stop:
        actions.append("stop;")
    return actions


def _requires(filters: FilterSet) -> list[str]:
    needed: set[str] = set()
    for rule in filters.rules:
        if not rule.enabled:
            continue
        if rule.move_to:
            needed.add("fileinto")
        if rule.label or rule.mark_read:
            needed.add("imap4flags")
        if rule.forward_to and (rule.forward_keep or rule.move_to):
            needed.add("copy")
    if filters.vacation.enabled:
        needed.add("vacation")
        if filters.vacation.start or filters.vacation.end:
            needed.update(("date", "relational"))
    if filters.include:
        needed.add("include")
    return sorted(needed)


def _data_lines(filters: FilterSet) -> list[str]:
    payload = json.dumps({"v": FORMAT_VERSION, **asdict(filters)}, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    encoded = base64.b64encode(payload.encode("ascii")).decode("ascii")
    return [DATA_PREFIX + encoded[i:i + 76] for i in range(0, len(encoded), 76)] or [DATA_PREFIX]


def _vacation(vacation: Vacation) -> list[str]:
    # one `exists` per header: `exists [a, b]` is true only when all of them are there
    guards = ['not exists "list-id"', 'not exists "list-unsubscribe"', 'not header :is "precedence" ["bulk", "list", "junk"]']
    if vacation.start:
        guards.append(f'currentdate :value "ge" "date" {sieve_string(vacation.start)}')
    if vacation.end:
        guards.append(f'currentdate :value "le" "date" {sieve_string(vacation.end)}')
    arguments = f":days {vacation.days}"
    if vacation.subject:
        arguments += f" :subject {sieve_string(vacation.subject)}"
    if vacation.addresses:
        arguments += f" :addresses {sieve_string_list(vacation.addresses)}"
    return [
        "# vacation reply (not to mailing lists or automatic mail)",
        f"if allof ({', '.join(guards)}) {{",
        f"  vacation {arguments} {sieve_string(vacation.body)};",
        "}",
    ]


def generate(filters: FilterSet) -> str:
    """The whole script for a (validated) filter set."""
    lines = [
        "# Filters and vacation reply of the webmail: edit them in its settings.",
        "# Generated; changes made here are kept, but the webmail then shows this script read-only.",
        *_data_lines(filters),
    ]
    requires = _requires(filters)
    if requires:
        lines.append(f"require {sieve_string_list(requires) if len(requires) > 1 else sieve_string(requires[0])};")
    if filters.vacation.enabled:
        lines.extend(_vacation(filters.vacation))
    for number, rule in enumerate(filters.rules, 1):
        if not rule.enabled:
            lines.append(f"# rule {number} is turned off")
            continue
        lines.append(f"# rule {number}")
        lines.append(f"if {_tests(rule)} {{")
        lines.extend("  " + action for action in _actions(rule))
        lines.append("}")
    for name in filters.include:
        lines.append(f"include :personal :optional {sieve_string(name)};")  # RFC 6609: gone is fine
    return "\n".join(lines) + "\n"


# ---- reading back ------------------------------------------------------------------------------
def parse(text: str) -> FilterSet | None:
    """The filter set a script of ours holds, or None if it is not ours or was edited
    elsewhere (its text is not what its data generates)."""
    chunks = [line[len(DATA_PREFIX):].strip() for line in text.splitlines() if line.startswith(DATA_PREFIX)]
    if not chunks:
        return None
    try:
        data = json.loads(base64.b64decode("".join(chunks), validate=True))
        if not isinstance(data, dict) or data.get("v") != FORMAT_VERSION:
            return None
        filters = FilterSet(
            rules=[
                Rule(**{**r, "conditions": [Condition(**c) for c in r.get("conditions", [])]}) for r in data.get("rules", [])
            ],
            vacation=Vacation(**data.get("vacation", {})),
            include=[str(n) for n in data.get("include", [])],
        ).validated()
    except (binascii.Error, ValueError, TypeError, KeyError):
        return None
    return filters if generate(filters) == text.replace("\r\n", "\n") else None
