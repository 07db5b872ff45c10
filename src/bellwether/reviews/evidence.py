"""The evidence collector of the quarterly review (§4.1): what each pre-filled score is
based on, with a link to it.

``SOURCES`` is a list of source functions. Each takes the ``Context`` (organisation,
leaders, quarter) and answers, for every leader, the evidence it can give: one ``Item``
per signal of the catalogue (``REVIEW_SIGNALS``), each a share from 0 to 1, the figures it
comes from in words, and a link. A signal with no evidence for a leader (no plan,
no programme, no ratings) answers "not available" (neutral in ``scoring``). The reads are:

* ``development.selectors.learning_hours_for(*, organisation, person_ids, start, end)
  -> dict[int, tuple[float, float]]`` (hours done, hours planned)
* ``behaviours.selectors.consistency_for(*, organisation, person_ids, as_of)
  -> dict[int, float]`` (0..1)
* ``coaching.selectors.coaching_summary_for(*, organisation, person_ids, start, end)
  -> dict[int, tuple[int, int]]`` (sessions held, sessions planned)
* ``communications.selectors.effectiveness_by_leader(*, organisation, leader_ids, start, end)
  -> dict[int, float | None]`` (share rating the leader's communication effective, 0..1,
  only at or above the confidentiality minimum)
* ``peers.selectors.attendance_for(*, organisation, person_ids, start, end)
  -> dict[int, tuple[int, int]]`` (forums attended, forums invited to)

Every source reads through the owning module's selectors, so a pulse result below the
confidentiality minimum is never seen here (``surveys.selectors`` reads releases only).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TypedDict

from django.db.models import Q
from django.urls import reverse

from bellwether.assessments.models import LeaderResult
from bellwether.assessments.selectors import current_bands, of_record_first
from bellwether.behaviours import selectors as behaviours
from bellwether.coaching import selectors as coaching
from bellwether.communications import selectors as communications
from bellwether.core.models import Organisation
from bellwether.development import selectors as development
from bellwether.framework.catalogue import (
    CATALOGUE,
    REVIEW_RECOGNITION_COLLEAGUES,
    REVIEW_SIGNALS,
    STAGE_RETIRED,
)
from bellwether.initiatives.models import Initiative
from bellwether.initiatives.selectors import portfolio
from bellwether.peers import selectors as peers
from bellwether.people.models import Person
from bellwether.reviews import scoring
from bellwether.surveys.selectors import employee_confidence_by_unit

SIGNALS = {signal.key: signal for signal in REVIEW_SIGNALS}
#: A readiness change of this many points (or more) counts as the full swing (0 or 1).
READINESS_FULL_SWING = 10.0


class Quarter(TypedDict):
    organisation: Organisation
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Context:
    organisation: Organisation
    people: list[Person]  # with org_unit loaded
    start: dt.date
    end: dt.date

    @property
    def ids(self) -> list[int]:
        return [p.pk for p in self.people]

    @property
    def quarter(self) -> Quarter:
        """The keywords of a read across the organisation within the quarter."""
        return Quarter(organisation=self.organisation, start=self.start, end=self.end)


@dataclass(frozen=True)
class Item:
    signal: str
    component: str
    label: str
    share: float | None
    detail: str
    url: str = ""

    @property
    def available(self) -> bool:
        return self.share is not None


Found = dict[int, list[Item]]
Source = Callable[[Context], Found]


def item(signal: str, share: float | None, detail: str, url: str = "") -> Item:
    spec = SIGNALS[signal]
    return Item(signal, spec.component, spec.name, share, detail, url)


#: What one source reads for one leader: the share (None: not available), the figures it
#: comes from in words, and a link ("" for none).
Reading = tuple[float | None, str, str]


def per_leader(context: Context, signal: str, judge: Callable[[int], Reading]) -> Found:
    """A source's one ``signal`` for every leader of the review, as ``judge`` reads it."""
    return {pk: [item(signal, *judge(pk))] for pk in context.ids}


# --- sources available now ---------------------------------------------------------------------


def readiness(context: Context) -> Found:
    """The leader's readiness total of record and its change since the previous released
    cycle (``assessments``): AI knowledge and its growth."""
    low, high = CATALOGUE.instrument.min_total, CATALOGUE.instrument.max_total
    rows = of_record_first(
        LeaderResult.objects.filter(
            organisation=context.organisation, person_id__in=context.ids, total__isnull=False
        )
    ).values_list("person_id", "total", "cycle__name")
    totals: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for person_id, total, cycle_name in rows:
        if total is not None and len(totals[person_id]) < 2:
            totals[person_id].append((float(total), cycle_name))
    found: Found = {}
    for person_id in context.ids:
        url = reverse("assessments:report", kwargs={"person_id": person_id})
        results = totals.get(person_id, [])
        if not results:
            found[person_id] = [
                item("signal.readiness_level", None, "No released readiness result yet."),
                item("signal.readiness_change", None, "No released readiness result yet."),
            ]
            continue
        (latest, name), *earlier = results
        level = item(
            "signal.readiness_level",
            scoring.scale_share(latest, low=low, high=high),
            f"Readiness {latest:g} of {high} ({name}).",
            url,
        )
        if earlier:
            before, before_name = earlier[0]
            delta = latest - before
            change = item(
                "signal.readiness_change",
                scoring.change_share(delta, full_swing=READINESS_FULL_SWING),
                f"{before:g} ({before_name}) → {latest:g} ({name}): {delta:+g}.",
                url,
            )
        else:
            change = item("signal.readiness_change", None, "Only one released result so far.")
        found[person_id] = [level, change]
    return found


