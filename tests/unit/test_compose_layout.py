"""Writing mail has one place per thing: SMTP behind its own door, services given their
IMAP session and queueing no tasks themselves, one helper per job (read from the source)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_CODE = ("mailview", "accounts", "webmail")


def _modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_only_the_smtp_door_imports_smtplib():
    users = [_rel(p) for p in _modules(*APP_CODE) if any(i == "smtplib" or i.startswith("smtplib.") for i in _imports(p))]
    assert users == ["mailview/smtp/client.py"]


def test_the_smtp_door_imports_no_app_code():
    # mailview.tls (one TLS context for both doors) and mailview.door_errors (the doors' error
    # base) are below them and import no app code themselves.
    below = ("mailview.tls", "mailview.door_errors")
    for path in [*_modules("mailview/smtp"), ROOT / "mailview" / "tls.py", ROOT / "mailview" / "door_errors.py"]:
        app = sorted(i for i in _imports(path) if i.split(".")[0] in (*APP_CODE, "django") and not i.startswith(below))
        assert app == [], f"{_rel(path)} imports {app}"


def test_compose_services_get_their_session_and_queue_no_tasks():
    for path in _modules("mailview/services"):
        imports = _imports(path)
        assert not any(i.startswith("mailview.tasks") or i.startswith("mailview.views") for i in imports), _rel(path)
        assert "get_pool" not in _names_used(path), f"{_rel(path)} checks out its own IMAP session"


def test_views_open_no_smtp_connections():
    for path in _modules("mailview/views"):
        imports = _imports(path)
        assert not any(i.startswith("mailview.smtp") or i == "smtplib" for i in imports), _rel(path)
        assert not any(name.startswith("smtp_") for name in _names_used(path)), f"{_rel(path)} talks SMTP itself"


def test_one_helper_reads_the_sign_in_address():
    readers = [_rel(p) for p in _modules(*APP_CODE) if "mail_credential" in _names_used(p) or re.search(r'getattr\([^)]*"mail_credential"', p.read_text())]
    assert readers == ["accounts/identities.py"]


def test_one_wants_json_and_one_special_folder_lookup():
    defined: dict[str, list[str]] = {}
    for path in _modules(*APP_CODE):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                defined.setdefault(node.name, []).append(_rel(path))
    assert defined["wants_json"] == ["mailview/views/common.py"] and "_wants_json" not in defined
    assert defined["special_folder"] == ["mailview/services/special_folders.py"]
    assert defined["special_folder_ensure"] == ["mailview/services/special_folders.py"]
    assert len(defined["draft_fetch"]) == 1 and "_final_draft_bytes_or_none" not in defined
    # Dead code stays gone: the reading page's unused address helper, the task only tests called.
    assert "mailview/services/reading/message_view.py" not in defined.get("_addresses", [])
    assert "folder_counts_refresh" not in defined
