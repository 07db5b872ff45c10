"""The import service and the import job, on the real database."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from bellwether.accounts.roles import Role
from bellwether.core.models import AuditEvent
from bellwether.people import services
from bellwether.people.importing import RowError
from bellwether.people.models import ImportJob, OrgUnit, Person
from bellwether.testing.factories import OrgUnitFactory, PersonFactory, make_member

HEADER = "employee_id,name,email,title,org_unit,manager,leader_level,location,start_date,active"
FILE = (
    HEADER + "\n"
    "E1,Ann Smith,ann@acme.test,CEO,HQ,,executive,London,2020-01-31,true\n"
    "E2,Bob Jones,bob@acme.test,Head of Ops,HQ,E1,senior,Leeds,2021-02-01,true\n"
    "E3,Cy Young,cy@acme.test,Team Lead,HQ,E2,operational,Leeds,,true\n"
).encode()


@pytest.fixture
def admin(org):
    return make_member(org, Role.ADMIN, email="admin@acme.test").user


def run(org, admin, content=FILE, **kwargs):
    return services.import_people(
        organisation=org, actor=admin, content=content, filename="people.csv", **kwargs
    )


def tally(total, *, created=0, updated=0, unchanged=0, deactivated=0):
    """An import's counts, as the result and the audit event give them."""
    return {
        "total": total,
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "deactivated": deactivated,
    }


def snapshot(org):
    return list(
        Person.objects.filter(organisation=org)
        .order_by("employee_id")
        .values_list("employee_id", "name", "manager__employee_id", "active", "updated_at")
    )


def test_it_creates_people_with_their_managers_and_units(org, unit, admin):
    result = run(org, admin)
    assert result.ok
    assert result.counts() == tally(3, created=3)
    cy = Person.objects.get(organisation=org, employee_id="E3")
    assert cy.manager.employee_id == "E2"
    assert cy.manager.manager.employee_id == "E1"
    assert cy.org_unit == unit
    assert cy.leader_level == "operational"
    ann = Person.objects.get(organisation=org, employee_id="E1")
    assert (ann.start_date, ann.location, ann.title, ann.email) == (
        date(2020, 1, 31),
        "London",
        "CEO",
        "ann@acme.test",
    )
    event = AuditEvent.objects.get(organisation=org, action="people.imported")
    assert event.actor == admin
    assert event.details == {"source": "people.csv", **tally(3, created=3)}


def test_importing_the_same_file_twice_changes_nothing_the_second_time(org, unit, admin):
    run(org, admin)
    before = snapshot(org)
    second = run(org, admin)
    assert second.counts() == tally(3, unchanged=3)
    assert snapshot(org) == before


def test_a_reimport_updates_only_the_changed_rows(org, unit, admin):
    run(org, admin)
    before = {row[0]: row[4] for row in snapshot(org)}
    changed = FILE.replace(
        b"Cy Young,cy@acme.test,Team Lead,HQ,E2", b"Cy Young,cy@acme.test,Team Lead,HQ,E1"
    )
    result = run(org, admin, changed)
    assert result.counts() == tally(3, updated=1, unchanged=2)
    after = {row[0]: row[4] for row in snapshot(org)}
    assert after["E1"] == before["E1"]
    assert after["E2"] == before["E2"]
    assert after["E3"] > before["E3"]
    assert Person.objects.get(organisation=org, employee_id="E3").manager.employee_id == "E1"


def test_a_file_with_one_bad_row_imports_nothing(org, unit, admin):
    bad = FILE + b"E4,Dee,not-an-email,,HQ,,,,,\n"
    result = run(org, admin, bad)
    assert not result.ok
    assert result.errors == [RowError(5, "email", "“not-an-email” is not an email address.")]
    assert Person.objects.filter(organisation=org).count() == 0
    assert not AuditEvent.objects.filter(action="people.imported").exists()


def test_a_dry_run_reports_the_counts_and_writes_nothing(org, unit, admin):
    result = run(org, admin, dry_run=True)
    assert result.ok
    assert result.dry_run
    assert result.created == 3
    assert Person.objects.filter(organisation=org).count() == 0
    assert not AuditEvent.objects.filter(action="people.imported").exists()


