"""Start dates as HR exports write them: ISO, day first, month first, Excel serials; the
order is worked out from the file or chosen, and the result says which was applied."""

from __future__ import annotations

from datetime import date

import pytest

from bellwether.people.importing import dates
from bellwether.people.tests.test_importing import HEADER, check


def _plan(body: str, date_format: str = "auto"):
    from bellwether.people import importing

    table = importing.read_table((HEADER + "\n" + body).encode(), "people.csv")
    columns, errors = importing.resolve_columns(table.header, "people", None)
    assert errors == []
    return importing.plan_people(
        columns=columns, rows=table.rows, existing={}, unit_ids={}, date_format=date_format
    )


def test_day_first_dates_are_read_when_the_file_settles_the_order():
    plan = _plan("E1,Ann,,,,,,,31/01/2020,\nE2,Bob,,,,,,,03/04/2021,\n")
    assert plan.errors == []
    assert [v.start_date for _e, v in plan.create] == [date(2020, 1, 31), date(2021, 4, 3)]
    assert plan.date_format == dates.DAY_FIRST


def test_month_first_dates_are_read_when_the_file_settles_the_order():
    plan = _plan("E1,Ann,,,,,,,01/31/2020,\nE2,Bob,,,,,,,03/04/2021,\n")
    assert plan.errors == []
    assert [v.start_date for _e, v in plan.create] == [date(2020, 1, 31), date(2021, 3, 4)]
    assert plan.date_format == dates.MONTH_FIRST


def test_an_ambiguous_file_is_refused_with_a_question_until_the_order_is_chosen():
    body = "E1,Ann,,,,,,,03/04/2021,\n"
    plan = _plan(body)
    assert plan.create == []
    assert len(plan.errors) == 1
    assert "“03/04/2021” could be read day first or month first" in plan.errors[0].message
    assert "DD/MM/YYYY or MM/DD/YYYY" in plan.errors[0].message
    chosen = _plan(body, dates.MONTH_FIRST)
    assert chosen.errors == []
    assert chosen.create[0][1].start_date == date(2021, 3, 4)
    assert _plan(body, dates.DAY_FIRST).create[0][1].start_date == date(2021, 4, 3)


def test_a_file_mixing_both_orders_is_refused():
    plan = _plan("E1,Ann,,,,,,,31/01/2020,\nE2,Bob,,,,,,,01/31/2020,\n")
    assert plan.create == []
    assert "mix day-first and month-first" in plan.errors[0].message


def test_excel_serial_dates_and_iso_dates_are_read_in_any_order():
    plan = _plan("E1,Ann,,,,,,,45382,\nE2,Bob,,,,,,,45382.0,\nE3,Cy,,,,,,,2024-03-31,\n")
    assert plan.errors == []
    assert {v.start_date for _e, v in plan.create} == {date(2024, 3, 31)}
    assert plan.date_format == dates.ISO


@pytest.mark.parametrize("text", ["12", "99999999", "31.13.2020", "2020/01/31"])
def test_what_is_not_a_date_stays_refused(text):
    errors, _plan = check(HEADER + f"\nE1,Ann,,,,,,,{text},\n")
    assert [e.column for e in errors] == ["start_date"]


def test_a_file_without_start_dates_says_nothing_about_dates():
    assert _plan("E1,Ann,,,,,,,,\n").date_format == ""


# --- the pages --------------------------------------------------------------------------------

DMY_FILE = b"employee_id,name,start_date\nD1,Dee Day,31/01/2020\nD2,Dan Day,03/04/2021\n"
AMBIGUOUS_FILE = b"employee_id,name,start_date\nD1,Dee Day,03/04/2021\n"


@pytest.mark.django_db
def test_a_day_first_file_imports_and_the_result_says_the_order_applied(
    client_for, org, members, django_capture_on_commit_callbacks
):
    from bellwether.people.models import Person
    from bellwether.people.tests.test_import_views import upload

    client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, DMY_FILE, dry_run="on")
    page = client.get(response["Location"]).content.decode()
    assert "Start dates were read as DD/MM/YYYY (day first)." in page
    assert not Person.objects.filter(organisation=org, employee_id="D1").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, DMY_FILE)
    assert "Start dates were read as DD/MM/YYYY" in client.get(response["Location"]).text
    assert Person.objects.get(organisation=org, employee_id="D2").start_date == date(2021, 4, 3)


@pytest.mark.django_db
def test_an_ambiguous_file_asks_for_the_order_and_the_chosen_order_is_applied(
    client_for, org, members, django_capture_on_commit_callbacks
):
    from bellwether.people.models import Person
    from bellwether.people.tests.test_import_views import upload

    client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, AMBIGUOUS_FILE)
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported." in page
    assert "could be read day first or month first" in page
    assert not Person.objects.filter(organisation=org, employee_id="D1").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, AMBIGUOUS_FILE, date_format="mdy")
    assert "Start dates were read as MM/DD/YYYY" in client.get(response["Location"]).text
    assert Person.objects.get(organisation=org, employee_id="D1").start_date == date(2021, 3, 4)


@pytest.mark.django_db
def test_an_unknown_date_order_is_refused_on_the_form(client_for, org, members):
    from bellwether.people.models import ImportJob
    from bellwether.people.tests.test_import_views import upload

    response = upload(client_for("admin"), DMY_FILE, date_format="ymd")
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not ImportJob.objects.filter(organisation=org).exists()


@pytest.mark.django_db
def test_the_mapping_page_offers_the_date_order(client_for, org, members):
    from django.urls import reverse

    from bellwether.people import services

    job = services.start_import_job(
        organisation=org,
        actor=members["admin"].user,
        content=b"Staff no,Full name,Joined\nD1,Dee,03/04/2021\n",
        filename="people.csv",
    )
    html = client_for("admin").get(reverse("people:import_job", args=[job.pk])).text
    assert 'name="date_format"' in html
    assert "MM/DD/YYYY (month first)" in html
