"""Development plans and workshops: pages and API operations for the access matrix.

The world's plan belongs to the coachee (the coach sees and edits it; the leader member
gets 404 for it, like another organisation's); sponsors see aggregates and workshops,
not one leader's plan; reviewers see nothing here."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from bellwether.development import services
from bellwether.development.models import LearningPlan, PlanItem
from bellwether.testing.access import Operation, Page, World, api_only, everyone, only

BASE = "/api/v1/development"


def build(world: World) -> None:
    coachee = world["coachee"]
    plan = services.generate_plan(person=coachee, actor=None, start=datetime.date(2026, 1, 5))
    LearningPlan.objects.filter(pk=plan.pk).update(status="active")  # agreed by both sides
    world["learning_plan"] = plan
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    world["workshop"] = services.schedule_workshop(
        organisation=world["org"],
        actor=None,
        session_key="vision.reality_and_opportunity",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        invited=[coachee.pk],
    )


def _plan(world: World) -> dict[str, Any]:
    return {"pk": world["learning_plan"].pk}


def _plan_api(world: World) -> dict[str, Any]:
    return {"plan_id": world["learning_plan"].pk}


def _workshop(world: World) -> dict[str, Any]:
    return {"pk": world["workshop"].pk}


def _undo_complete(world: World) -> None:
    PlanItem.objects.filter(plan=world["learning_plan"]).update(completed_on=None, hours_spent=None)


def _undo_generate(world: World) -> None:
    LearningPlan.objects.filter(person=world["leader_person"]).delete()


PLAN_READERS = ("admin", "coach")
PLAN_VIEW = only(PLAN_READERS, outsider=404) | {"leader": 404}

PAGES: list[Page] = [
    # The menu's entry sends each role on to its page.
    Page(
        "development:home",
        only(("admin", "sponsor", "coach", "leader"))
        | dict.fromkeys(("admin", "sponsor", "coach", "leader", "outsider"), 302),
    ),
    Page("development:my_plan", only(("leader",), outsider=403)),
    Page("development:plans", only(PLAN_READERS)),
    Page("development:plan", PLAN_VIEW, kwargs=_plan, is_object_page=True),
    Page("development:plan_pdf", PLAN_VIEW, kwargs=_plan, is_object_page=True),
    Page("development:act", everyone(405), kwargs=_plan, is_object_page=True),
    Page(
        "development:generate",
        everyone(405),
        kwargs=lambda w: {"person_pk": w["coachee"].pk},
        is_object_page=True,
    ),
    Page("development:cohort", only(("admin", "sponsor"))),
    Page("development:cohort_export", only(("admin", "sponsor"))),
    Page("development:generate_cohort", everyone(405)),
    Page("development:add_module", everyone(405)),
    Page("development:workshops", only(("admin", "sponsor", "leader"))),
    Page("development:schedule", everyone(405)),
    Page(
        "development:workshop",
        only(("admin", "sponsor", "leader"), outsider=404),
        kwargs=_workshop,
        is_object_page=True,
    ),
    Page(
        "development:workshop_ics",
        only(("admin", "sponsor", "leader"), outsider=404),
        kwargs=_workshop,
        is_object_page=True,
    ),
    Page(
        "development:workshop_pdf",
        only(("admin", "sponsor", "leader"), outsider=404),
        kwargs=_workshop,
        is_object_page=True,
    ),
    Page("development:outcome", everyone(405), kwargs=_workshop, is_object_page=True),
]

OPERATIONS: list[Operation] = [
    Operation("get", f"{BASE}/plans", api_only(PLAN_READERS)),
    Operation(
        "get",
        f"{BASE}/plans/{{plan_id}}",
        api_only(PLAN_READERS, outsider=404) | {"leader": 404},
        params=_plan_api,
        is_object=True,
    ),
    # The world's plan is active: those allowed get the domain's refusal (400, "only a
    # draft plan can be agreed"), after access has let them through.
    Operation(
        "post",
        f"{BASE}/plans/{{plan_id}}/agree",
        api_only(PLAN_READERS, outsider=404, ok=400) | {"leader": 404},
        params=_plan_api,
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/plans/{{plan_id}}/items/{{item_id}}/complete",
        api_only(PLAN_READERS, outsider=404) | {"leader": 404},
        params=lambda w: {
            "plan_id": w["learning_plan"].pk,
            "item_id": w["learning_plan"].items.order_by("id").first().pk,
        },
        body=lambda w: {"completed_on": "2026-01-20", "hours_spent": 2},
        is_object=True,
        restore=_undo_complete,
    ),
    Operation(
        "post",
        f"{BASE}/leaders/{{person_id}}/generate",
        api_only(("admin",), outsider=404) | {"coach": 404},
        params=lambda w: {"person_id": w["leader_person"].pk},
        body=lambda w: {"start": "2026-01-05"},
        is_object=True,
        restore=_undo_generate,
    ),
    Operation("get", f"{BASE}/cohort", api_only(("admin", "sponsor"))),
    Operation("get", f"{BASE}/workshops", api_only(("admin", "sponsor", "leader"))),
    Operation("get", f"{BASE}/vision", api_only(("admin", "sponsor", "leader"))),
]
