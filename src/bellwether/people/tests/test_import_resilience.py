"""A person's name goes into mail headers: one with a line break is refused on the way in.
An import job that meets a locked database is retried by the worker, never lost."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django_tasks_db.models import DBTaskResult

from bellwether.accounts.roles import Role
from bellwether.people import services
from bellwether.people.importing import RowError
from bellwether.people.models import ImportJob, Person
from bellwether.testing.factories import make_member
from bellwether.testing.smtp import use_database_queue

HEADER = "employee_id,name,email,org_unit"
REFUSED = "The name holds a line break, a tab or another control character: put it on one line."


@pytest.fixture
def admin(org):
    return make_member(org, Role.ADMIN, email="admin@acme.test").user


@pytest.mark.parametrize("name", ['"Ann\nSmith"', '"Ann\r\nSmith"', "Ann\tSmith", "Ann\x0bSmith"])
def test_a_name_with_a_control_character_is_refused_with_its_line(org, unit, admin, name) -> None:
    content = f"{HEADER}\nE1,Bob Jones,bob@acme.test,HQ\nE2,{name},ann@acme.test,HQ\n".encode()
    result = services.import_people(
        organisation=org, actor=admin, content=content, filename="people.csv"
    )
    assert not result.ok
    assert result.errors == [RowError(3, "name", REFUSED)]
    assert not Person.objects.filter(organisation=org).exists()


def test_an_api_edit_putting_a_line_break_in_a_name_is_refused(org, unit, admin) -> None:
    services.upsert_people_records(
        organisation=org, actor=admin, records=[{"employee_id": "E1", "name": "Ann Smith"}]
    )
    result = services.upsert_people_records(
        organisation=org, actor=admin, records=[{"employee_id": "E1", "name": "Ann\r\nSmith"}]
    )
    assert not result.ok
    assert result.errors == [RowError(1, "name", REFUSED)]
    assert Person.objects.get(organisation=org, employee_id="E1").name == "Ann Smith"


class LockedInserts:
    """Inserts of people fail ``times`` times as a locked SQLite file makes them fail."""

    def __init__(self, times: int) -> None:
        self.times = times
        self.failed = 0

    def __call__(self, execute, sql, params, many, context):
        if self.failed < self.times and "INSERT" in sql and Person._meta.db_table in sql:
            self.failed += 1
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
def test_an_import_that_meets_a_locked_database_is_retried_and_imports_once(
    org, unit, admin, settings
) -> None:
    use_database_queue(settings)
    content = f"{HEADER}\nE1,Ann Smith,ann@acme.test,HQ\nE2,Bob Jones,bob@acme.test,HQ\n".encode()
    job = services.start_import_job(
        organisation=org, actor=admin, content=content, filename="people.csv"
    )
    lock = LockedInserts(times=1)
    with connection.execute_wrapper(lock):
        call_command("worker", "--batch", "--interval", "0", verbosity=0)

    assert lock.failed == 1
    task = DBTaskResult.objects.get()
    assert (task.status, len(task.worker_ids)) == ("SUCCESSFUL", 2)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.summary["created"] == 2
    assert sorted(
        Person.objects.filter(organisation=org).values_list("employee_id", flat=True)
    ) == [
        "E1",
        "E2",
    ]
