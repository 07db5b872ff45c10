"""Reads for coaching: the one query each page, API endpoint, export and other app uses.

Other apps (reviews, the KPI dashboard, peers) call ``coaching_summary_for`` and
``coach_of``; neither returns session content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.urls import reverse

from bellwether.accounts.models import Membership, RoleGrant
from bellwether.accounts.roles import Role
from bellwether.coaching import schedule
from bellwether.coaching.models import (
    ActionItem,
    AssignmentKind,
    AssignmentRecord,
    CoachProfile,
    ItemStatus,
    Milestone,
    Programme,
    Session,
)
from bellwether.core.inbox import InboxItem
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import Person

PROGRAMME = CATALOGUE.coaching


# --- for other apps --------------------------------------------------------------------------


@dataclass(frozen=True)
class CoachingSummary:
    sessions_held: int
    last_session: dt.date | None
    open_items: int
    off_track: bool


def coaching_summary_for(
    *, organisation: Organisation, person_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, CoachingSummary]:
    """Per coachee with a programme: sessions held between ``start`` and ``end``
    (inclusive), the last session up to ``end``, open action items, and whether they
    are off track on ``end``. People without a programme are left out. Four queries."""
    ids = list(person_ids)
    rows = list(
        Programme.objects.filter(organisation=organisation, person_id__in=ids)
        .annotate(
            held=Count(
                "sessions",
                filter=Q(sessions__date__gte=start, sessions__date__lte=end),
                distinct=True,
            ),
            last=Max("sessions__date", filter=Q(sessions__date__lte=end)),
            open_items=Count("items", filter=Q(items__status=ItemStatus.OPEN), distinct=True),
        )
        .prefetch_related("milestones")
    )
    return {
        p.person_id: CoachingSummary(
            sessions_held=p.held,
            last_session=p.last,
            open_items=p.open_items,
            off_track=bool(_off_track(p, p.last, end)),
        )
        for p in rows
    }


def coach_of(person: Person) -> Membership | None:
    """The leader's current coach, or None."""
    record = (
        AssignmentRecord.objects.filter(
            person=person, kind=AssignmentKind.COACHEE, ended_at__isnull=True
        )
        .select_related("membership__user")
        .first()
    )
    return record.membership if record else None


# --- programmes --------------------------------------------------------------------------------


def _off_track(programme: Programme, last: dt.date | None, today: dt.date) -> schedule.OffTrack:
    return schedule.off_track(
        today=today,
        start=programme.start_date,
        weeks=PROGRAMME.weeks,
        last_session=last,
        milestones=[
            schedule.MilestoneState(m.due_week, m.done_on is not None)
            for m in programme.milestones.all()
        ],
        weeks_without_session=PROGRAMME.off_track_weeks_without_session,
    )


@dataclass(frozen=True)
class ProgrammeRow:
    """A programme as the lists show it: counts and dates, never session content."""

    programme: Programme
    week: int
    phase_name: str
    sessions_held: int
    last_session: dt.date | None
    next_session: dt.date | None
    open_items: int
    off_track: schedule.OffTrack


def _rows(programmes: QuerySet[Programme], today: dt.date) -> list[ProgrammeRow]:
    annotated = (
        programmes.select_related("person", "coach__user")
        .annotate(
            held=Count("sessions", filter=Q(sessions__date__lte=today), distinct=True),
            last=Max("sessions__date", filter=Q(sessions__date__lte=today)),
            open_items=Count("items", filter=Q(items__status=ItemStatus.OPEN), distinct=True),
        )
        .prefetch_related(
            "milestones",
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(date__gt=today).only("id", "date", "programme_id"),
                to_attr="upcoming",
            ),
        )
    )
    out = []
    for p in annotated:
        week = schedule.week_of(p.start_date, today)
        phase = schedule.phase_for(week, PROGRAMME.phases)
        upcoming = [s.date for s in p.upcoming]
        out.append(
            ProgrammeRow(
                programme=p,
                week=week,
                phase_name=phase.name if phase is not None else "",
                sessions_held=p.held,
                last_session=p.last,
                next_session=min(upcoming) if upcoming else None,
                open_items=p.open_items,
                off_track=_off_track(p, p.last, today),
            )
        )
    return out


OVERVIEW_PER_PAGE = 50


