"""Engagement plans: pages and API operations for the access matrix.

The world's plan belongs to the coachee (so the coach sees and edits it); the leader
member may see only their own plan, so the coachee's is 404 for them; reviewers see no
plans (403); sponsors read everything but edit nothing (403 on edits).
"""

from __future__ import annotations

import datetime
from typing import Any

from bellwether.engagement import services
from bellwether.engagement.models import EngagementPlan, PlanReview
from bellwether.testing.access import Operation, Page, World, api_only, everyone, only, pk_of

BASE = "/api/v1/engagement"


def build(world: World) -> None:
    coachee = world["coachee"]
    services.set_barriers(person=coachee, actor=None, marks={"barrier.risk_aversion": "primary"})
    world["engagement_plan"] = services.generate_plan(
        person=coachee, actor=None, start=datetime.date(2026, 1, 5)
    )


_coachee = pk_of("coachee")
_leader = pk_of("leader_person")
_coachee_api = pk_of("coachee", "person_id")


def _undo_review(world: World) -> None:
    plan = world["engagement_plan"]
    PlanReview.objects.filter(plan=plan).delete()
    EngagementPlan.objects.filter(pk=plan.pk).update(
        next_review_due=datetime.date(2026, 1, 12),
        next_review_key="engagement_review.weekly_check_in",
    )


READERS = ("admin", "sponsor", "coach")  # of the coachee's plan
EDITORS = ("admin", "coach")
ALL = ("admin", "sponsor", "coach", "leader")

# The leader member may open plans but not the coachee's: 404, like another org's.
COACHEE_VIEW = only(READERS, outsider=404) | {"leader": 404}
COACHEE_EDIT_API = api_only(EDITORS, outsider=404) | {"leader": 404}


def _coachee_write(method: str, path: str, body: dict[str, Any], **more: Any) -> Operation:
    """A write to the coachee's barriers or plan (``path`` under BASE): its editors only."""
    return Operation(
        method,
        f"{BASE}/{path}",
        COACHEE_EDIT_API,
        params=_coachee_api,
        body=lambda w: body,
        is_object=True,
        **more,
    )


PAGES: list[Page] = [
    Page("engagement:home", only(ALL)),
    Page("engagement:frequency", only(("admin", "sponsor"))),
    Page("engagement:plan", COACHEE_VIEW, kwargs=_coachee, is_object_page=True),
    Page(
        "engagement:plan",
        only(("admin", "sponsor", "leader"), outsider=404) | {"coach": 404},
        kwargs=_leader,
        is_object_page=True,
    ),
    Page("engagement:barriers", COACHEE_VIEW, kwargs=_coachee, is_object_page=True),
    Page("engagement:pdf", COACHEE_VIEW, kwargs=_coachee, is_object_page=True),
    # POST-only forms of the plan page.
    *(
        Page(f"engagement:{name}", everyone(405), kwargs=_coachee, is_object_page=True)
        for name in ("generate", "edit", "action", "status", "review")
    ),
]

OPERATIONS: list[Operation] = [
    Operation("get", f"{BASE}/barriers/frequency", api_only(("admin", "sponsor"))),
    Operation(
        "get",
        f"{BASE}/barriers/{{person_id}}",
        api_only(READERS, outsider=404) | {"leader": 404},
        params=_coachee_api,
        is_object=True,
    ),
    _coachee_write("put", "barriers/{person_id}", {"marks": {"barrier.risk_aversion": "primary"}}),
    Operation("get", f"{BASE}/plans", api_only(ALL)),
    Operation(
        "get",
        f"{BASE}/plans/{{person_id}}",
        api_only(READERS, outsider=404) | {"leader": 404},
        params=_coachee_api,
        is_object=True,
    ),
    _coachee_write("post", "plans/{person_id}/generate", {}),
    _coachee_write("patch", "plans/{person_id}", {"resource_constraints": "Two days a month"}),
    _coachee_write("post", "plans/{person_id}/status", {"status": "active"}),
    _coachee_write(
        "post",
        "plans/{person_id}/reviews",
        {"cadence_key": "engagement_review.weekly_check_in", "due_date": "2026-01-12"},
        restore=_undo_review,
    ),
]
