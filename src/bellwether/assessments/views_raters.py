"""Readiness raters: an admin chooses a leader's raters and decides nominations; a leader
nominates their own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from bellwether.accounts.access import MemberRequest, page
from bellwether.assessments import access, selectors, services
from bellwether.assessments.models import RATER_CATEGORIES, Category, Rater, ReadinessCycle
from bellwether.assessments.views_cycles import as_int
from bellwether.core.errors import DomainError
from bellwether.core.forms import confirmation
from bellwether.people.models import Person

CATEGORY_CHOICES = [(c, services.CATEGORY_LABELS[c]) for c in RATER_CATEGORIES]


def _picked(request: HttpRequest, organisation_id: int) -> list[tuple[int, str]]:
    """Raters chosen on the form: ticked suggestions with their category, plus one person
    typed by employee ID or e-mail; at least one."""
    chosen: list[tuple[int, str]] = []
    for value in request.POST.getlist("pick"):
        pk = as_int(value)
        chosen.append((pk, request.POST.get(f"category_{pk}", "")))
    extra = request.POST.get("other", "").strip()
    if extra:
        other = selectors.active_person_by_handle(organisation_id, extra)
        if other is None:
            raise DomainError(
                f"Nobody active has the employee ID or e-mail “{extra}”.", code="unknown_person"
            )
        chosen.append((other.pk, request.POST.get("other_category", "")))
    if not chosen:
        raise DomainError("Tick or type at least one rater.", code="no_raters")
    return chosen


def _rater(request: MemberRequest, cycle: ReadinessCycle) -> Rater:
    return access.get_readiness_rater_for(
        request, request.membership, cycle, as_int(request.POST.get("rater"))
    )


def _page_context(cycle: ReadinessCycle, leader: Person) -> dict[str, Any]:
    """What both rater pages show: the leader's raters and the suggestions."""
    return {
        "cycle": cycle,
        "leader": leader,
        "raters": selectors.raters_for(cycle, leader.pk),
        "suggestions": (
            services.suggest_raters(cycle=cycle, leader=leader) if not cycle.is_closed else []
        ),
        "category_choices": CATEGORY_CHOICES,
        "open": not cycle.is_closed,
        "late": cycle.is_late(),
    }


def _act_on_raters(
    request: MemberRequest, cycle: ReadinessCycle, leader: Person, action: str
) -> None:
    actor = request.membership.user
    if action == "assign":
        done = services.assign_raters(
            cycle=cycle, actor=actor, leader=leader, raters=_picked(request, cycle.organisation_id)
        )
        messages.success(request, f"{len(done)} raters invited.")
    elif action in {"approve", "reject"}:
        decided = services.decide_nominations(
            cycle=cycle,
            actor=actor,
            rater_ids=[as_int(v) for v in request.POST.getlist("rater")],
            decision="approve" if action == "approve" else "reject",
        )
        done_word = "approved and invited" if action == "approve" else "rejected"
        messages.success(request, f"{len(decided)} nominations {done_word}.")
    elif action == "remove":
        services.remove_rater(rater=_rater(request, cycle), actor=actor)
        messages.success(request, "The rater is removed and their link withdrawn.")
    elif action == "resend":
        services.resend_link(rater=_rater(request, cycle), actor=actor)
        messages.success(request, "A new link is on its way; the old one no longer works.")


@page(access.MANAGE_READINESS)
@require_http_methods(["GET", "POST"])
def leader_raters(request: MemberRequest, pk: int, person_id: int) -> HttpResponse:
    """An admin chooses a leader's raters (suggestions pre-ticked), removes them, and
    approves or rejects the leader's nominations."""
    membership = request.membership
    cycle = access.get_readiness_cycle_for(request, membership, pk)
    leader = access.get_cycle_leader_for(request, membership, cycle, person_id)
    if request.method == "POST":
        action = request.POST.get("action", "assign")
        if action in ("remove", "reject"):
            asked = confirmation(
                request,
                question=(
                    f"Remove this rater from {leader.name}'s assessment?"
                    if action == "remove"
                    else f"Reject the ticked nominations for {leader.name}?"
                ),
                consequence=(
                    "Their survey link stops working at once and anything they started is "
                    "not counted. To undo, choose them again as a rater: they get a new link."
                    if action == "remove"
                    else "The ticked people are not invited and the leader sees the nominations "
                    "as rejected. To undo, choose them as raters yourself."
                ),
                back=reverse("assessments:raters", args=[pk, person_id]),
                confirm_label="Remove the rater" if action == "remove" else "Reject them",
            )
            if asked is not None:
                return asked
        try:
            _act_on_raters(request, cycle, leader, action)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("assessments:raters", pk=pk, person_id=person_id)
    context = _page_context(cycle, leader)
    context.update(
        changes=selectors.rater_changes(cycle, leader.pk),
        proposed=[r for r in context["raters"] if r.status == Rater.Status.PROPOSED],
        admin=True,
    )
    return render(request, "assessments/raters.html", context)


@page(access.TAKE_PART)
@require_http_methods(["GET", "POST"])
def nominate(request: MemberRequest, pk: int) -> HttpResponse:
    """A leader nominates raters for their own assessment (own cycle only)."""
    membership = request.membership
    cycle = access.get_readiness_cycle_for(request, membership, pk)
    access.NOMINATE_RATERS.require(request, membership, cycle)
    leader = membership.person
    assert leader is not None  # the rule asks for the member's person
    if request.method == "POST":
        if request.POST.get("action", "nominate") == "withdraw":
            asked = confirmation(
                request,
                question="Withdraw this nomination?",
                consequence="The administrator no longer sees it to approve. To undo, "
                "nominate the person again.",
                back=reverse("assessments:nominate", args=[pk]),
                confirm_label="Withdraw the nomination",
            )
            if asked is not None:
                return asked
        try:
            if request.POST.get("action", "nominate") == "withdraw":
                services.withdraw_nomination(rater=_rater(request, cycle), actor=membership.user)
                messages.success(request, "Nomination withdrawn.")
            else:
                done = services.nominate_raters(
                    cycle=cycle,
                    actor=membership.user,
                    leader=leader,
                    raters=_picked(request, cycle.organisation_id),
                )
                messages.success(
                    request, f"{len(done)} nominations sent for approval by an administrator."
                )
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("assessments:nominate", pk=pk)
    context = _page_context(cycle, leader)
    context["self_category"] = Category.SELF
    return render(request, "assessments/nominate.html", context)
