"""The test suite cleans up after itself: the mail users a test module makes are deleted with
their mail when the module ends, so var/ does not grow with every run; the processes it starts
end with it, even when it is killed."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.utils import translation

from tests.support import (
    CREATED_MAIL_USERS,
    REPO,
    TEST_VAR,
    MailUser,
    imap_direct,
    mailstack,
    new_mail_user,
    process_running,
    remove_mail_users_since,
    wait_until,
)

INNER_MODULE = '''
import pytest
from tests.support import append_message, imap_direct, new_mail_user

@pytest.fixture(scope="module")
def shared():
    return new_mail_user("hygiene-module")

def test_makes_users(shared):
    new_mail_user("hygiene-{token}")
    own = new_mail_user("hygiene-{token}")  # asked twice: made in a batch, one more kept in reserve
    for user in (shared, own):
        with imap_direct(user) as imap:
            append_message(imap, "INBOX", subject="kept until the module ends")
    with open({out!r}, "w") as handle:
        handle.write(shared.email + "\\n" + own.email + "\\n")
'''


def mail_home(email: str) -> str:
    local, domain = email.split("@")
    return os.path.join(os.environ["MAILSTACK_DIR"], "mail", domain, local)


def test_a_modules_mail_users_and_their_mail_are_gone_after_it(tmp_path):
    name = f"test_zz_hygiene_{uuid.uuid4().hex[:8]}.py"
    module, out = REPO / "tests" / name, tmp_path / "users.txt"
    token = uuid.uuid4().hex[:8]
    module.write_text(INNER_MODULE.format(out=str(out), token=token))
    try:
        # A separate Redis database, so the inner session's flush leaves this one alone.
        env = {**os.environ, "REDIS_URL": os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/4"}
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"tests/{name}"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    finally:
        module.unlink()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    emails = out.read_text().split()
    assert len(emails) == 2
    users = mailstack("users").stdout.split()
    for email in emails:
        assert email not in users
        assert not os.path.exists(mail_home(email)), "their mail is deleted too"
    assert [email for email in users if email.startswith(f"hygiene-{token}-")] == [], "users made ahead are deleted too"


def test_removing_users_deletes_their_account_and_mail():
    mark = len(CREATED_MAIL_USERS)
    user = new_mail_user("hygiene")
    with imap_direct(user) as imap:
        imap.append("INBOX", b"Subject: x\r\n\r\nbody\r\n")
    assert os.path.isdir(mail_home(user.email))
    assert remove_mail_users_since(mark) == [user.email]
    assert user.email not in mailstack("users").stdout.split()
    assert not os.path.exists(mail_home(user.email))
    from imapclient.exceptions import LoginError

    try:
        imap_direct(MailUser(user.email, user.password)).logout()
    except LoginError:
        pass
    else:
        raise AssertionError("a removed user can still sign in to IMAP")


def test_the_tests_run_on_a_mail_stack_of_their_own():
    """Tests restart Dovecot and add and remove users: never on the demo's stack (var/mailstack)."""
    from pathlib import Path

    stack = Path(os.environ["MAILSTACK_DIR"]).resolve()
    assert stack != (REPO / "var" / "mailstack").resolve()


# --- the language of one test is not the next one's ---------------------------------------------
# Django's LocaleMiddleware activates the request's language in the thread that serves it and
# leaves it active; the test client serves requests in the test's own thread. These two tests
# run in this order (pytest keeps a module's order).


@pytest.mark.django_db
def test_a_request_in_german_leaves_german_active_in_its_thread(client):
    client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de")
    assert translation.get_language() == "de"  # what the next test must not inherit


def test_the_next_test_starts_in_the_default_language():
    assert translation.get_language() == settings.LANGUAGE_CODE
    assert translation.gettext("Subject") == "Subject"


# --- parallel shards share nothing --------------------------------------------------------------

def test_tests_keep_their_files_in_the_shards_own_folder():
    """scripts/test.sh runs the suite as parallel shards; a log, socket or server directory a
    test writes under var/ itself would be shared with the other shard (tests.support.TEST_VAR
    is the shard's own folder)."""
    writes_under_var = re.compile(r'REPO / "var" / f?"test')
    offenders = [
        str(path.relative_to(REPO)) for path in (REPO / "tests").rglob("*.py")
        if path.name != "test_suite_hygiene.py" and writes_under_var.search(path.read_text())
    ]
    assert offenders == []


# A test run in miniature: starts a Celery worker with the suite's helper, notes its pid, waits.
RUN_THAT_STARTS_A_WORKER = """
import os, time
import django
django.setup()
from tests.support import CeleryWorker
worker = CeleryWorker({db!r}, {name!r}, queues={name!r}, concurrency=1)
worker.start()
with open({out!r} + ".tmp", "w") as handle:
    handle.write(str(worker.process.pid))
os.replace({out!r} + ".tmp", {out!r})
time.sleep(600)  # until it is killed
"""


def test_a_worker_the_tests_started_ends_when_the_test_run_is_killed(tmp_path):
    """A run killed from outside (SIGKILL, a CI timeout) takes its Celery worker with it, instead of
    leaving it consuming a queue against the run's deleted database."""
    name, out = f"orphan-{uuid.uuid4().hex[:8]}", tmp_path / "worker.pid"
    code = RUN_THAT_STARTS_A_WORKER.format(db=str(tmp_path / "gone.sqlite3"), name=name, out=str(out))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "webmail.settings"}
    with open(tmp_path / "run.log", "wb") as log:
        run = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    worker = 0
    try:
        wait_until(lambda: out.exists() or run.poll() is not None, timeout=120, interval=0.2, message="the run to start its worker")
        assert out.exists(), (tmp_path / "run.log").read_text()[-3000:]
        worker = int(out.read_text())
        assert process_running(worker)
        run.kill()
        run.wait(timeout=30)
        wait_until(lambda: not process_running(worker), timeout=60, interval=0.2, message="the worker to end after its run was killed")
    finally:
        if run.poll() is None:
            run.kill()
            run.wait(timeout=30)
        if worker and process_running(worker):  # the orphan this test is about: end it and its pool
            children = subprocess.run(["pgrep", "-P", str(worker)], capture_output=True, text=True).stdout.split()
            for pid in [worker, *map(int, children)]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        (TEST_VAR / f"test-celery-{name}.log").unlink(missing_ok=True)
