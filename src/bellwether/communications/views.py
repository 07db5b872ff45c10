"""Pages for a leader's communications: my communications (plan, due and overdue slots,
one-tap log), a leader's page, the plan editor and the delivery form. Thin: parse, ask
``access``, call a service or selector, render. Calendars, the rhythm view, the feed and
preferences are in ``views_calendar``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.access import MemberRequest, page
from bellwether.communications import access, attachments, cadence, selectors, services
from bellwether.core.errors import DomainError
from bellwether.core.forms import announce, error_messages
from bellwether.core.uploads import MB, UploadLimits
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import Person

PAST_DAYS = 35
AHEAD_DAYS = 14
SHOWN_OVERDUE = 6  # the most recent; the calendar shows them all


def _slots_context(person: Person) -> dict[str, Any]:
    today = selectors.today_in(person.organisation)
    texts = {c.key: c for c in selectors.cadences_for(person.leader_level)}
    rows = selectors.leader_slots(
        person,
        today - dt.timedelta(days=PAST_DAYS),
        today + dt.timedelta(days=AHEAD_DAYS),
        today=today,
    )

    def line(s: cadence.SlotStatus) -> dict[str, Any]:
        info = texts[s.cadence_key]
        return {
            "key": s.cadence_key,
            "text": info.text,
            "frequency": info.frequency,
            "slot": s.slot,
            "status": s.status,
            "one_tap": info.frequency in services.ONE_TAP_FREQUENCIES and s.status == cadence.DUE,
        }

    overdue = [line(s) for s in reversed(rows) if s.status == cadence.OVERDUE]
    return {
        "today": today,
        "overdue": overdue[:SHOWN_OVERDUE],
        "overdue_more": max(0, len(overdue) - SHOWN_OVERDUE),
        "due": [line(s) for s in rows if s.status == cadence.DUE],
        "upcoming": [line(s) for s in rows if s.status == cadence.UPCOMING][:10],
        "unscheduled": [c for c in texts.values() if c.frequency not in cadence.FREQUENCIES],
    }


def _leader_context(request: MemberRequest, person: Person) -> dict[str, Any]:
    plan = selectors.plan_of(person)
    template = CATALOGUE.communication_plan
    names = selectors.channel_names()
    return {
        "person": person,
        "plan": plan,
        "supporting": [
            (f.name, (plan.supporting if plan else {}).get(f.key, ""))
            for f in template.supporting_messages
        ],
        "audiences": [
            (a.audience, plan.audiences[a.key])
            for a in template.audiences
            if plan and a.key in plan.audiences
        ],
        "channels": [names.get(k, k) for k in (plan.channels if plan else [])],
        "calendar": [
            (s.name, (plan.calendar if plan else {}).get(s.key, [])) for s in template.calendar
        ],
        "deliveries": [
            (d, names.get(d.channel, d.channel)) for d in selectors.deliveries_of(person)
        ],
        "can_edit": access.EDIT_LEADER.allows(request.membership, person),
        "can_log": access.LOG_FOR.allows(request.membership, person),
        **_slots_context(person),
    }


@page(access.HOME)
def home(request: MemberRequest) -> HttpResponse:
    """My communications for a leader; links to the leaders and views the member may see."""
    membership = request.membership
    context: dict[str, Any] = {
        "can_view_org": access.VIEW_ORG.allows(membership),
        "leaders": list(
            access.visible_leaders(membership).select_related("org_unit").order_by("name")[:200]
        ),
    }
    person = membership.person if access.FEED.allows(membership) else None
    if person is not None and person.leader_level:
        context.update(_leader_context(request, person))
        context["mine"] = True
    return render(request, "communications/home.html", context)


@page(access.HOME)
def leader(request: MemberRequest, pk: int) -> HttpResponse:
    person = access.get_leader_for(request, request.membership, pk)
    return render(request, "communications/leader.html", _leader_context(request, person))


def _back(person: Person) -> str:
    return reverse("communications:leader", args=[person.pk])


def _saved(
    request: MemberRequest, person: Person, action: Callable[[], object], done: str
) -> tuple[HttpResponse | None, list[str]]:
    """Run a form's service call: on success a message and the leader's page; on a
    DomainError its messages for the form (nothing was saved)."""
    try:
        action()
    except DomainError as error:
        return None, error_messages(error)
    messages.success(request, done)
    return redirect(_back(person)), []


@page(access.HOME, methods=["POST"])
def generate(request: MemberRequest, pk: int) -> HttpResponse:
    person = access.get_leader_for(request, request.membership, pk, edit=True)
    services.generate_plan(person=person, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, "The communication plan is ready: make it your own.")
    return redirect("communications:edit", pk=person.pk)


@page(access.HOME, methods=["GET", "POST"])
def edit(request: MemberRequest, pk: int) -> HttpResponse:
    person = access.get_leader_for(request, request.membership, pk, edit=True)
    plan = selectors.plan_of(person)
    if plan is None:
        plan = services.generate_plan(person=person, actor=request.user)  # type: ignore[arg-type]
    template = CATALOGUE.communication_plan
    errors: list[str] = []
    if request.method == "POST":
        post = request.POST
        done, errors = _saved(
            request,
            person,
            lambda: services.update_plan(
                plan=plan,
                actor=request.user,  # type: ignore[arg-type]
                objective=post.get("objective", ""),
                primary_message=post.get("primary_message", ""),
                supporting={f.key: post.get(f.key, "") for f in template.supporting_messages},
                audiences={key: post.get(f"focus:{key}", "") for key in post.getlist("audiences")},
                channels=post.getlist("channels"),
                calendar={
                    s.key: post.get(f"calendar:{s.key}", "").splitlines() for s in template.calendar
                },
            ),
            "Plan saved.",
        )
        if done is not None:
            return done
    return render(
        request,
        "communications/edit.html",
        {
            "person": person,
            "plan": plan,
            "errors": errors,
            "supporting": [
                (f, plan.supporting.get(f.key, "")) for f in template.supporting_messages
            ],
            "audiences": [(a, plan.audiences.get(a.key)) for a in template.audiences],
            "channels": [(c, c.key in plan.channels) for c in template.channels],
            "calendar": [(s, "\n".join(plan.calendar.get(s.key, []))) for s in template.calendar],
        },
        status=400 if errors else 200,
    )


def _parse_moment(value: str, zone: str) -> dt.datetime | None:
    try:
        naive = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return naive if naive.tzinfo else naive.replace(tzinfo=ZoneInfo(zone))


def _upload(request: MemberRequest) -> tuple[str, bytes] | None:
    """The attached file, read no further than one byte past the largest accepted (so a
    larger one is refused with its size, never read whole)."""
    upload = request.FILES.get("attachment")
    if upload is None:
        return None
    limit = attachments.max_bytes(UploadLimits.from_settings())
    return upload.name or "attachment", upload.read(limit + 1)


@page(access.HOME, methods=["GET", "POST"])
def log(request: MemberRequest, pk: int) -> HttpResponse:
    """The delivery form: when, channel, audiences, which core messages, link."""
    person = access.get_leader_for(request, request.membership, pk, log=True)
    zone = person.organisation.time_zone
    errors: list[str] = []
    values: dict[str, Any] = {
        "delivered_at": timezone.localtime(timezone.now(), ZoneInfo(zone)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "cadence_key": request.GET.get("cadence", ""),
        "channel": "",
        "audiences": [],
        "messages": [],
        "title": "",
        "notes": "",
        "link": "",
    }
    if request.method == "POST":
        post = request.POST
        values = {
            **values,
            **{
                k: post.get(k, "")
                for k in ("delivered_at", "cadence_key", "channel", "title", "notes", "link")
            },
            "audiences": post.getlist("audiences"),
            "messages": post.getlist("messages"),
        }
        moment = _parse_moment(values["delivered_at"], zone)

        def save() -> None:
            if moment is None:
                raise DomainError(
                    "Give the date and time it was delivered.",
                    field_errors={"delivered_at": ["A date and time."]},
                )
            services.log_delivery(
                person=person,
                actor=request.user,  # type: ignore[arg-type]
                delivered_at=moment,
                channel=values["channel"],
                audiences=values["audiences"],
                messages=values["messages"],
                cadence_key=values["cadence_key"],
                title=values["title"],
                notes=values["notes"],
                link=values["link"],
                by_assistant=access.logs_as_assistant(request.membership, person),
                attachment=_upload(request),
            )

        done, errors = _saved(request, person, save, "Delivery logged.")
        if done is not None:
            return done
    return render(
        request,
        "communications/log.html",
        {
            "person": person,
            "values": values,
            "errors": errors,
            "cadences": selectors.cadences_for(person.leader_level),
            "channels": CATALOGUE.communication_plan.channels,
            "audiences": CATALOGUE.communication_plan.audiences,
            "core_messages": CATALOGUE.core_messages,
            "time_zone": zone,
            "max_attachment_mb": attachments.max_bytes(UploadLimits.from_settings()) // MB,
            "attachment_accept": ",".join(f".{t}" for t in attachments.TYPES),
        },
        status=400 if errors else 200,
    )


@page(access.HOME, methods=["POST"])
def tap(request: MemberRequest, pk: int) -> HttpResponse:
    """One tap: this daily or weekly slot delivered now."""
    person = access.get_leader_for(request, request.membership, pk, log=True)
    announce(
        request,
        lambda: services.tap_delivered(
            person=person,
            actor=request.user,  # type: ignore[arg-type]
            cadence_key=request.POST.get("cadence_key", ""),
            by_assistant=access.logs_as_assistant(request.membership, person),
        ),
        "Logged as delivered.",
    )
    target = request.POST.get("next", "")
    return redirect(target if target == reverse("communications:home") else _back(person))