def test_deactivate_absent_deactivates_only_people_missing_from_the_file(
    org, unit, admin, bystander, leader_person
):
    result = run(org, admin, deactivate_absent=True)
    assert result.deactivated == 2
    assert set(
        Person.objects.filter(organisation=org, active=False).values_list("employee_id", flat=True)
    ) == {"B001", "L001"}
    assert Person.objects.filter(organisation=org, active=True).count() == 3


def test_without_deactivate_absent_nobody_is_deactivated(org, unit, admin, bystander):
    result = run(org, admin)
    assert result.deactivated == 0
    assert Person.objects.get(pk=bystander.pk).active is True


def test_a_manager_already_stored_is_linked(org, unit, admin, leader_person):
    content = b"employee_id,name,manager\nN1,Newbie,L001\n"
    assert run(org, admin, content).ok
    assert Person.objects.get(organisation=org, employee_id="N1").manager == leader_person


def test_a_cycle_through_stored_people_is_refused(org, unit, admin, leader_person, coachee):
    # Stored: C001 reports to L001. Making L001 report to C001 closes a loop.
    result = run(org, admin, b"employee_id,name,manager\nL001,Lena Leader,C001\n")
    assert result.errors == [
        RowError(2, "manager", "Manager chain loops back on itself: L001 → C001 → L001.")
    ]
    assert Person.objects.get(pk=leader_person.pk).manager is None


def test_people_of_another_organisation_are_invisible_to_the_import(org, other_org, unit, admin):
    PersonFactory(organisation=other_org, employee_id="G1", name="Globex Boss")
    result = run(org, admin, b"employee_id,name,manager\nE1,Ann,G1\n")
    assert result.errors == [
        RowError(
            2,
            "manager",
            "Unknown manager “G1”: nobody in the file or in Bellwether has this employee id.",
        )
    ]
    # The same employee id may exist in both organisations.
    assert run(org, admin, b"employee_id,name\nG1,Acme G1\n").created == 1
    assert Person.objects.get(organisation=other_org, employee_id="G1").name == "Globex Boss"


def test_it_imports_an_xlsx_file(org, unit, admin):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Employee ID", "Name", "Manager ID", "Department Code", "Hire Date"])
    sheet.append(["E1", "Ann", None, "HQ", date(2020, 1, 31)])
    sheet.append(["E2", "Bob", "E1", "HQ", None])
    out = io.BytesIO()
    workbook.save(out)
    result = services.import_people(
        organisation=org, actor=admin, content=out.getvalue(), filename="people.xlsx"
    )
    assert result.ok, result.errors
    assert result.created == 2
    bob = Person.objects.get(organisation=org, employee_id="E2")
    assert bob.manager.employee_id == "E1"
    assert Person.objects.get(organisation=org, employee_id="E1").start_date == date(2020, 1, 31)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_reimports_unchanged(org, unit, admin, fmt):
    run(org, admin)
    PersonFactory(organisation=org, employee_id="X9", name="=cmd|' /C calc'!A0", active=False)
    before = snapshot(org)
    content, _content_type, filename = services.export_people(organisation=org, fmt=fmt)
    assert filename.endswith(f".{fmt}")
    result = services.import_people(
        organisation=org, actor=admin, content=content, filename=filename
    )
    assert result.ok, result.errors
    assert result.counts() == tally(4, unchanged=4)
    assert snapshot(org) == before


def test_the_csv_export_has_the_canonical_header_and_escapes_formulas(org, unit, admin):
    run(org, admin)
    PersonFactory(organisation=org, employee_id="X9", name="=HYPERLINK(1)")
    content, content_type, _filename = services.export_people(organisation=org, fmt="csv")
    assert content_type == "text/csv; charset=utf-8"
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER
    assert lines[1] == "E1,Ann Smith,ann@acme.test,CEO,HQ,,executive,London,2020-01-31,true"
    assert lines[4].startswith("X9,'=HYPERLINK(1),")


def test_api_records_upsert_and_keep_fields_they_leave_out(org, unit, admin, leader_person):
    result = services.upsert_people_records(
        organisation=org,
        actor=admin,
        records=[{"employee_id": "L001", "title": "COO"}, {"employee_id": "N1", "name": "New"}],
    )
    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    leader_person.refresh_from_db()
    assert (leader_person.title, leader_person.name, leader_person.leader_level) == (
        "COO",
        "Lena Leader",
        "senior",
    )


