"""Pages for learning plans: my plan (a leader), the plans a coach or admin may open, one
plan (with its forms and PDF), cohort generation and the cohort view with its export.
Thin: parse, ask ``access``, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.access import MemberRequest, page
from bellwether.accounts.roles import Role
from bellwether.core import cursor, exports
from bellwether.core import pdf as core_pdf
from bellwether.core import views as core_views
from bellwether.core.errors import DomainError
from bellwether.core.forms import confirmation, optional_date, show_refusal
from bellwether.development import access, selectors, services
from bellwether.development.models import LearningPlan, OrgModule, PlanStatus
from bellwether.framework.catalogue import CATALOGUE, MILESTONE_RATINGS
from bellwether.people.models import LeaderLevel

PLANS_PER_PAGE = 50


def _id(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


@page(access.HOME)
def home(request: MemberRequest) -> HttpResponse:
    """Where the Development menu leads: a leader's own plan, a coach's coachees, the
    cohort for admins and sponsors."""
    membership = request.membership
    if access.VIEW_COHORT.allows(membership):
        return redirect("development:cohort")
    if access.VIEW_PLANS.allows(membership):
        return redirect("development:plans")
    if access.MY_PLAN.allows(membership):
        return redirect("development:my_plan")
    return redirect("development:workshops")


def _plan_context(request: MemberRequest, plan: LearningPlan | None) -> dict[str, Any]:
    today = timezone.localdate()
    if plan is None:
        return {"plan": None, "today": today}
    membership = request.membership
    person = plan.person
    return {
        "plan": plan,
        "person": person,
        "view": selectors.plan_view(plan, today),
        "today": today,
        "tier_names": selectors.TIER_NAMES,
        "ratings": MILESTONE_RATINGS,
        "rating_names": selectors.RATING_NAMES,
        "metrics": CATALOGUE.development_plan.success_metrics,
        "can_edit": access.EDIT_PLAN.allows(membership, person),
        "can_progress": access.PROGRESS.allows(membership, person),
        "modules": services.module_choices(plan.organisation_id),
    }


@page(access.MY_PLAN)
def my_plan(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    found = None
    if membership.person is not None:
        found = selectors.plan_of(membership.person)
    if found is not None:
        return redirect("development:plan", pk=found.pk)
    return render(request, "development/plan.html", _plan_context(request, None))


@page(access.VIEW_PLANS)
def plans(request: MemberRequest) -> HttpResponse:
    """The plans the member may open, with progress; the reviews due."""
    membership = request.membership
    filters = selectors.PlanFilters(
        status=request.GET.get("status", ""),
        tier=request.GET.get("tier", ""),
        level=request.GET.get("level", ""),
        q=request.GET.get("q", "").strip(),
    )
    today = timezone.localdate()
    try:
        rows = cursor.html_page(
            selectors.plans_for(membership, filters, progress=False),
            order=selectors.PLANS_ORDER,
            limit=PLANS_PER_PAGE,
            query=request.GET,
            scope="development.plans",
        )
    except cursor.CursorRefused as exc:
        return core_views.bad_request(request, message=exc.message)
    selectors.with_page_progress(rows.rows)
    leaders = selectors.leaders_of(membership.organisation)
    if filters.q:
        leaders = leaders.filter(name__icontains=filters.q)
    return render(
        request,
        "development/plans.html",
        {
            "rows": rows,
            "page": rows,
            "filters": filters,
            "statuses": PlanStatus.choices,
            "levels": LeaderLevel.choices,
            "tier_names": selectors.TIER_NAMES,
            "due": list(selectors.reviews_due(membership, today)[:50]),
            "today": today,
            "can_generate": access.MANAGE.allows(membership),
            # Whom a plan can be generated for: the first leaders by name, or those the
            # name filter finds (a form each: a page never carries thousands).
            "people": list(access.visible_people(membership, leaders)[: PLANS_PER_PAGE + 1])
            if membership.has_role(Role.ADMIN, Role.COACH)
            else [],
        },
    )


@page(access.OPEN_PLAN)
def plan(request: MemberRequest, pk: int) -> HttpResponse:
    found = access.get_plan_for(request, request.membership, pk)
    return render(request, "development/plan.html", _plan_context(request, found))


@page(access.VIEW_PLANS, methods=["POST"])
def generate(request: MemberRequest, person_pk: int) -> HttpResponse:
    """Generate a draft plan for one leader (admins or their coach; tiers override:
    admins only)."""
    membership = request.membership
    person = access.get_person_for(request, membership, person_pk, edit="plan")
    tiers = request.POST.getlist("tiers") if access.MANAGE.allows(membership) else []
    start = optional_date(request.POST.get("start", "")) or timezone.localdate()
    try:
        made = services.generate_plan(
            person=person,
            actor=membership.user,
            start=start,
            tiers=tiers,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        show_refusal(request, error)
        return redirect("development:plans")
    messages.success(request, f"A draft plan is generated for {person.name}.")
    return redirect("development:plan", pk=made.pk)


@page(access.OPEN_PLAN, methods=["POST"])
def act(request: MemberRequest, pk: int) -> HttpResponse:
    """Every change to one plan, by ``op``: agree, status, complete, milestone, swap,
    remove, restore (the undo of remove), support."""
    membership = request.membership
    op = request.POST.get("op", "")
    edit = (
        "plan"
        if op in ("status", "milestone", "swap", "remove", "restore", "support")
        else "progress"
    )
    found = access.get_plan_for(request, membership, pk, edit=edit)  # type: ignore[arg-type]
    if op == "remove":
        asked = confirmation(
            request,
            question="Take this item off the plan?",
            consequence="It no longer counts towards the plan's hours. What was recorded on "
            "it is kept, and it can be put back from “Taken off the plan”.",
            back=reverse("development:plan", args=[found.pk]),
            confirm_label="Take it off the plan",
        )
        if asked is not None:
            return asked
    post = request.POST
    user = membership.user
    item_id = _id(post.get("item", "")) or 0
    try:
        if op == "agree":
            services.agree_plan(plan=found, membership=membership)
            done = "Your agreement is recorded."
        elif op == "status":
            changed = services.change_status(
                plan=found, status=post.get("status", ""), actor=user, reason=post.get("reason", "")
            )
            done = f"The plan is {changed.get_status_display().lower()}."
        elif op == "complete":
            when = optional_date(post.get("completed_on", ""))
            if when is None:
                raise DomainError("Give the date the module was completed.")
            hours = post.get("hours_spent", "").strip()
            services.complete_item(
                plan=found,
                item_id=item_id,
                actor=user,
                completed_on=when,
                hours_spent=float(hours) if _is_number(hours) else (None if not hours else -1),
                evidence_link=post.get("evidence_link", ""),
                note=post.get("note", ""),
            )
            done = "The module is ticked done."
        elif op == "milestone":
            services.record_milestone(
                plan=found,
                key=post.get("key", ""),
                actor=user,
                rating=post.get("rating", ""),
                notes=post.get("notes", ""),
                reviewed_on=optional_date(post.get("reviewed_on", "")) or timezone.localdate(),
            )
            done = "The review is recorded."
        elif op == "swap":
            services.swap_item(
                plan=found, item_id=item_id, module_key=post.get("module", ""), actor=user
            )
            done = "The module is swapped."
        elif op == "remove":
            services.remove_item(plan=found, item_id=item_id, actor=user)
            done = (
                "The item is taken off the plan; “Put back” under “Taken off the plan” undoes it."
            )
        elif op == "restore":
            services.restore_item(plan=found, item_id=item_id, actor=user)
            done = "The item is back on the plan."
        elif op == "support":
            services.update_support(
                plan=found,
                actor=user,
                mentor=post.get("mentor", ""),
                peer_group=post.get("peer_group", ""),
                practice=post.get("practice", "").splitlines(),
            )
            done = "The support is saved."
        else:
            raise DomainError("Choose what to do with the plan.")
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(request, done)
    return redirect(reverse("development:plan", args=[found.pk]))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@page(access.OPEN_PLAN)
def plan_pdf(request: MemberRequest, pk: int) -> HttpResponse:
    """The plan as a PDF in Template 3's layout."""
    membership = request.membership
    found = access.get_plan_for(request, membership, pk)
    context = _plan_context(request, found)
    return exports.download(
        request,
        core_pdf.render_pdf("development/plan_pdf.html", context, request=request),
        fmt="pdf",
        filename=f"development-plan-{found.person_id}.pdf",
        audit=exports.Audit(
            "development.plan_downloaded", membership.organisation, membership.user, target=found
        ),
    )


