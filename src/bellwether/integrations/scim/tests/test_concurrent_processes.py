"""Duplicate creates at once across real processes: two gunicorn web processes against
one PostgreSQL, as in the deployment (tests/test_deployment_processes.py), each User
sent by several identity-provider clients at the same moment, spread over both
processes. Each User is made once (one person, one live link); every other answer is a
SCIM 409 ``uniqueness`` error, never a 500 and never a second person.

Three kinds of duplicate: the same body (a retry); the same userName under another
externalId and employeeNumber (would be another person, but for the userName); the same
externalId under another userName (the same employee id: the person's row is shared).

PostgreSQL only (``make test`` runs it in its PostgreSQL pass).
"""

from __future__ import annotations

import http.client
import json
import subprocess
from collections.abc import Callable
from typing import Any

import pytest

from bellwether.integrations.scim.models import ScimUser
from bellwether.integrations.scim.tests.conftest import ENTERPRISE, user_body
from bellwether.people.models import Person
from bellwether.testing import processes as processes_
from bellwether.testing.concurrency import at_once
from bellwether.testing.smtp import free_port

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

USERS = 12
COPIES = 4  # clients sending each User at once

Answer = tuple[int, tuple[int, dict[str, Any]]]  # the User's number, then the status and body


def _post(port: int, secret: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request(
        "POST",
        "/scim/v2/Users",
        json.dumps(body),
        {"Authorization": f"Bearer {secret}", "Content-Type": "application/scim+json"},
    )
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data) if data else {}


def _copies(number: int) -> list[dict[str, Any]]:
    """COPIES bodies for User ``number`` that may make only one User and one person."""
    name = f"dup{number:02d}"
    kind = number % 3
    bodies = []
    for copy in range(COPIES):
        if kind == 0:  # the same body, retried
            body = user_body(name, externalId=f"ext-{name}")
        elif kind == 1:  # the same userName (in another case), another employee
            body = user_body(name.upper() if copy % 2 else name, externalId=f"ext-{name}-{copy}")
            body[ENTERPRISE] = {"employeeNumber": f"E-{name}-{copy}"}
        else:  # the same externalId (the employee id), another userName
            body = user_body(f"{name}-{copy}", externalId=f"ext-{name}")
        bodies.append(body)
    return bodies


def test_duplicate_creates_across_two_processes_make_one_person_and_409s(org, scim_token, settings):
    secret = scim_token[1]
    ports = [free_port(), free_port()]
    processes: list[subprocess.Popen[bytes]] = []
    answers: dict[int, list[tuple[int, dict[str, Any]]]] = {n: [] for n in range(USERS)}
    try:
        processes += [
            processes_.start_web(port, processes_.environment(settings)) for port in ports
        ]
        for port in ports:
            processes_.wait_ready(port, processes)
        work = [
            (number, copy, body)
            for number in range(USERS)
            for copy, body in enumerate(_copies(number))
        ]

        def send(number: int, copy: int, body: dict[str, Any]) -> Callable[[], Answer]:
            return lambda: (number, _post(ports[copy % 2], secret, body))

        answered, failures = at_once([send(*item) for item in work])
        for number, answer in answered:
            answers[number].append(answer)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)

    assert failures == []
    for number, got in answers.items():
        statuses = sorted(status for status, _body in got)
        assert statuses == [201] + [409] * (COPIES - 1), (number, got)
        for status, body in got:
            if status == 409:
                assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
                assert (body["status"], body["scimType"]) == ("409", "uniqueness")
                assert body["detail"]
    links = ScimUser.objects.filter(organisation=org, deleted_at__isnull=True)
    assert links.count() == USERS
    people = Person.objects.filter(organisation=org, employee_id__contains="dup")
    assert people.count() == USERS
    assert sorted(links.values_list("person_id", flat=True)) == sorted(
        people.values_list("pk", flat=True)
    )
    # Each person is the one their User's 201 answer describes.
    for got in answers.values():
        ((created,),) = [[body for status, body in got if status == 201]]
        link = links.get(scim_id=created["id"])
        assert link.user_name == created["userName"]
        assert link.person.email == created["emails"][0]["value"]
