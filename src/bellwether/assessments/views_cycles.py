"""Readiness cycles: launching one, adapting the wording, following progress, reminding
and closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bellwether.accounts.access import MemberRequest, page
from bellwether.assessments import access, release, selectors, services
from bellwether.assessments.forms import CycleForm
from bellwether.core.errors import DomainError
from bellwether.core.forms import announce, confirmation, form_status, in_time_zone, submit
from bellwether.framework import catalogue

PAGE_SIZE = 100


def as_int(value: Any) -> int:
    """A posted id, or 0 (which matches nothing) when it is not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@page(access.MANAGE_READINESS)
@require_http_methods(["GET", "POST"])
def cycle_new(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    now = timezone.localtime()
    initial = {
        "opens_at": now.replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=21)).strftime("%Y-%m-%dT17:00"),
        "time_zone": membership.organisation.time_zone,
    }
    form = CycleForm(request.POST or None, membership=membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cycle = submit(
            form,
            lambda: services.launch_cycle(
                organisation=membership.organisation,
                actor=membership.user,
                name=data["name"],
                leaders={
                    "all": data["all_leaders"],
                    "org_unit_ids": [u.pk for u in data["org_units"]],
                    "leader_levels": list(data["leader_levels"]),
                    "person_ids": [p.pk for p in data["people"]],
                },
                opens_at=in_time_zone(data["opens_at"], data["time_zone"]),
                closes_at=in_time_zone(data["closes_at"], data["time_zone"]),
                time_zone=data["time_zone"],
                rater_mode=data["rater_mode"],
                suggested_raters=bool(data.get("suggested_raters")),
            ),
            field_map={"leaders": "all_leaders", "version": None},
        )
        if cycle is not None:
            messages.success(
                request,
                f"“{cycle.name}” is launched: self-assessment invitations are on their way.",
            )
            return redirect("assessments:cycle", pk=cycle.pk)
    version = services.current_version(membership.organisation)
    return render(
        request,
        "assessments/cycle_new.html",
        {"form": form, "version": version},
        status=form_status(form),
    )


@page(access.MANAGE_READINESS)
@require_http_methods(["GET", "POST"])
def wording(request: MemberRequest) -> HttpResponse:
    """Adapt the scorecard's wording for the next cycles (a new instrument version)."""
    membership = request.membership
    current = services.current_version(membership.organisation)
    texts = selectors.wording_of(current)
    if request.method == "POST":
        new_texts = {
            item.key: request.POST.get(item.key, "").strip()
            for item in catalogue.instrument_items()
        }
        changed = {k: v for k, v in new_texts.items() if v and v != texts.get(k, "")}
        if not changed and current is not None:
            messages.info(request, "Nothing changed: the wording stays as it is.")
            return redirect("assessments:wording")
        try:
            version = services.adapt_wording(
                organisation=membership.organisation, actor=membership.user, wording=changed
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Version {version.number} is published: new cycles use it, past cycles keep "
                "theirs.",
            )
            return redirect("assessments:wording")
    rows = [
        {
            "dimension": dimension,
            "items": [
                {"item": item, "text": texts.get(item.key, item.text)} for item in dimension.items
            ],
        }
        for dimension in catalogue.CATALOGUE.instrument.dimensions
    ]
    return render(request, "assessments/wording.html", {"rows": rows, "version": current})


@page(access.FOLLOW_CYCLES)
def cycle_detail(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    cycle = access.get_readiness_cycle_for(request, membership, pk)
    if cycle.is_closed and not cycle.is_released and release.request_release(cycle.organisation_id):
        cycle.refresh_from_db()
    query = request.GET.get("q", "").strip()
    leaders, by_category = selectors.cycle_progress_page(
        cycle, query=query, page_number=request.GET.get("page"), per_page=PAGE_SIZE
    )
    counts = selectors.cycle_counts([cycle])[cycle.pk]
    categories = [(services.CATEGORY_LABELS[key], key, cell) for key, cell in by_category.items()]
    return render(
        request,
        "assessments/cycle_detail.html",
        {
            "cycle": cycle,
            "counts": counts,
            "categories": categories,
            "page": leaders,
            "query": query,
            "manage": access.MANAGE_READINESS.allows(membership),
            "policy_minimum": cycle.campaign.min_360_group,
        },
    )


def _admin_action(
    view: Callable[[MemberRequest, int], HttpResponse],
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST-only admin action on a cycle: anonymous visitors are sent to sign in, any
    other method is answered 405 before the rule is asked."""
    return login_required(require_POST(page(access.MANAGE_READINESS)(view)))


@_admin_action
def cycle_remind(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    cycle = access.get_readiness_cycle_for(request, membership, pk)
    leader = None
    if request.POST.get("leader"):
        leader = selectors.person_in(cycle.organisation_id, as_int(request.POST["leader"]))
        if leader is None:
            messages.error(request, "That leader is not in this cycle.")
            return redirect("assessments:cycle", pk=pk)
    category = request.POST.get("category") or None
    whom = f"{leader.name}'s raters" if leader else "everyone still due"
    if category:
        whom += f" ({services.CATEGORY_LABELS.get(category, category).lower()})"
    announce(
        request,
        lambda: services.send_reminders(
            cycle=cycle,
            actor=membership.user,
            leader=leader,
            everyone=request.POST.get("all") == "1",
            category=category,
        ),
        lambda pending: f"Reminders are on their way to {pending} ({whom}).",
    )
    target = request.POST.get("next") or ""
    if target.startswith("/readiness/"):
        return redirect(target)
    return redirect("assessments:cycle", pk=pk)


@_admin_action
def cycle_close(request: MemberRequest, pk: int) -> HttpResponse:
    cycle = access.get_readiness_cycle_for(request, request.membership, pk)
    asked = confirmation(
        request,
        question=f"Close {cycle.name} now?",
        consequence="No more self-assessments or ratings are taken, and the results are "
        "released. A closed cycle cannot be reopened.",
        back=reverse("assessments:cycle", args=[pk]),
        confirm_label="Close the cycle",
    )
    if asked is not None:
        return asked

    def closed(_: object) -> str:
        cycle.refresh_from_db()
        released = "are released" if cycle.is_released else "are being released"
        return f"The cycle is closed: no more ratings are taken, and its results {released}."

    announce(
        request, lambda: services.close_cycle(cycle=cycle, actor=request.membership.user), closed
    )
    return redirect("assessments:cycle", pk=pk)
