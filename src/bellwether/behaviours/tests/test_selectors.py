"""The reads: the database's consistency equals the per-leader computation; KPI 2's
share; the organisation view in a fixed number of queries; observations under the 360
rules; who reads a recognition."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bellwether.accounts.models import Membership
from bellwether.behaviours import consistency, selectors, services
from bellwether.behaviours.models import CheckIn, Observation
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES
from bellwether.people.models import LeaderLevel, OrgUnit, Person
from bellwether.testing.factories import PersonFactory

AS_OF = dt.date(2026, 6, 17)


def _person(**fields: Any) -> Person:
    return cast(Person, PersonFactory(**fields))


def _history(org: Organisation, person: Person, rng: random.Random, days: int, p: float) -> None:
    rows = []
    for age in range(days):
        day = AS_OF - dt.timedelta(days=age)
        if rng.random() > p:
            continue
        keys = [
            k for k in consistency.KEYS if k.startswith("behaviour.daily.") and rng.random() < p
        ]
        if age % 7 == 0:
            keys.append(consistency.KEYS[5])
        if day.day == 3:
            keys.append(consistency.KEYS[10])
        row = CheckIn(
            organisation=org,
            person=person,
            day=day,
            submitted_at=dt.datetime(2026, 6, 17, tzinfo=dt.UTC),
        )
        row.set_ticks(consistency.mask_of(keys))
        rows.append(row)
    CheckIn.objects.bulk_create(rows)


@pytest.fixture
def leaders(org: Organisation, unit: OrgUnit) -> list[Person]:
    rng = random.Random(7)
    people = []
    for i, (days, p) in enumerate([(400, 0.9), (200, 0.5), (20, 1.0), (90, 0.1)]):
        person = _person(
            organisation=org,
            employee_id=f"X{i}",
            org_unit=unit,
            leader_level=[LeaderLevel.SENIOR, LeaderLevel.OPERATIONAL][i % 2],
        )
        _history(org, person, rng, days, p)
        people.append(person)
    return people


def test_the_databases_scores_equal_the_per_leader_computation(
    org: Organisation, leaders: list[Person]
) -> None:
    silent = _person(organisation=org, employee_id="S", leader_level=LeaderLevel.SENIOR)
    scores = selectors.consistency_for(
        organisation=org, person_ids=[p.pk for p in [*leaders, silent]], as_of=AS_OF
    )
    for person in leaders:
        assert scores[person.pk] == pytest.approx(
            selectors.person_consistency(person, AS_OF).overall, abs=1e-4
        )
    assert scores[silent.pk] == 0.0
    assert 0 < min(scores[p.pk] for p in leaders) < max(scores[p.pk] for p in leaders) <= 100


def test_kpi_2_counts_leaders_at_or_above_the_threshold_over_four_weeks(
    org: Organisation, leaders: list[Person]
) -> None:
    shows, counted = selectors.daily_behaviour_share(
        organisation=org, as_of=AS_OF, person_ids=[p.pk for p in leaders]
    )
    assert counted == 4
    for person in leaders:
        rows = CheckIn.objects.filter(person=person).values_list("day", "done")
        daily = consistency.person_consistency(
            list(rows), as_of=AS_OF, window_days=RULES.demonstrates_window_days
        ).by_frequency["daily"]
        assert consistency.demonstrates(daily) == (
            selectors.daily_behaviour_share(organisation=org, as_of=AS_OF, person_ids=[person.pk])
            == (1, 1)
        )
    assert 1 <= shows < 4
    # Without ids: every active leader of the organisation.
    assert (
        selectors.daily_behaviour_share(organisation=org, as_of=AS_OF)[1]
        == Person.objects.filter(organisation=org).exclude(leader_level="").count()
    )


def test_the_organisation_view_takes_a_fixed_number_of_queries(
    org: Organisation, leaders: list[Person]
) -> None:
    with CaptureQueriesContext(connection) as queries:
        view = selectors.organisation_consistency(org, AS_OF)
    assert len(queries) == 3  # the leaders, their check-ins' sums, the top-level units
    assert (
        view.overall.leaders
        == Person.objects.filter(organisation=org).exclude(leader_level="").count()
    )
    assert sum(r.leaders for r in view.by_level) == view.overall.leaders
    # The one pass over the year gives KPI 2 as the four-week read does.
    assert (view.overall.demonstrating, view.overall.leaders) == selectors.daily_behaviour_share(
        organisation=org, as_of=AS_OF
    )
    assert sum(r.leaders for r in view.by_unit) == view.overall.leaders


# --- observations ------------------------------------------------------------------------


@pytest.fixture
def team(org: Organisation, leader_person: Person) -> dict[str, list[Person]]:
    """leader_person manages four reports; their manager has three other reports."""
    boss = _person(organisation=org, employee_id="BOSS", leader_level=LeaderLevel.EXECUTIVE)
    Person.objects.filter(pk=leader_person.pk).update(manager=boss)
    leader_person.refresh_from_db()
    reports = [
        _person(organisation=org, employee_id=f"R{i}", manager=leader_person) for i in range(4)
    ]
    peers = [_person(organisation=org, employee_id=f"P{i}", manager=boss) for i in range(2)]
    return {"reports": reports, "peers": peers, "boss": [boss]}


def test_only_a_direct_report_or_a_peer_may_observe(
    leader_person: Person, team: dict[str, list[Person]], bystander: Person
) -> None:
    today = services.today_for(leader_person.organisation)
    row = services.record_observation(
        observer=team["reports"][0],
        subject=leader_person,
        month=today,
        behaviours=[consistency.KEYS[0]],
        actor=None,
    )
    assert row.relation == Observation.Relation.DIRECT_REPORT
    peer = services.record_observation(
        observer=team["peers"][0], subject=leader_person, month=today, behaviours=[], actor=None
    )
    assert peer.relation == Observation.Relation.PEER
    with pytest.raises(DomainError, match="manager or of a peer"):
        services.record_observation(
            observer=bystander, subject=leader_person, month=today, behaviours=[], actor=None
        )
    with pytest.raises(DomainError, match="this month or last"):
        services.record_observation(
            observer=team["reports"][1],
            subject=leader_person,
            month=today - dt.timedelta(days=70),
            behaviours=[],
            actor=None,
        )
    assert Observation.objects.count() == 2


def test_observations_are_shown_only_in_groups_at_or_above_the_minimum(
    leader_person: Person, team: dict[str, list[Person]]
) -> None:
    today = services.today_for(leader_person.organisation)
    key = consistency.KEYS[0]
    for observer in team["reports"][:2] + team["peers"][:1]:
        services.record_observation(
            observer=observer, subject=leader_person, month=today, behaviours=[key], actor=None
        )
    groups = {g.key: g for g in selectors.observation_summary(leader_person, today)[0]}
    # 3 observers in all, but 2 reports and 1 peer: the total alone is shown; a group
    # below the minimum never is.
    assert groups["all"].shown
    assert groups["all"].seen[key] == 3
    assert not groups["peer"].shown
    assert not groups["direct_report"].shown
    assert groups["peer"].seen == {}
    assert groups["direct_report"].seen == {}
    services.record_observation(
        observer=team["reports"][2], subject=leader_person, month=today, behaviours=[], actor=None
    )
    groups = {g.key: g for g in selectors.observation_summary(leader_person, today)[0]}
    # 3 reports + 1 peer: showing reports and the total would reveal the single peer.
    assert not groups["peer"].shown
    assert not (groups["all"].shown and groups["direct_report"].shown)


# --- recognition -------------------------------------------------------------------------


def test_a_recognition_is_read_by_the_recognised_their_manager_and_the_giver(
    members: dict[str, Membership], coachee: Person, leader_person: Person, bystander: Person
) -> None:
    # coachee's manager is leader_person (the leader member).
    row = services.give_recognition(
        given_by=bystander,
        recognised=coachee,
        behaviour_key=consistency.KEYS[3],
        message="Thanks!",
        actor=None,
    )
    assert list(selectors.recognitions_visible_to(members["leader"])) == [row]
    assert not selectors.recognitions_visible_to(members["admin"]).exists()  # no person
    for giver in (bystander, leader_person):  # a second from the same giver, one from another
        services.give_recognition(
            given_by=giver,
            recognised=coachee,
            behaviour_key=consistency.KEYS[4],
            message="",
            actor=None,
        )
    with CaptureQueriesContext(connection) as queries:
        counts = selectors.recognitions_by_leader(
            organisation=coachee.organisation,
            leader_ids=[coachee.pk, leader_person.pk],
            start=row.created_at.date(),
            end=row.created_at.date(),
        )
    assert len(queries) == 1
    assert counts == {
        coachee.pk: selectors.RecognitionTally(received=3, colleagues=2),
        leader_person.pk: selectors.RecognitionTally(received=0, colleagues=0),
    }
    before = row.created_at.date() - dt.timedelta(days=1)
    assert selectors.recognitions_by_leader(
        organisation=coachee.organisation, leader_ids=[coachee.pk], start=before, end=before
    ) == {coachee.pk: selectors.RecognitionTally(0, 0)}


def test_recognising_oneself_or_an_unknown_behaviour_is_refused_and_nothing_saved(
    coachee: Person,
) -> None:
    with pytest.raises(DomainError) as refused:
        services.give_recognition(
            given_by=coachee, recognised=coachee, behaviour_key="x", message="", actor=None
        )
    assert set(refused.value.field_errors) == {"recognised", "behaviour"}
    from bellwether.behaviours.models import Recognition

    assert not Recognition.objects.exists()
