"""The deployment of docker-compose.yml, started as plain processes: two gunicorn web
processes and two ``bellwether worker`` processes against one PostgreSQL (the CI machine
may not build images). 500 pulse submissions arrive at once, spread over both web
processes as the proxy would; 2,000 queued invitation mails (twenty campaigns' mail jobs) are taken by both
workers at once and delivered to a local SMTP sink. Nothing is lost and nothing is done twice.

PostgreSQL only (``make test`` runs it in its PostgreSQL pass).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import logging
import subprocess
import threading
import time
from collections import Counter

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bellwether.core.models import Organisation
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys import services
from bellwether.surveys.models import Ballot, Completion, Invitation
from bellwether.testing import processes as processes_
from bellwether.testing.smtp import MailServer, free_port

SUBMISSIONS = 500
MAILS = 2_000
MAIL_JOBS = 20
BODY = json.dumps({"answers": {"confidence": 4, "clarity": 5}}).encode()

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _submit(port: int, token: str) -> int:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
        conn.request(
            "POST",
            f"/api/v1/surveys/respond/{token}",
            body=BODY,
            headers={"Content-Type": "application/json"},
        )
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return 0


def _people(org: Organisation, unit: OrgUnit, prefix: str, count: int) -> list[int]:
    people = Person.objects.bulk_create(
        Person(
            organisation=org,
            employee_id=f"{prefix}{i:05d}",
            name=f"Person {prefix}{i}",
            email=f"{prefix}{i}@acme.test",
            org_unit=unit,
            start_date=dt.date(2020, 1, 1),
        )
        for i in range(count)
    )
    return [p.pk for p in people]


def test_two_web_processes_and_two_workers_lose_and_repeat_nothing(settings) -> None:
    org = Organisation.objects.create(name="Acme", slug="acme-scale")
    unit = OrgUnit.objects.create(organisation=org, code="ROOT", name="Root")
    version = services.install_ready_pulses(organisation=org)[0]
    now = timezone.now()
    window = {"opens_at": now - dt.timedelta(hours=1), "closes_at": now + dt.timedelta(days=7)}
    pulse = services.launch_campaign(
        organisation=org, actor=None, version=version, name="Answered", send_email=False,
        audience={"person_ids": _people(org, unit, "r", SUBMISSIONS)}, **window,
    )  # fmt: skip
    tokens = [services.invitation_token(i) for i in pulse.invitations.order_by("pk")]
    # 2,000 mails queued as the product queues them: launching a campaign writes its
    # mail job to the database queue; twenty campaigns of 100 invitees, for two workers.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mailed = [
        services.launch_campaign(
            organisation=org,
            actor=None,
            version=version,
            name=f"Mailed {n}",
            audience={"person_ids": _people(org, unit, f"m{n}-", MAILS // MAIL_JOBS)},
            **window,
        )
        for n in range(MAIL_JOBS)
    ]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == MAIL_JOBS
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line-by-line log

    sink = MailServer().start()
    # What compose adds for this deployment: the database queue and the mail server.
    env = processes_.environment(
        settings,
        BELLWETHER_TASK_BACKEND="database",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        BELLWETHER_JOB_BACKOFF_SECONDS="1",
    )
    ports = [free_port(), free_port()]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes += [processes_.start_web(port, env, "--backlog", "1024") for port in ports]
        for port in ports:
            processes_.wait_ready(port, processes)
        workers = [processes_.start_worker(env) for _ in range(2)]
        processes += workers

        # 500 submissions at once, alternating between the two web processes.
        statuses: list[int] = [0] * SUBMISSIONS
        barrier = threading.Barrier(SUBMISSIONS)

        def submit(index: int) -> None:
            barrier.wait()
            statuses[index] = _submit(ports[index % 2], tokens[index])

        started = time.perf_counter()
        threads = [threading.Thread(target=submit, args=(i,)) for i in range(SUBMISSIONS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"{SUBMISSIONS} submissions answered in {time.perf_counter() - started:.1f} s")
        for worker in workers:
            assert worker.wait(timeout=600) == 0
        print(f"{MAILS} mails sent in {time.perf_counter() - started:.1f} s")
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            process.wait(timeout=30)
        sink.stop()

    # Every submission accepted once, stored once.
    assert Counter(statuses) == {201: SUBMISSIONS}
    assert Completion.objects.filter(campaign=pulse).count() == SUBMISSIONS
    assert Ballot.objects.filter(campaign=pulse).count() == SUBMISSIONS
    # Every mail job done, every invitee mailed exactly once, by both workers.
    rows = DBTaskResult.objects.all()
    assert set(rows.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert len({w for row in rows for w in row.worker_ids}) == 2
    counts = sink.counts()
    assert len(counts) == MAILS
    assert set(counts.values()) == {1}
    assert Invitation.objects.filter(campaign__in=mailed, invited_at__isnull=False).count() == MAILS
