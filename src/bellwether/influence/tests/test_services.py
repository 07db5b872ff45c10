"""Profiles with revisions, ties, the tie import, and the cached analytics and plans."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.influence import selectors, services
from bellwether.influence.models import (
    AnalysisRun,
    InfluenceProfile,
    PlannerRun,
    ProfileRevision,
    RunStatus,
    Tie,
)
from bellwether.influence.tests.factories import make_profile, make_tie
from bellwether.people.models import LeaderLevel
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _leader(org, employee_id, name=None, **kw):
    return PersonFactory(
        organisation=org,
        employee_id=employee_id,
        name=name or f"Leader {employee_id}",
        leader_level=LeaderLevel.SENIOR,
        **kw,
    )


@pytest.fixture
def trio(org):
    return _leader(org, "A1", "Ada"), _leader(org, "B2", "Ben"), _leader(org, "C3", "Cy")


# --- profiles -------------------------------------------------------------------------------


def test_update_profile_keeps_each_change_as_a_revision(org, members, trio):
    ada = trio[0]
    admin = members["admin"].user
    services.update_profile(
        organisation=org,
        actor=admin,
        person=ada,
        values={"peer_respect": "High", "motivated_by": " Growth "},
    )
    coach = members["coach"].user
    services.update_profile(
        organisation=org, actor=coach, person=ada, values={"peer_respect": "low"}
    )
    profile = InfluenceProfile.objects.get(person=ada)
    assert profile.peer_respect == "low"
    assert profile.motivated_by == "Growth"
    first, second = ProfileRevision.objects.filter(profile=profile).order_by("id")
    assert first.changed_by == admin
    assert first.changes == {"peer_respect": ["", "high"], "motivated_by": ["", "Growth"]}
    assert second.changed_by_label == coach.email
    assert second.changes == {"peer_respect": ["high", "low"]}
    assert AuditEvent.objects.filter(action="influence.profile_updated").count() == 2


def test_saving_the_same_values_records_nothing(org, trio):
    ada = trio[0]
    services.update_profile(organisation=org, actor=None, person=ada, values={"timing": "Q3"})
    services.update_profile(organisation=org, actor=None, person=ada, values={"timing": "Q3"})
    assert ProfileRevision.objects.count() == 1


def test_update_profile_refuses_bad_ratings_unknown_fields_and_non_leaders(org, other_org, trio):
    ada = trio[0]
    with pytest.raises(DomainError) as refused:
        services.update_profile(
            organisation=org, actor=None, person=ada, values={"formal_authority": "huge"}
        )
    assert "formal_authority" in refused.value.field_errors
    with pytest.raises(DomainError, match="Unknown profile field"):
        services.update_profile(organisation=org, actor=None, person=ada, values={"salary": "1"})
    worker = PersonFactory(organisation=org, employee_id="W1", name="Wes Worker")
    with pytest.raises(DomainError, match="not an active leader"):
        services.update_profile(organisation=org, actor=None, person=worker, values={})
    with pytest.raises(DomainError):
        services.update_profile(organisation=other_org, actor=None, person=ada, values={})
    assert not InfluenceProfile.objects.exists()


# --- ties -----------------------------------------------------------------------------------


def test_add_update_remove_tie(org, trio):
    ada, ben, _ = trio
    tie = services.add_tie(
        organisation=org, actor=None, source=ada, target=ben, strength=3, note="mentor"
    )
    assert (tie.source, tie.target, tie.strength, tie.note) == (ada, ben, 3, "mentor")
    services.update_tie(tie=tie, actor=None, strength=1, note="")
    tie.refresh_from_db()
    assert tie.strength == 1
    services.remove_tie(tie=tie, actor=None)
    assert not Tie.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="influence.tie").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [
        "influence.tie_added",
        "influence.tie_removed",
        "influence.tie_updated",
    ]


@pytest.mark.parametrize(
    ("strength", "field"), [(0, "strength"), (4, "strength"), ("x", "strength")]
)
def test_add_tie_refuses_bad_strength(org, trio, strength, field):
    with pytest.raises(DomainError) as refused:
        services.add_tie(
            organisation=org, actor=None, source=trio[0], target=trio[1], strength=strength
        )
    assert field in refused.value.field_errors


def test_add_tie_refuses_self_duplicates_other_orgs_and_non_leaders(org, other_org, trio):
    ada, ben, _ = trio
    with pytest.raises(DomainError, match="cannot influence themselves"):
        services.add_tie(organisation=org, actor=None, source=ada, target=ada)
    services.add_tie(organisation=org, actor=None, source=ada, target=ben)
    with pytest.raises(DomainError) as duplicate:
        services.add_tie(organisation=org, actor=None, source=ada, target=ben)
    assert duplicate.value.code == "duplicate"
    stranger = _leader(other_org, "Z9")
    with pytest.raises(DomainError):
        services.add_tie(organisation=org, actor=None, source=ada, target=stranger)
    worker = PersonFactory(organisation=org, employee_id="W1")
    with pytest.raises(DomainError, match="not an active leader"):
        services.add_tie(organisation=org, actor=None, source=worker, target=ada)
    assert Tie.objects.count() == 1


# --- import ---------------------------------------------------------------------------------


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


GOOD = _csv(
    "Source employee id,Target employee id,Strength,Note",
    "A1,B2,3,mentor",
    "B2,C3,1,",
)


def test_import_creates_then_reimport_changes_nothing_then_updates(org, trio):
    first = services.import_ties(organisation=org, actor=None, content=GOOD, filename="t.csv")
    assert first.ok
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    again = services.import_ties(organisation=org, actor=None, content=GOOD, filename="t.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = _csv("source,target,strength", "A1,B2,2")
    third = services.import_ties(organisation=org, actor=None, content=changed, filename="t.csv")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 0)
    assert Tie.objects.get(source=trio[0]).strength == 2
    # Ties not in the file stay.
    assert Tie.objects.count() == 2


def test_import_reports_every_problem_with_its_line_and_imports_nothing(org, trio):
    PersonFactory(organisation=org, employee_id="W1")  # not a leader
    content = _csv(
        "source,target,strength,note",
        "A1,B2,3,fine",
        "A1,A1,2,",
        "A1,NOPE,2,",
        "W1,B2,2,",
        "B2,C3,5,",
        "A1,B2,1,",
        ",C3,2,",
    )
    result = services.import_ties(organisation=org, actor=None, content=content, filename="t.csv")
    assert not result.ok
    problems = {(e.line, e.column): e.message for e in result.errors}
    assert problems[(3, "target")] == "A leader cannot influence themselves."
    assert problems[(4, "target")] == "Employee id “NOPE” matches nobody in the organisation."
    assert problems[(5, "source")] == "Employee id “W1” is not an active leader."
    assert problems[(6, "strength")] == "Strength must be 1, 2 or 3; found 5."
    assert problems[(7, "target")] == "The same tie is already on line 2."
    assert problems[(8, "source")] == "The source employee id is missing."
    assert not Tie.objects.exists()


def test_import_refuses_unknown_columns_and_missing_required_ones(org, trio):
    result = services.import_ties(
        organisation=org, actor=None, content=_csv("source,colour", "A1,red"), filename="t.csv"
    )
    messages = [e.message for e in result.errors]
    assert any("Unknown column “colour”" in m for m in messages)
    assert "The file has no target column, which is required." in messages
    assert all(e.line == 1 for e in result.errors)


def test_import_dry_run_writes_nothing(org, trio):
    result = services.import_ties(
        organisation=org, actor=None, content=GOOD, filename="t.csv", dry_run=True
    )
    assert result.ok
    assert result.dry_run
    assert result.created == 2
    assert not Tie.objects.exists()


def test_import_reads_xlsx(org, trio):
    book = Workbook()
    sheet = book.active
    sheet.append(["source", "target", "strength", "note"])
    sheet.append(["A1", "C3", 2, "board"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.import_ties(
        organisation=org, actor=None, content=buffer.getvalue(), filename="ties.xlsx"
    )
    assert result.ok, result.errors
    tie = Tie.objects.get()
    assert (tie.source, tie.target, tie.strength, tie.note) == (trio[0], trio[2], 2, "board")


def test_upsert_ties_numbers_records_from_one(org, trio):
    result = services.upsert_ties(
        organisation=org,
        actor=None,
        records=[{"source": "A1", "target": "B2", "strength": 2}, {"source": "A1", "target": "X"}],
    )
    assert not result.ok
    assert {(e.line, e.column) for e in result.errors} == {(2, "target"), (2, "strength")}
    ok = services.upsert_ties(
        organisation=org, actor=None, records=[{"source": "A1", "target": "B2", "strength": 2}]
    )
    assert ok.created == 1


# --- analytics and plans --------------------------------------------------------------------


def test_request_analysis_is_cached_per_version(org, trio, django_capture_on_commit_callbacks):
    ada, ben, cy = trio
    make_profile(organisation=org, person=ada, formal_authority="high", peer_respect="high")
    make_tie(organisation=org, source=ada, target=ben, strength=3)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_analysis(organisation=org)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.version == selectors.network_version(org)
    assert selectors.figures_of(run, ada.pk).influence_index == 40.0
    assert selectors.figures_of(run, ben.pk).in_degree == 1
    assert run.computed_at is not None
    assert run.duration_ms is not None
    # Same network: the same run comes back, nothing is queued.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.request_analysis(organisation=org) == run
    assert callbacks == []
    # A new tie is a new version, computed by the worker.
    with django_capture_on_commit_callbacks(execute=True):
        services.add_tie(organisation=org, actor=None, source=cy, target=ada)
    latest = selectors.latest_analysis(org)
    assert latest is not None
    assert latest.pk != run.pk
    assert latest.version == selectors.network_version(org)


def test_profile_change_triggers_a_recompute(org, trio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_profile(
            organisation=org, actor=None, person=trio[0], values={"peer_respect": "high"}
        )
    latest = selectors.latest_analysis(org)
    assert latest is not None
    assert selectors.figures_of(latest, trio[0].pk).influence_index == 20.0


def test_noted_band_changes_trigger_a_recompute(org, trio, django_capture_on_commit_callbacks):
    """``record_result`` stores a band and, after commit, notes the change as the
    readiness release does (``note_band_changes``): the map follows."""
    from bellwether.assessments.tests.factories import record_result

    with django_capture_on_commit_callbacks(execute=True):
        record_result(organisation=org, person=trio[0], total=90)
    latest = selectors.latest_analysis(org)
    assert latest is not None
    assert selectors.figures_of(latest, trio[0].pk).band_key == "band.champion"


def test_noting_no_leader_queues_nothing(org, trio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.note_band_changes(organisation=org.pk, person_ids=[])
    assert callbacks == []
    assert selectors.latest_analysis(org) is None


def test_forced_recompute_makes_a_new_run(org, trio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_analysis(organisation=org)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.request_analysis(organisation=org, force=True)
    assert first.pk != second.pk
    assert AnalysisRun.objects.filter(status=RunStatus.DONE).count() == 2


def test_planner_run_in_the_worker(org, trio, django_capture_on_commit_callbacks):
    from bellwether.assessments.tests.factories import record_result

    ada, ben, cy = trio
    record_result(organisation=org, person=ada, total=90)
    make_tie(organisation=org, source=ada, target=ben, strength=3)
    make_tie(organisation=org, source=ben, target=cy, strength=3)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_plan(organisation=org, actor=None, k=2, runs=200, seed=3)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    picks = run.results["picks"]
    assert len(picks) == 2
    assert picks[0]["marginal_gain"] >= picks[1]["marginal_gain"]
    assert run.results["baseline_supporters"] == 1
    assert run.results["expected_supporters"] == pytest.approx(picks[-1]["expected_supporters"])
    assert AuditEvent.objects.filter(action="influence.plan_requested").exists()


@pytest.mark.parametrize(("k", "runs"), [(0, 1000), (51, 1000), (5, 10), (5, 20_000)])
def test_request_plan_refuses_out_of_range(org, k, runs):
    with pytest.raises(DomainError):
        services.request_plan(organisation=org, actor=None, k=k, runs=runs)
    assert not PlannerRun.objects.exists()


def test_run_of_a_missing_id_does_nothing(db):
    assert services.run_analysis(run_id=999_999) is None
    assert services.run_plan(run_id=999_999) is None
