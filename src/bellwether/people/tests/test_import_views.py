"""The import pages: who may use them, the upload → mapping → progress → outcome flow."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bellwether.core.models import AuditEvent
from bellwether.people import services
from bellwether.people.models import ImportJob, Person

FILE = b"employee_id,name,org_unit,manager\nN1,Nia New,HQ,L001\nN2,Ned New,HQ,N1\n"
REFUSED_ROLES = ["sponsor", "leader", "coach", "reviewer"]


def upload(client, content=FILE, name="people.csv", **data):
    return client.post(
        reverse("people:import"),
        {
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
            "kind": "people",
            **data,
        },
    )


@pytest.fixture
def acme_job(org, members, unit):
    return services.start_import_job(
        organisation=org, actor=members["admin"].user, content=FILE, filename="people.csv"
    )


def test_the_upload_page_shows_the_form_exports_and_recent_imports(client_for, acme_job):
    response = client_for("admin").get(reverse("people:import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'for="id_file"' in html
    assert reverse("people:export", args=["csv"]) in html
    assert reverse("people:export", args=["xlsx"]) in html
    assert reverse("people:import_job", args=[acme_job.pk]) in html


def test_an_upload_runs_the_import_and_shows_the_counts(
    client_for, org, members, django_capture_on_commit_callbacks
):
    client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)
    job = ImportJob.objects.get(organisation=org)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:import_job", args=[job.pk])
    assert job.created_by == members["admin"].user
    page = client.get(response["Location"]).content.decode()
    assert "Import finished." in page
    assert "hx-trigger" not in page  # finished: polling stops
    assert Person.objects.get(organisation=org, employee_id="N2").manager.employee_id == "N1"


def test_a_running_job_polls_its_progress_every_second(client_for, acme_job):
    ImportJob.objects.filter(pk=acme_job.pk).update(
        status=ImportJob.Status.RUNNING, phase="Checking rows", processed_rows=40, total_rows=100
    )
    response = client_for("admin").get(reverse("people:import_progress", args=[acme_job.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="{reverse("people:import_progress", args=[acme_job.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html
    assert 'value="40"' in html
    assert "Checking rows: 40 of 100 rows" in html


def test_a_failed_job_lists_every_wrong_row_and_offers_them_as_csv(
    client_for, org, django_capture_on_commit_callbacks
):
    client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, b"employee_id,name,email\nE1,Ann,nope\nE1,Bob,\n")
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported." in page
    assert "<td>2</td><td>email</td><td>“nope” is not an email address.</td>" in page
    assert (
        "<td>3</td><td>employee_id</td><td>Employee id E1 is already used on line 2.</td>" in page
    )
    errors = client.get(response["Location"] + "?format=csv")
    assert errors["Content-Type"] == "text/csv; charset=utf-8"
    assert errors.content.decode("utf-8-sig").splitlines() == [
        "line,column,message",
        "2,email,“nope” is not an email address.",
        "3,employee_id,Employee id E1 is already used on line 2.",
    ]
    assert not Person.objects.filter(organisation=org, employee_id="E1").exists()


def test_unknown_columns_are_mapped_on_the_job_page(
    client_for, org, unit, django_capture_on_commit_callbacks
):
    client = client_for("admin")
    response = upload(client, b"Personalnummer,Name,Shoe size\nP1,Pia,40\n")
    job = ImportJob.objects.get(organisation=org)
    assert job.status == ImportJob.Status.MAPPING
    page = client.get(response["Location"]).content.decode()
    assert '<label for="col-0">Personalnummer</label>' in page
    assert '<option value="name" selected>name</option>' in page
    assert "Unknown column “Shoe size”." in page
    with django_capture_on_commit_callbacks(execute=True):
        mapped = client.post(
            response["Location"], {"col-0": "employee_id", "col-1": "name", "col-2": "ignore"}
        )
    assert mapped.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.mapping == {"Personalnummer": "employee_id", "Name": "name", "Shoe size": "ignore"}
    assert Person.objects.get(organisation=org, employee_id="P1").name == "Pia"


def test_an_incomplete_mapping_is_refused_next_to_the_form(client_for, org):
    client = client_for("admin")
    response = upload(client, b"Personalnummer,Name\nP1,Pia\n")
    refused = client.post(response["Location"], {"col-0": "ignore", "col-1": "name"})
    assert refused.status_code == 400
    assert "The file has no employee_id column, which is required." in refused.content.decode()
    assert ImportJob.objects.get(organisation=org).status == ImportJob.Status.MAPPING


def test_a_file_over_the_limit_is_refused_with_a_clear_message(client_for, org, settings):
    settings.BELLWETHER_MAX_IMPORT_BYTES = 1_000_000
    response = upload(client_for("admin"), b"x" * 1_000_001)
    assert response.status_code == 400
    assert "The file is 1.0 MB; the largest accepted is 1 MB." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_export_downloads_csv_and_xlsx(client_for, org, leader_person):
    client = client_for("admin")
    response = client.get(reverse("people:export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="people-acme-')
    assert "L001,Lena Leader" in response.content.decode("utf-8-sig")
    xlsx = client.get(reverse("people:export", args=["xlsx"]))
    assert xlsx.content[:4] == b"PK\x03\x04"
    assert client.get(reverse("people:export", args=["pdf"])).status_code == 404
    assert AuditEvent.objects.filter(organisation=org, action="people.exported").count() == 2


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_other_roles_may_not_upload_and_nothing_changes(client_for, org, role, acme_job):
    client = client_for(role)
    assert client.get(reverse("people:import")).status_code == 403
    assert upload(client).status_code == 403
    assert ImportJob.objects.filter(organisation=org).count() == 1
    assert not Person.objects.filter(employee_id="N1").exists()
    assert (
        AuditEvent.objects.filter(
            action="permission.denied", details__check="people.import_people"
        ).count()
        == 2
    )


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_other_roles_may_not_see_jobs_or_progress(client_for, role, acme_job):
    client = client_for(role)
    assert client.get(reverse("people:import_job", args=[acme_job.pk])).status_code == 403
    assert client.get(reverse("people:import_progress", args=[acme_job.pk])).status_code == 403
    assert (
        client.post(reverse("people:import_job", args=[acme_job.pk]), {"col-0": "name"}).status_code
        == 403
    )


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_other_roles_may_not_export(client_for, role):
    assert client_for(role).get(reverse("people:export", args=["csv"])).status_code == 403


def test_an_admin_of_another_organisation_gets_404_for_an_acme_job(client_for, acme_job):
    client = client_for("outsider")
    assert client.get(reverse("people:import_job", args=[acme_job.pk])).status_code == 404
    assert client.get(reverse("people:import_progress", args=[acme_job.pk])).status_code == 404
    assert (
        client.get(reverse("people:import_job", args=[acme_job.pk]) + "?format=csv").status_code
        == 404
    )
    acme_job.refresh_from_db()
    assert acme_job.status == ImportJob.Status.PENDING
    assert (
        AuditEvent.objects.filter(action="permission.denied", details__refused_as="404").count()
        == 3
    )


def test_an_outsiders_export_holds_only_their_own_people(client_for, leader_person):
    response = client_for("outsider").get(reverse("people:export", args=["csv"]))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines() == [
        "employee_id,name,email,title,org_unit,manager,leader_level,location,start_date,active"
    ]


def test_signed_out_visitors_are_sent_to_sign_in(db):
    from django.test import Client

    response = Client().get(reverse("people:import"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_upload_page_uses_few_queries(client_for, org, members, django_assert_max_num_queries):
    for i in range(15):
        services.start_import_job(
            organisation=org, actor=members["admin"].user, content=FILE, filename=f"p{i}.csv"
        )
    client = client_for("admin")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("people:import"))
    assert response.content.decode().count('<span class="badge status-pending">') == 10
