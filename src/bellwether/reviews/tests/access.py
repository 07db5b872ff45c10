"""Quarterly reviews: pages and API operations for the access matrix.

The world opens the 2026-Q1 reviews. The coachee's review is written by the assigned
reviewer (an ``Assignment`` of kind reviewee wins over the manager, who is the leader
member); the leader member's own review has no reviewer (admins write it) and is shared
with them, so they may acknowledge it. Coaches have no reviews (403); sponsors read all
and write none.
"""

from __future__ import annotations

import datetime as dt

from bellwether.reviews import services
from bellwether.reviews.models import Review, ReviewCycle, ReviewStatus, ScoreEntry
from bellwether.testing.access import Operation, Page, World, api_only, everyone, only, pk_of

BASE = "/api/v1/reviews"
PLAN = {"priorities": ["Use AI in weekly planning"], "goals": ["Run two AI pilots"]}


def build(world: World) -> None:
    cycle = services.open_cycle(
        organisation=world["org"], quarter="2026-Q1", actor=None, due_on=dt.date(2026, 4, 14)
    )
    world["review_cycle"] = cycle
    coachee = Review.objects.get(cycle=cycle, person=world["coachee"])
    services.set_plan(review=coachee, actor=None, **PLAN)
    world["review_coachee"] = coachee
    own = Review.objects.get(cycle=cycle, person=world["leader_person"])
    services.set_plan(review=own, actor=None, **PLAN)
    services.submit_review(review=own, actor=None)
    world["review_own"] = own


_cycle = pk_of("review_cycle")
_coachee = pk_of("review_coachee")
_own = pk_of("review_own")
_cycle_api = pk_of("review_cycle", "cycle_id")
_coachee_api = pk_of("review_coachee", "review_id")
_own_api = pk_of("review_own", "review_id")


def _drop_new_cycle(world: World) -> None:
    ReviewCycle.objects.filter(organisation=world["org"], quarter="2026-Q3").delete()


def _unremind(world: World) -> None:
    Review.objects.filter(cycle=world["review_cycle"]).update(reminded_on=None)


def _unadjust(world: World) -> None:
    review = world["review_coachee"]
    ScoreEntry.objects.filter(review=review, kind=ScoreEntry.Kind.ADJUSTED).delete()
    Review.objects.filter(pk=review.pk).update(
        personal=review.personal, total=review.total, updated_at=review.updated_at
    )


def _replan(world: World) -> None:
    review = world["review_coachee"]
    Review.objects.filter(pk=review.pk).update(
        development_priorities=PLAN["priorities"],
        next_quarter_goals=PLAN["goals"],
        updated_at=review.updated_at,
    )


def _unsubmit(world: World) -> None:
    review = world["review_coachee"]
    Review.objects.filter(pk=review.pk).update(
        status=ReviewStatus.DRAFT, submitted_at=None, updated_at=review.updated_at
    )


def _unacknowledge(world: World) -> None:
    review = world["review_own"]
    Review.objects.filter(pk=review.pk).update(
        status=ReviewStatus.SUBMITTED,
        acknowledged_at=None,
        acknowledgement_note="",
        updated_at=review.updated_at,
    )


LISTERS = ("admin", "sponsor", "leader", "reviewer")
COACHEE_VIEW = only(("admin", "sponsor", "reviewer"), outsider=404) | {"leader": 404}
OWN_VIEW = only(("admin", "sponsor", "leader"), outsider=404) | {"reviewer": 404}
COACHEE_EDIT_API = api_only(("admin", "reviewer"), outsider=404) | {"leader": 404}

PAGES: list[Page] = [
    Page("reviews:home", only(LISTERS)),
    Page("reviews:cycle_new", everyone(405)),
    Page("reviews:cycle", only(("admin", "sponsor"), outsider=404), _cycle, True),
    Page("reviews:remind", everyone(405), _cycle, True),
    Page("reviews:review", COACHEE_VIEW, _coachee, True),
    Page("reviews:review", OWN_VIEW, _own, True),
    *(
        Page(f"reviews:{name}", everyone(405), _coachee, True)
        for name in ("adjust", "plan", "submit", "acknowledge")
    ),
]

OPERATIONS: list[Operation] = [
    Operation("get", f"{BASE}/cycles", api_only(("admin", "sponsor"))),
    Operation(
        "post",
        f"{BASE}/cycles",
        api_only(("admin",), ok=201, outsider=400),  # the outsider has no leaders
        body=lambda w: {"quarter": "2026-Q3"},
        restore=_drop_new_cycle,
    ),
    Operation(
        "get",
        f"{BASE}/cycles/{{cycle_id}}",
        api_only(("admin", "sponsor"), outsider=404),
        params=_cycle_api,
        is_object=True,
    ),
    Operation(
        "get",
        f"{BASE}/cycles/{{cycle_id}}/calibration",
        api_only(("admin", "sponsor"), outsider=404),
        params=_cycle_api,
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/cycles/{{cycle_id}}/reminders",
        api_only(("admin",), outsider=404),
        params=_cycle_api,
        body=lambda w: {},
        is_object=True,
        restore=_unremind,
    ),
    Operation("get", BASE, api_only(LISTERS)),
    Operation(
        "get",
        f"{BASE}/{{review_id}}",
        api_only(("admin", "sponsor", "reviewer"), outsider=404) | {"leader": 404},
        params=_coachee_api,
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/{{review_id}}/scores",
        COACHEE_EDIT_API,
        params=_coachee_api,
        body=lambda w: {
            "component": "review.personal_development",
            "value": 20,
            "reason": "Ran the team's AI clinic",
        },
        is_object=True,
        restore=_unadjust,
    ),
    Operation(
        "put",
        f"{BASE}/{{review_id}}/plan",
        COACHEE_EDIT_API,
        params=_coachee_api,
        body=lambda w: {"development_priorities": ["Prompting"], "next_quarter_goals": ["Pilot"]},
        is_object=True,
        restore=_replan,
    ),
    Operation(
        "post",
        f"{BASE}/{{review_id}}/submit",
        COACHEE_EDIT_API,
        params=_coachee_api,
        body=lambda w: {},
        is_object=True,
        restore=_unsubmit,
    ),
    Operation(
        "post",
        f"{BASE}/{{review_id}}/acknowledge",
        api_only(("leader",), outsider=404) | {"reviewer": 404},
        params=_own_api,
        body=lambda w: {"note": "Thank you"},
        is_object=True,
        restore=_unacknowledge,
    ),
]
