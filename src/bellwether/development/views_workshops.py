"""Pages for the visioning workshops: the three sessions, one session (schedule,
attendance, outcomes), its invitation (.ics) and its closing report (HTML and PDF)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from bellwether.accounts.access import MemberRequest, page
from bellwether.core import exports, ical
from bellwether.core import pdf as core_pdf
from bellwether.core.errors import DomainError
from bellwether.core.forms import optional_date, picked_people, picked_person, show_refusal
from bellwether.development import access, selectors, services
from bellwether.development.models import Workshop
from bellwether.development.services.workshops import KPIS
from bellwether.development.views import _id
from bellwether.framework.catalogue import CATALOGUE


def _workshop(request: MemberRequest, pk: int) -> Workshop:
    return access.get_workshop_row_for(request, request.membership, Workshop.objects.all(), pk)


@page(access.VIEW_WORKSHOPS)
def workshops(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    return render(
        request,
        "development/workshops.html",
        {
            "workshops": selectors.workshops_for(organisation),
            "sessions": CATALOGUE.visioning_sessions,
            "vision": selectors.adopted_vision(organisation),
            "versions": list(selectors.vision_versions(organisation)[:10]),
            "can_manage": access.MANAGE_WORKSHOPS.allows(request.membership),
        },
    )


def _report_context(workshop: Workshop) -> dict[str, object]:
    return {
        "view": selectors.workshop_view(workshop),
        "session": selectors.SESSION_BY_KEY.get(workshop.session_key),
        "kpi_names": {k.key: k.name for k in (*CATALOGUE.primary_kpis, *CATALOGUE.secondary_kpis)},
        "today": timezone.localdate(),
    }


@page(access.VIEW_WORKSHOPS)
def workshop(request: MemberRequest, pk: int) -> HttpResponse:
    found = _workshop(request, pk)
    can_manage = access.MANAGE_WORKSHOPS.allows(request.membership)
    return render(
        request,
        "development/workshop.html",
        {
            **_report_context(found),
            "can_manage": can_manage,
            "kpis": sorted(KPIS),
        },
    )


@page(access.VIEW_WORKSHOPS)
def workshop_report_pdf(request: MemberRequest, pk: int) -> HttpResponse:
    found = _workshop(request, pk)
    content = core_pdf.render_pdf(
        "development/workshop_report.html",
        {**_report_context(found), "pdf": True},
        request=request,
    )
    return _download(
        request,
        found,
        content,
        filename=f"workshop-{found.pk}-report.pdf",
        action="workshop_report_downloaded",
    )


@page(access.VIEW_WORKSHOPS)
def workshop_ics(request: MemberRequest, pk: int) -> HttpResponse:
    found = _workshop(request, pk)
    membership = request.membership
    session = selectors.SESSION_BY_KEY.get(found.session_key)
    name = session.name if session else found.session_key
    agenda = "\n".join(f"{line['title']} ({line['minutes']} min)" for line in found.agenda)
    event = ical.CalendarEvent(
        uid=f"workshop-{found.pk}@{membership.organisation.slug}",
        summary=name,
        start=found.starts_at,
        end=found.ends_at,
        description=agenda,
        location=found.location,
        url=found.link,
        status="CONFIRMED",
    )
    return _download(
        request,
        found,
        ical.calendar_bytes([event], name=name),
        filename=f"workshop-{found.pk}.ics",
        action="workshop_invitation_downloaded",
    )


def _download(
    request: MemberRequest, found: Workshop, content: bytes, *, filename: str, action: str
) -> HttpResponse:
    """A workshop's file (its report as PDF, its invitation), audited as
    ``development.<action>``; the format is the file name's extension."""
    membership = request.membership
    return exports.download(
        request,
        content,
        fmt=filename.rsplit(".", 1)[-1],
        filename=filename,
        audit=exports.Audit(
            f"development.{action}", membership.organisation, membership.user, target=found
        ),
    )


def _when(date_text: str, time_text: str) -> datetime.datetime | None:
    day = optional_date(date_text)
    if day is None:
        return None
    try:
        hour = datetime.time.fromisoformat(time_text or "09:00")
    except ValueError:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, hour))


