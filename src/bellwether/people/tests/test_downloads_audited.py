"""Downloads and bulk reads of people leave an audit event (who, what, which filters)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bellwether.core.models import AuditEvent
from bellwether.people import services
from bellwether.people.models import ImportJob
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db


def test_the_import_errors_csv_is_escaped_and_audited(client_for, org, members):
    job = services.start_import_job(
        organisation=org,
        actor=members["admin"].user,
        content=b'employee_id,name,"=HYPERLINK(""http://evil.example"")"\nE1,Ann,x\n',
        filename="people.csv",
    )
    assert job.status == ImportJob.Status.MAPPING
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED)
    response = client_for("admin").get(reverse("people:import_job", args=[job.pk]) + "?format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith('1,"\'=HYPERLINK(""http://evil.example"")","Unknown column')
    event = AuditEvent.objects.get(action="import.errors_downloaded")
    assert (event.actor, event.target_id) == (members["admin"].user, str(job.pk))
    assert event.details == {"format": "csv", "filters": {}, "rows": 1}
    assert event.ip_address == "127.0.0.1"


def test_the_people_export_page_is_audited_per_download(client_for, org, members):
    client = client_for("admin")
    client.get(reverse("people:export", args=["csv"]))
    client.get(reverse("people:export", args=["xlsx"]))
    events = AuditEvent.objects.filter(action="people.exported").order_by("id")
    assert [e.details["format"] for e in events] == ["csv", "xlsx"]
    assert {e.actor for e in events} == {members["admin"].user}


def test_a_bulk_api_read_of_people_is_audited_with_its_filters(org, members, unit):
    client = api_client_for(members["admin"])
    response = client.get(
        "/api/v1/people", {"q": "lena", "org_unit": unit.pk, "limit": 5, "active": "all"}
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="people.listed")
    assert event.actor == members["admin"].user
    assert event.organisation == org
    assert event.details == {
        "format": "json",
        "filters": {"q": "lena", "org_unit": unit.pk, "active": "all", "limit": 5, "offset": 0},
        "rows": len(response.json()["items"]),
    }
