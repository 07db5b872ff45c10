"""Reads of the behaviours domain: the one query the pages, the API and other apps use.

The organisation's consistency is added up in the database: each check-in row adds its
per-frequency tick counts times the day's weights (``consistency.day_weights``, a small
``VALUES`` table joined on the day), one row per leader comes back, and the pure module
turns the sums into scores. Public for other apps (reviews, the KPI dashboard):
``consistency_for``, ``daily_behaviour_share``, ``recognitions_by_leader``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.behaviours import consistency
from bellwether.behaviours.models import CheckIn, Observation, Recognition
from bellwether.behaviours.selectors_sums import (
    _demonstrates,
    _scores,
    _window_sums,
)
from bellwether.core.bounds import MAX_ID
from bellwether.core.confidentiality import Cell, suppress
from bellwether.core.inbox import InboxItem
from bellwether.core.models import Organisation, org_id_of
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES
from bellwether.framework.catalogue.behaviours import BEHAVIOURS, Behaviour
from bellwether.people import selectors as people_selectors
from bellwether.people.models import LeaderLevel, OrgUnit, Person
from bellwether.surveys.selectors import policy_for

# --- one leader's check-ins --------------------------------------------------------------


def check_in_on(person: Person, day: dt.date) -> CheckIn | None:
    return CheckIn.objects.filter(person=person, day=day).first()


@dataclass(frozen=True)
class Toggle:
    behaviour: Behaviour
    checked: bool


def due_toggles(person: Person, day: dt.date) -> list[Toggle]:
    """The toggles of ``day``'s check-in: the five daily behaviours, and the weekly and
    monthly ones not yet ticked on another day of their week or month."""
    from bellwether.behaviours.services.checkins import done_elsewhere

    row = check_in_on(person, day)
    ticked = row.done if row is not None else 0
    elsewhere = done_elsewhere(person, day)
    return [
        Toggle(b, bool(ticked & consistency.BIT[b.key]))
        for b in BEHAVIOURS
        if not elsewhere & consistency.BIT[b.key]
    ]


def recent_check_ins(person: Person, *, today: dt.date, days: int) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(
            person=person, day__gt=today - dt.timedelta(days=days), day__lte=today
        ).order_by("-day")
    )


def person_consistency(person: Person, as_of: dt.date) -> consistency.Consistency:
    """One leader's scores per behaviour, frequency and overall (≤ a year of rows)."""
    first = consistency.window_start(as_of, RULES.lookback_days)
    rows = list(
        CheckIn.objects.filter(
            person=person, day__gte=consistency.period_start(first, "monthly"), day__lte=as_of
        ).values_list("day", "done")
    )
    earlier = CheckIn.objects.filter(person=person, day__lt=first).order_by("day").first()
    if earlier is not None:  # the window starts at its first day, not the first check-in
        rows.append((earlier.day, 0))
    return consistency.person_consistency(rows, as_of=as_of)


def consistency_for(
    *, organisation: Organisation | int, person_ids: Iterable[int], as_of: dt.date
) -> dict[int, float]:
    """Overall consistency (0-100) of each person over the lookback window; 0 for a person
    with no check-ins. Public: reviews pre-fill from it."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    scores = _scores(org_id_of(organisation), as_of, ids)
    return {pk: scores[pk][0] if pk in scores else 0.0 for pk in ids}


def _leaders(organisation: Organisation | int) -> QuerySet[Person]:
    return Person.objects.filter(organisation_id=org_id_of(organisation), active=True).exclude(
        leader_level=""
    )


def daily_behaviour_share(
    *, organisation: Organisation | int, as_of: dt.date, person_ids: Iterable[int] | None = None
) -> tuple[int, int]:
    """KPI 2: (leaders demonstrating daily AI leadership behaviours, leaders counted).
    Counted: the given people, or every active leader. Demonstrating: the daily score
    over the last ``demonstrates_window_days`` at least ``demonstrates_threshold``."""
    whole = person_ids is None
    ids = set(
        _leaders(organisation).values_list("pk", flat=True) if person_ids is None else person_ids
    )
    if not ids:
        return 0, 0
    # Only KPI 2's window is read: a few weeks of rows, not the year. For the whole
    # organisation the rows are not filtered by a list of thousands of ids: the few
    # check-ins of people who are no longer leaders are left out here instead.
    rows = _window_sums(org_id_of(organisation), as_of, None if whole else sorted(ids))
    demonstrating = sum(1 for pk, row in rows.items() if pk in ids and _demonstrates(row, as_of))
    return demonstrating, len(ids)


def demonstrating_by_leader(
    *, organisation: Organisation | int, as_of: dt.date, person_ids: Iterable[int]
) -> dict[int, bool]:
    """KPI 2 per leader: whether each demonstrates daily AI leadership behaviours at
    ``as_of`` (False for a leader with no check-ins in the window)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    rows = _window_sums(org_id_of(organisation), as_of, ids)
    return {pk: pk in rows and _demonstrates(rows[pk], as_of) for pk in ids}


