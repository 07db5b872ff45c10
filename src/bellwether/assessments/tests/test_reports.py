"""Report selectors: the individual report, confidentiality of rater groups, org views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from bellwether.assessments import reports
from bellwether.assessments.models import LeaderResult, ReadinessCycle
from bellwether.assessments.rater_columns import Raters, plan_columns
from bellwether.assessments.tests.factories import make_cycle
from bellwether.assessments.tests.reporting import (
    KEYS,
    add_rating,
    make_person,
    open_cycle,
    others_with_one_report,
    rated,
    stored,
    uniform,
)
from bellwether.core.models import Organisation
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys.models import Invitation
from bellwether.testing.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def _value(report: reports.IndividualReport, column: str, item: str) -> float | None:
    row = next(i for i in report.items if i.key == item)
    return row.columns[column]


def _report_of_its_cycle(
    org: Organisation,
    leader: Person,
    *,
    self_answers: Mapping[str, int],
    others: Sequence[tuple[str, Mapping[str, int]]] = (),
    cycle: ReadinessCycle | None = None,
) -> reports.IndividualReport:
    """``leader`` rated (``reporting.rated``), then their report for that cycle."""
    result = rated(org, leader, self_answers=self_answers, others=others, cycle=cycle)
    return reports.individual_report(leader, cycle=result.cycle)


# --- the individual report ---------------------------------------------------------------------


def test_report_reads_the_stored_score_and_per_category_means(
    org: Organisation, leader_person: Person
) -> None:
    rated(
        org,
        leader_person,
        self_answers=uniform(5),
        others=[
            ("manager", uniform(2)),
            *[("peer", uniform(3)) for _ in range(3)],
            *[("direct_report", uniform(4)) for _ in range(3)],
        ],
    )
    report = reports.individual_report(leader_person)
    assert report.score is not None
    assert report.score.others_count == 7
    assert report.score.self_reported is False
    assert [c.key for c in report.columns] == ["self", "manager", "peer", "direct_report"]
    assert _value(report, "manager", KEYS[0]) == 2
    assert _value(report, "peer", KEYS[0]) == 3
    assert _value(report, "direct_report", KEYS[0]) == 4
    # Others: (2 + 9 + 12) / 7 per item.
    assert report.dimensions[0].others == pytest.approx(5 * 23 / 7, abs=0.01)
    assert report.dimensions[0].columns["peer"] == 15
    assert report.band is not None
    assert report.band.key == "band.cautious"  # 20 * 23 / 7 = 65.7
    assert len(report.blind_spots) == 20  # self 5 vs others 3.29
    assert "at least 3 raters" in report.band_rule
    assert [p.dimension_key for p in report.priorities] == ["knowledge", "attitude"]
    assert len(report.failure_signals) == 3
    assert all("Signalled when" in s.rule for s in report.failure_signals)
    assert [t.band_key for t in report.trend] == ["band.cautious"]


def test_self_reported_report_withholds_others_and_small_categories(
    org: Organisation, leader_person: Person
) -> None:
    rated(
        org,
        leader_person,
        self_answers=uniform(4),
        others=[("manager", uniform(2)), ("peer", uniform(1))],
    )
    report = reports.individual_report(leader_person)
    assert report.score is not None
    assert report.score.self_reported is True
    assert report.score.total == 80
    assert report.band is not None
    assert report.band.key == "band.supporter"
    # The disclosed manager is shown as such; the lone peer is not shown at all.
    assert [c.key for c in report.columns] == ["self", "manager"]
    assert all(i.others is None for i in report.items)
    assert "fewer than 3" in report.column_note
    assert report.chart_data()["dimension_others"] is None


def test_an_undisclosed_manager_is_never_shown_alone(
    org: Organisation, leader_person: Person
) -> None:
    cycle = open_cycle(org)
    add_rating(cycle, leader_person, "manager", uniform(1), disclosed=False)
    for _ in range(3):
        add_rating(cycle, leader_person, "peer", uniform(4))
    report = _report_of_its_cycle(org, leader_person, self_answers=uniform(3), cycle=cycle)
    assert report.score is not None
    assert report.score.others_count == 4
    assert "manager" not in [c.key for c in report.columns]
    # Peers (3) beside the others' score (4) would give the manager's rating by
    # difference, and the manager was not told: only the others' score is shown.
    assert [c.key for c in report.columns] == ["self"]
    assert "not shown separately" in report.column_note
    assert all("manager" not in c.members or c.n >= 3 for c in report.columns)


def test_a_small_category_cannot_be_recovered_from_the_others_score(
    org: Organisation, leader_person: Person
) -> None:
    # Manager 1 (disclosed), peers 3, one direct report: others (5 raters) are published.
    # Showing manager and peers would give the direct report away: others*5 - mgr - 3*peers.
    report = _report_of_its_cycle(
        org, leader_person, self_answers=uniform(3), others=others_with_one_report(uniform(2))
    )
    assert report.score is not None
    assert report.score.others_shown
    shown = {c.key: c for c in report.columns}
    assert "direct_report" not in shown
    assert "peer" not in shown  # merged with the direct report
    assert shown["merged"].members == ("peer", "direct_report")
    assert shown["merged"].n == 4
    # What a reader can compute: others minus every shown non-self column.
    covered = sum(c.n for c in report.columns if c.key != "self")
    assert covered == report.score.others_count
    item = report.items[0]
    assert item.others is not None
    residual = item.others * 5 - sum(
        (item.columns[c.key] or 0) * c.n for c in report.columns if c.key != "self"
    )
    assert residual == pytest.approx(0, abs=1e-6)


def test_the_api_and_page_views_of_a_report_show_the_same_groups(
    org: Organisation, leader_person: Person
) -> None:
    report = _report_of_its_cycle(
        org,
        leader_person,
        self_answers=uniform(3),
        others=[("manager", uniform(2)), ("peer", uniform(4)), ("peer", uniform(4))],
    )
    # Three raters: others are published, but peers (2) would be others minus the manager.
    assert [c.key for c in report.columns] == ["self"]
    assert "not shown separately" in report.column_note


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "manager": st.integers(0, 2),
            "peer": st.integers(0, 7),
            "direct_report": st.integers(0, 7),
        }
    ),
    st.integers(3, 5),
    st.booleans(),
    st.lists(st.integers(0, 16), max_size=4),
)
def test_no_shown_or_derivable_rater_group_is_under_the_minimum(
    counts: dict[str, int], minimum: int, manager_disclosed: bool, late: list[int]
) -> None:
    """An independent check of ``plan_columns``: from the groups shown (and the others'
    score), by exact linear algebra, no group of 1 to minimum - 1 raters not known
    otherwise can be computed."""
    import itertools

    import numpy as np

    ids = itertools.count(1)
    answered = {c: frozenset(next(ids) for _ in range(n)) for c, n in counts.items() if n}
    everyone = frozenset().union(*answered.values()) if answered else frozenset()
    known = frozenset(p for p in everyone if p in set(late))
    changes = {c: len(people & known) for c, people in answered.items()}
    disclosed = {"manager"} if manager_disclosed else set()
    plan = plan_columns(
        Raters(answered=answered, disclosed=disclosed, changes=changes, known=known),
        minimum=minimum,
    )
    groups = []
    for column in plan.columns:
        members = frozenset().union(*(answered[c] for c in column.members))
        single_disclosed = column.members == ("manager",) and manager_disclosed
        if column.key == "manager":
            assert single_disclosed
        if not single_disclosed:
            assert len(members) >= minimum + sum(changes.get(c, 0) for c in column.members)
        groups.append(members)
    if plan.others_shown:
        assert len(everyone) >= minimum + sum(changes.values())
        groups.append(everyone)
    categories = [m for c in plan.columns for m in c.members]
    assert len(categories) == len(set(categories))  # every rater in one column at most
    # Every subset of the raters not known otherwise that the shown groups determine.
    public = set(known)
    for column in plan.columns:
        if column.key == "manager":
            public |= answered["manager"]
    unknown = sorted(everyone - public)
    if not unknown or not groups:
        return
    matrix = np.array([[1.0 if p in g else 0.0 for p in unknown] for g in groups]).T
    for size in range(1, minimum):
        for subset in itertools.combinations(unknown, size):
            target = np.array([1.0 if p in subset else 0.0 for p in unknown])
            solution = np.linalg.lstsq(matrix, target, rcond=None)[0]
            assert not np.allclose(matrix @ solution, target, atol=1e-7), (counts, plan, subset)


# --- organisation views ------------------------------------------------------------------------


def _units(org: Organisation, sizes: dict[str, int]) -> dict[str, list[Person]]:
    root = OrgUnitFactory(organisation=org, code="ROOT", name="Group")
    out: dict[str, list[Person]] = {}
    for name, n in sizes.items():
        unit = OrgUnitFactory(organisation=org, code=name, name=name, parent=root)
        out[name] = [make_person(org, org_unit=unit) for _ in range(n)]
    return out


def _scored_units(
    org: Organisation, cycle: ReadinessCycle, scores: dict[str, tuple[int, int]]
) -> dict[str, list[Person]]:
    """``_units`` of ``{name: (size, answer)}``, each leader's result stored in ``cycle``
    from ``uniform(answer)``, unit by unit."""
    people = _units(org, {name: size for name, (size, _answer) in scores.items()})
    for name, (_size, answer) in scores.items():
        for p in people[name]:
            stored(org, p, cycle, uniform(answer))
    return people


def test_heatmap_suppresses_small_units_and_their_complement(org: Organisation) -> None:
    cycle = make_cycle(organisation=org)
    _scored_units(org, cycle, {"Alpha": (6, 4), "Beta": (2, 2)})
    heat = reports.heatmap(cycle)
    assert heat.minimum == 5
    assert heat.total.shown
    assert heat.total.n == 8
    rows = {r.name: r for r in heat.rows}
    assert rows["Beta"].shown is False
    assert rows["Beta"].reason == "too_few"
    # Alpha alone would give Beta away (organisation minus Alpha).
    assert rows["Alpha"].shown is False
    assert rows["Alpha"].reason == "difference"
    assert all(v is None for v in rows["Alpha"].values.values())
    assert heat.total.values["knowledge"] == pytest.approx((6 * 20 + 2 * 10) / 8, abs=0.1)


def test_heatmap_shows_units_at_the_minimum(org: Organisation) -> None:
    cycle = make_cycle(organisation=org)
    _scored_units(org, cycle, {"Alpha": (5, 3), "Beta": (5, 3), "Gamma": (1, 5)})
    rows = {r.name: r for r in reports.heatmap(cycle).rows}
    assert rows["Gamma"].shown is False
    # Organisation minus Alpha minus Beta would reveal Gamma: one of them goes too.
    assert [rows["Alpha"].shown, rows["Beta"].shown].count(True) == 1
    shown = rows["Alpha"] if rows["Alpha"].shown else rows["Beta"]
    assert shown.values["strategy"] == 15


def test_heatmap_counts_leaders_of_sub_units_in_their_top_unit(org: Organisation) -> None:
    cycle = make_cycle(organisation=org)
    people = _units(org, {"Alpha": 0, "Beta": 5})
    alpha = OrgUnit.objects.get(organisation=org, code="Alpha")
    team = OrgUnitFactory(organisation=org, code="Alpha-1", name="Alpha team", parent=alpha)
    for _ in range(5):
        stored(org, make_person(org, org_unit=team), cycle, uniform(5))
    for p in people["Beta"]:
        stored(org, p, cycle, uniform(1))
    rows = {r.name: r for r in reports.heatmap(cycle).rows}
    assert rows["Alpha"].n == 5
    assert rows["Alpha"].values["knowledge"] == 25
    assert rows["Beta"].values["knowledge"] == 5


def test_the_cached_heatmap_follows_a_move_between_units_and_a_new_result(
    org: Organisation,
) -> None:
    # The heatmap is kept in the shared cache under a key of its inputs' versions: a
    # leader moved to another unit, or a result stored, is seen at once.
    cycle = make_cycle(organisation=org)
    people = _scored_units(org, cycle, {"Alpha": (5, 5), "Beta": (6, 1)})
    first = {r.name: r for r in reports.heatmap(cycle).rows}
    assert first["Beta"].n == 6
    again = {r.name: r for r in reports.heatmap(cycle).rows}
    assert again == first  # read from the cache: the same figures
    moved = people["Beta"][0]
    moved.org_unit = OrgUnit.objects.get(organisation=org, code="Alpha")
    moved.save()
    after = {r.name: r for r in reports.heatmap(cycle).rows}
    assert (after["Alpha"].n, after["Beta"].n) == (6, 5)
    stored(org, make_person(org, org_unit=moved.org_unit), cycle, uniform(3))
    assert {r.name: r for r in reports.heatmap(cycle).rows}["Alpha"].n == 7


def test_band_distribution_and_share_70(org: Organisation, unit: OrgUnit) -> None:
    cycle = make_cycle(organisation=org)
    leaders = [make_person(org, org_unit=unit) for _ in range(4)]
    stored(org, leaders[0], cycle, uniform(5))  # 100 champion
    stored(org, leaders[1], cycle, uniform(4))  # 80 supporter
    stored(org, leaders[2], cycle, uniform(2))  # 40 skeptical
    result = stored(org, leaders[3], cycle, uniform(3))  # 60 cautious
    # 69.5 (an others' mean) counts as 70: rounded half up, as the band.
    LeaderResult.objects.filter(pk=result.pk).update(total=69.5, band_key="band.supporter")
    dist = reports.band_distribution(cycle)
    assert {b.key: b.count for b in dist.bands} == {
        "band.champion": 1,
        "band.supporter": 2,
        "band.cautious": 0,
        "band.skeptical": 1,
        "band.resistant": 0,
    }
    assert dist.scored == 4
    assert dist.at_or_above == 3
    share = reports.share_at_or_above_70(org)
    assert (share.leaders, share.at_or_above, share.percent) == (4, 3, 75.0)
    assert share.meets_target is False
    assert share.qualifying_score == 70


def test_share_70_reads_each_leaders_latest_cycle(org: Organisation, unit: OrgUnit) -> None:
    now = timezone.now()
    old = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=200))
    new = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=20))
    a, b = (make_person(org, org_unit=unit) for _ in range(2))
    stored(org, a, old, uniform(2))
    stored(org, a, new, uniform(4))
    stored(org, b, old, uniform(5))  # not in the new cycle: the old result stands
    share = reports.share_at_or_above_70(org)
    assert (share.leaders, share.at_or_above) == (2, 2)
    assert (
        reports.share_at_or_above_70(Organisation.objects.create(name="Empty", slug="e")).percent
        is None
    )


def test_transition_matrix(org: Organisation, unit: OrgUnit) -> None:
    now = timezone.now()
    first = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=120))
    second = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=20))
    people = [make_person(org, org_unit=unit) for _ in range(4)]
    for p, (before, after) in zip(people, [(3, 4), (3, 3), (5, 4), (None, 2)], strict=True):
        if before is not None:
            stored(org, p, first, uniform(before))
        stored(org, p, second, uniform(after))
    moves = reports.transitions(first, second)
    assert moves.matrix["band.cautious"]["band.supporter"] == 1
    assert moves.matrix["band.cautious"]["band.cautious"] == 1
    assert moves.matrix["band.champion"]["band.supporter"] == 1
    assert (moves.both, moves.up, moves.same, moves.down, moves.new) == (3, 1, 1, 1, 1)
    view = reports.organisation_view(org)
    assert view.cycle == second
    assert view.compare == first
    assert view.transitions is not None


def test_a_small_cycle_closing_last_is_not_the_organisation_by_default(
    org: Organisation, unit: OrgUnit
) -> None:
    now = timezone.now()
    everyone = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=60))
    pilot = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=20))
    people = _units(org, {"Alpha": 6, "Beta": 6})
    leaders = [p for group in people.values() for p in group]
    for p in leaders:
        stored(org, p, everyone, uniform(3))
    stored(org, leaders[0], pilot, uniform(5))
    view = reports.organisation_view(org)
    assert view.cycle == everyone
    # It can still be chosen, and a cycle half as large as the largest counts as whole.
    assert reports.organisation_view(org, cycle_id=pilot.pk).cycle == pilot
    for p in leaders[1:6]:
        stored(org, p, pilot, uniform(5))
    assert reports.organisation_view(org).cycle == pilot


def test_completion_by_category(org: Organisation, leader_person: Person) -> None:
    cycle = open_cycle(org)
    add_rating(cycle, leader_person, "peer", uniform(3))
    result = rated(org, leader_person, self_answers=uniform(3), cycle=cycle)
    Invitation.objects.create(
        organisation=org,
        campaign=cycle.campaign,
        person=make_person(org),
        subject=leader_person,
        nonce="pending",
        category="direct_report",
    )
    rows = {r.category: r for r in reports.completion(result.cycle)}
    assert rows["self"].invited == 1
    assert rows["peer"].invited == 1
    assert (rows["direct_report"].invited, rows["direct_report"].completed) == (1, 0)
    assert rows["all"].invited == 3
    assert rows["all"].completed == 2


def test_organisation_view_query_count(
    org: Organisation, unit: OrgUnit, django_assert_max_num_queries: Any
) -> None:
    now = timezone.now()
    first = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=120))
    second = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=20))
    people = _units(org, {"Alpha": 6, "Beta": 6})
    for group in people.values():
        for p in group:
            stored(org, p, first, uniform(3))
            stored(org, p, second, uniform(4))
    # The heatmap is computed once and then read from the shared cache (database cache:
    # its read, and on a miss its write); both counts are fixed whatever the size.
    with django_assert_max_num_queries(18):
        view = reports.organisation_view(org)
        assert view.heatmap is not None
        assert len(view.heatmap.rows) == 2
    with django_assert_max_num_queries(12):
        again = reports.organisation_view(org)
        assert again.heatmap == view.heatmap
    with django_assert_max_num_queries(1):
        assert len(reports.leader_rows(second)) == 12


def test_other_organisations_results_are_not_counted(
    org: Organisation, other_org: Organisation, unit: OrgUnit
) -> None:
    cycle = make_cycle(organisation=org)
    stored(org, make_person(org, org_unit=unit), cycle, uniform(4))
    theirs = make_cycle(organisation=other_org)
    stored(other_org, make_person(other_org), theirs, uniform(1))
    assert reports.share_at_or_above_70(org).leaders == 1
    assert reports.band_distribution(cycle).scored == 1
