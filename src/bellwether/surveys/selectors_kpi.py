"""Survey reads for the KPI dashboard and the task inbox: the trend of a question across
released pulses, the pulse-fed KPIs (the latest figure, or the figure as of a date for one
released cell) and the member's open invitations. Figures come from each campaign's
release, never from answers. ``surveys.selectors`` re-exports every name here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.core.inbox import InboxItem
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import kpi
from bellwether.surveys import definitions
from bellwether.surveys.models import Campaign, Completion, Invitation
from bellwether.surveys.services.links import invitation_token


def count_per_campaign(rows: QuerySet[Any]) -> Coalesce:
    """A subquery counting the rows of one campaign (0 when none), to annotate campaigns."""
    counted = (
        rows.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), Value(0))


# --- trend and KPIs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    campaign_id: int
    label: str
    closes_at: dt.datetime
    rate: float | None
    favourable: float | None
    n: int | None
    shown: bool


def trend(
    organisation: Organisation, *, instrument_key: str, question_key: str, limit: int = 12
) -> list[TrendPoint]:
    """The favourable share of one question across released campaigns, oldest first, as
    each release decided it."""
    campaigns = list(
        Campaign.objects.filter(
            organisation=organisation,
            mode=Campaign.Mode.ANONYMOUS,
            version__instrument__key=instrument_key,
            release__isnull=False,
        )
        .select_related("release")
        .order_by("-closes_at")[:limit]
    )
    # Each release keeps its participation; only a release made before they did is
    # counted, in one query for all of them.
    counted = _counted(
        [
            c.pk
            for c in campaigns
            if not isinstance((c.release.payload or {}).get("participation"), dict)
        ]
    )
    points = []
    for c in reversed(campaigns):
        payload = c.release.payload or {}
        kept = payload.get("participation")
        invited, completed = (
            (kept["invited"], kept["completed"]) if isinstance(kept, dict) else counted[c.pk]
        )
        row = next((q for q in payload.get("questions", []) if q["key"] == question_key), None)
        shown = bool(payload.get("total_shown")) and row is not None and row["shown"]
        points.append(
            TrendPoint(
                c.pk,
                c.period or c.name,
                c.closes_at,
                round(100.0 * completed / invited, 1) if invited else None,
                row["favourable"] if shown and row is not None else None,
                row["n"] if shown and row is not None else None,
                shown,
            )
        )
    return points


def _counted(campaign_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Live (invited, completed) counts of these campaigns, one query (none when empty)."""
    if not campaign_ids:
        return {}
    rows = Campaign.objects.filter(pk__in=campaign_ids).annotate(
        # One subquery per count: two Counts over two joins would multiply the rows
        # (invitations × completions per campaign) before counting.
        invited=count_per_campaign(Invitation.objects.filter(revoked_at__isnull=True)),
        completed=count_per_campaign(Completion.objects.all()),
    )
    return {pk: (i, c) for pk, i, c in rows.values_list("pk", "invited", "completed")}


@dataclass(frozen=True)
class KpiFigure:
    key: str
    name: str
    target: str
    value: float | None
    meets_target: bool | None
    n: int
    campaign_id: int | None


def kpi_figure(organisation: Organisation, kpi_key: str) -> KpiFigure:
    """The latest closed pulse's favourable share for a pulse-fed KPI (suppressed → None)."""
    metric = kpi(kpi_key)
    instrument_key, question_key = definitions.KPI_QUESTIONS[kpi_key]
    points = trend(organisation, instrument_key=instrument_key, question_key=question_key, limit=1)
    point = points[-1] if points else None
    value = point.favourable if point is not None else None
    return KpiFigure(
        kpi_key,
        metric.name,
        metric.target,
        value,
        metric.meets_target(value) if value is not None else None,
        (point.n or 0) if point is not None else 0,
        point.campaign_id if point is not None else None,
    )


def employee_confidence(organisation: Organisation) -> KpiFigure:
    """KPI "≥80% employee confidence in AI leadership"."""
    return kpi_figure(organisation, definitions.CONFIDENCE_PULSE.kpi_key)