def overview_page(organisation: Organisation, today: dt.date, number: str | None) -> Page[Any]:
    """One page of ``programmes_of_organisation`` (``OVERVIEW_PER_PAGE`` by name): the
    page's programmes are counted in SQL and only they are built into rows."""
    programmes = Programme.objects.filter(organisation=organisation).order_by("person__name", "pk")
    ids = programmes.values_list("pk", flat=True)
    page: Page[Any] = Paginator(ids, OVERVIEW_PER_PAGE).get_page(number)
    page.object_list = _rows(
        Programme.objects.filter(pk__in=list(page.object_list)).order_by("person__name", "pk"),
        today,
    )
    return page


def off_track_page(organisation: Organisation, today: dt.date, number: str | None) -> Page[Any]:
    """The organisation's programmes that are off track, a page at a time: every
    programme's last session and milestones are read (two queries), and only those off
    track are kept, with their names."""
    programmes = (
        Programme.objects.filter(organisation=organisation)
        .select_related("person", "coach__user")
        .annotate(last=Max("sessions__date", filter=Q(sessions__date__lte=today)))
        .prefetch_related("milestones")
        .order_by("person__name", "pk")
    )
    off = [(p, track) for p in programmes if (track := _off_track(p, p.last, today))]
    return Paginator(off, OVERVIEW_PER_PAGE).get_page(number)


def programmes_of_coach(membership: Membership, today: dt.date) -> list[ProgrammeRow]:
    return _rows(Programme.objects.filter(coach=membership).order_by("person__name"), today)


def programmes_of_organisation(organisation: Organisation, today: dt.date) -> list[ProgrammeRow]:
    return _rows(
        Programme.objects.filter(organisation=organisation).order_by("person__name"), today
    )


def own_programme(membership: Membership) -> Programme | None:
    if membership.person_id is None:
        return None
    return Programme.objects.filter(person_id=membership.person_id).first()


def coachees_without_programme(membership: Membership) -> QuerySet[Person]:
    """The coach's current coachees who have no programme yet."""
    return (
        Person.objects.filter(
            pk__in=AssignmentRecord.objects.filter(
                membership=membership, kind=AssignmentKind.COACHEE, ended_at__isnull=True
            ).values("person_id")
        )
        .exclude(pk__in=Programme.objects.values("person_id"))
        .order_by("name")
    )


def open_items_of_coach(membership: Membership) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(programme__coach=membership, status=ItemStatus.OPEN)
        .select_related("programme__person", "raised_in")
        .order_by("programme__person__name", "raised_in__number", "id")
    )


def sessions_of(programme: Programme) -> QuerySet[Session]:
    return programme.sessions.order_by("number")


def milestones_of(programme: Programme) -> QuerySet[Milestone]:
    return programme.milestones.order_by("due_week", "id")


def items_in_session(session: Session) -> tuple[list[ActionItem], list[ActionItem]]:
    """(carried, raised): the items raised before this session that were still open
    when it came (closed in it or later, or still open), and the ones raised in it."""
    items = ActionItem.objects.filter(programme_id=session.programme_id).select_related(
        "raised_in", "closed_in"
    )
    carried = [
        item
        for item in items
        if item.raised_in.number < session.number
        and (item.closed_in is None or item.closed_in.number >= session.number)
    ]
    raised = [item for item in items if item.raised_in_id == session.pk]
    return carried, raised


def calendar_sessions(programme_ids: Iterable[int]) -> QuerySet[Session]:
    return (
        Session.objects.filter(programme_id__in=list(programme_ids))
        .select_related("programme__person", "programme__organisation")
        .order_by("date", "number")
    )


# --- assignments -----------------------------------------------------------------------------


def open_assignments(organisation: Organisation) -> QuerySet[AssignmentRecord]:
    return (
        AssignmentRecord.objects.filter(organisation=organisation, ended_at__isnull=True)
        .select_related("membership__user", "person")
        .order_by("person__name", "kind")
    )


