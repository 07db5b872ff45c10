"""Hostile HR uploads are refused early and import nothing; uploaded files do not outlive
their import (retention, ``bellwether purge-uploads``)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.roles import Role
from bellwether.core.models import AuditEvent
from bellwether.core.uploads import MB
from bellwether.people import retention, services
from bellwether.people.models import ImportJob, Person
from bellwether.testing import uploads as craft
from bellwether.testing.factories import make_member

FILE = b"employee_id,name\nE1,Ann\nE2,Bob\n"


@pytest.fixture
def admin(org):
    return make_member(org, Role.ADMIN, email="admin@acme.test").user


def start(org, admin, content=FILE, filename="people.csv", **kwargs):
    return services.start_import_job(
        organisation=org, actor=admin, content=content, filename=filename, **kwargs
    )


# --- refused at upload, in the web request ----------------------------------------------------


def test_a_zip_bomb_is_refused_at_upload_before_it_unpacks_and_not_kept(
    org, admin, django_capture_on_commit_callbacks
):
    bomb = craft.bomb(20 * MB)
    with craft.unpacking() as unpacked, django_capture_on_commit_callbacks(execute=True) as queued:
        job = start(org, admin, bomb, "people.xlsx")
    assert unpacked.inflated == 0  # refused from the zip's directory: not a byte unpacked
    assert queued == []
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["message"].startswith(
        "This workbook is refused before it is opened: its part xl/worksheets/sheet1.xml"
    )
    assert bytes(job.content) == b""
    assert not Person.objects.filter(organisation=org).exists()


def test_a_100000_column_header_is_refused_and_the_page_stays_small(client_for, org):
    header = ",".join(f"col{n}" for n in range(100_000)).encode()
    client = client_for("admin")
    people = Person.objects.filter(organisation=org).count()
    response = client.post(
        reverse("people:import"),
        {"file": SimpleUploadedFile("people.csv", header + b"\nx\n"), "kind": "people"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert len(page.content) < 50_000
    assert (
        "The header has 100,000 columns; at most 500 are accepted. "
        "Remove the columns Bellwether does not use."
    ) in html
    assert ImportJob.objects.get(organisation=org).status == ImportJob.Status.FAILED
    assert Person.objects.filter(organisation=org).count() == people


# --- refused by the worker, with the line -------------------------------------------------------


def test_an_unterminated_quote_fails_the_job_with_its_line_and_imports_nothing(
    org, admin, django_capture_on_commit_callbacks
):
    content = b'employee_id,name\nE1,Ann\nE2,"Bob\nE3,Cy\n'
    with django_capture_on_commit_callbacks(execute=True):
        job = start(org, admin, content)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        {
            "line": 3,
            "column": "",
            "message": 'Line 3 opens a double quote (") that is never closed, so the rest of the '
            "file would be read as one value. Close the quote, or write a quote that belongs "
            'to the text as two ("").',
        }
    ]
    assert not Person.objects.filter(organisation=org).exists()
    assert bytes(job.content) == b""


def test_a_sheet_past_the_row_cap_is_refused_by_the_import(org, admin, settings):
    settings.BELLWETHER_UPLOAD_MAX_ROWS = 3
    content = craft.workbook([["employee_id", "name"], *([f"E{n}", "P"] for n in range(4))])
    result = services.import_people(
        organisation=org, actor=admin, content=content, filename="people.xlsx"
    )
    assert not result.ok
    assert [e.message for e in result.errors] == [
        "The file has more than 3 rows; at most 3 are accepted in one file. "
        "Split it into several files."
    ]
    assert not Person.objects.filter(organisation=org).exists()


# --- retention ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (FILE, ImportJob.Status.SUCCEEDED),
        (b"employee_id,name\nE1,\n", ImportJob.Status.FAILED),
    ],
)
def test_the_file_is_deleted_when_its_import_finishes(
    org, admin, django_capture_on_commit_callbacks, content, status
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(org, admin, content)
    job.refresh_from_db()
    assert job.status == status
    assert bytes(job.content) == b""
    assert job.filename == "people.csv"  # the record of the import stays


def test_a_file_waits_for_its_mapping_and_is_deleted_after_the_import(
    org, admin, django_capture_on_commit_callbacks
):
    job = start(org, admin, b"Personalnummer,Name\nE1,Ann\n")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING
    assert bytes(job.content) != b""
    with django_capture_on_commit_callbacks(execute=True):
        services.set_import_job_mapping(
            job=job, actor=admin, mapping={"Personalnummer": "employee_id"}
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert bytes(job.content) == b""


def test_with_a_retention_the_file_is_kept_until_purged(
    org, admin, settings, django_capture_on_commit_callbacks
):
    settings.BELLWETHER_UPLOAD_RETENTION_HOURS = 24
    with django_capture_on_commit_callbacks(execute=True):
        job = start(org, admin)
    job.refresh_from_db()
    assert bytes(job.content) == FILE
    assert retention.purge_uploads(now=job.finished_at + dt.timedelta(hours=23)) == 0
    job.refresh_from_db()
    assert bytes(job.content) == FILE
    assert retention.purge_uploads(now=job.finished_at + dt.timedelta(hours=25)) == 1
    job.refresh_from_db()
    assert bytes(job.content) == b""
    assert job.status == ImportJob.Status.SUCCEEDED
    event = AuditEvent.objects.get(action="import.uploads_deleted")
    assert (event.organisation, event.actor_label) == (org, "upload retention")
    assert event.details == {"jobs": [job.pk], "count": 1, "retention_hours": 24.0}
    # Twice is harmless.
    assert retention.purge_uploads(now=job.finished_at + dt.timedelta(hours=26)) == 0
    assert AuditEvent.objects.filter(action="import.uploads_deleted").count() == 1


def test_a_job_abandoned_at_the_mapping_step_is_closed_and_its_file_deleted(org, admin):
    job = start(org, admin, b"Personalnummer,Name\nE1,Ann\n")
    assert retention.purge_uploads(now=timezone.now() + dt.timedelta(days=6)) == 0
    assert retention.purge_uploads(now=timezone.now() + dt.timedelta(days=8)) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert bytes(job.content) == b""
    assert job.errors[0]["message"].startswith("Nobody chose the column mapping within 7 days")
    with pytest.raises(services.DomainError, match="no longer waiting for a column mapping"):
        services.set_import_job_mapping(
            job=job, actor=admin, mapping={"Personalnummer": "employee_id"}
        )


def test_pending_and_running_jobs_keep_their_files(org, admin, other_org):
    pending = start(org, admin)
    running = start(other_org, None)
    ImportJob.objects.filter(pk=running.pk).update(status=ImportJob.Status.RUNNING)
    assert retention.purge_uploads(now=timezone.now() + dt.timedelta(days=30)) == 0
    assert bytes(ImportJob.objects.get(pk=pending.pk).content) == FILE
    assert bytes(ImportJob.objects.get(pk=running.pk).content) == FILE


def test_the_purge_command_deletes_expired_files_and_says_how_many(org, admin, settings):
    settings.BELLWETHER_UPLOAD_RETENTION_HOURS = 1
    kept = start(org, admin)
    ImportJob.objects.filter(pk=kept.pk).update(
        status=ImportJob.Status.SUCCEEDED, finished_at=timezone.now() - dt.timedelta(minutes=30)
    )
    expired = start(org, admin)
    ImportJob.objects.filter(pk=expired.pk).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now() - dt.timedelta(hours=2)
    )
    out = StringIO()
    call_command("purge_uploads", stdout=out)
    assert out.getvalue() == (
        "Deleted 1 uploaded file (retention: 1 hour after the import finished).\n"
    )
    assert bytes(ImportJob.objects.get(pk=expired.pk).content) == b""
    assert bytes(ImportJob.objects.get(pk=kept.pk).content) == FILE


def test_a_finishing_import_also_deletes_other_expired_files(
    org, admin, settings, django_capture_on_commit_callbacks
):
    settings.BELLWETHER_UPLOAD_RETENTION_HOURS = 1
    old = start(org, admin)
    ImportJob.objects.filter(pk=old.pk).update(
        status=ImportJob.Status.SUCCEEDED, finished_at=timezone.now() - dt.timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        new = start(org, admin)
    assert bytes(ImportJob.objects.get(pk=old.pk).content) == b""
    assert bytes(ImportJob.objects.get(pk=new.pk).content) == FILE
