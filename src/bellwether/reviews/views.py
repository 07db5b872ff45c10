"""Pages of quarterly reviews: the list (cycles, reviews to write, one's own), a cycle's
completion and calibration, and a review (evidence, scores, history, plan, sharing and
acknowledging). Thin: parse, ask ``access``, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.forms import announce
from bellwether.core.pages import posted_form
from bellwether.framework.catalogue import CATALOGUE
from bellwether.reviews import access, forms, scoring, selectors, services
from bellwether.reviews.models import COMPONENT_FIELDS, Review, ReviewStatus


@page(access.VIEW_REVIEWS)
def home(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    reviews = selectors.reviews_for(membership, status=request.GET.get("status", ""))
    listing = Paginator(reviews, selectors.REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    can_cycles = access.VIEW_CYCLES.allows(membership)
    return render(
        request,
        "reviews/home.html",
        {
            "cycles": list(selectors.cycles_for(membership.organisation)) if can_cycles else [],
            "can_manage": access.MANAGE_CYCLES.allows(membership),
            "page": listing,
            "rows": [(r, selectors.reviewer_label(r)) for r in listing],
            "statuses": ReviewStatus.choices,
            "status": request.GET.get("status", ""),
        },
    )


@page(access.MANAGE_CYCLES, methods=["POST"])
def cycle_new(request: MemberRequest) -> HttpResponse:
    form = forms.CycleForm(request.POST)
    return posted_form(
        request,
        form,
        lambda: services.open_cycle(
            organisation=request.membership.organisation,
            quarter=form.cleaned_data["quarter"],
            due_on=form.cleaned_data["due_on"],
            actor=request.membership.user,
        ),
        title="Open a quarter's reviews",
        back=reverse("reviews:home"),
        success=lambda cycle: f"The reviews of {cycle.quarter} are open.",
        to=lambda cycle: reverse("reviews:cycle", kwargs={"pk": cycle.pk}),
    )


@page(access.VIEW_CYCLES)
def cycle(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    found = access.get_cycle_for(request, membership, pk)
    reviews = selectors.reviews_for(membership, cycle=found)
    counts = selectors.status_counts(reviews)
    listing = Paginator(reviews, selectors.REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/cycle.html",
        {
            "cycle": found,
            "page": listing,
            "rows": [(r, selectors.reviewer_label(r)) for r in listing],
            "counts": counts,
            "done": counts[ReviewStatus.SUBMITTED] + counts[ReviewStatus.ACKNOWLEDGED],
            "can_manage": access.MANAGE_CYCLES.allows(membership),
            "calibration": selectors.calibration_page(found, request.GET.get("cpage")),
            "weights": {c.key: c.weight for c in CATALOGUE.quarterly_review.components},
        },
    )


@page(access.MANAGE_CYCLES, methods=["POST"])
def remind(request: MemberRequest, pk: int) -> HttpResponse:
    found = access.get_cycle_for(request, request.membership, pk)
    sent = services.send_reminders(cycle=found)
    messages.success(request, f"{sent} reminder(s) sent.")
    return redirect("reviews:cycle", pk=found.pk)


def _components(review: object) -> list[dict[str, object]]:
    out = []
    evidence = getattr(review, "evidence", [])
    for component in CATALOGUE.quarterly_review.components:
        out.append(
            {
                "key": component.key,
                "name": component.name,
                "weight": component.weight,
                "prompts": component.prompts,
                "value": getattr(review, COMPONENT_FIELDS[component.key]),
                "evidence": [e for e in evidence if e["component"] == component.key],
            }
        )
    return out


@page(access.VIEW_REVIEWS)
def review(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    found = access.get_review_for(request, membership, pk)
    names = {c.key: c.name for c in CATALOGUE.quarterly_review.components}
    history = [(e, names.get(e.component, e.component)) for e in selectors.score_history(found)]
    editable = found.status != ReviewStatus.ACKNOWLEDGED
    return render(
        request,
        "reviews/review.html",
        {
            "review": found,
            "reviewer": selectors.reviewer_label(found),
            "components": _components(found),
            "history": history,
            "formula": scoring.FORMULA,
            "can_edit": editable and access.EDIT_REVIEW.allows(membership, found),
            "can_acknowledge": found.status == ReviewStatus.SUBMITTED
            and access.ACKNOWLEDGE_REVIEW.allows(membership, found),
            "priority_slots": _slots(found.development_priorities, services.PRIORITIES),
            "goal_slots": _slots(found.next_quarter_goals, services.GOALS),
        },
    )


def _slots(values: list[str], count: int) -> list[str]:
    return [*values, *[""] * (count - len(values))][:count]


def _edit(
    request: MemberRequest, pk: int, action: Callable[[Review], object], done: str
) -> HttpResponse:
    """Run a service on a review the member may edit; its refusal becomes the page's
    message, and the page shows the review again."""
    found = access.get_review_for(request, request.membership, pk, edit=True)
    announce(request, lambda: action(found), done, every_problem=True)
    return redirect(reverse("reviews:review", kwargs={"pk": pk}))


def _whole_number(raw: str) -> object:
    try:
        return int(raw.strip())
    except ValueError:
        return raw  # refused by the service with the score's message


@page(access.VIEW_REVIEWS, methods=["POST"])
def adjust(request: MemberRequest, pk: int) -> HttpResponse:
    found = access.get_review_for(request, request.membership, pk, edit=True)
    form = forms.AdjustForm(request.POST)
    back = reverse("reviews:review", kwargs={"pk": pk})
    names = {c.key: c.name for c in CATALOGUE.quarterly_review.components}
    return posted_form(
        request,
        form,
        lambda: services.adjust_score(
            review=found,
            component=form.cleaned_data["component"],
            value=_whole_number(form.cleaned_data["value"]),
            reason=form.cleaned_data["reason"],
            actor=request.membership.user,
        ),
        title=f"Adjust {names.get(request.POST.get('component', ''), 'a score')}",
        back=back,
        success="The score is adjusted; the earlier value is kept.",
    )


@page(access.VIEW_REVIEWS, methods=["POST"])
def plan(request: MemberRequest, pk: int) -> HttpResponse:
    return _edit(
        request,
        pk,
        lambda review: services.set_plan(
            review=review,
            priorities=request.POST.getlist("priority"),
            goals=request.POST.getlist("goal"),
            actor=request.membership.user,
        ),
        "Priorities and goals saved.",
    )


@page(access.VIEW_REVIEWS, methods=["POST"])
def submit(request: MemberRequest, pk: int) -> HttpResponse:
    return _edit(
        request,
        pk,
        lambda review: services.submit_review(review=review, actor=request.membership.user),
        "The review is shared with the leader.",
    )


@page(access.VIEW_REVIEWS, methods=["POST"])
def acknowledge(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    found = access.get_review_for(request, membership, pk)
    access.ACKNOWLEDGE_REVIEW.require(request, membership, found)
    announce(
        request,
        lambda: services.acknowledge_review(
            review=found, actor=membership.user, note=request.POST.get("note", "")
        ),
        "You have acknowledged the review.",
        every_problem=True,
    )
    return redirect(reverse("reviews:review", kwargs={"pk": pk}))