def team_readiness(context: Context) -> Found:
    """The mean readiness of the leader's direct reports (``assessments``)."""
    low, high = CATALOGUE.instrument.min_total, CATALOGUE.instrument.max_total
    reports: dict[int, list[int]] = defaultdict(list)
    for pk, manager_id in Person.objects.filter(
        organisation=context.organisation, manager_id__in=context.ids, active=True
    ).values_list("pk", "manager_id"):
        reports[manager_id].append(pk)
    bands = current_bands(
        context.organisation, person_ids=[pk for ids in reports.values() for pk in ids]
    )
    found: Found = {}
    for person in context.people:
        totals = [bands[pk].total for pk in reports.get(person.pk, []) if pk in bands]
        if not totals:
            detail = "No direct report has a readiness result yet."
            found[person.pk] = [item("signal.team_readiness", None, detail)]
            continue
        mean = sum(totals) / len(totals)
        found[person.pk] = [
            item(
                "signal.team_readiness",
                scoring.scale_share(mean, low=low, high=high),
                f"Mean readiness {mean:.0f} of {high} across {len(totals)} direct reports.",
                reverse("people:detail", kwargs={"pk": person.pk}),
            )
        ]
    return found


def team_confidence(context: Context) -> Found:
    """Employee confidence in AI leadership from the latest released pulse: the leader's
    unit where its cell was released (at or above the minimum), else the organisation's."""
    reading = employee_confidence_by_unit(context.organisation)
    url = (
        reverse("surveys:results", kwargs={"pk": reading.campaign_id})
        if reading.campaign_id
        else ""
    )
    found: Found = {}
    for person in context.people:
        path = person.org_unit.path if person.org_unit else ""
        share = reading.units.get(path)
        if share is not None and person.org_unit is not None:
            detail = f"{share:g}% favourable in {person.org_unit.name} ({reading.label})."
        elif reading.organisation is not None:
            share = reading.organisation
            detail = f"{share:g}% favourable across the organisation ({reading.label})."
        else:
            share = None
            detail = "No released confidence pulse at or above the confidentiality minimum."
        found[person.pk] = [
            item("signal.team_confidence", share / 100 if share is not None else None, detail, url)
        ]
    return found


def initiatives(context: Context) -> Found:
    """Initiatives the leader sponsors or owns (``initiatives``): their gates endorsed
    (transformation progress) and whether their counter-metrics stay within guardrails."""
    ids = context.ids
    owned = (
        Initiative.objects.filter(organisation=context.organisation)
        .filter(Q(sponsor_id__in=ids) | Q(business_owner_id__in=ids))
        .exclude(stage=STAGE_RETIRED)
    )
    owners = {
        pk: {sponsor, owner}
        for pk, sponsor, owner in owned.values_list("pk", "sponsor_id", "business_owner_id")
    }
    by_person: dict[int, list[tuple[str, int, int, bool, int]]] = defaultdict(list)
    for row in portfolio(owned) if owners else []:
        guardrail_alerts = [a for a in row.alerts if a.kind == "guardrail"]
        for person_id in owners[row.initiative.pk] & set(ids):
            by_person[person_id].append(
                (
                    row.initiative.name,
                    row.gates_endorsed,
                    row.gates_total,
                    not guardrail_alerts,
                    row.initiative.pk,
                )
            )
    found: Found = {}
    for person_id in ids:
        rows = by_person.get(person_id, [])
        if not rows:
            none = "Sponsors or owns no active initiative."
            found[person_id] = [
                item("signal.initiative_gates", None, none),
                item("signal.initiative_guardrails", None, none),
            ]
            continue
        first_url = reverse("initiatives:detail", kwargs={"pk": rows[0][4]})
        gates = sum(e / t for _, e, t, _, _ in rows if t) / len(rows)
        names = "; ".join(f"{n}: {e}/{t} gates endorsed" for n, e, t, _, _ in rows)
        within = [ok for *_, ok, _ in rows]
        breached = [n for n, _, _, ok, _ in rows if not ok]
        found[person_id] = [
            item("signal.initiative_gates", gates, names + ".", first_url),
            item(
                "signal.initiative_guardrails",
                sum(within) / len(within),
                (
                    f"Guardrail breached in: {', '.join(breached)}."
                    if breached
                    else f"All {len(rows)} initiatives within their guardrails."
                ),
                first_url,
            ),
        ]
    return found


# --- sources from the programme's other modules -------------------------------------------------