def test_api_records_refuse_a_new_person_without_a_name(org, admin):
    result = services.upsert_people_records(
        organisation=org, actor=admin, records=[{"employee_id": "N1"}]
    )
    assert result.errors == [RowError(1, "name", "The name is missing.")]
    assert not Person.objects.filter(organisation=org).exists()


# --- org units ---------------------------------------------------------------------------


UNITS = b"code,name,parent_code\nROOT,Acme,\nOPS,Operations,ROOT\nLDS,Leeds,OPS\n"


def test_it_imports_units_with_paths_and_depths(org, admin):
    result = services.import_org_units(
        organisation=org, actor=admin, content=UNITS, filename="units.csv"
    )
    assert result.counts() == tally(3, created=3)
    root, ops, lds = (OrgUnit.objects.get(organisation=org, code=c) for c in ("ROOT", "OPS", "LDS"))
    assert (root.path, root.depth, root.parent) == (f"/{root.pk}/", 0, None)
    assert (ops.path, ops.depth, ops.parent) == (f"/{root.pk}/{ops.pk}/", 1, root)
    assert (lds.path, lds.depth) == (f"/{root.pk}/{ops.pk}/{lds.pk}/", 2)
    assert AuditEvent.objects.filter(organisation=org, action="org_units.imported").count() == 1