@dataclass
class GroupRow:
    key: str
    label: str
    leaders: int = 0
    total: float = 0.0
    demonstrating: int = 0
    unit_id: int | None = None  # a unit row (its whole subtree): open it to drill down

    @property
    def mean(self) -> float:
        return self.total / self.leaders if self.leaders else 0.0

    @property
    def share(self) -> float:
        return 100.0 * self.demonstrating / self.leaders if self.leaders else 0.0

    def add(self, score: float, shows: bool) -> None:
        self.leaders += 1
        self.total += score
        self.demonstrating += int(shows)


@dataclass
class OrganisationView:
    as_of: dt.date
    unit: OrgUnit | None  # the unit looked at (with everything below it); None: all
    overall: GroupRow
    by_unit: list[GroupRow]
    by_level: list[GroupRow]


DIRECT_KEY = "direct"  # the row of leaders placed in the unit itself, not below it


def _path_parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def organisation_consistency(
    organisation: Organisation, as_of: dt.date, *, unit: OrgUnit | None = None
) -> OrganisationView:
    """Mean consistency and the share demonstrating, for the organisation or one unit's
    subtree (``unit``), by unit and by leader level: three queries whatever the size.

    The unit rows are the units right below the one looked at (the top-level units for
    the organisation), each counting every leader of its whole subtree, so a unit's
    figure includes its grandchildren's leaders; leaders placed in the unit itself form
    a "directly" row and, for the organisation, leaders without a unit a "No unit" row,
    so the rows add up to the whole. The check-ins are summed per leader in SQL (one row
    per leader, within the subtree), the scores then added up the tree per leader."""
    path = unit.path if unit is not None else ""
    leaders = _leaders(organisation)
    if unit is not None:
        leaders = leaders.filter(org_unit__path__startswith=path)
    rows = list(leaders.values_list("pk", "org_unit__path", "leader_level"))
    children = {
        str(child.pk): GroupRow(str(child.pk), child.name, unit_id=child.pk)
        for child in people_selectors.child_units(organisation, unit)
    }
    scores = _scores(organisation.pk, as_of, None, unit_path=path)
    levels = dict(LeaderLevel.choices)
    overall = GroupRow("all", unit.name if unit is not None else "All leaders")
    rest = GroupRow(DIRECT_KEY, f"{unit.name} (directly)") if unit else GroupRow("", "No unit")
    by_level = {key: GroupRow(key, label) for key, label in LeaderLevel.choices}
    depth = len(_path_parts(path))
    for pk, leader_path, level in rows:
        score, shows = scores.get(pk, (0.0, False))
        parts = _path_parts(leader_path or "")
        below = children.get(parts[depth]) if len(parts) > depth else None
        for row in (
            overall,
            below or rest,
            by_level.setdefault(level, GroupRow(level, levels.get(level, level))),
        ):
            row.add(score, shows)
    return OrganisationView(
        as_of=as_of,
        unit=unit,
        overall=overall,
        by_unit=[r for r in children.values() if r.leaders] + ([rest] if rest.leaders else []),
        by_level=[row for row in by_level.values() if row.leaders],
    )


