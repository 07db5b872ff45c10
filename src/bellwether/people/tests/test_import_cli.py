"""``bellwether import-people`` and ``bellwether export-people``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bellwether.people.models import OrgUnit, Person

HEADER = "Employee ID,Full Name,Manager ID,Department Code,Level"


def run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("import_people", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def people_file(tmp_path):
    rows = [
        f"E{i},Person {i},{'E0' if i else ''},HQ,{'executive' if i == 0 else ''}" for i in range(12)
    ]
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_it_imports_and_shows_a_progress_bar(org, unit, people_file):
    out, err = run(str(people_file), "--org", "acme")
    assert "Checking rows" in out
    assert "[##############################] 100%" in out
    assert "Imported 12 rows in" in out
    assert "12 created, 0 updated, 0 unchanged, 0 deactivated." in out
    assert err == ""
    assert Person.objects.get(organisation=org, employee_id="E5").manager.employee_id == "E0"


def test_a_second_run_changes_nothing(org, unit, people_file):
    run(str(people_file), "--org", "acme")
    out, _err = run(str(people_file), "--org", "acme")
    assert "0 created, 0 updated, 12 unchanged, 0 deactivated." in out


def test_errors_are_printed_with_their_lines_and_the_exit_code_is_not_zero(org, unit, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "\nE1,Ann,,HQ,boss\nE2,Bob,E9,HQ,\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(
        CommandError, match=r"2 problems in the file; nothing was imported\."
    ) as caught:
        call_command("import_people", str(path), "--org", "acme", stdout=StringIO(), stderr=err)
    assert caught.value.returncode == 1
    assert err.getvalue().splitlines() == [
        "line 2, leader_level: Unknown leader level “boss”. Use one of: executive, senior, operational, or leave it empty.",
        "line 3, manager: Unknown manager “E9”: nobody in the file or in Bellwether has this employee id.",
    ]
    assert not Person.objects.filter(organisation=org).exists()


def test_map_dry_run_and_units(org, tmp_path):
    units = tmp_path / "units.csv"
    units.write_text("Kode,Navn,Parent\nROOT,Acme,\nOPS,Ops,ROOT\n", encoding="utf-8")
    out, _err = run(
        str(units), "--org", "acme", "--units", "--map", "Kode=code", "--map", "Navn=name"
    )
    assert "2 created, 0 updated, 0 unchanged" in out
    assert OrgUnit.objects.get(organisation=org, code="OPS").parent.code == "ROOT"
    people = tmp_path / "people.csv"
    people.write_text("Nummer,Name,Department Code\nP1,Pia,OPS\n", encoding="utf-8")
    out, _err = run(str(people), "--org", "acme", "--map", "Nummer=employee_id", "--dry-run")
    assert "Would import 1 rows" in out
    assert "Dry run: nothing was saved." in out
    assert not Person.objects.filter(organisation=org).exists()


def test_deactivate_absent(org, unit, people_file, bystander):
    out, _err = run(str(people_file), "--org", "acme", "--deactivate-absent")
    assert "1 deactivated" in out
    bystander.refresh_from_db()
    assert bystander.active is False


def test_an_unknown_organisation_or_file_is_refused(org, tmp_path):
    with pytest.raises(CommandError, match=r"No organisation with slug “nope”\."):
        run(str(tmp_path / "x.csv"), "--org", "nope")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.csv"), "--org", "acme")


def test_export_then_import_round_trips(org, unit, people_file, tmp_path):
    run(str(people_file), "--org", "acme")
    target = tmp_path / "export.csv"
    call_command("export_people", "--org", "acme", "-o", str(target), stderr=StringIO())
    assert target.read_text(encoding="utf-8-sig").splitlines()[0] == (
        "employee_id,name,email,title,org_unit,manager,leader_level,location,start_date,active"
    )
    out, _err = run(str(target), "--org", "acme")
    assert "0 created, 0 updated, 12 unchanged" in out