def communication_effectiveness(organisation: Organisation) -> KpiFigure:
    """KPI "≥75% rate communication effective"."""
    return kpi_figure(organisation, definitions.COMMUNICATION_PULSE.kpi_key)


@dataclass(frozen=True)
class PulseKpi:
    """A pulse-fed KPI as the last release by a date decided it, for the whole
    organisation or one released cell. ``value`` is None when nothing was released by
    then, or the cell was withheld (``reason`` says which)."""

    value: float | None
    n: int | None
    campaign_id: int | None
    campaign_label: str
    closes_at: dt.datetime | None
    reason: str


def pulse_kpi_at(
    organisation: Organisation,
    kpi_key: str,
    *,
    as_of: dt.datetime,
    segment: str = "",
    value: str = "",
) -> PulseKpi:
    """The KPI's favourable share in the latest released campaign that closed by
    ``as_of`` (its results as the release decided them, whenever that was).

    A filter names one released cell (``segment``/``value``, e.g. ``org_unit`` and a
    unit's path); any other view was never decided by a release and is refused, so no
    pair of filtered views can reveal a withheld cell by difference.
    """
    instrument_key, question_key = definitions.KPI_QUESTIONS[kpi_key]
    # Only the part of the release a view needs is read: the questions for the whole
    # organisation, the breakdowns for a cell (a release of many units is large).
    part = "release__payload__breakdowns" if segment else "release__payload__questions"
    row = (
        Campaign.objects.filter(
            organisation=organisation,
            mode=Campaign.Mode.ANONYMOUS,
            version__instrument__key=instrument_key,
            closes_at__lte=as_of,
            release__isnull=False,
        )
        .order_by("-closes_at", "-pk")
        .values_list("pk", "period", "name", "closes_at", "release__payload__total_shown", part)
        .first()
    )
    if row is None:
        return PulseKpi(None, None, None, "", None, "No released pulse had closed by then.")
    pk, period, name, closes_at, total_shown, found = row
    label = period or name
    if not total_shown:
        return PulseKpi(None, None, pk, label, closes_at, "The pulse was not released.")
    if not segment:
        question = next((q for q in found or [] if q["key"] == question_key), None)
        if question is None or not question["shown"]:
            return PulseKpi(None, None, pk, label, closes_at, "The question was withheld.")
        return PulseKpi(question["favourable"], question["n"], pk, label, closes_at, "")
    for breakdown in found or []:
        if breakdown["segment"] != segment:
            continue
        for cell in breakdown["cells"]:
            if cell["key"] == value and cell["shown"]:
                share = (cell.get("favourable") or {}).get(question_key)
                return PulseKpi(share, None, pk, label, closes_at, "")
    return PulseKpi(
        None,
        None,
        pk,
        label,
        closes_at,
        "Too few responses in this group to show it (the pulse's confidentiality minimum).",
    )


# --- the task inbox ---------------------------------------------------------------------------


def inbox_items(membership: Membership, *, today: dt.date) -> list[InboxItem]:
    """The member's own open survey invitations (pulses, self-assessments, 360 ratings)
    that they have not finished, in campaigns open now: one item each, with the personal
    link they were emailed."""
    if membership.person_id is None:
        return []
    now = timezone.now()
    invitations = (
        Invitation.objects.filter(
            organisation_id=membership.organisation_id,
            person_id=membership.person_id,
            revoked_at__isnull=True,
            completion__isnull=True,
            campaign__opens_at__lte=now,
            campaign__closes_at__gt=now,
        )
        .select_related("campaign", "subject")
        .order_by("campaign__closes_at", "pk")
    )
    items = []
    for invitation in invitations:
        campaign = invitation.campaign
        if invitation.subject is not None and invitation.subject_id != membership.person_id:
            title = f"Rate {invitation.subject.name}: {campaign.name}"
        else:
            title = f"Answer “{campaign.name}”"
        items.append(
            InboxItem(
                kind="surveys.respond",
                title=title,
                url=reverse("surveys:respond", args=[invitation_token(invitation)]),
                due=timezone.localtime(campaign.closes_at).date(),
                detail="Confidential"
                if campaign.mode == Campaign.Mode.CONFIDENTIAL
                else "Anonymous",
            )
        )
    return items
