"""Liveness, readiness, Prometheus metrics (and who may read them), and JSON logs."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import smtplib
import subprocess
import sys

import pytest
from django.test import Client
from django.utils import timezone

from bellwether.core import health, mail
from bellwether.core.models import ScheduledRun
from bellwether.testing.smtp import free_port

ELSEWHERE = "10.0.0.5"


def metric(text: str, name: str, **labels: str) -> float:
    """The value of the series ``name`` with exactly these labels (in any order)."""
    for line in text.splitlines():
        series, _, value = line.rpartition(" ")
        base, _, rest = series.partition("{")
        found = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if base == name and found == labels:
            return float(value)
    raise AssertionError(f"{name} {labels} not in the metrics")


# --- liveness and readiness ---------------------------------------------------------------


def test_liveness_asks_nothing_of_the_database(db, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.json() == {"status": "ok"}


def test_readiness_checks_the_database_and_the_queue(db, settings, database_queue) -> None:
    settings.REDIS_URL = ""
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "queue": "ok"}}


def test_readiness_fails_when_the_database_does_not_answer(db, monkeypatch) -> None:
    def down() -> None:
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.checks.__globals__, "_database", down)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    assert response.json()["checks"]["database"] == "ConnectionError: connection refused"


def test_readiness_checks_redis_when_it_is_used(db, settings, redis_url) -> None:
    settings.REDIS_URL = redis_url
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    assert Client().get("/readyz").json()["checks"]["redis"] == "ok"
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{free_port()}/0"}}
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("ConnectionError")
    assert response.json()["checks"]["database"] == "ok"


# --- metrics -------------------------------------------------------------------------------


def test_metrics_count_requests_queue_mail_and_scheduled_failures(db, database_queue) -> None:
    from bellwether.core.tests.test_task_backends import double

    client = Client()
    client.get("/healthz")
    double.enqueue(1)
    double.enqueue(2)
    ScheduledRun.objects.create(
        job="surveys.recurring_pulses",
        due_at=timezone.now() - dt.timedelta(hours=1),
        started_at=timezone.now(),
        status="failed",
    )

    class Refusing:
        def send_messages(self, messages):
            raise smtplib.SMTPRecipientsRefused({"a@acme.test": (550, b"no such user")})

    connection = mail.Connection.__new__(mail.Connection)
    connection.backend = Refusing()  # type: ignore[assignment]
    before = client.get("/metrics").content.decode()
    refused_before = metric(before, "bellwether_emails_total", outcome="refused_permanent")
    assert connection.send(mail.message(subject="Hi", to="a@acme.test", text="x")) is not None

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert (
        metric(
            text, "bellwether_http_requests_total", method="GET", view="core:healthz", status="200"
        )
        >= 1
    )
    assert metric(text, "bellwether_job_queue_depth", queue="default") == 2
    assert metric(text, "bellwether_job_queue_oldest_age_seconds", queue="default") >= 0
    assert metric(text, "bellwether_job_queue_failed", queue="default") == 0
    assert metric(text, "bellwether_emails_total", outcome="refused_permanent") == (
        refused_before + 1
    )
    assert (
        metric(text, "bellwether_scheduled_job_failures_24h", job="surveys.recurring_pulses") == 1
    )


def test_metrics_read_the_redis_queue(db, settings, redis_url) -> None:
    import django_rq

    from bellwether.core.tests.test_task_backends import _drop_queue, double

    settings.RQ_QUEUES = {"default": {"URL": redis_url}, "bw-metrics-test": {"URL": redis_url}}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["bw-metrics-test"]}
    }
    try:
        double.using(queue_name="bw-metrics-test").enqueue(1)
        text = Client().get("/metrics").content.decode()
        assert metric(text, "bellwether_job_queue_depth", queue="bw-metrics-test") == 1
        assert django_rq.get_queue("bw-metrics-test").count == 1
    finally:
        _drop_queue("bw-metrics-test")


def test_metrics_are_refused_from_elsewhere_without_the_token(db, settings) -> None:
    settings.BELLWETHER_METRICS_TOKEN = ""
    response = Client(REMOTE_ADDR=ELSEWHERE).get("/metrics")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_metrics_answer_the_token_from_anywhere_and_refuse_a_wrong_one(db, settings) -> None:
    settings.BELLWETHER_METRICS_TOKEN = "s3cret-metrics-token"
    right = Client(REMOTE_ADDR=ELSEWHERE, HTTP_AUTHORIZATION="Bearer s3cret-metrics-token")
    assert right.get("/metrics").status_code == 200
    wrong = Client(REMOTE_ADDR="127.0.0.1", HTTP_AUTHORIZATION="Bearer guessed")
    assert wrong.get("/metrics").status_code == 403


def test_metrics_answer_an_allowed_network(db, settings) -> None:
    settings.BELLWETHER_METRICS_ALLOW = ["10.0.0.0/8"]
    assert Client(REMOTE_ADDR=ELSEWHERE).get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="192.168.1.4").get("/metrics").status_code == 403


# --- settings read from the environment -----------------------------------------------------


def _run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "bellwether.settings",
        **env,
    }
    script = "import django, logging; django.setup(); " + code
    return subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_json_logs_are_one_object_a_line() -> None:
    done = _run_settings(
        {"LOG_FORMAT": "json"},
        "logging.getLogger('bellwether.jobs').warning('job %s late', 7, extra={'job_id': 7})",
    )
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stderr.splitlines() if line.startswith("{")]
    record = json.loads(line)
    assert record["message"] == "job 7 late"
    assert record["level"] == "WARNING"
    assert record["logger"] == "bellwether.jobs"
    assert record["job_id"] == 7
    assert "time" in record


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be text or json"),
        ({"BELLWETHER_METRICS_ALLOW": "10.0.0.0/8,not-a-net"}, "'not-a-net' is not an address"),
    ],
)
def test_bad_operations_settings_are_refused_clearly(env, message) -> None:
    done = _run_settings(env, "pass")
    assert done.returncode != 0
    assert message in done.stderr


def test_the_rq_setting_switches_the_backend() -> None:
    done = _run_settings(
        {"BELLWETHER_TASK_BACKEND": "rq", "REDIS_URL": "redis://cache:6379/2"},
        "from django.conf import settings as s; "
        "print(s.TASKS['default']['BACKEND'], s.RQ_QUEUES['default']['URL'])",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["django_tasks_rq.RQBackend", "redis://cache:6379/2"]
