"""Pages for roundtables and summits: the list (with attendance rates for admins),
scheduling, an event with its RSVP, attendance and notes, and its .ics file."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.access import MemberRequest, page
from bellwether.core import exports
from bellwether.core.forms import announce, form_status, in_time_zone, set_choices, submit
from bellwether.core.ical import CalendarEvent, calendar_bytes
from bellwether.peers import access, selectors, services
from bellwether.peers.forms import EventForm
from bellwether.peers.models import PeerEvent, Rsvp

RATE_DAYS = 365


@page(access.VIEW)
def home(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    manage = access.MANAGE.allows(membership)
    today = timezone.localdate()
    return render(
        request,
        "peers/home.html",
        {
            "upcoming": list(selectors.events_for(membership, upcoming=True)[:50]),
            "past": list(selectors.events_for(membership, upcoming=False)[:50]),
            "can_manage": manage,
            "rates": (
                selectors.attendance_rates(
                    membership.organisation,
                    start=today - datetime.timedelta(days=RATE_DAYS),
                    end=today,
                )
                if manage
                else []
            ),
        },
    )


@page(access.MANAGE)
def event_new(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    form = EventForm(request.POST or None)
    set_choices(form, "invitees", selectors.invitee_choices(organisation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = submit(
            form,
            lambda: services.schedule_event(
                organisation=organisation,
                actor=request.membership.user,
                kind=data["kind"],
                topic=data["topic"],
                starts_at=in_time_zone(data["starts_at"], organisation.time_zone),
                ends_at=in_time_zone(data["ends_at"], organisation.time_zone),
                location=data["location"],
                agenda=data["agenda"],
                speakers=data["speakers"],
                invitee_ids=[p.pk for p in data["invitees"]],
            ),
            field_map={"invitee_ids": "invitees"},
        )
        if event is not None:
            messages.success(request, f"“{event.topic}” is scheduled and invitations are out.")
            return redirect("peers:event", pk=event.pk)
    return render(request, "peers/event_new.html", {"form": form}, status=form_status(form))


@page(access.VIEW)
def event(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    item = access.get_event_for(request, membership, pk)
    manage = access.MANAGE.allows(membership)
    return render(
        request,
        "peers/event.html",
        {
            "event": item,
            "invitations": list(selectors.invitations(item)),
            "mine": selectors.invitation_of(item, access.own_person_id(membership)),
            "answers": [(Rsvp.YES, "Yes"), (Rsvp.MAYBE, "Maybe"), (Rsvp.NO, "No")],
            "can_manage": manage,
            "started": item.starts_at <= timezone.now(),
        },
    )


def _back(pk: int) -> HttpResponse:
    return redirect(reverse("peers:event", args=[pk]))


@page(access.VIEW, methods=["POST"])
def event_rsvp(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    item = access.get_event_for(request, membership, pk)
    announce(
        request,
        lambda: services.answer_invitation(
            event=item,
            person_id=access.own_person_id(membership),
            answer=request.POST.get("answer", ""),
            actor=request.membership.user,
        ),
        "Your answer is saved.",
        every_problem=True,
    )
    return _back(item.pk)


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


@page(access.MANAGE, methods=["POST"])
def event_attendance(request: MemberRequest, pk: int) -> HttpResponse:
    item = access.get_managed_event_for(request, request.membership, pk)
    announce(
        request,
        lambda: services.record_attendance(
            event=item,
            attended_ids=_ids(request.POST.getlist("attended")),
            actor=request.membership.user,
        ),
        lambda count: f"Attendance is recorded: {count} attended.",
        every_problem=True,
    )
    return _back(item.pk)


@page(access.MANAGE, methods=["POST"])
def event_notes(request: MemberRequest, pk: int) -> HttpResponse:
    item = access.get_managed_event_for(request, request.membership, pk)
    announce(
        request,
        lambda: services.record_notes(
            event=item,
            notes=request.POST.get("notes", ""),
            takeaways=request.POST.get("takeaways", ""),
            actor=request.membership.user,
        ),
        "The notes are shared with everyone invited.",
        every_problem=True,
    )
    return _back(item.pk)


def calendar_event(item: PeerEvent, *, link: str) -> CalendarEvent:
    description = "\n\n".join(
        part
        for part in (
            item.agenda,
            ("Speakers:\n" + "\n".join(item.speaker_lines())) if item.speakers else "",
        )
        if part
    )
    return CalendarEvent(
        uid=f"peer-event-{item.pk}@{item.organisation.slug}",
        summary=f"{item.get_kind_display()}: {item.topic}",
        start=item.starts_at,
        end=item.ends_at,
        description=description,
        location=item.location,
        url=link,
        status="CONFIRMED",
    )


@page(access.VIEW)
def event_ics(request: MemberRequest, pk: int) -> HttpResponse:
    item = access.get_event_for(request, request.membership, pk)
    content = calendar_bytes(
        [calendar_event(item, link=request.build_absolute_uri(reverse("peers:event", args=[pk])))],
        name=item.topic,
    )
    return exports.attachment(content, fmt="ics", filename=f"peer-event-{item.pk}.ics")
