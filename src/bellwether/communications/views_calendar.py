"""Calendars (a leader's and the organisation's, month and agenda), the rhythm view with
its exports, the calendar feed (a revocable token URL) and alert preferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from bellwether.accounts.access import MemberRequest, page
from bellwether.communications import access, selectors, services
from bellwether.communications.models import AlertPreference
from bellwether.core import exports
from bellwether.core.forms import confirmation
from bellwether.core.ical import calendar_bytes
from bellwether.core.models import Organisation
from bellwether.people.models import LeaderLevel

EXPORT_FORMATS = ("csv", "xlsx")


def _month(request: HttpRequest, today: dt.date) -> dt.date:
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _month_bounds(first: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = last + dt.timedelta(days=1)
    return first, last, previous, following


def _view(request: HttpRequest) -> str:
    return "agenda" if request.GET.get("view") == "agenda" else "month"


@page(access.HOME)
def leader_calendar(request: MemberRequest, pk: int) -> HttpResponse:
    """A leader's slots in a month: planned (due or upcoming), delivered and overdue."""
    person = access.get_leader_for(request, request.membership, pk)
    today = selectors.today_in(person.organisation)
    first, last, previous, following = _month_bounds(_month(request, today))
    entries = selectors.leader_entries(person, first, last)
    by_day: dict[dt.date, list[selectors.Entry]] = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    weeks = [
        [(day, by_day.get(day, []) if day else []) for day in week]
        for week in selectors.month_grid(first.year, first.month)
    ]
    return render(
        request,
        "communications/calendar.html",
        {
            "person": person,
            "view": _view(request),
            "month": first,
            "previous": previous,
            "following": following,
            "weeks": weeks,
            "agenda": sorted(by_day.items()),
            "today": today,
        },
    )


def _filters(request: MemberRequest) -> dict[str, Any]:
    level = request.GET.get("level", "")
    if level not in LeaderLevel.values:
        level = ""
    try:
        unit_id = int(request.GET.get("unit", "") or 0) or None
    except ValueError:
        unit_id = None
    return {"level": level, "unit": unit_id}


def _filter_context(organisation: Organisation, filters: dict[str, Any]) -> dict[str, Any]:
    return {
        "filters": filters,
        "levels": LeaderLevel.choices,
        "units": selectors.units_of(organisation),
    }


@page(access.VIEW_ORG)
def org_calendar(request: MemberRequest) -> HttpResponse:
    """The organisation's month: per day, how many slots are delivered, overdue or
    planned, for the leaders of a level or unit."""
    organisation = request.membership.organisation
    filters = _filters(request)
    today = selectors.today_in(organisation)
    first, last, previous, following = _month_bounds(_month(request, today))
    counts = selectors.organisation_day_counts(
        organisation, first, last, level=filters["level"], unit_id=filters["unit"]
    )
    weeks = [
        [(day, counts.get(day) if day else None) for day in week]
        for week in selectors.month_grid(first.year, first.month)
    ]
    return render(
        request,
        "communications/org_calendar.html",
        {
            "view": _view(request),
            "month": first,
            "previous": previous,
            "following": following,
            "weeks": weeks,
            "agenda": sorted(counts.items()),
            "today": today,
            **_filter_context(organisation, filters),
        },
    )


def _range(request: HttpRequest, today: dt.date) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today.replace(month=1, day=1)
    try:
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return (start, end) if start <= end else (end, start)


@page(access.VIEW_ORG)
def rhythm(request: MemberRequest) -> HttpResponse:
    """Who is on rhythm and who is overdue, by level and unit; ``?format=csv|xlsx``."""
    membership = request.membership
    organisation = membership.organisation
    filters = _filters(request)
    today = selectors.today_in(organisation)
    start, end = _range(request, today)
    rows = selectors.organisation_rhythm(
        organisation, start=start, end=end, level=filters["level"], unit_id=filters["unit"]
    )
    fmt = request.GET.get("format", "")
    if fmt in EXPORT_FORMATS:
        return exports.download(
            request,
            exports.table_bytes(selectors.rhythm_table(rows), fmt=fmt, title="Rhythm"),
            fmt=fmt,
            filename=f"communication-rhythm-{start}-{end}.{fmt}",
            audit=exports.Audit(
                "communications.rhythm_exported",
                organisation,
                membership.user,
                filters={**filters, "start": str(start), "end": str(end)},
                rows=len(rows),
            ),
        )
    return render(
        request,
        "communications/rhythm.html",
        {
            "rows": rows,
            "start": start,
            "end": end,
            "on_rhythm": sum(1 for r in rows if r.on_rhythm),
            "query": request.GET.urlencode(),
            **_filter_context(organisation, filters),
        },
    )


@page(access.FEED, methods=["GET", "POST"])
def feed(request: MemberRequest) -> HttpResponse:
    """Subscribe to one's own slots: a new address (shown once) or revoke the old one."""
    membership = request.membership
    address = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            asked = confirmation(
                request,
                question="Revoke your calendar address?",
                consequence="Calendars subscribed to it stop updating at once. It cannot be "
                "restored; you can make a new address afterwards.",
                back=reverse("communications:feed"),
                confirm_label="Revoke the address",
            )
            if asked is not None:
                return asked
            services.revoke_feed_tokens(membership=membership)
            messages.success(request, "The calendar address is revoked: it no longer works.")
            return redirect("communications:feed")
        secret = services.create_feed_token(membership=membership)
        address = request.build_absolute_uri(reverse("communications:ical", args=[secret]))
    return render(
        request,
        "communications/feed.html",
        {
            "address": address,
            "webcal": address.replace("https://", "webcal://", 1).replace(
                "http://", "webcal://", 1
            ),
            "live": selectors.has_live_feed(membership),
        },
    )


@require_GET
def ical(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar feed: no sign-in, the token is the key; unknown or revoked is 404."""
    membership = selectors.feed_membership(token)
    if membership is None or not access.FEED.allows(membership):
        raise Http404("No such calendar.")
    content = calendar_bytes(
        selectors.feed_events(membership),
        name=f"AI communications — {membership.organisation.name}",
    )
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES["ics"])
    response["Cache-Control"] = "private, max-age=900"
    return response


@page(access.PREFERENCES, methods=["GET", "POST"])
def preferences(request: MemberRequest) -> HttpResponse:
    """Which overdue alerts the member gets (the link in every alert mail)."""
    membership = request.membership
    if request.method == "POST":
        services.set_alert_preferences(
            membership=membership,
            daily_digest=request.POST.get("daily_digest") == "on",
            weekly_summary=request.POST.get("weekly_summary") == "on",
        )
        messages.success(request, "Alert preferences saved.")
        return redirect("communications:preferences")
    preference = AlertPreference.objects.filter(membership=membership).first()
    return render(
        request,
        "communications/preferences.html",
        {
            "daily_digest": preference.daily_digest if preference else True,
            "weekly_summary": preference.weekly_summary if preference else True,
        },
    )
