"""Writes of barrier checklists and engagement plans. Every change is kept: barrier
changes in ``BarrierChange``, plan changes in ``PlanRevision`` (diff and snapshot)."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from bellwether.accounts.models import User
from bellwether.core import audit
from bellwether.core.bounds import year_problem
from bellwether.core.errors import DomainError
from bellwether.engagement import generator, selectors
from bellwether.engagement.models import (
    BarrierChange,
    BarrierMark,
    EngagementPlan,
    PlanReview,
    PlanRevision,
    PlanStatus,
)
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import Person

MAX_TEXT = 2000
EDITABLE_FIELDS = ("role", "target_band", "timeline_text", "resource_constraints")
PERIODS = [p.key for p in CATALOGUE.engagement_plan.action_periods]
STRATEGIES = [s.key for s in CATALOGUE.engagement_plan.strategies]
BANDS = [b.key for b in CATALOGUE.instrument.bands]


def _label(actor: User | None) -> str:
    return actor.email if actor is not None else "system"


# --- Barriers --------------------------------------------------------------------------------


@transaction.atomic
def set_barriers(
    *, person: Person, actor: User | None, marks: Mapping[str, str]
) -> list[BarrierChange]:
    """Replace the leader's checklist with ``marks`` (key -> "primary"/"secondary"; a key
    left out or mapped to "" is unticked). Returns the changes recorded."""
    allowed = {key for key, _, _, _ in selectors.checklist_keys(person)}
    errors: dict[str, list[str]] = {}
    wanted: dict[str, str] = {}
    for key, weight in marks.items():
        if key not in allowed:
            errors.setdefault(key, []).append("Not a barrier or a concern of this leader's level.")
        elif weight not in ("primary", "secondary", ""):
            errors.setdefault(key, []).append('Choose "primary", "secondary" or nothing.')
        elif weight:
            wanted[key] = weight
    if errors:
        raise DomainError(
            "Some lines of the checklist are not valid.", code="invalid", field_errors=errors
        )
    current = {m.key: m for m in BarrierMark.objects.select_for_update().filter(person=person)}
    changes = []
    for key in sorted(set(current) | set(wanted)):
        before = current[key].weight if key in current else ""
        after = wanted.get(key, "")
        if before == after:
            continue
        if not after:
            current[key].delete()
        elif key in current:
            current[key].weight = after
            current[key].updated_by = actor
            current[key].save(update_fields=["weight", "updated_by", "updated_at"])
        else:
            BarrierMark.objects.create(
                organisation_id=person.organisation_id,
                person=person,
                key=key,
                weight=after,
                updated_by=actor,
            )
        changes.append(
            BarrierChange(
                organisation_id=person.organisation_id,
                person=person,
                key=key,
                before=before,
                after=after,
                changed_by=actor,
                changed_by_label=_label(actor),
            )
        )
    if changes:
        BarrierChange.objects.bulk_create(changes)
        audit.record_on(
            person,
            "engagement.barriers_updated",
            actor=actor,
            details={"changes": {c.key: [c.before, c.after] for c in changes}},
        )
    return changes


# --- Plans -------------------------------------------------------------------------------------


def _refresh_next_review(plan: EngagementPlan) -> None:
    found = generator.next_review(plan.content.get("reviews", []), selectors.done_reviews(plan))
    plan.next_review_key, plan.next_review_due = found if found else ("", None)


def _revise(
    plan: EngagementPlan,
    *,
    actor: User | None,
    action: str,
    summary: str,
    diff: dict[str, Any],
) -> PlanRevision:
    number = (plan.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    plan.revision = number
    plan.save()
    revision = PlanRevision.objects.create(
        organisation_id=plan.organisation_id,
        plan=plan,
        number=number,
        action=action,
        summary=summary[:500],
        diff=diff,
        snapshot=plan.content,
        status=plan.status,
        actor=actor,
        actor_label=_label(actor),
    )
    audit.record_on(
        plan,
        f"engagement.plan_{action}",
        actor=actor,
        details={"revision": number, "summary": summary[:300]},
    )
    return revision


def _check_text(name: str, value: str) -> str:
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise DomainError(
            f"{name} is too long.",
            field_errors={name: [f"At most {MAX_TEXT} characters."]},
        )
    return value


@transaction.atomic
def generate_plan(
    *,
    person: Person,
    actor: User | None,
    start: datetime.date | None = None,
    resource_constraints: str | None = None,
) -> EngagementPlan:
    """Generate (or regenerate) the leader's plan from what is known now. A regenerated
    plan keeps its status, start date and resource constraints unless given; the content
    it replaces stays in the revision history."""
    if not person.leader_level:
        raise DomainError(
            f"{person.name} is not a leader: engagement plans are for leaders.", code="not_leader"
        )
    plan = (
        EngagementPlan.objects.select_for_update().filter(person=person).first()
        if person.pk
        else None
    )
    if resource_constraints is not None:
        resource_constraints = _check_text("resource_constraints", resource_constraints)
    constraints = (
        resource_constraints
        if resource_constraints is not None
        else (plan.resource_constraints if plan else "")
    )
    start = start or (plan.start_date if plan else timezone.localdate())
    problem = year_problem(start, what="The plan's start date")
    if problem:
        # A plan runs for months past its start: near year 9999 the dates overflow.
        raise DomainError(problem, field_errors={"start_date": [problem]})
    content = generator.generate(
        selectors.facts_for(person, start=start, resource_constraints=constraints)
    )
    now = timezone.now()
    if plan is None:
        plan = EngagementPlan(
            organisation_id=person.organisation_id, person=person, created_by=actor
        )
        summary = "Plan generated"
        diff: dict[str, Any] = {}
    else:
        summary = "Plan regenerated"
        diff = _content_diff(plan.content, content)
    plan.content = content
    plan.band_key = content["current_band"] or ""
    plan.target_band_key = content["target_band"] or ""
    plan.start_date = start
    plan.resource_constraints = constraints
    plan.generated_at = now
    if plan.pk is None:
        plan.save()
    _refresh_next_review(plan)
    _revise(plan, actor=actor, action="generated", summary=summary, diff=diff)
    return plan


def _content_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    diff: dict[str, Any] = {}
    for key in ("current_label", "target_label", "role"):
        if before.get(key) != after.get(key):
            diff[key] = [before.get(key), after.get(key)]
    old = {s["key"] for s in before.get("strategies", []) if s.get("chosen")}
    new = {s["key"] for s in after.get("strategies", []) if s.get("chosen")}
    if old != new:
        diff["strategies"] = [sorted(old), sorted(new)]
    old_actions = [a["text"] for a in before.get("actions", [])]
    new_actions = [a["text"] for a in after.get("actions", [])]
    if old_actions != new_actions:
        diff["actions"] = {
            "added": [t for t in new_actions if t not in old_actions],
            "removed": [t for t in old_actions if t not in new_actions],
        }
    return diff


def _action(content: dict[str, Any], action_id: str) -> dict[str, Any]:
    for action in content.get("actions", []):
        if action["id"] == action_id:
            return action
    raise DomainError(
        "There is no such action in this plan.",
        field_errors={"actions": [f"No action {action_id}."]},
    )


@transaction.atomic
def edit_plan(
    *,
    plan: EngagementPlan,
    actor: User | None,
    fields: Mapping[str, str] | None = None,
    strategies: Iterable[str] | None = None,
    add_actions: Iterable[tuple[str, str]] = (),
    remove_actions: Iterable[str] = (),
    complete_actions: Iterable[str] = (),
    reopen_actions: Iterable[str] = (),
    reinstate_actions: Iterable[str] = (),
) -> EngagementPlan:
    """Change the plan's fields (role, target band, timeline text, resource constraints),
    its strategy mix (chosen by hand are marked "manual"), and its actions. A removed
    action is kept aside (``removed_actions``) so that it can be reinstated."""
    plan = EngagementPlan.objects.select_for_update().get(pk=plan.pk)
    content = copy.deepcopy(plan.content)
    diff: dict[str, Any] = {}
    for name, value in (fields or {}).items():
        if name not in EDITABLE_FIELDS:
            raise DomainError(
                f"{name} cannot be edited.", field_errors={name: ["Not an editable field."]}
            )
        value = _check_text(name, value or "")
        if name == "target_band":
            if value and value not in BANDS:
                raise DomainError(
                    "Choose a band of the framework.",
                    field_errors={"target_band": ["Not a band of the framework."]},
                )
            before = content.get("target_band")
            if (before or "") != value:
                content["target_band"] = value or None
                content["target_label"] = generator.band_label(value or None)
                content["target_rule"] = "manual"
                plan.target_band_key = value
                diff["target_band"] = [before, value or None]
        elif name == "timeline_text":
            before = content.get("timeline", {}).get("text", "")
            if before != value:
                content.setdefault("timeline", {})["text"] = value
                diff["timeline_text"] = [before, value]
        elif name == "resource_constraints":
            before = content.get("obstacles", {}).get("resource_constraints", "")
            if before != value:
                content.setdefault("obstacles", {})["resource_constraints"] = value
                plan.resource_constraints = value
                diff["resource_constraints"] = [before, value]
        else:  # role
            if content.get("role", "") != value:
                diff["role"] = [content.get("role", ""), value]
                content["role"] = value
    if strategies is not None:
        wanted = set(strategies)
        unknown = wanted - set(STRATEGIES)
        if unknown:
            raise DomainError(
                "Choose strategies of Template 1.",
                field_errors={"strategies": [f"Unknown: {', '.join(sorted(unknown))}."]},
            )
        changed = []
        for strategy in content.get("strategies", []):
            chosen = strategy["key"] in wanted
            if chosen != strategy["chosen"]:
                strategy["chosen"] = chosen
                if chosen and "manual" not in strategy["rules"]:
                    strategy["rules"] = [*strategy["rules"], "manual"]
                changed.append(strategy["key"])
        if changed:
            diff["strategies"] = sorted(changed)
    added, removed, completed, reopened, reinstated = [], [], [], [], []
    for period, text in add_actions:
        if period not in PERIODS:
            raise DomainError(
                "Choose an action period of Template 1.",
                field_errors={"period": ["Not an action period."]},
            )
        text = _check_text("text", text)
        if not text:
            raise DomainError("Write the action.", field_errors={"text": ["Write the action."]})
        ids = [a["id"] for a in [*content.get("actions", []), *content.get("removed_actions", [])]]
        new_id = f"u{sum(1 for i in ids if i.startswith('u')) + 1}"
        while new_id in ids:
            new_id = f"{new_id}x"
        content.setdefault("actions", []).append(
            {
                "id": new_id,
                "period": period,
                "text": text,
                "strategy": "",
                "action_key": "",
                "rule": "manual",
                "messengers": [],
                "done": False,
                "source": "manual",
            }
        )
        added.append(text)
    for action_id in remove_actions:
        action = _action(content, action_id)
        content["actions"].remove(action)
        content.setdefault("removed_actions", []).append(action)
        removed.append(action["text"])
    for action_id in reinstate_actions:
        kept = next((a for a in content.get("removed_actions", []) if a["id"] == action_id), None)
        if kept is None:
            raise DomainError(
                "There is no such removed action in this plan.",
                field_errors={"actions": [f"No removed action {action_id}."]},
            )
        content["removed_actions"].remove(kept)
        content.setdefault("actions", []).append(kept)
        reinstated.append(kept["text"])
    for action_id in complete_actions:
        action = _action(content, action_id)
        if not action["done"]:
            action["done"] = True
            completed.append(action["text"])
    for action_id in reopen_actions:
        action = _action(content, action_id)
        if action["done"]:
            action["done"] = False
            reopened.append(action["text"])
    for name, items in (
        ("added", added),
        ("removed", removed),
        ("completed", completed),
        ("reopened", reopened),
        ("reinstated", reinstated),
    ):
        if items:
            diff.setdefault("actions", {})[name] = items
    if not diff:
        return plan
    plan.content = content
    parts = [k if k != "actions" else "actions " + ", ".join(diff["actions"]) for k in diff]
    _revise(plan, actor=actor, action="edited", summary="Edited: " + "; ".join(parts), diff=diff)
    return plan


@transaction.atomic
def set_status(*, plan: EngagementPlan, actor: User | None, status: str) -> EngagementPlan:
    if status not in PlanStatus.values:
        raise DomainError(
            "Choose draft, active or under review.",
            field_errors={"status": ["Not a plan status."]},
        )
    plan = EngagementPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == status:
        return plan
    before = plan.status
    plan.status = status
    _revise(
        plan,
        actor=actor,
        action="status",
        summary=f"Status {PlanStatus(before).label} → {PlanStatus(status).label}",
        diff={"status": [before, status]},
    )
    return plan


@transaction.atomic
def record_review(
    *,
    plan: EngagementPlan,
    actor: User | None,
    cadence_key: str,
    due_date: datetime.date,
    note: str = "",
) -> PlanReview:
    """Record a scheduled review as done; the next review due moves on."""
    plan = EngagementPlan.objects.select_for_update().get(pk=plan.pk)
    scheduled = set(generator.due_dates(plan.content.get("reviews", [])))
    if (cadence_key, due_date) not in scheduled:
        raise DomainError(
            "That review is not in the plan's schedule.",
            field_errors={"due_date": ["Not a scheduled review."]},
        )
    if plan.reviews.filter(cadence_key=cadence_key, due_date=due_date).exists():
        raise DomainError("That review is already recorded.", code="conflict")
    review = PlanReview.objects.create(
        organisation_id=plan.organisation_id,
        plan=plan,
        cadence_key=cadence_key,
        due_date=due_date,
        done_at=timezone.now(),
        done_by=actor,
        note=_check_text("note", note),
    )
    _refresh_next_review(plan)
    names = {c.key: c.text for c in CATALOGUE.engagement_plan.review_schedule}
    _revise(
        plan,
        actor=actor,
        action="review",
        summary=f"{names.get(cadence_key, cadence_key)} of {due_date.isoformat()} done",
        diff={"review": [cadence_key, due_date.isoformat()]},
    )
    return review