UNKNOWN_UNIT = "No such org unit in your organisation."


def unit_in(organisation: Organisation, raw: str | int) -> OrgUnit | None:
    """The organisation's unit of that id (a filter's value), None when unknown."""
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 19) or int(text) > MAX_ID:
        return None
    return people_selectors.org_unit_in(organisation, int(text))


UNIT_CHOICES = 300  # the unit filter lists the top of the tree; drill down for the rest
UNIT_CHOICE_DEPTH = 3


def unit_choices(organisation: Organisation) -> list[OrgUnit]:
    """The unit filter's options: the top levels of the tree, in tree order."""
    return people_selectors.top_units(organisation, max_depth=UNIT_CHOICE_DEPTH, limit=UNIT_CHOICES)


def unit_trail(unit: OrgUnit | None) -> list[OrgUnit]:
    """The units above ``unit``, root first, then the unit: the page's way back up."""
    return people_selectors.unit_ancestors(unit) if unit is not None else []


def organisation_table(view: OrganisationView) -> list[list[Any]]:
    """The organisation view as the rows of its export (CSV/XLSX): the same figures as
    the page and the API."""
    head = ["group", "key", "label", "leaders", "mean consistency", "demonstrating", "share %"]
    out: list[list[Any]] = [head]
    sections = [("overall", [view.overall]), ("unit", view.by_unit), ("level", view.by_level)]
    for section, rows in sections:
        out += [
            [
                section,
                row.key,
                row.label,
                row.leaders,
                round(row.mean, 1),
                row.demonstrating,
                round(row.share, 1),
            ]
            for row in rows
        ]
    return out


# --- 360 observations --------------------------------------------------------------------


def observable_people(person: Person) -> list[tuple[Person, str]]:
    """Whom ``person`` may observe: their manager (as a direct report) and their peers."""
    result: list[tuple[Person, str]] = []
    if person.manager_id is None:
        return result
    rows = Person.objects.filter(
        Q(pk=person.manager_id) | Q(manager_id=person.manager_id),
        organisation_id=person.organisation_id,
        active=True,
    ).exclude(pk=person.pk)
    for other in rows.order_by("name", "pk"):
        relation = (
            Observation.Relation.DIRECT_REPORT
            if other.pk == person.manager_id
            else Observation.Relation.PEER
        )
        result.append((other, relation))
    return result


def observation_by(observer: Person, subject: Person, month: dt.date) -> Observation | None:
    return Observation.objects.filter(observer=observer, subject=subject, month=month).first()


@dataclass(frozen=True)
class ObservedGroup:
    key: str  # "all", "peer", "direct_report"
    label: str
    observers: int
    shown: bool
    seen: dict[str, int]  # behaviour key -> observers who saw it (empty when hidden)


def observation_summary(subject: Person, as_of: dt.date) -> tuple[list[ObservedGroup], int]:
    """Who saw which behaviour over the observation window, by group (all observers,
    peers, direct reports), each shown only at or above the 360 minimum and never where
    a hidden group could be worked out by subtraction (``core.confidentiality``).
    Returns the groups and the minimum."""
    since = (as_of - dt.timedelta(days=RULES.observation_window_days)).replace(day=1)
    per_observer: dict[tuple[int, str], int] = defaultdict(int)
    rows = Observation.objects.filter(subject=subject, month__gte=since, month__lte=as_of)
    for observer_id, relation, seen in rows.values_list("observer_id", "relation", "seen"):
        per_observer[(observer_id, relation)] |= seen
    minimum = policy_for(subject.organisation_id).min_360_group
    groups = {"all": ("All observers", list(per_observer.values()))}
    for relation, label in Observation.Relation.choices:
        groups[relation] = (f"{label}s", [m for (_, r), m in per_observer.items() if r == relation])
    cells = [Cell("all", len(groups["all"][1]))] + [
        Cell(relation, len(groups[relation][1]), parent="all")
        for relation in Observation.Relation.values
    ]
    decision = suppress(cells, minimum)
    result = []
    for key, (label, masks) in groups.items():
        shown = decision.is_shown(key) and bool(masks)
        saw = (
            {k: sum(1 for m in masks if m & consistency.BIT[k]) for k in consistency.KEYS}
            if shown
            else {}
        )
        result.append(ObservedGroup(key, label, len(masks) if shown else 0, shown, saw))
    return result, minimum