def learning_hours(context: Context) -> Found:
    """Development: hours completed against hours planned for modules due this quarter."""
    hours = development.learning_hours_for(person_ids=context.ids, **context.quarter)

    def judge(pk: int) -> Reading:
        done, planned = hours.get(pk, (0.0, 0.0))
        if planned <= 0:
            return None, "No learning due this quarter.", ""
        detail = f"{done:g} of {planned:g} planned learning hours completed."
        return min(1.0, done / planned), detail, reverse("development:home")

    return per_leader(context, "signal.learning_hours", judge)


def behaviour_consistency(context: Context) -> Found:
    """Behaviours: the consistency score (0-100) at the quarter's end. When nobody in
    the organisation checked in, the module is not in use: neutral, not zero."""
    scores = behaviours.consistency_for(
        organisation=context.organisation, person_ids=context.ids, as_of=context.end
    )
    in_use = any(scores.values())

    def judge(pk: int) -> Reading:
        score = scores.get(pk, 0.0)
        if not in_use:
            return None, "No behaviour check-ins recorded.", ""
        detail = f"Behaviour consistency {score:.0f} of 100 at the quarter's end."
        return score / 100, detail, reverse("behaviours:leader", args=[pk])

    return per_leader(context, "signal.behaviour_consistency", judge)


def coaching_programme(context: Context) -> Found:
    """Coaching: sessions held this quarter, and whether the programme is on track."""
    summaries = coaching.coaching_summary_for(person_ids=context.ids, **context.quarter)

    def judge(pk: int) -> Reading:
        summary = summaries.get(pk)
        if summary is None:
            return None, "No coaching programme.", ""
        if summary.sessions_held == 0:
            share, state = 0.0, "no session held"
        else:
            share, state = (0.5, "off track") if summary.off_track else (1.0, "on track")
        return share, f"{summary.sessions_held} coaching session(s) this quarter; {state}.", ""

    return per_leader(context, "signal.coaching", judge)


def peer_recognition(context: Context) -> Found:
    """Behaviours: peer recognitions received this quarter (team AI leadership). The share
    is the number of different colleagues who recognised the leader over
    ``REVIEW_RECOGNITION_COLLEAGUES`` (at most 1), so one colleague recognising ten times
    counts once. While no leader of the review was recognised this quarter, recognition is
    not in use: neutral, not zero. One grouped query for every leader."""
    tallies = behaviours.recognitions_by_leader(leader_ids=context.ids, **context.quarter)
    in_use = any(t.received for t in tallies.values())
    full = REVIEW_RECOGNITION_COLLEAGUES
    rule = f"{full} different colleagues count in full"

    def judge(pk: int) -> Reading:
        tally = tallies.get(pk)
        if not in_use or tally is None:
            return None, "No peer recognitions this quarter; neutral.", ""
        detail = (
            f"Recognised {tally.received} time(s) by {tally.colleagues} different "
            f"colleague(s) this quarter; {rule}."
            if tally.received
            else f"Not recognised by a colleague this quarter; {rule}."
        )
        url = reverse("behaviours:recognitions") if tally.received else ""
        return min(1.0, tally.colleagues / full), detail, url

    return per_leader(context, "signal.peer_recognition", judge)


def peer_attendance(context: Context) -> Found:
    """Peers: roundtables and summits attended of those invited to this quarter."""
    rows = peers.attendance_for(person_ids=context.ids, **context.quarter)

    def judge(pk: int) -> Reading:
        attended, invited = rows.get(pk, (0, 0))
        if not invited:
            return None, "Not invited to a peer forum.", ""
        detail = f"Attended {attended} of {invited} peer forums."
        return attended / invited, detail, reverse("peers:home")

    return per_leader(context, "signal.peer_attendance", judge)


def communication_effectiveness(context: Context) -> Found:
    """Communications: the share of the leader's audience rating their communication
    effective, only at or above the confidentiality minimum (one query for all)."""
    shares = communications.effectiveness_by_leader(leader_ids=context.ids, **context.quarter)

    def judge(pk: int) -> Reading:
        share = shares.get(pk)
        detail = (
            f"{100 * share:.0f}% of the audience rated it effective or better."
            if share is not None
            else "No audience ratings at or above the confidentiality minimum; neutral."
        )
        return share, detail, ""

    return per_leader(context, "signal.communication_effectiveness", judge)


SOURCES: list[Source] = [
    readiness,
    learning_hours,
    behaviour_consistency,
    team_confidence,
    team_readiness,
    coaching_programme,
    peer_attendance,
    peer_recognition,
    initiatives,
    communication_effectiveness,
]


def collect(context: Context) -> dict[int, list[Item]]:
    """Every leader's evidence, from every source, in the catalogue's signal order."""
    order = {key: n for n, key in enumerate(SIGNALS)}
    out: dict[int, list[Item]] = {pk: [] for pk in context.ids}
    for source in SOURCES:
        for person_id, items in source(context).items():
            out[person_id].extend(items)
    for items in out.values():
        items.sort(key=lambda i: order[i.signal])
    return out


def as_json(items: list[Item]) -> list[dict[str, object]]:
    return [asdict(i) for i in items]


def signals_of(items: list[Item]) -> list[scoring.Signal]:
    return [scoring.Signal(i.signal, i.component, i.share) for i in items]
