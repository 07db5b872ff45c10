"""Audience ratings of a leader's deliveries (the results, released totals only, and
asking a delivery's audience for a rating), the leader's assistants, and a delivery's
attached file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bellwether.accounts.access import MemberRequest, page
from bellwether.communications import access, selectors, services, services_ratings
from bellwether.core import exports
from bellwether.core.access import refuse
from bellwether.core.errors import DomainError
from bellwether.core.forms import announce, confirmation, error_messages
from bellwether.people.models import Person

#: The leader's share is shown over this many days back.
SHARE_DAYS = 91


def ratings_context(person: Person) -> dict[str, Any]:
    """What the page and the API show: released totals, never a rater."""
    services_ratings.collect_ratings(organisation=person.organisation, person=person)
    today = selectors.today_in(person.organisation)
    start = today - dt.timedelta(days=SHARE_DAYS)
    return {
        "lines": selectors.rating_lines(person),
        "share": selectors.effectiveness_by_leader(
            organisation=person.organisation, leader_ids=[person.pk], start=start, end=today
        )[person.pk],
        "start": start,
        "minimum": selectors.rating_minimum(person.organisation),
        "rate_within": services_ratings.RATING_AFTER_DAYS,
        "rate_from": today - dt.timedelta(days=services_ratings.RATING_AFTER_DAYS - 1),
        "today": today,
    }


@page(access.HOME, methods=["GET", "POST"])
def ratings(request: MemberRequest, pk: int) -> HttpResponse:
    """Effectiveness: audience ratings, and (Template 2) each quarter's behaviour change
    and business impact, recorded here by an admin (POST)."""
    person = access.get_leader_for(request, request.membership, pk)
    errors: list[str] = []
    values = {"quarter": "", "behaviour_change": "", "business_impact": ""}
    if request.method == "POST":
        access.RECORD_MEASURES.require(request, request.membership, person)
        values = {k: request.POST.get(k, "") for k in values}
        try:
            services.record_quarter_measures(
                person=person,
                actor=request.user,  # type: ignore[arg-type]
                **values,
            )
        except DomainError as error:
            errors = error_messages(error)
        else:
            messages.success(request, f"Recorded for {values['quarter'].strip().upper()}.")
            return redirect("communications:ratings", pk=person.pk)
    context = {
        "person": person,
        "can_edit": access.EDIT_LEADER.allows(request.membership, person),
        "can_record": access.RECORD_MEASURES.allows(request.membership, person),
        "open_days": services_ratings.DEFAULT_OPEN_DAYS,
        "measures": selectors.quarter_measures(person),
        "values": values,
        "errors": errors,
        **ratings_context(person),
    }
    return render(request, "communications/ratings.html", context, status=400 if errors else 200)


@page(access.HOME, methods=["POST"])
def rate(request: MemberRequest, pk: int, delivery: int) -> HttpResponse:
    """Ask this delivery's audience (the leader's unit) for an anonymous rating."""
    chosen = access.get_delivery_for(request, request.membership, pk, delivery)
    person = chosen.person
    try:
        days = int(request.POST.get("open_days", services_ratings.DEFAULT_OPEN_DAYS))
    except ValueError:
        days = 0
    announce(
        request,
        lambda: services_ratings.request_rating(
            delivery=chosen,
            actor=request.user,  # type: ignore[arg-type]
            open_days=days,
        ),
        lambda rating: (
            f"{rating.invited} people were asked to rate it; results show once it "
            "closes and enough have answered."
        ),
    )
    return redirect("communications:ratings", pk=person.pk)


# --- assistants ------------------------------------------------------------------------------


@page(access.HOME, methods=["GET", "POST"])
def assistants(request: MemberRequest, pk: int) -> HttpResponse:
    """Who may log deliveries for the leader; add one by email."""
    person = access.get_leader_for(request, request.membership, pk, edit=True)
    errors: list[str] = []
    email = ""
    if request.method == "POST":
        email = request.POST.get("email", "")
        try:
            services.grant_delegation(
                leader=person,
                assistant_email=email,
                actor=request.user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            errors = error_messages(error)
        else:
            messages.success(request, "Assistant added: they can log deliveries for you.")
            return redirect("communications:assistants", pk=person.pk)
    return render(
        request,
        "communications/assistants.html",
        {
            "person": person,
            "rows": selectors.assistants_of(person),
            "errors": errors,
            "email": email,
        },
        status=400 if errors else 200,
    )


@page(access.HOME, methods=["POST"])
def revoke_assistant(request: MemberRequest, pk: int, delegation: int) -> HttpResponse:
    person = access.get_leader_for(request, request.membership, pk, edit=True)
    row = access.get_delegation_for(request, request.membership, person, delegation)
    asked = confirmation(
        request,
        question="Remove this assistant?",
        consequence="They can no longer log deliveries for you. To undo, add them again by e-mail.",
        back=reverse("communications:assistants", args=[person.pk]),
        confirm_label="Remove the assistant",
    )
    if asked is not None:
        return asked
    services.revoke_delegation(delegation=row, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, "Assistant removed: they can no longer log for you.")
    return redirect("communications:assistants", pk=person.pk)


# --- attachments -----------------------------------------------------------------------------


@page(access.HOME)
def attachment(request: MemberRequest, pk: int, delivery: int) -> FileResponse:
    """A delivery's attached file, for those who may see the leader's communications:
    streamed as a download, audited; 404 when there is none."""
    membership = request.membership
    row = access.get_delivery_for(request, membership, pk, delivery, edit=False)
    if not row.attachment:
        refuse(
            request,
            membership,
            rule=access.VIEW_LEADER.name,
            target=f"attachment of delivery {delivery}",
            not_found=True,
        )
    name = row.attachment_name or "attachment"
    return exports.stored_file_download(
        request,
        row.attachment.open("rb"),
        filename=name,
        audit=exports.Audit.by(
            membership,
            "communications.attachment_downloaded",
            target=row.person,
            details={"delivery": row.pk, "file": name},
        ),
    )