# --- recognition -------------------------------------------------------------------------


def recognitions_visible_to(membership: Membership) -> QuerySet[Recognition]:
    """Recognitions the member may read: those they received or gave, and those of the
    people they manage. Nobody else's."""
    rows = Recognition.objects.filter(organisation_id=membership.organisation_id)
    if membership.person_id is None:
        return rows.none()
    return rows.filter(
        Q(recognised_id=membership.person_id)
        | Q(given_by_id=membership.person_id)
        | Q(recognised__manager_id=membership.person_id)
    ).select_related("recognised", "given_by")


def recognisable(person: Person) -> QuerySet[Person]:
    """Whom ``person`` may recognise: the active people of their organisation (the form
    picks them by the shared type-ahead)."""
    return Person.objects.filter(organisation_id=person.organisation_id, active=True)


def colleague(person: Person, pk: str) -> Person | None:
    """An active person of ``person``'s organisation by id (any, not only those offered)."""
    if not pk.isdigit():
        return None
    return Person.objects.filter(organisation_id=person.organisation_id, pk=int(pk)).first()


@dataclass(frozen=True)
class RecognitionTally:
    received: int  # recognitions received
    colleagues: int  # different colleagues who gave them


def recognitions_by_leader(
    *, organisation: Organisation | int, leader_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, RecognitionTally]:
    """Recognitions each leader received from ``start`` to ``end`` (inclusive) and
    from how many different colleagues: one grouped query, whatever the number of leaders. Public: the quarterly review counts them."""
    ids = sorted(set(leader_ids))
    if not ids:
        return {}
    counted = (
        Recognition.objects.filter(
            organisation_id=org_id_of(organisation),
            recognised_id__in=ids,
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
        .values("recognised_id")
        .annotate(n=Count("pk"), givers=Count("given_by_id", distinct=True))
        .order_by()
        .values_list("recognised_id", "n", "givers")
    )
    found = {pk: RecognitionTally(n, givers) for pk, n, givers in counted}
    return {pk: found.get(pk, RecognitionTally(0, 0)) for pk in ids}


def is_leader_member(membership: Membership) -> bool:
    return membership.has_role(Role.LEADER) and membership.person_id is not None


def behaviour_days(
    *,
    organisation: Organisation | int,
    behaviour_key: str,
    start: dt.date,
    end: dt.date,
    person_ids: Iterable[int] | None = None,
) -> dict[int, int]:
    """Per person, the days from ``start`` to ``end`` (inclusive) on which they ticked
    one behaviour: one SQL aggregate over the packed ticks (for the secondary KPIs)."""
    rows = (
        CheckIn.objects.filter(
            organisation_id=org_id_of(organisation), day__gte=start, day__lte=end
        )
        .annotate(hit=F("done").bitand(consistency.BIT[behaviour_key]))
        .filter(hit__gt=0)
    )
    if person_ids is not None:
        rows = rows.filter(person_id__in=sorted(set(person_ids)))
    return dict(
        rows.values("person_id").annotate(days=Count("id")).values_list("person_id", "days")
    )


# --- the task inbox ---------------------------------------------------------------------------


def inbox_items(membership: Membership, *, today: dt.date) -> list[InboxItem]:
    """A leader's check-in for today, until it is done (30 seconds, from the app)."""
    person = membership.person
    if person is None or not person.leader_level or not person.active:
        return []
    if CheckIn.objects.filter(person=person, day=today).exists():
        return []
    return [
        InboxItem(
            kind="behaviours.check_in",
            title="Today's behaviour check-in (30 seconds)",
            url=reverse("behaviours:check_in"),
            due=today,
        )
    ]
