"""Readiness: the home page, as each role sees it."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from bellwether.accounts.access import MemberRequest, page
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.assessments import access, selectors
from bellwether.assessments.models import RaterMode
from bellwether.surveys import services as survey_services


def report_url(person_id: int) -> str | None:
    """The individual report page, when it is installed."""
    try:
        return reverse("assessments:report", args=[person_id])
    except NoReverseMatch:
        return None


@page(access.VIEW_READINESS)
def home(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    context: dict[str, Any] = {
        "manage": access.MANAGE_READINESS.allows(membership),
        "organisation_view": access.VIEW_ORGANISATION.allows(membership),
        "cycles": None,
        "mine": None,
        "coachees": None,
    }
    if access.FOLLOW_CYCLES.allows(membership):
        cycles = list(selectors.cycles_for(membership.organisation)[:50])
        counts = selectors.cycle_counts(cycles)
        context["cycles"] = [(c, counts[c.pk]) for c in cycles]
    if membership.person_id is not None and membership.has_role(Role.LEADER):
        context["mine"] = _my_readiness(membership, membership.person_id)
    if membership.has_role(Role.COACH):
        context["coachees"] = _coachees(membership)
    return render(request, "assessments/home.html", context)


def _my_readiness(membership: Membership, person_id: int) -> dict[str, Any]:
    rows = []
    for cycle in selectors.cycles_of_leader(membership.organisation, person_id):
        invitation = selectors.self_invitation(cycle, person_id)
        done = invitation is not None and hasattr(invitation, "completion")
        link = None
        if invitation is not None and not done and cycle.is_open:
            link = reverse("surveys:respond", args=[survey_services.invitation_token(invitation)])
        rows.append(
            {
                "cycle": cycle,
                "self_done": done,
                "self_link": link,
                "nominate": cycle.rater_mode == RaterMode.NOMINATED and not cycle.is_closed,
            }
        )
    band = selectors.current_bands(membership.organisation, person_ids=[person_id]).get(person_id)
    return {"cycles": rows, "band": band, "report": report_url(person_id)}


def _coachees(membership: Membership) -> list[dict[str, Any]]:
    people = selectors.coachees(membership)
    bands = selectors.current_bands(membership.organisation, person_ids=[p.pk for p in people])
    return [{"person": p, "band": bands.get(p.pk), "report": report_url(p.pk)} for p in people]
