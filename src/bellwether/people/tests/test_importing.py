"""The pure reader and checker of HRIS files: every kind of mistake, with its line and reason."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from bellwether.core import exports
from bellwether.people import importing
from bellwether.people.importing import (
    ExistingPerson,
    ExistingUnit,
    PersonValues,
    RowError,
)

HEADER = "employee_id,name,email,title,org_unit,manager,leader_level,location,start_date,active"


def check(text: str | bytes, *, existing=None, units=None, filename="people.csv", mapping=None):
    content = text.encode() if isinstance(text, str) else text
    table = importing.read_table(content, filename)
    if not table.header:
        return table.errors, None
    columns, errors = importing.resolve_columns(table.header, "people", mapping)
    if errors:
        return table.errors + errors, None
    plan = importing.plan_people(
        columns=columns,
        rows=table.rows,
        existing=existing or {},
        unit_ids=units if units is not None else {"HQ": 1, "OPS": 2},
    )
    return table.errors + plan.errors, plan


def values(**overrides: Any) -> PersonValues:
    base: dict[str, Any] = {
        "name": "Ann",
        "email": "",
        "title": "",
        "org_unit_id": None,
        "manager": None,
        "leader_level": "",
        "location": "",
        "start_date": None,
        "active": True,
    }
    base.update(overrides)
    return PersonValues(**base)


def test_it_reads_a_valid_file_into_new_people():
    errors, plan = check(
        HEADER + "\n"
        "E1,Ann Smith,ann@acme.test,CEO,HQ,,Executive,London,2020-01-31,yes\n"
        "E2,Bob Jones,bob@acme.test,Lead,OPS,E1,operational,Leeds,,\n"
    )
    assert errors == []
    assert plan.create == [
        (
            "E1",
            values(
                name="Ann Smith",
                email="ann@acme.test",
                title="CEO",
                org_unit_id=1,
                leader_level="executive",
                location="London",
                start_date=date(2020, 1, 31),
            ),
        ),
        (
            "E2",
            values(
                name="Bob Jones",
                email="bob@acme.test",
                title="Lead",
                org_unit_id=2,
                manager="E1",
                leader_level="operational",
                location="Leeds",
            ),
        ),
    ]


def test_it_accepts_common_hris_header_spellings():
    table = importing.read_table(
        b"Employee Number,Full Name,Work Email,Job Title,Department Code,Manager ID,Level,Office,Hire Date,Status\n",
        "hris.csv",
    )
    columns, errors = importing.resolve_columns(table.header, "people")
    assert errors == []
    assert columns == {field: index for index, field in enumerate(importing.PEOPLE_FIELDS)}


def test_an_explicit_mapping_names_columns_the_defaults_do_not_know():
    errors, plan = check(
        "Personalnummer,Nom,Kostenstelle\nE1,Ann,x\n",
        mapping={"Personalnummer": "employee_id", "Nom": "name", "Kostenstelle": "ignore"},
    )
    assert errors == []
    assert [eid for eid, _values in plan.create] == ["E1"]


def test_it_refuses_a_file_with_a_missing_employee_id():
    errors, _plan = check(HEADER + "\nE1,Ann,,,,,,,,\n,Bob,,,,,,,,\n")
    assert errors == [RowError(3, "employee_id", "The employee id is missing.")]


def test_it_refuses_a_file_with_a_duplicate_id():
    errors, _plan = check(HEADER + "\nE1,Ann,,,,,,,,\nE2,Bob,,,,,,,,\nE1,Cy,,,,,,,,\n")
    assert errors == [RowError(4, "employee_id", "Employee id E1 is already used on line 2.")]


def test_it_refuses_a_missing_name():
    errors, _plan = check(HEADER + "\nE1,,,,,,,,,\n")
    assert errors == [RowError(2, "name", "The name is missing.")]


def test_it_refuses_a_malformed_email():
    errors, _plan = check(HEADER + "\nE1,Ann,ann@@acme,,,,,,,\n")
    assert errors == [RowError(2, "email", "“ann@@acme” is not an email address.")]


def test_it_refuses_an_unknown_manager():
    errors, _plan = check(HEADER + "\nE1,Ann,,,,E404,,,,\n")
    assert errors == [
        RowError(
            2,
            "manager",
            "Unknown manager “E404”: nobody in the file or in Bellwether has this employee id.",
        )
    ]


def test_a_manager_already_in_the_database_is_known():
    existing = {"M1": ExistingPerson(id=7, values=values(name="Boss"))}
    errors, plan = check(HEADER + "\nE1,Ann,,,,M1,,,,\n", existing=existing)
    assert errors == []
    assert plan.create[0][1].manager == "M1"


def test_it_refuses_an_unknown_unit():
    errors, _plan = check(HEADER + "\nE1,Ann,,,NOPE,,,,,\n")
    assert errors == [
        RowError(
            2,
            "org_unit",
            "Unknown org unit “NOPE”: import it with the units file first, or fix the code.",
        )
    ]


def test_it_refuses_a_manager_cycle_within_the_file():
    errors, _plan = check(HEADER + "\nE1,Ann,,,,E3,,,,\nE2,Bob,,,,E1,,,,\nE3,Cy,,,,E2,,,,\n")
    message = "Manager chain loops back on itself: E1 → E3 → E2 → E1."
    assert errors == [
        RowError(2, "manager", message),
        RowError(3, "manager", message),
        RowError(4, "manager", message),
    ]


def test_it_refuses_a_cycle_through_people_already_stored():
    # Stored: M1 reports to E1. The file makes E1 report to M1.
    existing = {
        "M1": ExistingPerson(id=1, values=values(name="Boss", manager="E1")),
        "E1": ExistingPerson(id=2, values=values(name="Ann")),
    }
    errors, _plan = check(HEADER + "\nE1,Ann,,,,M1,,,,\n", existing=existing)
    assert errors == [RowError(2, "manager", "Manager chain loops back on itself: E1 → M1 → E1.")]


def test_it_refuses_someone_managing_themselves():
    errors, _plan = check(HEADER + "\nE1,Ann,,,,E1,,,,\n")
    assert errors == [RowError(2, "manager", "A person cannot be their own manager.")]


def test_it_refuses_an_unknown_leader_level_and_lists_the_allowed_ones():
    errors, _plan = check(HEADER + "\nE1,Ann,,,,,Boss,,,\n")
    assert errors == [
        RowError(
            2,
            "leader_level",
            "Unknown leader level “boss”. Use one of: executive, senior, operational, or leave it empty.",
        )
    ]


def test_leader_levels_are_read_case_insensitively():
    errors, plan = check(HEADER + "\nE1,Ann,,,,,SENIOR,,,\nE2,Bob,,,,,,,,\n")
    assert errors == []
    assert [v.leader_level for _eid, v in plan.create] == ["senior", ""]


def test_it_refuses_a_bad_date_and_says_which_formats_are_read():
    errors, _plan = check(HEADER + "\nE1,Ann,,,,,,,2020-02-31,\n")
    assert errors == [
        RowError(
            2,
            "start_date",
            "“2020-02-31” is not a date in this file's order, YYYY-MM-DD (ISO). Write dates "
            "as YYYY-MM-DD (for example 2024-03-31), DD/MM/YYYY or MM/DD/YYYY, one order "
            "for the whole file.",
        )
    ]


def test_it_refuses_a_file_that_is_not_utf8():
    errors, _plan = check(("employee_id,name\nE1,Ann\nE2,Zoë\n").encode("latin-1"))
    assert errors == [
        RowError(
            3,
            "",
            "The file is not UTF-8 (unreadable byte on line 3). In Excel choose File › Save As › "
            "“CSV UTF-8 (Comma delimited)” and upload it again.",
        )
    ]


def test_it_reads_utf8_with_a_byte_order_mark():
    errors, plan = check("\ufeffemployee_id,name\nE1,Zoë\n".encode())
    assert errors == []
    assert plan.create[0][1].name == "Zoë"


def test_it_refuses_an_empty_file():
    assert check(b"")[0] == [RowError(0, "", "The file is empty.")]
    assert check(b"\n \n")[0] == [RowError(0, "", "The file is empty.")]


def test_it_refuses_unknown_columns_and_a_missing_required_column():
    errors, _plan = check("employee_id,Shoe size\nE1,42\n")
    assert errors == [
        RowError(
            1,
            "Shoe size",
            "Unknown column “Shoe size”. Map it to one of: employee_id, name, email, title, "
            "org_unit, manager, leader_level, location, start_date, active, or to ignore.",
        ),
        RowError(1, "name", "The file has no name column, which is required."),
    ]


def test_it_refuses_two_columns_for_the_same_field():
    errors, _plan = check("employee_id,name,Employee Number\nE1,Ann,E1\n")
    assert errors == [
        RowError(
            1,
            "Employee Number",
            "Columns “employee_id” and “Employee Number” both hold employee_id; keep one or map the other to ignore.",
        )
    ]


def test_it_refuses_a_row_with_more_cells_than_the_header():
    errors, _plan = check("employee_id,name\nE1,Ann\nE2,Smith, Bob\n")
    assert errors == [
        RowError(
            3,
            "",
            "This row has 3 cells but the header has 2 columns (a value may contain an unquoted comma).",
        )
    ]


def test_it_reports_every_bad_row_at_once():
    errors, _plan = check(HEADER + "\nE1,Ann,bad,,,,,,,\nE2,Bob,,,,,,,never,\nE3,Cy,,,,,,,,maybe\n")
    assert [(e.line, e.column) for e in errors] == [(2, "email"), (3, "start_date"), (4, "active")]


def test_line_numbers_count_blank_rows_like_a_spreadsheet():
    errors, _plan = check("employee_id,name\n\nE1,Ann\n,Bob\n")
    assert errors == [RowError(4, "employee_id", "The employee id is missing.")]


def test_semicolon_separated_files_are_read():
    errors, plan = check("employee_id;name;email\nE1;Ann;ann@acme.test\n")
    assert errors == []
    assert plan.create[0][1].email == "ann@acme.test"


def test_an_old_xls_file_is_refused_with_advice():
    errors, _plan = check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", filename="people.xls")
    assert errors == [
        RowError(
            0,
            "",
            "This is an old Excel (.xls) file. Save it as Excel Workbook (.xlsx) or CSV UTF-8.",
        )
    ]


def test_a_damaged_xlsx_is_refused():
    errors, _plan = check(b"PK\x03\x04not really a zip", filename="people.xlsx")
    assert len(errors) == 1
    assert errors[0].line == 0
    assert errors[0].message.startswith("The file could not be read as an Excel workbook (.xlsx)")


def test_it_reads_xlsx_with_numeric_ids_and_date_cells():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Employee ID", "Name", "Hire Date"])
    sheet.append([1042, "Ann", date(2021, 5, 4)])
    out = io.BytesIO()
    workbook.save(out)
    errors, plan = check(out.getvalue(), filename="people.xlsx")
    assert errors == []
    assert plan.create == [("1042", values(name="Ann", start_date=date(2021, 5, 4)))]


def test_unchanged_rows_are_not_updated_and_changed_rows_are():
    existing = {
        "E1": ExistingPerson(id=1, values=values(name="Ann")),
        "E2": ExistingPerson(id=2, values=values(name="Bob")),
    }
    errors, plan = check("employee_id,name\nE1,Ann\nE2,Robert\n", existing=existing)
    assert errors == []
    assert plan.unchanged == 1
    assert plan.update == [(2, "E2", values(name="Robert"))]
    assert plan.create == []


def test_columns_absent_from_the_file_keep_their_stored_values():
    stored = values(name="Ann", title="CEO", location="Paris", leader_level="executive")
    existing = {"E1": ExistingPerson(id=1, values=stored)}
    errors, plan = check("employee_id,name\nE1,Ann\n", existing=existing)
    assert errors == []
    assert plan.unchanged == 1


def test_people_absent_from_a_full_import_are_deactivated_when_asked():
    existing = {
        "E1": ExistingPerson(id=1, values=values(name="Ann")),
        "E2": ExistingPerson(id=2, values=values(name="Bob")),
        "E3": ExistingPerson(id=3, values=values(name="Cy", active=False)),
    }
    table = importing.read_table(b"employee_id,name\nE1,Ann\n", "p.csv")
    columns, _ = importing.resolve_columns(table.header, "people")
    plan = importing.plan_people(
        columns=columns, rows=table.rows, existing=existing, unit_ids={}, deactivate_absent=True
    )
    assert plan.deactivate == [2]


def test_export_escaping_of_formulas_round_trips():
    assert exports.escape("=SUM(A1)") == "'=SUM(A1)"
    assert importing.unescape("'=SUM(A1)") == "=SUM(A1)"
    assert importing.unescape("'quoted") == "'quoted"


def test_api_records_become_rows_with_unknown_fields_refused():
    columns, rows, errors = importing.rows_from_records(
        [{"employee_id": "E1", "name": "Ann", "active": False}, {"employee_id": "E2", "shoe": 9}],
        "people",
    )
    assert errors == [
        RowError(
            2,
            "shoe",
            "Unknown field. Use one of: employee_id, name, email, title, org_unit, manager, "
            "leader_level, location, start_date, active.",
        )
    ]
    assert rows[0] == (1, ["E1", "Ann", None, None, None, None, None, None, None, "false"])
    assert columns["active"] == 9


# --- org units ------------------------------------------------------------------


def check_units(text: str, existing=None):
    table = importing.read_table(text.encode(), "units.csv")
    columns, errors = importing.resolve_columns(table.header, "org_units")
    assert errors == []
    return importing.plan_units(columns=columns, rows=table.rows, existing=existing or {})


def test_units_duplicate_code_and_unknown_parent_are_refused():
    plan = check_units("code,name,parent_code\nA,Alpha,\nA,Again,\nB,Beta,ZZ\n")
    assert plan.errors == [
        RowError(3, "code", "Unit code A is already used on line 2."),
        RowError(
            4,
            "parent_code",
            "Unknown parent unit “ZZ”: it is neither in the file nor in Bellwether.",
        ),
    ]


def test_units_parent_cycle_is_refused():
    plan = check_units("code,name,parent_code\nA,Alpha,B\nB,Beta,A\n")
    message = "Parent chain loops back on itself: A → B → A."
    assert plan.errors == [RowError(2, "parent_code", message), RowError(3, "parent_code", message)]


def test_unit_parent_may_be_stored_already_and_paths_follow_the_tree():
    existing = {"ROOT": ExistingUnit(id=1, name="Root", parent_code=None)}
    plan = check_units("code,name,parent_code\nA,Alpha,ROOT\nB,Beta,A\n", existing=existing)
    assert plan.errors == []
    assert plan.create == [("A", "Alpha"), ("B", "Beta")]
    paths = importing.unit_paths(plan.parents, {"ROOT": 1, "A": 5, "B": 9})
    assert paths == {"ROOT": ("/1/", 0), "A": ("/1/5/", 1), "B": ("/1/5/9/", 2)}


# --- never an exception -----------------------------------------------------------------

VALID = (
    HEADER + "\n"
    "E1,Ann,ann@acme.test,CEO,HQ,,executive,London,2020-01-31,true\n"
    "E2,Bob,bob@acme.test,Lead,OPS,E1,senior,Leeds,2021-02-01,false\n"
    "E3,Cy,,,,E2,,,,\n"
).encode()


def _outcome(content: bytes, filename: str) -> bool:
    errors, plan = check(content, filename=filename)
    assert all(isinstance(error, RowError) and error.message for error in errors)
    # Either it reads cleanly (a plan) or says why not.
    assert (plan is not None and not plan.errors) or errors
    return not errors


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["people.csv", "people.xlsx", "people.txt"]))
def test_any_bytes_give_a_clean_import_or_a_clear_error(content, filename):
    _outcome(content, filename)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(VALID)), st.binary(max_size=8)),
        min_size=1,
        max_size=6,
    )
)
def test_mutated_valid_files_give_a_clean_import_or_a_clear_error(edits):
    content = bytearray(VALID)
    for position, replacement in edits:
        content[position : position + len(replacement)] = replacement
    _outcome(bytes(content), "people.csv")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from([*importing.PEOPLE_FIELDS, "other"]),
            st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
        ),
        max_size=5,
    )
)
def test_any_api_records_give_a_plan_or_errors(records):
    columns, rows, errors = importing.rows_from_records(records, "people")
    plan = importing.plan_people(columns=columns, rows=rows, existing={}, unit_ids={"HQ": 1})
    assert all(error.message for error in errors + plan.errors)