def assignment_history(organisation: Organisation, *, limit: int = 50) -> list[AssignmentRecord]:
    return list(
        AssignmentRecord.objects.filter(organisation=organisation, ended_at__isnull=False)
        .select_related("membership__user", "person", "assigned_by")
        .order_by("-ended_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class AssigneeRow:
    membership: Membership
    kind: str
    capacity: int | None
    held: int
    is_external: bool


def assignees(organisation: Organisation) -> list[AssigneeRow]:
    """Active coaches and reviewers with their load (and a coach's capacity)."""
    members = list(
        Membership.objects.filter(
            organisation=organisation,
            is_active=True,
            role_grants__role__in=[Role.COACH.value, Role.REVIEWER.value],
        )
        .distinct()
        .select_related("user", "person")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
        .order_by("user__email")
    )
    profiles = {p.user_id: p for p in CoachProfile.objects.filter(organisation=organisation)}
    counts: dict[tuple[int, str], int] = {}
    for membership_id, kind in AssignmentRecord.objects.filter(
        organisation=organisation, ended_at__isnull=True
    ).values_list("membership_id", "kind"):
        counts[(membership_id, kind)] = counts.get((membership_id, kind), 0) + 1
    rows = []
    for m in members:
        profile = profiles.get(m.user_id)
        if m.has_role(Role.COACH):
            rows.append(
                AssigneeRow(
                    m,
                    AssignmentKind.COACHEE,
                    profile.capacity if profile else PROGRAMME.default_coach_capacity,
                    counts.get((m.pk, AssignmentKind.COACHEE), 0),
                    bool(profile and profile.is_external),
                )
            )
        if m.has_role(Role.REVIEWER):
            rows.append(
                AssigneeRow(
                    m,
                    AssignmentKind.REVIEWEE,
                    None,
                    counts.get((m.pk, AssignmentKind.REVIEWEE), 0),
                    False,
                )
            )
    return rows


def leaders_to_assign(organisation: Organisation) -> QuerySet[Person]:
    return (
        Person.objects.filter(organisation=organisation, active=True)
        .exclude(leader_level="")
        .order_by("name")
        .only("id", "name", "employee_id", "title", "email")
    )


def people_by_id(organisation: Organisation, ids: Iterable[int]) -> list[Person]:
    return list(Person.objects.filter(organisation=organisation, pk__in=list(ids)))


def assignable_member(organisation: Organisation, membership_id: int) -> Membership | None:
    return (
        Membership.objects.filter(organisation=organisation, pk=membership_id)
        .select_related("user")
        .prefetch_related("role_grants")
        .first()
    )


@dataclass(frozen=True)
class SharedNote:
    session_number: int
    date: dt.date
    notes: str


def shared_notes_for(person: Person, *, start: dt.date, end: dt.date) -> list[SharedNote]:
    """The notes a coach chose to share (for the leader's quarterly review); notes not
    shared never leave the coach and the coachee."""
    return [
        SharedNote(s.number, s.date, s.notes)
        for s in Session.objects.filter(
            programme__person=person, notes_shared=True, date__gte=start, date__lte=end
        )
        .exclude(notes="")
        .order_by("date", "number")
    ]


# --- the task inbox ---------------------------------------------------------------------------

# A session within this many days is in the inbox (coach: to hold; leader: to prepare).
INBOX_NOTICE_DAYS = 7


def inbox_items(membership: Membership, *, today: dt.date) -> list[InboxItem]:
    """A coach's sessions this week and off-track coachees, coachees still without a
    programme; a leader's next session to prepare; for admins, how many are off track."""
    items: list[InboxItem] = []
    horizon = today + dt.timedelta(days=INBOX_NOTICE_DAYS)
    if membership.has_role(Role.COACH):
        for row in programmes_of_coach(membership, today):
            name = row.programme.person.name
            url = reverse("coaching:programme", args=[row.programme.pk])
            if row.off_track:
                items.append(
                    InboxItem(
                        kind="coaching.off_track",
                        title=f"{name} is off track",
                        url=url,
                        due=today,
                        detail="; ".join(row.off_track.reasons),
                    )
                )
            if row.next_session is not None and row.next_session <= horizon:
                items.append(
                    InboxItem(
                        kind="coaching.session",
                        title=f"Coaching session with {name}",
                        url=url,
                        due=row.next_session,
                    )
                )
        items += [
            InboxItem(
                kind="coaching.start",
                title=f"Start {person.name}'s 12-week programme",
                url=reverse("coaching:home"),
            )
            for person in coachees_without_programme(membership)
        ]
    if membership.has_role(Role.ADMIN):
        off_track = sum(
            1 for row in programmes_of_organisation(membership.organisation, today) if row.off_track
        )
        if off_track:
            items.append(
                InboxItem(
                    kind="coaching.off_track_summary",
                    title=f"{off_track} coachee{'s are' if off_track != 1 else ' is'} off track",
                    url=reverse("coaching:overview"),
                    due=today,
                    count=off_track,
                )
            )
    programme = own_programme(membership)
    if programme is not None:
        upcoming = (
            Session.objects.filter(
                programme=programme, date__gte=today, date__lte=horizon, pre_session_at__isnull=True
            )
            .order_by("date")
            .first()
        )
        if upcoming is not None:
            items.append(
                InboxItem(
                    kind="coaching.prepare",
                    title="Prepare for your coaching session",
                    url=reverse("coaching:prepare", args=[upcoming.pk]),
                    due=upcoming.date,
                    detail="Tell your coach how the last weeks went",
                )
            )
    return items
