"""The deployment files: docker-compose.yml is valid and refuses to run without its secrets; the
image's user can write its uploads; the Docker context leaves secrets out; the locks match."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import REPO

# scripts/bootstrap.sh --test installs Debian's docker-compose (it needs no engine for `config`).
COMPOSE = shutil.which("docker-compose") or "docker-compose"


def compose_config(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "WEBMAIL_CREDENTIALS_KEY", "POSTGRES_PASSWORD"}}
    return subprocess.run([COMPOSE, "-f", str(REPO / "docker-compose.yml"), "config"], env={**clean, **env}, capture_output=True, text=True, timeout=60, cwd="/tmp")


def test_compose_config_is_valid_with_its_secrets_set():
    result = compose_config(DJANGO_SECRET_KEY="k", WEBMAIL_CREDENTIALS_KEY="f", POSTGRES_PASSWORD="p")
    assert result.returncode == 0, result.stderr
    for service in ("web:", "events:", "worker:", "beat:", "watcher:", "redis:", "postgres:", "dovecot:", "radicale:"):
        assert service in result.stdout
    # Every service has a health check.
    services = _compose_services()
    assert [name for name, service in services.items() if "healthcheck" not in service] == []


def test_compose_refuses_to_start_without_secrets():
    result = compose_config()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr or "WEBMAIL_CREDENTIALS_KEY" in result.stderr or "POSTGRES_PASSWORD" in result.stderr


# --- the image and its dependencies -------------------------------------------------------

def _compose_services() -> dict:
    """The resolved compose file as data. Debian's docker-compose is Python with PyYAML: its
    own interpreter parses the resolved config (the app's virtualenv has no YAML parser)."""
    import json

    result = compose_config(DJANGO_SECRET_KEY="k", WEBMAIL_CREDENTIALS_KEY="f", POSTGRES_PASSWORD="p")
    assert result.returncode == 0, result.stderr
    interpreter = Path(shutil.which(COMPOSE) or COMPOSE).read_text(errors="replace").splitlines()[0].removeprefix("#!").split()
    parsed = subprocess.run(
        [*interpreter, "-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))"],
        input=result.stdout, capture_output=True, text=True, timeout=60, check=True,
    )
    return json.loads(parsed.stdout)["services"]


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    text = (REPO / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = "\n".join(lines).replace("\\\n", " ")
    steps = []
    for line in joined.splitlines():
        if line.strip():
            instruction, _, arguments = line.strip().partition(" ")
            steps.append((instruction.upper(), arguments.strip()))
    return steps


def _owned_by(run_arguments: str, user: str) -> set[str]:
    """Directories a RUN step creates owned by `user` (`install -d -o USER`, or `chown USER`)."""
    owned: set[str] = set()
    for command in re.split(r"&&|;|\|\|", run_arguments):
        words = shlex.split(command)
        if not words:
            continue
        if words[0] == "install" and "-d" in words and "-o" in words and words[words.index("-o") + 1] == user:
            skip_next = {"-o", "-g", "-m"}
            paths, skip = [], False
            for word in words[1:]:
                if skip:
                    skip = False
                elif word in skip_next:
                    skip = True
                elif not word.startswith("-"):
                    paths.append(word)
            owned.update(paths)
        elif words[0] == "chown":
            args = [w for w in words[1:] if not w.startswith("-")]
            if args and args[0].split(":")[0] == user:
                owned.update(args[1:])
    return owned


def test_the_image_lets_its_user_write_where_uploads_go():
    steps = _dockerfile()
    user = [arguments for instruction, arguments in steps if instruction == "USER"][-1]
    user_index = max(i for i, (instruction, _) in enumerate(steps) if instruction == "USER")
    workdir = [arguments for instruction, arguments in steps if instruction == "WORKDIR"][-1]
    before_user = steps[:user_index]
    assert any(instruction == "RUN" and re.search(rf"\buseradd\b.*\b{user}$", arguments) for instruction, arguments in before_user)
    last_copy = max(i for i, (instruction, _) in enumerate(before_user) if instruction == "COPY")
    owned = set().union(*(_owned_by(arguments, user) for instruction, arguments in before_user[last_copy:] if instruction == "RUN"))
    # The settings' default (var/uploads under the app) and whatever the compose file sets.
    upload_dirs = {f"{workdir}/var/uploads"} | {service["environment"]["WEBMAIL_UPLOAD_DIR"] for service in _compose_services().values() if "WEBMAIL_UPLOAD_DIR" in service.get("environment", {})}
    for directory in upload_dirs:
        assert directory in owned, f"{directory} is not made owned by {user} after the last COPY (owned: {sorted(owned)})"
        assert os.path.dirname(directory) in owned | {"/srv", "/app", workdir}


def test_web_and_worker_share_one_uploads_volume():
    services = _compose_services()
    mounts = {}
    for name in ("web", "worker"):
        upload_dir = services[name]["environment"]["WEBMAIL_UPLOAD_DIR"]
        volumes = [v.split(":") for v in services[name]["volumes"]]
        [(volume, _target, *_)] = [v for v in volumes if v[1] == upload_dir]
        assert not volume.startswith(("/", ".")), "a named volume, so web and worker on one host share it"
        mounts[name] = (volume, upload_dir)
    assert mounts["web"] == mounts["worker"]


def test_the_image_installs_the_hashed_lock():
    runs = [arguments for instruction, arguments in _dockerfile() if instruction == "RUN"]
    assert any("pip install" in run and "--require-hashes" in run and "-r requirements.lock" in run for run in runs)
    assert not any(re.search(r"-r requirements(-dev)?\.txt", run) for run in runs)


def _dockerignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins; a path is out if it or a parent directory is."""
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.removeprefix("!").strip("/")
        regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        parts = path.split("/")
        if any(re.fullmatch(regex, "/".join(parts[:n])) for n in range(1, len(parts) + 1)):
            excluded = not negate
    return excluded


def test_the_docker_context_leaves_secrets_and_local_state_out():
    patterns = [line.strip() for line in (REPO / ".dockerignore").read_text().splitlines() if line.strip() and not line.startswith("#")]
    for path in (".env", "deploy/.env", ".git/config", ".venv/bin/python", "var/uploads/1/a", "var/test.sqlite3", "staticfiles/app.css", "mailview/__pycache__/x.pyc"):
        assert _dockerignored(path, patterns), path
    for path in ("manage.py", "requirements.lock", ".env.example", "mailview/views/reading.py", "static/app.css"):
        assert not _dockerignored(path, patterns), path


def _pins(path: Path) -> dict[str, str]:
    """name -> version of every `name==version` line (names normalized, extras dropped), following -r."""
    pins: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins.update(_pins(path.parent / line[3:].strip()))
        elif match := re.match(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", line):
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return pins


@pytest.mark.parametrize("requirements, lock", [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")])
def test_the_lock_is_in_step_with_the_requirements(requirements, lock):
    wanted, locked = _pins(REPO / requirements), _pins(REPO / lock)
    stale = {name: (version, locked.get(name)) for name, version in wanted.items() if locked.get(name) != version}
    assert stale == {}, f"{lock} is stale, regenerate it (README, Dependencies): .venv/bin/pip-compile --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links -o {lock} {requirements}"
    # Every locked package carries a hash (pip --require-hashes refuses anything else).
    entries = re.split(r"\n(?=[A-Za-z0-9])", (REPO / lock).read_text().split("\n\n# WARNING")[0])
    unhashed = [entry.split()[0] for entry in entries if "==" in entry.split("\n")[0] and "--hash=sha256:" not in entry]
    assert unhashed == []


def test_the_app_locks_agree_with_each_other():
    app, dev = _pins(REPO / "requirements.lock"), _pins(REPO / "requirements-dev.lock")
    assert {name: (version, dev.get(name)) for name, version in app.items() if dev.get(name) != version} == {}


def test_the_architecture_is_documented_inside_the_repository():
    readme = (REPO / "README.md").read_text()
    assert "docs/architecture.md" in readme and "../shared" not in readme
    architecture = (REPO / "docs" / "architecture.md").read_text()
    for topic in ("pool", "sanitizer", "task", "watcher", "How a request flows", "Where to add"):
        assert topic in architecture, topic
    # every module path it names exists
    for path in set(re.findall(r"`((?:mailview|accounts|webmail|scripts|static)/[\w/]+\.(?:py|js|sh))`", architecture)):
        assert (REPO / path).exists(), path


def test_compose_runs_the_watcher_with_the_app_settings():
    services = _compose_services()
    watcher = services["watcher"]
    assert "watch_mailboxes" in " ".join(watcher["command"]) if isinstance(watcher["command"], list) else "watch_mailboxes" in watcher["command"]
    # The same Redis (budget, leases, presence), database (credentials) and IMAP server as web and worker.
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL", "WEBMAIL_CREDENTIALS_KEY", "WEBMAIL_IMAP_HOST"):
        assert watcher["environment"][name] == services["worker"]["environment"][name], name
    assert "healthcheck" in watcher