@page(access.MANAGE_WORKSHOPS, methods=["POST"])
def schedule(request: MemberRequest) -> HttpResponse:
    post = request.POST
    membership = request.membership
    starts = _when(post.get("date", ""), post.get("start", ""))
    ends = _when(post.get("date", ""), post.get("end", ""))
    try:
        if starts is None or ends is None:
            raise DomainError("Give the date, start and end time of the workshop.")
        made = services.schedule_workshop(
            organisation=membership.organisation,
            actor=membership.user,
            session_key=post.get("session_key", ""),
            starts_at=starts,
            ends_at=ends,
            location=post.get("location", ""),
            link=post.get("link", ""),
            facilitator=post.get("facilitator", ""),
            invited=[
                p.pk
                for p in picked_people(
                    selectors.leaders_of(membership.organisation),
                    ", ".join(post.getlist("invited")),
                    field="invited",
                )
            ],
        )
    except DomainError as error:
        show_refusal(request, error)
        return redirect("development:workshops")
    messages.success(request, "The workshop is scheduled.")
    return redirect("development:workshop", pk=made.pk)


def _picked_id(workshop: Workshop, text: str, field: str) -> int:
    """The leader typed in a workshop form's picker (0 when left empty: the service
    refuses it)."""
    person = picked_person(selectors.leaders_of(workshop.organisation), text, field=field)
    return person.pk if person is not None else 0


def _agenda_lines(post: QueryDict) -> list[dict[str, object]]:
    """The agenda form's rows (``title`` and ``minutes`` side by side); rows left blank are
    dropped, the rest go to the service to be checked."""
    return [
        {"title": title, "minutes": minutes}
        for title, minutes in zip(post.getlist("title"), post.getlist("minutes"), strict=False)
        if title.strip() or minutes.strip()
    ]


@page(access.MANAGE_WORKSHOPS, methods=["POST"])
def outcome(request: MemberRequest, pk: int) -> HttpResponse:
    """Every record of a workshop, by ``op``: agenda, attendance, vision, adopt, metric,
    resource, allocated, commitment."""
    found = _workshop(request, pk)
    post = request.POST
    user = request.membership.user
    op = post.get("op", "")
    try:
        if op == "agenda":
            services.edit_agenda(workshop=found, actor=user, agenda=_agenda_lines(post))
        elif op == "attendance":
            services.record_attendance(
                workshop=found,
                actor=user,
                attended=[i for i in (_id(v) for v in post.getlist("attended")) if i is not None],
            )
        elif op == "vision":
            services.propose_vision(
                organisation=found.organisation,
                actor=user,
                text=post.get("text", ""),
                workshop=found,
            )
        elif op == "adopt":
            statement = (
                selectors.vision_versions(found.organisation)
                .filter(pk=_id(post.get("statement", "")) or 0)
                .first()
            )
            if statement is None:
                raise DomainError("Unknown version of the vision.")
            services.adopt_vision(statement=statement, actor=user)
        elif op == "metric":
            services.add_metric(
                workshop=found,
                actor=user,
                kpi_key=post.get("kpi_key", ""),
                target=post.get("target", ""),
                due=optional_date(post.get("due", "")),
            )
        elif op == "resource":
            due = optional_date(post.get("due", ""))
            if due is None:
                raise DomainError("Give the due date.", field_errors={"due": ["Required."]})
            services.add_resource(
                workshop=found,
                actor=user,
                description=post.get("description", ""),
                amount=post.get("amount", "").strip() or None,
                owner_id=_picked_id(found, post.get("owner", ""), "owner"),
                due=due,
            )
        elif op == "allocated":
            row = (
                selectors.resource_commitments(found.organisation)
                .filter(pk=_id(post.get("resource", "")) or 0)
                .first()
            )
            when = optional_date(post.get("allocated_on", ""))
            if row is None or when is None:
                raise DomainError("Choose the commitment and the date it was allocated.")
            services.mark_allocated(commitment=row, actor=user, allocated_on=when)
        elif op == "commitment":
            services.add_commitment(
                workshop=found,
                actor=user,
                person_id=_picked_id(found, post.get("person", ""), "person"),
                text=post.get("text", ""),
                due=optional_date(post.get("due", "")),
            )
        else:
            raise DomainError("Choose what to record.")
    except DomainError as error:
        show_refusal(request, error)
    else:
        messages.success(request, "Recorded.")
    return redirect("development:workshop", pk=found.pk)
