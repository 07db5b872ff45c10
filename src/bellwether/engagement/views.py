"""Pages for barrier diagnostics and engagement plans: the plans list, a leader's plan
(view, edit forms, history, PDF), the barrier checklist and the organisation's barrier
frequency. Thin: parse, ask ``access``, call a service or selector, render."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.access import MemberRequest, page
from bellwether.accounts.models import Membership
from bellwether.core import exports
from bellwether.core import pdf as core_pdf
from bellwether.core.errors import DomainError
from bellwether.core.forms import announce, confirmation
from bellwether.engagement import access, generator, selectors, services
from bellwether.engagement.models import EngagementPlan, PlanStatus
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import LeaderLevel, Person

T = TypeVar("T")

PAGE_SIZE = 50


# --- Plans list ------------------------------------------------------------------------------------


@page(access.VIEW_PLANS)
def home(request: MemberRequest) -> HttpResponse:
    """Leaders the member may see, with their plan's status, band, next review and
    whether it is overdue. Filters: status, overdue, level, name."""
    membership = request.membership
    status = request.GET.get("status", "")
    level = request.GET.get("level", "")
    query = request.GET.get("q", "").strip()
    overdue = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    people = selectors.plans_for(
        membership, status=status, level=level, query=query, overdue=overdue, today=today
    )
    listing = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    table = [
        {
            "person": row.person,
            "plan": row.plan,
            "band": row.band.band_name if row.band else "Not assessed",
            "target": (
                selectors.band_name(row.plan.target_band_key)
                if row.plan and row.plan.target_band_key
                else "—"
            ),
            "overdue": row.overdue,
        }
        for row in selectors.plan_rows(membership.organisation, listing.object_list, today)
    ]
    return render(
        request,
        "engagement/home.html",
        {
            "page": listing,
            "rows": table,
            "statuses": PlanStatus.choices,
            "levels": LeaderLevel.choices,
            "filters": {"status": status, "level": level, "q": query, "overdue": overdue},
            "can_see_frequency": access.VIEW_BARRIER_FREQUENCY.allows(membership),
        },
    )


# --- A leader's plan -------------------------------------------------------------------------------


def _plan_context(
    membership: Membership, plan: EngagementPlan | None, today: datetime.date
) -> dict[str, Any]:
    if plan is None:
        return {}
    content = selectors.plan_content_for(membership, plan)
    strategy_names = {s.key: s.name for s in CATALOGUE.engagement_plan.strategies}
    rules_used = sorted(
        {key for s in content.get("strategies", []) for key in s.get("rules", [])}
        | {a.get("rule", "") for a in content.get("actions", []) if a.get("rule")}
        | {content.get("target_rule", "")} - {""}
    )
    # Actions cite the numbered list of rules (a reader sees words, never a rule's key).
    rule_numbers = {key: number for number, key in enumerate(rules_used, start=1)}
    periods = []
    for period in CATALOGUE.engagement_plan.action_periods:
        actions = [
            {
                **a,
                "strategy_name": strategy_names.get(a.get("strategy", ""), ""),
                "rule_number": rule_numbers.get(a.get("rule", "")),
            }
            for a in content.get("actions", [])
            if a["period"] == period.key
        ]
        periods.append({"key": period.key, "name": period.name, "actions": actions})
    done = selectors.done_reviews(plan)
    reviews = []
    for review in content.get("reviews", []):
        dates = []
        for due in review.get("due", []):
            day = datetime.date.fromisoformat(due)
            is_done = (review["key"], day) in done
            dates.append({"date": day, "done": is_done, "overdue": not is_done and day < today})
        reviews.append({"key": review["key"], "name": review["name"], "dates": dates})
    return {
        "content": content,
        "periods": periods,
        "strategy_rows": [
            {
                **s,
                "rule_numbers": [rule_numbers[k] for k in s.get("rules", []) if k in rule_numbers],
            }
            for s in content.get("strategies", [])
        ],
        "removed_actions": content.get("removed_actions", []),
        "strategy_names": strategy_names,
        "reviews": reviews,
        "rule_texts": {key: generator.rule_text(key) for key in rules_used},
        "target_rule_text": generator.rule_text(content.get("target_rule", "")),
        "overdue": selectors.is_overdue(plan, today),
    }


@page(access.VIEW_PLANS)
def plan(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    person = access.get_engagement_person_for(request, membership, pk)
    found = selectors.plan_of(person)
    today = timezone.localdate()
    context = {
        "person": person,
        "plan": found,
        "can_edit": access.EDIT_PLAN.allows(membership, person),
        "can_edit_barriers": access.EDIT_BARRIERS.allows(membership, person),
        "statuses": PlanStatus.choices,
        "bands": CATALOGUE.instrument.bands,
        "action_periods": CATALOGUE.engagement_plan.action_periods,
        "strategies": CATALOGUE.engagement_plan.strategies,
        "revisions": list(selectors.revisions(found)[:30]) if found else [],
        "today": today,
        **_plan_context(membership, found, today),
    }
    return render(request, "engagement/plan.html", context)


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("engagement:plan", args=[pk]))


def _editable(request: MemberRequest, pk: int) -> tuple[Membership, Person, EngagementPlan | None]:
    membership = request.membership
    person = access.get_engagement_person_for(request, membership, pk, edit="plan")
    return membership, person, selectors.plan_of(person)


def _change_plan(
    request: MemberRequest,
    pk: int,
    change: Callable[[Membership, EngagementPlan], T],
    success: str | Callable[[T], str],
) -> HttpResponse:
    """A button on a leader's plan: refused until the plan is generated; otherwise
    ``change`` (a service call) runs and the page says how it went. Back to the plan."""
    membership, _person, found = _editable(request, pk)
    if found is None:
        messages.error(request, "Generate the plan first.")
    else:
        announce(request, lambda: change(membership, found), success, every_problem=True)
    return _back(pk)


@page(access.VIEW_PLANS, methods=["POST"])
def generate(request: MemberRequest, pk: int) -> HttpResponse:
    membership, person, existing = _editable(request, pk)
    announce(
        request,
        lambda: services.generate_plan(person=person, actor=membership.user),
        "The plan is regenerated." if existing else "The plan is generated.",
        every_problem=True,
    )
    return _back(pk)


@page(access.VIEW_PLANS, methods=["POST"])
def edit(request: MemberRequest, pk: int) -> HttpResponse:
    fields = {
        name: request.POST.get(name, "")
        for name in services.EDITABLE_FIELDS
        if name in request.POST
    }
    strategies = request.POST.getlist("strategies") if "strategies_shown" in request.POST else None
    return _change_plan(
        request,
        pk,
        lambda membership, plan: services.edit_plan(
            plan=plan, actor=membership.user, fields=fields, strategies=strategies
        ),
        "The plan is saved.",
    )


@page(access.VIEW_PLANS, methods=["POST"])
def action(request: MemberRequest, pk: int) -> HttpResponse:
    op = request.POST.get("op", "")
    action_id = request.POST.get("action_id", "")
    if op == "remove":
        _editable(request, pk)  # a refused member is refused before being asked
        asked = confirmation(
            request,
            question="Remove this action from the plan?",
            consequence="It leaves the action plan and its progress is no longer counted. "
            "It stays under “Removed actions” on the plan, where it can be reinstated.",
            back=reverse("engagement:plan", args=[pk]),
            confirm_label="Remove the action",
        )
        if asked is not None:
            return asked

    def change(membership: Membership, plan: EngagementPlan) -> EngagementPlan:
        kwargs: dict[str, Any] = {}
        if op == "add":
            kwargs["add_actions"] = [(request.POST.get("period", ""), request.POST.get("text", ""))]
        elif op in ("complete", "reopen", "remove", "reinstate"):
            kwargs[f"{op}_actions"] = [action_id]
        else:
            raise DomainError("Choose what to do with the action.")
        return services.edit_plan(plan=plan, actor=membership.user, **kwargs)

    return _change_plan(request, pk, change, "The action plan is saved.")


@page(access.VIEW_PLANS, methods=["POST"])
def status(request: MemberRequest, pk: int) -> HttpResponse:
    return _change_plan(
        request,
        pk,
        lambda membership, plan: services.set_status(
            plan=plan, actor=membership.user, status=request.POST.get("status", "")
        ),
        lambda changed: f"The plan is {changed.get_status_display().lower()}.",
    )


@page(access.VIEW_PLANS, methods=["POST"])
def review(request: MemberRequest, pk: int) -> HttpResponse:
    def change(membership: Membership, plan: EngagementPlan) -> object:
        try:
            due = datetime.date.fromisoformat(request.POST.get("due_date", ""))
        except ValueError:
            raise DomainError("Choose a scheduled review.") from None
        return services.record_review(
            plan=plan,
            actor=membership.user,
            cadence_key=request.POST.get("cadence_key", ""),
            due_date=due,
            note=request.POST.get("note", ""),
        )

    return _change_plan(request, pk, change, "The review is recorded.")


@page(access.VIEW_PLANS)
def pdf(request: MemberRequest, pk: int) -> HttpResponse:
    """The plan as a PDF (Template 1's layout)."""
    membership = request.membership
    person = access.get_engagement_person_for(request, membership, pk)
    found = selectors.plan_of(person)
    if found is None:
        messages.error(request, "There is no plan to export yet.")
        return _back(pk)
    today = timezone.localdate()
    context = {
        "person": person,
        "plan": found,
        "today": today,
        **_plan_context(membership, found, today),
    }
    return core_pdf.pdf_download(
        request,
        "engagement/plan_pdf.html",
        context,
        filename=f"engagement-plan-{person.pk}.pdf",
        audit=exports.Audit.by(membership, "engagement.plan_downloaded", target=person),
    )


# --- Barriers ---------------------------------------------------------------------------------------


@page(access.VIEW_PLANS)
def barriers(request: MemberRequest, pk: int) -> HttpResponse:
    """A leader's checklist: each barrier and level concern primary, secondary or not."""
    membership = request.membership
    person = access.get_engagement_person_for(
        request, membership, pk, edit="barriers" if request.method == "POST" else ""
    )
    can_edit = access.EDIT_BARRIERS.allows(membership, person)
    if request.method == "POST":
        marks = {
            key: request.POST.get(f"mark-{key}", "")
            for key, _, _, _ in selectors.checklist_keys(person)
        }
        announce(
            request,
            lambda: services.set_barriers(person=person, actor=membership.user, marks=marks),
            lambda changes: (
                f"The checklist is saved ({len(changes)} change{'s' if len(changes) != 1 else ''})."
            ),
            every_problem=True,
        )
        return redirect(reverse("engagement:barriers", args=[pk]))
    lines = selectors.checklist(person)
    return render(
        request,
        "engagement/barriers.html",
        {
            "person": person,
            "barrier_lines": [line for line in lines if line.kind == "barrier"],
            "concern_lines": [line for line in lines if line.kind == "concern"],
            "concerns_heading": lines[-1].description if lines[-1].kind == "concern" else "",
            "history": selectors.barrier_history_lines(person),
            "can_edit": can_edit,
            "weights": (("", "—"), ("primary", "Primary"), ("secondary", "Secondary")),
        },
    )


@page(access.VIEW_BARRIER_FREQUENCY)
def frequency(request: MemberRequest) -> HttpResponse:
    data = selectors.barrier_frequency(request.membership.organisation)
    chart = {
        "labels": [row.name for row in data["rows"] if row.kind == "barrier"],
        "datasets": [
            {
                "label": level["name"],
                "data": [row.counts[level["key"]] for row in data["rows"] if row.kind == "barrier"],
            }
            for level in data["levels"]
        ],
    }
    return render(
        request,
        "engagement/frequency.html",
        {"data": data, "chart": chart},
    )
