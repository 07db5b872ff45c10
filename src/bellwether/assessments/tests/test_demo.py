"""The readiness demo: two closed cycles a quarter apart with movement, one open cycle,
for the demo organisation's leaders, built quickly, sealed like real submissions and
released like a real close."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bellwether.accounts.models import Membership
from bellwether.assessments import selectors
from bellwether.assessments.demo import build_demo
from bellwether.assessments.models import LeaderResult, ReadinessCycle
from bellwether.demo.services import build_demo_organisation
from bellwether.surveys.models import (
    Answer,
    Ballot,
    Completion,
    Invitation,
    Release,
    Response,
)

pytestmark = pytest.mark.django_db


def test_the_demo_builds_three_cycles_with_believable_movement() -> None:
    organisation = build_demo_organisation(seed=7, modules=False)
    # Rows are written in bulk, not one statement per leader or rating (how fast is
    # measured in benchmarks/, not here).
    with CaptureQueriesContext(connection) as queries:
        summary = build_demo(organisation=organisation, seed=7)
    assert summary.startswith("assessments: 3 readiness cycles for ")
    cycles = list(ReadinessCycle.objects.filter(organisation=organisation).order_by("opens_at"))
    assert [c.is_closed for c in cycles] == [True, True, False]
    assert 80 <= (cycles[1].opens_at - cycles[0].opens_at).days <= 100
    leaders = cycles[0].leaders.count()
    assert 100 <= leaders <= 200
    assert len(queries) < leaders, len(queries)

    first = dict(LeaderResult.objects.filter(cycle=cycles[0]).values_list("person_id", "band_key"))
    second = dict(LeaderResult.objects.filter(cycle=cycles[1]).values_list("person_id", "band_key"))
    assert len(first) >= 0.9 * leaders
    assert len(second) >= 0.9 * leaders
    moved = Counter(first[p] != second[p] for p in first.keys() & second.keys())
    assert moved[True] >= 0.2 * len(first)  # bands move between quarters
    assert moved[False] >= 0.2 * len(first)  # and many stay
    assert len(set(second.values())) >= 4
    # Most results rest on others' ratings; a few are self-reported.
    assert LeaderResult.objects.filter(cycle=cycles[1], self_reported=False).count() > (
        0.6 * len(second)
    )

    # Closed cycles are released like a real close: released, no ballot or individual
    # answer left; the open one is sealed and has no result at all.
    assert [c.is_released for c in cycles] == [True, True, False]
    assert Release.objects.filter(campaign__in=[c.campaign for c in cycles[:2]]).count() == 2
    assert not Ballot.objects.filter(campaign__in=[c.campaign for c in cycles[:2]]).exists()
    assert not Response.objects.filter(organisation=organisation).exists()
    assert not Answer.objects.filter(organisation=organisation).exists()
    assert Ballot.objects.filter(campaign=cycles[2].campaign).exists()
    assert not LeaderResult.objects.filter(cycle=cycles[2]).exists()
    # Every stored result was published with its rater groups.
    assert all(
        r.groups.get("base_minimum") == 3 for r in LeaderResult.objects.filter(cycle=cycles[1])
    )

    # The demo leader: results in both closed cycles, self-assessment pending in the open.
    leader_id = Membership.objects.get(
        organisation=organisation, user__email__startswith="leader@"
    ).person_id
    assert leader_id is not None
    assert LeaderResult.objects.filter(person_id=leader_id, cycle__in=cycles[:2]).count() == 2
    own = Invitation.objects.get(
        campaign=cycles[2].campaign, person_id=leader_id, subject_id=leader_id
    )
    assert not Completion.objects.filter(invitation=own).exists()
    assert Invitation.objects.filter(campaign=cycles[2].campaign, subject_id=leader_id).count() >= 4
    # The coach's coachees have results.
    coach = Membership.objects.get(organisation=organisation, user__email__startswith="coach@")
    coachees = list(coach.assignments.values_list("person_id", flat=True))
    assert coachees
    assert set(coachees) <= set(selectors.current_bands(organisation, person_ids=coachees))
    # The demo leader's current band comes from the latest released cycle.
    band = selectors.current_bands(organisation, person_ids=[leader_id])[leader_id]
    assert band.cycle_id == cycles[1].pk
