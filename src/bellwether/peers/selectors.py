"""Reads of peer networks shared by pages, the API, the services and other apps.

Other apps (reviews, the KPI dashboard) read attendance ONLY through ``attendance_for``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.core.inbox import InboxItem
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.framework.catalogue import MENTORSHIP
from bellwether.peers import access
from bellwether.peers.models import (
    CheckIn,
    EventInvitation,
    MatchRun,
    Pairing,
    PairStatus,
    PeerEvent,
    Rsvp,
)
from bellwether.people import selectors as people_selectors
from bellwether.people.models import Person

# --- mentorship ----------------------------------------------------------------------------


def active_load(organisation: Organisation) -> tuple[dict[int, int], set[int]]:
    """Active mentees per mentor, and the people already mentored (in an active pair)."""
    load: dict[int, int] = {}
    paired: set[int] = set()
    for mentor_id, mentee_id in Pairing.objects.filter(
        organisation=organisation, status=PairStatus.ACTIVE
    ).values_list("mentor_id", "mentee_id"):
        load[mentor_id] = load.get(mentor_id, 0) + 1
        paired.add(mentee_id)
    return load, paired


def actively_mentored(organisation_id: int, person_ids: Iterable[int]) -> set[int]:
    return set(
        Pairing.objects.filter(
            organisation_id=organisation_id,
            status=PairStatus.ACTIVE,
            mentee_id__in=list(person_ids),
        ).values_list("mentee_id", flat=True)
    )


def latest_run(organisation: Organisation) -> MatchRun | None:
    return MatchRun.objects.filter(organisation=organisation).first()


def proposals(run: MatchRun) -> QuerySet[Pairing]:
    """A run's pairs (proposed, or what became of them), best first."""
    return (
        Pairing.objects.filter(run=run)
        .select_related("mentor", "mentee", "mentor__org_unit", "mentee__org_unit")
        .order_by("-score", "mentor__name", "mentee__name", "id")
    )


def pairs_to_notify(run_id: int) -> list[Pairing]:
    return list(
        Pairing.objects.filter(
            run_id=run_id, status=PairStatus.ACTIVE, notified_at__isnull=True
        ).select_related("mentor", "mentee")
    )


def pairs_for(membership: Membership, *, status: str = "") -> QuerySet[Pairing]:
    """The published pairs the member may see, with their check-in count."""
    rows = access.visible_pairs(membership)
    if status:
        rows = rows.filter(status=status)
    return (
        rows.select_related("mentor", "mentee", "mentor__org_unit", "mentee__org_unit")
        .annotate(check_in_count=Count("check_ins"))
        .order_by("status", "mentor__name", "mentee__name", "id")
    )


def check_ins(pairing: Pairing) -> QuerySet[CheckIn]:
    return pairing.check_ins.all()


def question_names() -> dict[str, str]:
    return {q.key: q.name for q in MENTORSHIP.check_in_questions}


def outcome_name(key: str) -> str:
    return catalogue.mentorship_outcome(key).name if key else ""


def band_name(key: str) -> str:
    return catalogue.band(key).name if key else ""


# --- roundtables and summits ---------------------------------------------------------------


def events_for(membership: Membership, *, upcoming: bool | None = None) -> QuerySet[PeerEvent]:
    """The events the member may see with their invitation, yes and attendance counts;
    ``upcoming`` True keeps those not yet over (soonest first), False the past ones."""
    rows = access.visible_events(membership).annotate(
        invited=Count("invitations", distinct=True),
        going=Count("invitations", filter=Q(invitations__rsvp="yes"), distinct=True),
        came=Count("invitations", filter=Q(invitations__attended=True), distinct=True),
    )
    now = timezone.now()
    if upcoming is True:
        return rows.filter(ends_at__gt=now).order_by("starts_at", "id")
    if upcoming is False:
        return rows.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    return rows.order_by("-starts_at", "-id")


def invitations(event: PeerEvent) -> QuerySet[EventInvitation]:
    return event.invitations.select_related("person", "person__org_unit")


def invitation_of(event: PeerEvent, person_id: int | None) -> EventInvitation | None:
    if person_id is None:
        return None
    return EventInvitation.objects.filter(event=event, person_id=person_id).first()


def invitee_choices(organisation: Organisation) -> QuerySet[Person]:
    """Who may be invited: the organisation's active leaders."""
    return people_selectors.leaders_in(organisation)


def _recorded_invitations(
    organisation: Organisation, start: date, end: date
) -> QuerySet[EventInvitation]:
    """The invitations to the events that started between ``start`` and ``end``
    (inclusive) and whose attendance was recorded."""
    return EventInvitation.objects.filter(
        organisation=organisation,
        event__attendance_recorded=True,
        event__starts_at__date__gte=start,
        event__starts_at__date__lte=end,
    )


def attendance_for(
    *, organisation: Organisation, person_ids: Iterable[int], start: date, end: date
) -> dict[int, tuple[int, int]]:
    """Per person: (events attended, events invited to) among the roundtables and summits
    that started between ``start`` and ``end`` (inclusive) and whose attendance was
    recorded (an event still to come does not lower anyone's rate). People with no such
    invitation are left out. One query."""
    ids = list(person_ids)
    if not ids:
        return {}
    rows = (
        _recorded_invitations(organisation, start, end)
        .filter(person_id__in=ids)
        .values("person_id")
        .annotate(invited=Count("id"), attended=Count("id", filter=Q(attended=True)))
    )
    return {row["person_id"]: (row["attended"], row["invited"]) for row in rows}


@dataclass(frozen=True)
class AttendanceRow:
    person_id: int
    name: str
    attended: int
    invited: int

    @property
    def rate(self) -> int:
        return round(100 * self.attended / self.invited) if self.invited else 0


def attendance_rates(organisation: Organisation, *, start: date, end: date) -> list[AttendanceRow]:
    """Every invited person's attendance over the period (as ``attendance_for``), lowest
    rate first: the admin's view on the events page. One query."""
    rows = (
        _recorded_invitations(organisation, start, end)
        .values("person_id", "person__name")
        .annotate(invited=Count("id"), attended=Count("id", filter=Q(attended=True)))
        .order_by("person__name", "person_id")
    )
    out = [
        AttendanceRow(row["person_id"], row["person__name"], row["attended"], row["invited"])
        for row in rows
    ]
    return sorted(out, key=lambda row: (row.rate, row.name))


# --- the task inbox ---------------------------------------------------------------------------


def inbox_items(membership: Membership, *, today: date) -> list[InboxItem]:
    """Upcoming roundtables and summits the member is invited to and has not answered."""
    if membership.person_id is None:
        return []
    pending = (
        EventInvitation.objects.filter(
            organisation_id=membership.organisation_id,
            person_id=membership.person_id,
            rsvp=Rsvp.PENDING,
            event__starts_at__date__gte=today,
        )
        .select_related("event")
        .order_by("event__starts_at")
    )
    return [
        InboxItem(
            kind="peers.rsvp",
            title=f"Will you attend “{invitation.event.topic}”?",
            url=reverse("peers:event", args=[invitation.event_id]),
            due=invitation.event.starts_at.date(),
            detail=invitation.event.get_kind_display(),
        )
        for invitation in pending
    ]
