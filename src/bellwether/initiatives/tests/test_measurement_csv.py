"""The measurements CSV: impossible dates, offsets past a day, instants out of range,
non-finite values and huge cells are refused by line, with a 400, and nothing is saved."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bellwether.core.errors import DomainError
from bellwether.initiatives import services
from bellwether.initiatives.measurement_csv import parse_instant
from bellwether.initiatives.models import Measurement
from bellwether.initiatives.tests.factories import add_repeat_contact

pytestmark = pytest.mark.django_db

HEADER = b"metric,measured_at,value\n"


@pytest.fixture
def metric(initiative):
    return add_repeat_contact(initiative)


def refused(initiative, content: bytes) -> DomainError:
    with pytest.raises(DomainError) as caught:
        services.import_measurements_csv(initiative=initiative, actor=None, content=content)
    assert not Measurement.objects.exists()
    return caught.value


def test_bad_dates_offsets_and_values_are_listed_by_line_and_nothing_is_saved(initiative, metric):
    content = HEADER + (
        b"Repeat contact,2026-01-05T00:00:00Z,1\n"
        b"Repeat contact,2026-02-30T00:00:00Z,1\n"
        b"Repeat contact,2026-01-05T00:00:00+25:00,1\n"
        b"Repeat contact,9999-12-31T23:59:59-05:00,1\n"
        b"Repeat contact,0001-01-01T00:00:00+05:00,1\n"
        b"Repeat contact,1850-01-01T00:00:00Z,1\n"
        b"Repeat contact,2026-01-06T00:00:00Z,nan\n"
        b"Repeat contact,2026-01-07T00:00:00Z,1e999\n"
        b"Repeat contact,,1\n"
    )
    error = refused(initiative, content)
    assert error.message == "The file has errors; nothing was imported."
    assert error.field_errors == {
        "line 3": [
            "measured_at “2026-02-30T00:00:00Z” is not a real date and time "
            "(day is out of range for month)."
        ],
        "line 4": [
            "measured_at “2026-01-05T00:00:00+25:00” has a time-zone offset beyond ±24 hours; "
            "write it as +HH:MM, for example +01:00."
        ],
        "line 5": ["measured_at “9999-12-31T23:59:59-05:00” is outside the years 1900–2999."],
        "line 6": ["measured_at “0001-01-01T00:00:00+05:00” is outside the years 1900–2999."],
        "line 7": ["measured_at “1850-01-01T00:00:00Z” is outside the years 1900–2999."],
        "line 8": ["value must be a finite number."],
        "line 9": ["value must be a finite number."],
        "line 10": ["measured_at is empty: give a date and time such as 2026-01-05T09:00:00Z."],
    }


def test_a_huge_cell_is_refused_before_any_line_is_read(initiative, metric):
    content = HEADER + b"Repeat contact,2026-01-05T00:00:00Z," + b"9" * 5_000 + b"\n"
    error = refused(initiative, content)
    assert error.message == (
        "Line 2, column C: a value of 5,000 characters; at most 300 are accepted."
    )


def test_a_long_unknown_metric_name_is_shortened_in_the_message(initiative, metric):
    content = HEADER + ("M" * 250 + ",2026-01-05T00:00:00Z,1\n").encode()
    error = refused(initiative, content)
    assert error.field_errors == {"line 2": [f"No metric named “{'M' * 57}…”."]}


def test_an_unterminated_quote_and_a_workbook_are_refused(initiative, metric):
    unterminated = refused(initiative, HEADER + b'"Repeat contact,2026-01-05T00:00:00Z,1\n')
    assert unterminated.message.startswith("Line 2 opens a double quote")
    from bellwether.testing.uploads import workbook

    xlsx = refused(initiative, workbook([["metric", "measured_at", "value"]]))
    assert xlsx.message.startswith("This is an Excel workbook; upload a CSV file (UTF-8)")


def test_only_the_first_lines_with_problems_are_listed(initiative, metric):
    content = HEADER + b"Repeat contact,never,1\n" * 60
    error = refused(initiative, content)
    assert len(error.field_errors) == 51
    assert error.field_errors["more"] == ["…and 10 more lines with problems."]


def test_good_lines_with_offsets_are_stored_in_utc(initiative, metric):
    content = HEADER + b"Repeat contact,2026-01-05T09:00:00+05:30,11.5\n"
    result = services.import_measurements_csv(initiative=initiative, actor=None, content=content)
    assert result.created == 1
    stored = Measurement.objects.get()
    assert stored.measured_at == datetime.datetime(2026, 1, 5, 3, 30, tzinfo=datetime.UTC)


def test_the_page_answers_400_with_the_reasons_and_saves_nothing(client_for, initiative, metric):
    content = HEADER + b"Repeat contact,2026-01-05T00:00:00+25:00,1\n"
    response = client_for("admin").post(
        reverse("initiatives:measurements", args=[initiative.pk]),
        {"file": SimpleUploadedFile("m.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The file has errors; nothing was imported." in html
    assert "has a time-zone offset beyond ±24 hours" in html
    assert not Measurement.objects.exists()


def test_a_file_over_20_mb_is_refused_before_it_is_read(client_for, initiative, metric):
    content = HEADER + b"Repeat contact,2026-01-05T00:00:00Z,1\n" * 600_000
    assert len(content) > 20 * 1024 * 1024
    response = client_for("admin").post(
        reverse("initiatives:measurements", args=[initiative.pk]),
        {"file": SimpleUploadedFile("m.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 400
    assert "The file is larger than 20 MB" in response.content.decode()
    assert not Measurement.objects.exists()


def test_parse_instant_takes_naive_times_as_utc():
    when, problem = parse_instant("2026-01-05T09:00")
    assert (when, problem) == (datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC), "")
