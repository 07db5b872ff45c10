"""Reads for communications: a leader's cadences and slots, the organisation's rhythm,
calendar entries, the calendar feed; the public reads other apps call (``rhythm_for``,
``effectiveness_share``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.communications import cadence
from bellwether.communications.models import (
    CommunicationPlan,
    Delivery,
    FeedToken,
)
from bellwether.communications.selectors_ratings import (
    RatingLine as RatingLine,
)
from bellwether.communications.selectors_ratings import (
    assistants_of as assistants_of,
)
from bellwether.communications.selectors_ratings import (
    effectiveness_by_leader as effectiveness_by_leader,
)
from bellwether.communications.selectors_ratings import (
    effectiveness_counts as effectiveness_counts,
)
from bellwether.communications.selectors_ratings import (
    effectiveness_share as effectiveness_share,
)
from bellwether.communications.selectors_ratings import (
    quarter_measures as quarter_measures,
)
from bellwether.communications.selectors_ratings import (
    rating_lines as rating_lines,
)
from bellwether.communications.selectors_ratings import (
    rating_minimum as rating_minimum,
)
from bellwether.core import bearer
from bellwether.core.ical import CalendarEvent
from bellwether.core.inbox import InboxItem
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import (
    CADENCE_THOUGHT_LEADERSHIP,
    CATALOGUE,
    CHANNEL_EXTERNAL,
)
from bellwether.people.models import OrgUnit, Person

# Every organisation works Monday to Friday until the people app records otherwise.
WORKING_DAYS = cadence.WEEKDAYS


@dataclass(frozen=True)
class CadenceInfo:
    key: str
    text: str
    frequency: str


def cadences_for(level: str) -> list[CadenceInfo]:
    """The cadences of a leader level (the catalogue's, in its order); none for a
    person who is not a leader."""
    for entry in CATALOGUE.communication:
        if entry.level == level:
            return [CadenceInfo(c.key, c.text, c.frequency) for c in entry.cadences]
    return []


def cadence_text(key: str) -> str:
    for entry in CATALOGUE.communication:
        for item in entry.cadences:
            if item.key == key:
                return item.text
    return "Other communication"


def channel_names() -> dict[str, str]:
    return {c.key: c.name for c in CATALOGUE.communication_plan.channels}


def audience_names() -> dict[str, str]:
    return {a.key: a.audience for a in CATALOGUE.communication_plan.audiences}


def message_names() -> dict[str, str]:
    return {m.key: m.name for m in CATALOGUE.core_messages}


def today_in(organisation: Organisation) -> dt.date:
    return timezone.localtime(timezone.now(), ZoneInfo(organisation.time_zone)).date()


def plan_of(person: Person) -> CommunicationPlan | None:
    return CommunicationPlan.objects.filter(person=person).first()


def deliveries_of(person: Person, *, limit: int = 20) -> list[Delivery]:
    return list(Delivery.objects.filter(person=person).order_by("-delivered_at", "-id")[:limit])


def delivered_starts(
    organisation: Organisation, person_ids: Iterable[int] | None, start: dt.date, end: dt.date
) -> dict[int, dict[str, set[dt.date]]]:
    """Person id → cadence key → the starts of the slots overlapping ``start``–``end``
    that deliveries fulfilled."""
    starts = {
        slot.start
        for frequency in cadence.FREQUENCIES
        for slot in cadence.period_slots(frequency, start, end, working_days=WORKING_DAYS)
    }
    rows = Delivery.objects.filter(organisation=organisation, fulfils=True, slot_start__in=starts)
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    out: dict[int, dict[str, set[dt.date]]] = defaultdict(lambda: defaultdict(set))
    for person_id, key, slot_start in rows.values_list("person_id", "cadence_key", "slot_start"):
        if slot_start is not None:  # always set on a fulfilling delivery
            out[person_id][key].add(slot_start)
    return out


def leader_slots(
    person: Person, start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> list[cadence.SlotStatus]:
    """A leader's expected slots overlapping ``start``–``end`` with their status."""
    today = today or today_in(person.organisation)
    pairs = [(c.key, c.frequency) for c in cadences_for(person.leader_level)]
    done = delivered_starts(person.organisation, [person.pk], start, end).get(person.pk, {})
    return cadence.slot_statuses(
        pairs, start, end, delivered=done, today=today, working_days=WORKING_DAYS
    )


def rhythms(
    organisation: Organisation,
    people: Iterable[tuple[int, str]],
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date | None = None,
    restrict: bool = True,
) -> dict[int, cadence.Rhythm]:
    """Each ``(person id, level)``'s rhythm over the slots due in ``start``–``end``: one
    GROUP BY counts each leader's distinct slots delivered per cadence (and how many of
    them are closed). ``restrict`` False counts every delivery of the organisation
    (cheaper than a long ``IN`` list when the people are all its leaders)."""
    today = today or today_in(organisation)
    people = list(people)
    spans = cadence.windows(start, end, today=today, working_days=WORKING_DAYS)
    by_level = {
        level: {c.key: spans[c.frequency] for c in cadences_for(level) if c.frequency in spans}
        for level in {level for _, level in people}
    }
    keys = {key: span for level in by_level.values() for key, span in level.items()}
    hits: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    if keys:
        in_window, closed = Q(), Q()
        for key, span in keys.items():
            in_window |= Q(cadence_key=key, slot_start__range=(span.first_start, span.last_start))
            if span.closed_until is not None:
                closed |= Q(
                    cadence_key=key, slot_start__range=(span.first_start, span.closed_until)
                )
        rows = Delivery.objects.filter(in_window, organisation=organisation, fulfils=True)
        if restrict:
            rows = rows.filter(person_id__in=[pk for pk, _ in people])
        counts = rows.values("person_id", "cadence_key").order_by()
        counts = counts.annotate(
            hits=Count("pk"),
            closed_hits=Count("pk", filter=closed) if closed else Value(0),
        )
        for row in counts.values_list("person_id", "cadence_key", "hits", "closed_hits"):
            hits[row[0]][row[1]] = (row[2], row[3])
    return {
        pk: cadence.rhythm_from_counts(by_level[level], hits.get(pk, {})) for pk, level in people
    }


def rhythm_for(
    *, organisation: Organisation, person_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, tuple[int, int]]:
    """Public: person id → (slots delivered, slots expected) over the slots due in
    ``start``–``end``, for the leaders among ``person_ids`` (others are left out)."""
    people = Person.objects.filter(organisation=organisation, pk__in=list(person_ids)).exclude(
        leader_level=""
    )
    result = rhythms(organisation, people.values_list("pk", "leader_level"), start, end)
    return {pk: (r.delivered, r.expected) for pk, r in result.items()}


@dataclass(frozen=True)
class RhythmRow(cadence.Rhythm):
    """A leader's ``Rhythm`` over the range, with the leader."""

    person: Person

    @property
    def on_rhythm(self) -> bool:
        return self.overdue == 0


def leaders_incl_inactive(
    organisation: Organisation, *, level: str = "", unit_id: int | None = None
) -> QuerySet[Person]:
    """Every person with a leader level, active or not (a leader who left still has the
    slots they owed), of one level and/or directly in one unit (``unit_id``, not its
    sub-units), by name. Unlike ``people.selectors.leaders_in`` (active leaders of a
    unit's subtree)."""
    people = (
        Person.objects.filter(organisation=organisation)
        .exclude(leader_level="")
        .select_related("org_unit")
        .order_by("name", "pk")
    )
    if level:
        people = people.filter(leader_level=level)
    if unit_id:
        people = people.filter(org_unit_id=unit_id)
    return people


def organisation_rhythm(
    organisation: Organisation,
    *,
    start: dt.date,
    end: dt.date,
    level: str = "",
    unit_id: int | None = None,
    today: dt.date | None = None,
) -> list[RhythmRow]:
    """Who is on rhythm and who is overdue (the admin view, its export and API)."""
    people = list(
        leaders_incl_inactive(organisation, level=level, unit_id=unit_id).only(
            "pk", "name", "employee_id", "leader_level", "org_unit__name"
        )
    )
    result = rhythms(
        organisation,
        [(p.pk, p.leader_level) for p in people],
        start,
        end,
        today=today,
        restrict=bool(level or unit_id),
    )
    return [
        RhythmRow(
            person=p,
            delivered=result[p.pk].delivered,
            expected=result[p.pk].expected,
            overdue=result[p.pk].overdue,
        )
        for p in people
    ]


RHYTHM_HEADER: list[object] = [
    "Employee ID",
    "Name",
    "Level",
    "Unit",
    "Delivered",
    "Expected",
    "Overdue",
    "Share",
]


def rhythm_table(rows: list[RhythmRow]) -> list[list[object]]:
    return [RHYTHM_HEADER] + [
        [
            r.person.employee_id,
            r.person.name,
            r.person.get_leader_level_display(),
            r.person.org_unit.name if r.person.org_unit else "",
            r.delivered,
            r.expected,
            r.overdue,
            round(r.share, 3) if r.share is not None else None,
        ]
        for r in rows
    ]


# --- calendars -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of a leader's calendar: a slot (planned, delivered or overdue)."""

    day: dt.date
    person: Person
    cadence_key: str
    text: str
    status: str
    slot: cadence.Slot


def leader_entries(person: Person, start: dt.date, end: dt.date) -> list[Entry]:
    texts = {c.key: c.text for c in cadences_for(person.leader_level)}
    return [
        Entry(s.slot.due, person, s.cadence_key, texts[s.cadence_key], s.status, s.slot)
        for s in leader_slots(person, start, end)
        if start <= s.slot.due <= end
    ]


@dataclass
class DayCount:
    delivered: int = 0
    overdue: int = 0
    planned: int = 0  # due now or still to come


def organisation_day_counts(
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    *,
    level: str = "",
    unit_id: int | None = None,
) -> dict[dt.date, DayCount]:
    """Day → by status, the number of slots due that day, over the filtered leaders (the
    organisation's calendar shows counts: thousands of leaders do not fit in a month)."""
    people = list(
        leaders_incl_inactive(organisation, level=level, unit_id=unit_id).values_list(
            "pk", "leader_level"
        )
    )
    today = today_in(organisation)
    done = delivered_starts(
        organisation, [pk for pk, _ in people] if (level or unit_id) else None, start, end
    )
    counts: dict[dt.date, DayCount] = defaultdict(DayCount)
    slots_by_level = {}
    for level_key in {lvl for _, lvl in people}:
        pairs = [(c.key, c.frequency) for c in cadences_for(level_key)]
        slots_by_level[level_key] = [
            (key, slot)
            for key, slot in cadence.expected_slots(pairs, start, end, working_days=WORKING_DAYS)
            if start <= slot.due <= end
        ]
    for pk, level_key in people:
        mine = done.get(pk, {})
        for key, slot in slots_by_level[level_key]:
            status = cadence.status_of(slot, delivered=slot.start in mine.get(key, ()), today=today)
            count = counts[slot.due]
            if status == cadence.DELIVERED:
                count.delivered += 1
            elif status == cadence.OVERDUE:
                count.overdue += 1
            else:
                count.planned += 1
    return counts


def month_grid(year: int, month: int) -> list[list[dt.date | None]]:
    """The weeks of a month (Monday first), days outside it as None."""
    import calendar

    return [
        [day if day.month == month else None for day in week]
        for week in calendar.Calendar().monthdatescalendar(year, month)
    ]


# --- the calendar feed -----------------------------------------------------------------------


def feed_membership(secret: str) -> Membership | None:
    """The member whose live feed token this is, or None (unknown or revoked)."""
    token = (
        FeedToken.objects.filter(digest=bearer.digest(secret), revoked_at__isnull=True)
        .select_related("membership__organisation", "membership__person")
        .first()
    )
    if token is None or not token.membership.is_active:
        return None
    if token.membership.organisation_id != token.organisation_id:
        return None
    return token.membership


def has_live_feed(membership: Membership) -> bool:
    return FeedToken.objects.filter(membership=membership, revoked_at__isnull=True).exists()


def units_of(organisation: Organisation) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(organisation=organisation).order_by("name")


def feed_events(membership: Membership, *, today: dt.date | None = None) -> list[CalendarEvent]:
    """The member's own slots from three months back to a year ahead, as calendar events:
    each on its due day, all day, its status in the summary."""
    person = membership.person
    if person is None or not person.leader_level:
        return []
    today = today or today_in(membership.organisation)
    start, end = today - dt.timedelta(days=92), today + dt.timedelta(days=366)
    texts = {c.key: c.text for c in cadences_for(person.leader_level)}
    slug = membership.organisation.slug
    marks = {cadence.DELIVERED: "✓ ", cadence.OVERDUE: "Overdue: "}
    return [
        CalendarEvent(
            uid=f"communication-{person.pk}-{s.cadence_key}-{s.slot.start.isoformat()}@{slug}",
            summary=marks.get(s.status, "") + texts[s.cadence_key],
            start=s.slot.due,
            end=s.slot.due + dt.timedelta(days=1),
            description=(
                f"{texts[s.cadence_key]}: the slot of {s.slot.start:%d %b} – "
                f"{s.slot.end:%d %b %Y} ({s.status})."
            ),
            status="CONFIRMED" if s.status == cadence.DELIVERED else "TENTATIVE",
        )
        for s in leader_slots(person, start, end, today=today)
    ]


# --- the KPI dashboard and the task inbox ------------------------------------------------------


def external_contributions(
    organisation: Organisation,
    *,
    start: dt.date,
    end: dt.date,
    unit_path: str = "",
    level: str = "",
) -> int:
    """External thought-leadership contributions delivered from ``start`` to ``end``
    (inclusive): deliveries of the thought-leadership cadence or on the external channel,
    counted once each (the secondary KPI "monthly external thought leadership")."""
    rows = Delivery.objects.filter(
        organisation=organisation, delivered_on__gte=start, delivered_on__lte=end
    ).filter(Q(cadence_key=CADENCE_THOUGHT_LEADERSHIP) | Q(channel=CHANNEL_EXTERNAL))
    if unit_path:
        rows = rows.filter(person__org_unit__path__startswith=unit_path)
    if level:
        rows = rows.filter(person__leader_level=level)
    return rows.count()


# How far back an overdue slot still asks to be delivered, and how far ahead a due one
# shows: a slot missed a month ago is a statistic, not a task.
INBOX_OVERDUE_DAYS = 14
INBOX_NOTICE_DAYS = 7


def inbox_items(membership: Membership, *, today: dt.date) -> list[InboxItem]:
    """A leader's own communication slots: one item for those overdue in the last two
    weeks, one per slot due within a week."""
    person = membership.person
    if person is None or not person.leader_level:
        return []
    statuses = leader_slots(
        person,
        today - dt.timedelta(days=INBOX_OVERDUE_DAYS),
        today + dt.timedelta(days=INBOX_NOTICE_DAYS),
        today=today,
    )
    url = reverse("communications:home")
    overdue = [s for s in statuses if s.status == cadence.OVERDUE]
    items = []
    if overdue:
        items.append(
            InboxItem(
                kind="communications.overdue",
                title=f"{len(overdue)} communication{'s' if len(overdue) != 1 else ''} overdue",
                url=url,
                due=min(s.slot.due for s in overdue),
                count=len(overdue),
            )
        )
    items += [
        InboxItem(
            kind="communications.due",
            title=f"Deliver: {cadence_text(s.cadence_key)}",
            url=url,
            due=s.slot.due,
        )
        for s in statuses
        if s.status == cadence.DUE and s.slot.due <= today + dt.timedelta(days=INBOX_NOTICE_DAYS)
    ]
    return items
