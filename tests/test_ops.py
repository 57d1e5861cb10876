"""Operations: /metrics for Prometheus (behind a token) and JSON log lines per request and per task."""
from __future__ import annotations

import io
import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families

from webmail.request_log import JsonFormatter, RequestContextFilter

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = "metrics-test-token-0123456789"
QUEUE = "ops-test-queue"


def samples(body: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


@pytest.fixture
def broker_queue():
    import redis
    from django.conf import settings

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(QUEUE)
    yield broker
    broker.delete(QUEUE)


def test_metrics_is_not_found_without_a_configured_token(client):
    with override_settings(WEBMAIL_METRICS_TOKEN="", WEBMAIL_METRICS_ALLOWED_NETWORKS=[]):
        assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


@override_settings(WEBMAIL_METRICS_TOKEN=TOKEN, WEBMAIL_METRICS_ALLOWED_NETWORKS=[])
def test_metrics_refuses_a_missing_or_wrong_token(client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 404


@override_settings(WEBMAIL_METRICS_TOKEN="", WEBMAIL_METRICS_ALLOWED_NETWORKS=["10.0.0.0/8"])
def test_metrics_refuses_callers_outside_the_allowed_networks(client):
    assert client.get("/metrics").status_code == 404  # the test client is 127.0.0.1
    with override_settings(WEBMAIL_METRICS_ALLOWED_NETWORKS=["127.0.0.0/8"]):
        assert client.get("/metrics").status_code == 200


@override_settings(WEBMAIL_METRICS_TOKEN=TOKEN, WEBMAIL_METRICS_ALLOWED_NETWORKS=[], WEBMAIL_ACTIONS_QUEUE=QUEUE)
def test_metrics_with_the_token_shows_pool_signins_requests_and_queue_after_real_activity(client, mail_user, broker_queue):
    from webmail.celery import app

    assert client.post("/accounts/login/", {"email": mail_user.email, "password": "wrong"}).status_code == 200
    assert client.post("/accounts/login/", {"email": mail_user.email, "password": mail_user.password}).status_code == 302
    assert client.get("/mail/INBOX/").status_code == 200
    app.send_task("webmail.ops_test_never_runs", queue=QUEUE)  # no worker reads this queue

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    got = samples(response.content)
    assert got[("webmail_redis_up", ())] == 1
    assert got[("webmail_imap_connections", (("state", "open"),))] >= 1
    assert got[("webmail_imap_logins_total", ())] >= 1
    assert any(name == "webmail_imap_process_connections" and value >= 1 for (name, _), value in got.items())
    assert got[("webmail_signins_total", (("outcome", "login"),))] >= 1
    assert got[("webmail_signins_total", (("outcome", "login_failed"),))] >= 1
    assert got[("webmail_http_requests_total", (("status", "200"),))] >= 2
    assert got[("webmail_http_requests_total", (("status", "302"),))] >= 1
    assert got[("webmail_celery_queue_length", (("queue", QUEUE),))] == 1
    assert got[("webmail_celery_queue_oldest_age_seconds", (("queue", QUEUE),))] > 0  # read from the publish-time header
    for name in ("webmail_celery_workers", "webmail_watcher_replicas", "webmail_present_people"):
        assert (name, ()) in got


@override_settings(WEBMAIL_METRICS_TOKEN=TOKEN, WEBMAIL_METRICS_ALLOWED_NETWORKS=[])
def test_metrics_counts_imap_errors_by_kind(signed_in, mail_user):
    from mailview.imap import ImapError, get_pool

    user = get_user_model().objects.get(username=mail_user.email)
    with get_pool().session(user) as imap, pytest.raises(ImapError):
        imap.select("INBOX")
        imap.search_uids(["NO-SUCH-SEARCH-KEY"])  # Dovecot answers BAD
    got = scrape(signed_in)
    assert got[("webmail_imap_errors_total", (("kind", "protocol"),))] >= 1
    assert any(name == "webmail_imap_process_errors_total" and value >= 1 for (name, _), value in got.items())


@pytest.fixture
def json_log():
    """WEBMAIL_LOG_FORMAT=json, and the request and task lines captured as the JSON formatter writes them."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    loggers = [logging.getLogger("webmail.access"), logging.getLogger("webmail.task")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with override_settings(WEBMAIL_LOG_FORMAT="json"):
            yield buffer
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def test_a_json_request_line_names_request_and_user_and_never_the_password(client, mail_user, json_log):
    response = client.post("/accounts/login/?next=/mail/INBOX/", {"email": mail_user.email, "password": mail_user.password})
    assert response.status_code == 302
    pk = get_user_model().objects.get(username=mail_user.email).pk
    listed = client.get("/mail/INBOX/?q=secret-search")
    assert listed.status_code == 200
    text = json_log.getvalue()
    assert mail_user.password not in text and "secret-search" not in text
    sign_in, page = lines(json_log)
    assert sign_in["request_id"] == response["X-Request-ID"]
    assert sign_in["user_id"] == str(pk)
    assert (sign_in["method"], sign_in["path"], sign_in["status"]) == ("POST", "/accounts/login/", 302)
    assert sign_in["duration_ms"] > 0
    assert page["request_id"] == listed["X-Request-ID"] and page["user_id"] == str(pk)
    assert (page["method"], page["path"], page["status"]) == ("GET", "/mail/INBOX/", 200)
    assert page["imap_commands"] >= 1 and page["imap_ms"] > 0


def test_no_request_lines_in_the_text_format(client, json_log):
    with override_settings(WEBMAIL_LOG_FORMAT="text"):
        assert client.get("/accounts/login/").status_code == 200
    assert json_log.getvalue() == ""


def test_a_json_task_line_has_name_id_user_duration_and_outcome(signed_in, mail_user, json_log):
    from mailview.tasks import sync_folders

    pk = get_user_model().objects.get(username=mail_user.email).pk
    result = sync_folders.apply(kwargs={"user_id": pk, "folders": ["INBOX"], "reason": "test"})
    assert result.successful(), result.traceback
    (line,) = [entry for entry in lines(json_log) if entry["logger"] == "webmail.task"]
    assert line["task"] == "mailview.sync_folders"
    assert line["task_id"] == result.id
    assert line["user_id"] == str(pk)
    assert line["outcome"] == "SUCCESS"
    assert line["duration_ms"] >= 0


def scrape(client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return samples(response.content)


@override_settings(WEBMAIL_METRICS_TOKEN=TOKEN, WEBMAIL_METRICS_ALLOWED_NETWORKS=[])
def test_metrics_sees_a_live_celery_worker_and_counts_its_tasks(client, celery_worker):
    from tests.support import wait_until

    wait_until(lambda: scrape(client)[("webmail_celery_workers", ())] >= 1, timeout=60, message="the worker's alive mark")
    ages = [value for (name, _), value in scrape(client).items() if name == "webmail_celery_worker_heartbeat_age_seconds"]
    assert ages and min(ages) < 35


@override_settings(WEBMAIL_METRICS_TOKEN=TOKEN, WEBMAIL_METRICS_ALLOWED_NETWORKS=[])
def test_metrics_sees_the_watcher_and_the_people_it_watches(signed_in, mail_user, watcher_process):
    from mailview.services.live.events import clear_present, mark_present
    from tests.support import wait_until

    pk = get_user_model().objects.get(username=mail_user.email).pk
    mark_present(pk)  # as an open event stream does
    try:
        got = wait_until(
            lambda: (s := scrape(signed_in)).get(("webmail_watched_people", (("status", "up"),)), 0) >= 1 and s,
            timeout=60,
            message="the watcher's published stats",
        )
        assert got[("webmail_watcher_replicas", ())] >= 1
        assert got[("webmail_present_people", ())] >= 1
    finally:
        clear_present(pk)


@override_settings(WEBMAIL_METRICS_TOKEN=TOKEN, WEBMAIL_METRICS_ALLOWED_NETWORKS=[])
def test_metrics_counts_open_event_streams(signed_in, mail_user, event_server):
    from django.conf import settings

    from tests.support import EventStreamClient, wait_until

    session = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    with EventStreamClient(event_server.url, session=session) as stream:
        assert stream.status == 200
        got = wait_until(lambda: (s := scrape(signed_in))[("webmail_event_streams", ())] >= 1 and s, timeout=30, message="the stream count")
        assert got[("webmail_present_people", ())] >= 1