def test_reimporting_units_is_idempotent_and_moves_carry_the_subtree(org, admin):
    services.import_org_units(organisation=org, actor=admin, content=UNITS, filename="u.csv")
    stamps = dict(OrgUnit.objects.filter(organisation=org).values_list("code", "updated_at"))
    again = services.import_org_units(
        organisation=org, actor=admin, content=UNITS, filename="u.csv"
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (
        dict(OrgUnit.objects.filter(organisation=org).values_list("code", "updated_at")) == stamps
    )
    moved = services.import_org_units(
        organisation=org,
        actor=admin,
        content=b"code,name,parent_code\nOPS,Operations,\n",
        filename="u.csv",
    )
    assert (moved.updated, moved.unchanged) == (1, 0)
    ops, lds = (
        OrgUnit.objects.get(organisation=org, code="OPS"),
        OrgUnit.objects.get(organisation=org, code="LDS"),
    )
    assert (ops.path, ops.depth) == (f"/{ops.pk}/", 0)
    assert (lds.path, lds.depth) == (f"/{ops.pk}/{lds.pk}/", 1)


def test_a_units_file_with_a_cycle_through_stored_units_writes_nothing(org, admin):
    services.import_org_units(organisation=org, actor=admin, content=UNITS, filename="u.csv")
    result = services.import_org_units(
        organisation=org,
        actor=admin,
        content=b"code,name,parent_code\nROOT,Acme,LDS\n",
        filename="u.csv",
    )
    assert result.errors == [
        RowError(2, "parent_code", "Parent chain loops back on itself: ROOT → LDS → OPS → ROOT.")
    ]
    assert OrgUnit.objects.get(organisation=org, code="ROOT").parent is None


def test_units_api_records_upsert(org, admin):
    OrgUnitFactory(organisation=org, code="ROOT", name="Acme")
    result = services.upsert_org_unit_records(
        organisation=org,
        actor=admin,
        records=[{"code": "X", "name": "X team", "parent_code": "ROOT"}],
    )
    assert result.created == 1
    assert OrgUnit.objects.get(organisation=org, code="X").parent.code == "ROOT"


# --- jobs ---------------------------------------------------------------------------------


def test_a_job_runs_in_the_worker_and_records_its_counts(
    org, unit, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import_job(
            organisation=org, actor=admin, content=FILE, filename="people.csv", kind="people"
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert (job.total_rows, job.processed_rows, job.percent) == (3, 3, 100)
    assert job.summary == {
        **tally(3, created=3),
        "error_count": 0,
        "notes": ["Start dates were read as YYYY-MM-DD (ISO)."],
    }
    assert job.started_at is not None
    assert job.finished_at is not None
    assert Person.objects.filter(organisation=org).count() == 3
    # Running it again (a retried task) does nothing.
    services.run_import_job(job_id=job.pk)
    assert AuditEvent.objects.filter(action="people.imported").count() == 1


def test_a_job_with_bad_rows_fails_with_the_errors(
    org, unit, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import_job(
            organisation=org,
            actor=admin,
            content=FILE + b"E4,Dee,,,NOPE,,,,,\n",
            filename="people.csv",
            kind="people",
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        {
            "line": 5,
            "column": "org_unit",
            "message": "Unknown org unit “NOPE”: import it with the units file first, or fix the code.",
        }
    ]
    assert job.summary["error_count"] == 1
    assert Person.objects.filter(organisation=org).count() == 0


def test_a_dry_run_job_ends_previewed(org, unit, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import_job(
            organisation=org, actor=admin, content=FILE, filename="p.csv", dry_run=True
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.summary["created"] == 3
    assert not Person.objects.filter(organisation=org).exists()


def test_a_units_job_imports_units(org, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import_job(
            organisation=org, actor=admin, content=UNITS, filename="u.csv", kind="org_units"
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert OrgUnit.objects.filter(organisation=org).count() == 3


def test_an_unreadable_file_fails_at_once(org, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = services.start_import_job(
            organisation=org, actor=admin, content=b"", filename="p.csv"
        )
    assert callbacks == []
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [{"line": 0, "column": "", "message": "The file is empty."}]


def test_unknown_columns_wait_for_a_mapping_then_run(
    org, unit, admin, django_capture_on_commit_callbacks
):
    content = b"Personalnummer,Name,Shoe size\nE1,Ann,42\n"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = services.start_import_job(
            organisation=org, actor=admin, content=content, filename="p.csv"
        )
    assert callbacks == []
    assert job.status == ImportJob.Status.MAPPING
    assert services.import_job_header(job) == ["Personalnummer", "Name", "Shoe size"]
    with django_capture_on_commit_callbacks(execute=True):
        services.set_import_job_mapping(
            job=job,
            actor=admin,
            mapping={"Personalnummer": "employee_id", "Name": "name", "Shoe size": "ignore"},
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert Person.objects.get(organisation=org, employee_id="E1").name == "Ann"


def test_a_mapping_that_still_misses_a_required_field_is_refused(org, admin):
    job = services.start_import_job(
        organisation=org, actor=admin, content=b"Personalnummer,Name\nE1,Ann\n", filename="p.csv"
    )
    with pytest.raises(services.DomainError, match="The file has no employee_id column"):
        services.set_import_job_mapping(
            job=job, actor=admin, mapping={"Personalnummer": "ignore", "Name": "name"}
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING


def test_a_file_over_the_size_limit_is_refused(org, admin, settings):
    settings.BELLWETHER_MAX_IMPORT_BYTES = 100
    with pytest.raises(services.DomainError, match="the largest accepted is 0 MB"):
        services.start_import_job(
            organisation=org, actor=admin, content=b"x" * 101, filename="p.csv"
        )
    assert not ImportJob.objects.exists()


def test_progress_is_reported_while_checking_and_saving(org, unit, admin):
    rows = [f"P{i},Person {i},,,HQ,{'P0' if i else ''},,,," for i in range(12000)]
    content = (HEADER + "\n" + "\n".join(rows) + "\n").encode()
    calls: list[tuple[int, int]] = []
    phases: list[str] = []
    result = run(
        org, admin, content, progress=lambda d, t: calls.append((d, t)), on_phase=phases.append
    )
    assert result.created == 12000
    assert phases == ["Reading the file", "Checking rows", "Saving"]
    assert (5000, 12000) in calls
    assert calls[-1] == (12000, 12000)
    assert Person.objects.filter(organisation=org, manager__employee_id="P0").count() == 11999


def test_a_nul_character_in_a_file_is_reported_on_its_line_and_nothing_is_imported(org, members):
    from bellwether.people.services import import_people

    result = import_people(
        organisation=org,
        actor=members["admin"].user,
        content=b"employee_id,name\nN1,Good Name\nN2,Bad\x00Name\n",
        filename="people.csv",
    )
    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [(3, "name")]
    assert "NUL character" in result.errors[0].message
    assert not Person.objects.filter(employee_id__in=["N1", "N2"]).exists()


def test_a_nul_character_in_an_api_record_is_reported_and_nothing_is_written(org, members):
    from bellwether.people.services import upsert_people_records

    result = upsert_people_records(
        organisation=org,
        actor=members["admin"].user,
        records=[{"employee_id": "N3", "name": "x\x00y"}],
    )
    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [(1, "name")]
    assert not Person.objects.filter(employee_id="N3").exists()
