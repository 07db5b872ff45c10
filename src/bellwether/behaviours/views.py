"""Pages for behaviour check-ins: today's check-in (in the app or by one-tap link), a
leader's consistency beside their 360 observations, the organisation's view, observing
peers and the manager, and recognitions. Thin: parse, ask ``access``, call, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from bellwether.accounts.access import MemberRequest, page
from bellwether.behaviours import access, consistency, selectors, services
from bellwether.behaviours.models import CheckIn
from bellwether.core import exports
from bellwether.core.errors import DomainError
from bellwether.core.forms import picked_person
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES
from bellwether.framework.catalogue.behaviours import BEHAVIOURS
from bellwether.people.models import Person

FREQUENCY_LABELS = {"daily": "Daily", "weekly": "This week", "monthly": "This month"}


def _day(value: str | None, today: dt.date) -> dt.date:
    if not value:
        return today
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError("Give the date as YYYY-MM-DD.", code="invalid_date") from None


def _check_in_context(person: Person, day: dt.date, today: dt.date) -> dict[str, Any]:
    toggles = selectors.due_toggles(person, day)
    groups = [
        {
            "label": FREQUENCY_LABELS[f],
            "toggles": [t for t in toggles if t.behaviour.frequency == f],
        }
        for f in consistency.FREQUENCIES
    ]
    grace = [today - dt.timedelta(days=i) for i in range(1, RULES.grace_days + 1)]
    done_days = {
        c.day for c in selectors.recent_check_ins(person, today=today, days=RULES.grace_days + 1)
    }
    return {
        "person": person,
        "day": day,
        "late": day < today,
        "groups": [g for g in groups if g["toggles"]],
        "missed": [d for d in grace if d not in done_days],
    }


def _save(
    request: HttpRequest, person: Person, day: dt.date, via: str, actor: Any
) -> CheckIn | None:
    try:
        return services.record_check_in(
            person=person,
            day=day,
            behaviours=request.POST.getlist("behaviours"),
            actor=actor,
            via=via,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return None


@page(access.HOME)
def home(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    context: dict[str, Any] = {
        "can_view_organisation": access.VIEW_ORGANISATION.allows(membership),
        "takes_part": access.TAKE_PART.allows(membership),
    }
    if access.CHECK_IN.allows(membership):
        person = access.own_person(request, membership)
        today = services.today_for(membership.organisation)
        context |= _check_in_context(person, today, today)
        context["action"] = reverse("behaviours:check_in")
        context["score"] = selectors.person_consistency(person, today)
    return render(request, "behaviours/home.html", context)


@page(access.CHECK_IN, methods=["GET", "POST"])
def check_in(request: MemberRequest) -> HttpResponse:
    """Today's check-in, or a missed day's (``?day=``) within the grace window."""
    membership = request.membership
    person = access.own_person(request, membership)
    today = services.today_for(membership.organisation)
    try:
        day = _day(request.POST.get("day") or request.GET.get("day"), today)
        services.check_day(day, today)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("behaviours:home")
    if request.method == "POST" and _save(request, person, day, CheckIn.Via.APP, membership.user):
        messages.success(request, f"Checked in for {day:%A %d %B}.")
        return redirect("behaviours:mine")
    context = _check_in_context(person, day, today) | {"action": reverse("behaviours:check_in")}
    return render(request, "behaviours/check_in.html", context)


@require_http_methods(["GET", "POST"])
def check_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """The one-tap link: that leader's check-in for that day, no password. Not a member
    page; the signed token is the key (it signs nobody in)."""
    check = services.check_link(token, request=request)
    if check.state is not services.LinkState.OK or check.person is None or check.day is None:
        return render(
            request,
            "error.html",
            {
                "title": services.LINK_TITLES[check.state],
                "message": services.LINK_MESSAGES[check.state],
            },
            status=410,
        )
    person, day = check.person, check.day
    today = services.today_for(person.organisation)
    saved = None
    if request.method == "POST":
        saved = _save(request, person, day, CheckIn.Via.LINK, None)
    context = _check_in_context(person, day, today) | {
        "action": request.path,
        "via_link": True,
        "saved": saved,
    }
    return render(request, "behaviours/check_in.html", context)


def _consistency_context(person: Person, today: dt.date) -> dict[str, Any]:
    score = selectors.person_consistency(person, today)
    groups, minimum = selectors.observation_summary(person, today)
    shown = [g for g in groups if g.shown]
    rows = [
        {
            "behaviour": b.behaviour,
            "score": b.score,
            "streak": b.streak,
            "done_now": b.done_now,
            "observed": [(g, g.seen.get(b.behaviour.key, 0)) for g in shown],
        }
        for b in score.behaviours
    ]
    return {
        "person": person,
        "score": score,
        "rows": rows,
        "groups": groups,
        "shown_groups": shown,
        "minimum": minimum,
        "formula": consistency.formula_text(),
        "threshold": RULES.demonstrates_threshold,
        "window": RULES.demonstrates_window_days,
        "recent": selectors.recent_check_ins(person, today=today, days=14),
    }


@page(access.CHECK_IN)
def mine(request: MemberRequest) -> HttpResponse:
    person = access.own_person(request, request.membership)
    today = services.today_for(request.membership.organisation)
    return render(request, "behaviours/consistency.html", _consistency_context(person, today))


@page(access.ANY_MEMBER)
def leader(request: MemberRequest, pk: int) -> HttpResponse:
    person = access.get_leader_for(request, request.membership, pk)
    today = services.today_for(request.membership.organisation)
    return render(request, "behaviours/consistency.html", _consistency_context(person, today))


EXPORT_FORMATS = ("csv", "xlsx")


@page(access.VIEW_ORGANISATION)
def organisation(request: MemberRequest) -> HttpResponse:
    """The organisation's consistency, or one unit's with everything below it
    (``?unit=``), by the units right below and by level; ``?format=csv|xlsx``."""
    membership = request.membership
    org = membership.organisation
    unit = None
    if request.GET.get("unit"):
        unit = selectors.unit_in(org, request.GET["unit"])
        if unit is None:
            messages.error(request, selectors.UNKNOWN_UNIT)
    view = selectors.organisation_consistency(org, services.today_for(org), unit=unit)
    fmt = request.GET.get("format", "")
    if fmt in EXPORT_FORMATS:
        table = selectors.organisation_table(view)
        return exports.download(
            request,
            exports.table_bytes(table, fmt=fmt, title="Consistency"),
            fmt=fmt,
            filename=f"behaviour-consistency-{view.as_of}.{fmt}",
            audit=exports.Audit.by(
                membership,
                "behaviours.organisation_exported",
                filters={"unit": unit.pk if unit is not None else None},
                rows=len(table) - 1,
            ),
        )
    return render(
        request,
        "behaviours/organisation.html",
        {
            "view": view,
            "trail": selectors.unit_trail(unit),
            "units": selectors.unit_choices(org),
            "query": f"unit={unit.pk}&" if unit is not None else "",
            "formula": consistency.formula_text(),
            "threshold": RULES.demonstrates_threshold,
            "window": RULES.demonstrates_window_days,
        },
    )


@page(access.TAKE_PART)
def observe(request: MemberRequest) -> HttpResponse:
    person = access.own_person(request, request.membership)
    return render(
        request,
        "behaviours/observe.html",
        {"people": selectors.observable_people(person)},
    )


@page(access.ANY_MEMBER, methods=["GET", "POST"])
def observe_person(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    subject = access.get_subject_for(request, membership, pk)
    me = access.own_person(request, membership)
    today = services.today_for(membership.organisation)
    months = services.observable_months(today)
    month = months[0]
    if request.method == "POST":
        try:
            month = _day(request.POST.get("month"), today).replace(day=1)
            services.record_observation(
                observer=me,
                subject=subject,
                month=month,
                behaviours=request.POST.getlist("behaviours"),
                actor=membership.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Thank you: your observation of {subject.name} is saved.")
            return redirect("behaviours:observe")
    earlier = selectors.observation_by(me, subject, month)
    seen = earlier.seen if earlier is not None else 0
    return render(
        request,
        "behaviours/observe_person.html",
        {
            "subject": subject,
            "months": months,
            "month": month,
            "toggles": [(b, bool(seen & consistency.BIT[b.key])) for b in BEHAVIOURS],
        },
    )


@page(access.TAKE_PART, methods=["GET", "POST"])
def recognitions(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    me = access.own_person(request, membership)
    if request.method == "POST":
        try:
            recognised = picked_person(
                selectors.recognisable(me), request.POST.get("recognised", ""), field="recognised"
            )
            if recognised is None:
                raise DomainError("Choose someone in your organisation.", code="invalid")
            services.give_recognition(
                given_by=me,
                recognised=recognised,
                behaviour_key=request.POST.get("behaviour", ""),
                message=request.POST.get("message", ""),
                actor=membership.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{recognised.name} has been recognised.")
            return redirect("behaviours:recognitions")
    rows = selectors.recognitions_visible_to(membership)[:100]
    labels = {b.key: b.text for b in BEHAVIOURS}
    return render(
        request,
        "behaviours/recognitions.html",
        {
            "rows": [(r, labels.get(r.behaviour_key, r.behaviour_key)) for r in rows],
            "behaviours": BEHAVIOURS,
            "max_length": RULES.recognition_max_length,
        },
    )