# --- Cohort -----------------------------------------------------------------------------------


@page(access.VIEW_COHORT)
def cohort(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    today = timezone.localdate()
    data = selectors.cohort(membership.organisation, today, status=request.GET.get("status", ""))
    units, cycles = selectors.cohort_choices(membership.organisation)
    return render(
        request,
        "development/cohort.html",
        {
            "cohort": data,
            "statuses": PlanStatus.choices,
            "status": request.GET.get("status", ""),
            "can_manage": access.MANAGE.allows(membership),
            "jobs": selectors.generation_jobs(membership.organisation)
            if access.MANAGE.allows(membership)
            else [],
            "levels": LeaderLevel.choices,
            "units": units,
            "cycles": cycles,
            "tier_names": selectors.TIER_NAMES,
            "today": today,
            "modules": list(selectors.org_modules(membership.organisation))
            if access.MANAGE.allows(membership)
            else [],
            "module_kinds": OrgModule.Kind.choices,
        },
    )


@page(access.VIEW_COHORT)
def cohort_export(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    data = selectors.cohort(membership.organisation, timezone.localdate())
    rows: list[list[Any]] = [
        [
            "Leader",
            "Unit",
            "Level",
            "Tiers",
            "Status",
            "Modules done",
            "Modules",
            "Hours done",
            "Hours planned",
            "Behind",
        ]
    ]
    for p in data.rows:
        rows.append(
            [
                p.person.name,
                p.person.org_unit.name if p.person.org_unit else "",
                p.person.get_leader_level_display(),
                "; ".join(selectors.TIER_NAMES.get(t, t) for t in p.tiers),
                p.get_status_display(),
                p.done_count,  # type: ignore[attr-defined]
                p.item_count,  # type: ignore[attr-defined]
                round(p.done_hours, 1),  # type: ignore[attr-defined]
                round(p.planned_total, 1),  # type: ignore[attr-defined]
                "yes" if p.is_behind else "",  # type: ignore[attr-defined]
            ]
        )
    return exports.download(
        request,
        exports.table_bytes(rows, fmt=fmt, title="Development plans"),
        fmt=fmt,
        filename=f"development-cohort.{fmt}",
        audit=exports.Audit(
            "development.cohort_exported", membership.organisation, membership.user
        ),
    )


@page(access.MANAGE, methods=["POST"])
def generate_cohort(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    try:
        services.start_generation(
            organisation=membership.organisation,
            actor=membership.user,
            start=optional_date(request.POST.get("start", "")) or timezone.localdate(),
            cycle_id=_id(request.POST.get("cycle", "")),
            unit_id=_id(request.POST.get("unit", "")),
            level=request.POST.get("level", ""),
        )
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(request, "The plans are being generated; this page shows the progress.")
    return redirect("development:cohort")


@page(access.MANAGE, methods=["POST"])
def add_module(request: MemberRequest) -> HttpResponse:
    """Add a module to the organisation's catalogue of learning."""
    membership = request.membership
    post = request.POST
    try:
        hours = float(post.get("hours", "") or "nan")
    except ValueError:
        hours = float("nan")
    try:
        services.add_org_module(
            organisation=membership.organisation,
            actor=membership.user,
            title=post.get("title", ""),
            kind=post.get("kind", ""),
            hours=hours,
            tier_key=post.get("tier_key", ""),
            url=post.get("url", ""),
            month=_id(post.get("month", "")),
        )
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(request, "The module is added to the organisation's catalogue.")
    return redirect("development:cohort")
