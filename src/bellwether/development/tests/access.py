"""Development plans and workshops: pages and API operations for the access matrix.

The world's plan belongs to the coachee (the coach sees and edits it; the leader member
gets 404 for it, like another organisation's); sponsors see aggregates and workshops,
not one leader's plan; reviewers see nothing here."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from bellwether.development import services
from bellwether.development.models import (
    Commitment,
    LearningPlan,
    MilestoneReview,
    PlanItem,
    ResourceCommitment,
    VisionMetric,
    VisionStatement,
)
from bellwether.development.tests.factories import active_plan, peer_circle
from bellwether.testing.access import Operation, Page, World, api_only, everyone, only

BASE = "/api/v1/development"


def build(world: World) -> None:
    coachee = world["coachee"]
    plan = active_plan(coachee)  # agreed by both sides
    world["learning_plan"] = plan
    # An item already taken off the plan, for the API's "put back".
    taken_off = plan.items.exclude(source="organisation").order_by("-id").first()
    assert taken_off is not None, "a generated plan has items of its own to take off"
    PlanItem.objects.filter(pk=taken_off.pk).update(removed_at=timezone.now())
    world["removed_item"] = taken_off
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    world["workshop"] = services.schedule_workshop(
        organisation=world["org"],
        actor=None,
        session_key="vision.reality_and_opportunity",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        invited=[coachee.pk],
    )
    world["org_module"] = peer_circle(world["org"])
    world["vision_statement"] = services.propose_vision(
        organisation=world["org"], actor=None, text="AI in every team", workshop=world["workshop"]
    )
    world["resource"] = services.add_resource(
        workshop=world["workshop"],
        actor=None,
        description="Licences",
        amount="1000",
        owner_id=coachee.pk,
        due=datetime.date(2026, 3, 1),
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


def _first_item(world: World) -> PlanItem:
    return world["learning_plan"].items.exclude(source="organisation").order_by("id").first()


def _undo_swap(world: World) -> None:
    plan = world["learning_plan"]
    PlanItem.objects.filter(plan=plan).update(removed_at=None, replaced_by=None)
    PlanItem.objects.filter(plan=plan, key=world["org_module"].key).delete()


def _put_back_first_item(world: World) -> None:
    PlanItem.objects.filter(pk=_first_item(world).pk).update(removed_at=None)


def _take_off_again(world: World) -> None:
    PlanItem.objects.filter(pk=world["removed_item"].pk).update(removed_at=timezone.now())


def _first_milestone(world: World) -> str:
    return world["learning_plan"].milestones.order_by("due").first().key


def _undo_review(world: World) -> None:
    MilestoneReview.objects.filter(plan=world["learning_plan"]).update(
        reviewed_on=None, rating="", notes="", reviewer=None
    )


def _undo_outcomes(world: World) -> None:
    statement = world["vision_statement"]
    VisionStatement.objects.exclude(pk=statement.pk).delete()
    VisionStatement.objects.filter(pk=statement.pk).update(adopted_at=None)
    VisionMetric.objects.all().delete()
    ResourceCommitment.objects.exclude(pk=world["resource"].pk).delete()
    ResourceCommitment.objects.filter(pk=world["resource"].pk).update(allocated_on=None)
    Commitment.objects.all().delete()
    PlanItem.objects.filter(source=PlanItem.Source.WORKSHOP).delete()


def _ws_api(world: World) -> dict[str, Any]:
    return {"workshop_id": world["workshop"].pk}


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
    # Changing a plan: the coachee's coach and admins (the leader may only tick modules).
    Operation(
        "post",
        f"{BASE}/plans/{{plan_id}}/items/{{item_id}}/swap",
        api_only(PLAN_READERS, outsider=404) | {"leader": 404},
        params=lambda w: {"plan_id": w["learning_plan"].pk, "item_id": _first_item(w).pk},
        body=lambda w: {"module_key": w["org_module"].key},
        is_object=True,
        restore=_undo_swap,
    ),
    Operation(
        "post",
        f"{BASE}/plans/{{plan_id}}/items/{{item_id}}/remove",
        api_only(PLAN_READERS, outsider=404) | {"leader": 404},
        params=lambda w: {"plan_id": w["learning_plan"].pk, "item_id": _first_item(w).pk},
        is_object=True,
        restore=_put_back_first_item,
    ),
    Operation(
        "post",
        f"{BASE}/plans/{{plan_id}}/items/{{item_id}}/restore",
        api_only(PLAN_READERS, outsider=404) | {"leader": 404},
        params=lambda w: {"plan_id": w["learning_plan"].pk, "item_id": w["removed_item"].pk},
        is_object=True,
        restore=_take_off_again,
    ),
    Operation(
        "post",
        f"{BASE}/plans/{{plan_id}}/milestones",
        api_only(PLAN_READERS, outsider=404) | {"leader": 404},
        params=_plan_api,
        body=lambda w: {"key": _first_milestone(w), "rating": "milestone_rating.on_track"},
        is_object=True,
        restore=_undo_review,
    ),
    # A workshop and its outcomes: read by those who see workshops, recorded by admins.
    Operation(
        "get",
        f"{BASE}/workshops/{{workshop_id}}",
        api_only(("admin", "sponsor", "leader"), outsider=404),
        params=_ws_api,
        is_object=True,
    ),
    Operation(
        "put",
        f"{BASE}/workshops/{{workshop_id}}/agenda",
        api_only(("admin",), outsider=404),
        params=_ws_api,
        body=lambda w: {"agenda": [{"title": "Opening", "minutes": 30}]},
        is_object=True,
    ),
    # The world's workshop has not started: attendance is the domain's refusal (400).
    Operation(
        "post",
        f"{BASE}/workshops/{{workshop_id}}/attendance",
        api_only(("admin",), outsider=404, ok=400),
        params=_ws_api,
        body=lambda w: {"attended": [w["coachee"].pk]},
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/workshops/{{workshop_id}}/vision",
        api_only(("admin",), outsider=404),
        params=_ws_api,
        body=lambda w: {"text": "Version two"},
        is_object=True,
        restore=_undo_outcomes,
    ),
    Operation(
        "post",
        f"{BASE}/vision/{{statement_id}}/adopt",
        api_only(("admin",), outsider=404),
        params=lambda w: {"statement_id": w["vision_statement"].pk},
        is_object=True,
        restore=_undo_outcomes,
    ),
    Operation(
        "post",
        f"{BASE}/workshops/{{workshop_id}}/metrics",
        api_only(("admin",), outsider=404),
        params=_ws_api,
        body=lambda w: {"kpi_key": "kpi.executive_fluency", "target": "80%"},
        is_object=True,
        restore=_undo_outcomes,
    ),
    Operation(
        "post",
        f"{BASE}/workshops/{{workshop_id}}/resources",
        api_only(("admin",), outsider=404),
        params=_ws_api,
        body=lambda w: {
            "description": "Trainers",
            "owner_id": w["coachee"].pk,
            "due": "2026-04-01",
        },
        is_object=True,
        restore=_undo_outcomes,
    ),
    Operation(
        "post",
        f"{BASE}/resources/{{resource_id}}/allocated",
        api_only(("admin",), outsider=404),
        params=lambda w: {"resource_id": w["resource"].pk},
        body=lambda w: {"allocated_on": "2026-01-10"},
        is_object=True,
        restore=_undo_outcomes,
    ),
    Operation(
        "post",
        f"{BASE}/workshops/{{workshop_id}}/commitments",
        api_only(("admin",), outsider=404),
        params=_ws_api,
        body=lambda w: {"person_id": w["coachee"].pk, "text": "Lead the pilot"},
        is_object=True,
        restore=_undo_outcomes,
    ),
]
