"""Reads for surveys. Results are read from each campaign's release, never computed here
from answers; nothing here returns a single response or says who answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.core.confidentiality import Policy
from bellwether.core.inbox import InboxItem
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import kpi
from bellwether.people.models import OrgUnit
from bellwether.surveys import definitions
from bellwether.surveys.models import (
    Campaign,
    Completion,
    ConfidentialitySettings,
    Instrument,
    InstrumentVersion,
    Invitation,
    Question,
    Release,
)
from bellwether.surveys.services.links import invitation_token

SEGMENT_FIELDS = {
    "org_unit": "org_unit_path",
    "leader_level": "leader_level",
    "tenure_band": "tenure_band",
}
SEGMENT_LABELS = {"org_unit": "Org unit", "leader_level": "Leader level", "tenure_band": "Tenure"}


def policy_for(organisation: Organisation | int) -> Policy:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    row = ConfidentialitySettings.objects.filter(organisation_id=org_id).first()
    return row.policy() if row is not None else Policy()


def minimum_for(campaign: Campaign, policy: Policy) -> int:
    if campaign.mode == Campaign.Mode.ANONYMOUS:
        return policy.min_group
    return policy.min_360_group


def is_closed(campaign: Campaign, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= campaign.closes_at


def _count_per_campaign(rows: QuerySet[Any]) -> Coalesce:
    counted = (
        rows.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), Value(0))


def campaigns_for(organisation: Organisation) -> QuerySet[Campaign]:
    """The organisation's pulses. A 360's campaigns are the readiness cycles' and are
    read only through them."""
    return (
        Campaign.objects.filter(organisation=organisation, mode=Campaign.Mode.ANONYMOUS)
        .select_related("version__instrument")
        # One subquery per count: two Counts over two joins would multiply the rows
        # (invitations × completions per campaign) before counting.
        .annotate(
            invited=_count_per_campaign(Invitation.objects.filter(revoked_at__isnull=True)),
            completed=_count_per_campaign(Completion.objects.all()),
        )
        .order_by("-opens_at", "-id")
    )


def visible_campaigns(organisation: Organisation, *, closed_only: bool) -> QuerySet[Campaign]:
    """The campaigns list (page and API): every pulse, or (for a member who may see results
    but not run surveys) the closed ones only."""
    campaigns = campaigns_for(organisation)
    return campaigns.filter(closes_at__lte=timezone.now()) if closed_only else campaigns


def published_versions(organisation: Organisation) -> QuerySet[InstrumentVersion]:
    """Every published instrument version, by instrument key then newest first (the
    versions a campaign can be launched with; the instruments API)."""
    return (
        InstrumentVersion.objects.filter(organisation=organisation, published_at__isnull=False)
        .select_related("instrument")
        .order_by("instrument__key", "-number")
    )


def published_versions_of(instrument: Instrument) -> list[InstrumentVersion]:
    """An instrument's published versions, newest first, each with ``question_count``."""
    return list(
        instrument.versions.filter(published_at__isnull=False)
        .annotate(question_count=Count("questions"))
        .order_by("-number")
    )


def questions_of(version_id: int) -> list[Question]:
    """A version's questions in the order they are asked."""
    return list(Question.objects.filter(version_id=version_id).order_by("position"))


def questions_by_version(versions: list[InstrumentVersion]) -> dict[int, list[Question]]:
    """The questions of several versions in one query, by version id, in order."""
    out: dict[int, list[Question]] = {}
    for q in Question.objects.filter(version__in=versions).order_by("position"):
        out.setdefault(q.version_id, []).append(q)
    return out


def draft_question(draft: InstrumentVersion | None, pk: int | None) -> Question | None:
    """One question of an instrument's draft (None if there is no draft or no such one)."""
    if draft is None or pk is None:
        return None
    return draft.questions.filter(pk=pk).first()


def audience_units(organisation: Organisation) -> QuerySet[OrgUnit]:
    """The org units a campaign's audience may be chosen from (the top levels)."""
    return OrgUnit.objects.filter(organisation=organisation, depth__lte=2)


def instruments_for(organisation: Organisation) -> QuerySet[Instrument]:
    return (
        Instrument.objects.filter(organisation=organisation)
        .annotate(version_count=Count("versions"))
        .order_by("name")
    )


@dataclass(frozen=True)
class InstrumentSummary:
    instrument: Instrument
    latest_number: int | None
    has_draft: bool
    version_count: int


def instrument_summaries(organisation: Organisation) -> list[InstrumentSummary]:
    """Each instrument with its latest published version number and whether a draft exists
    (two queries whatever the number of instruments)."""
    instruments = list(Instrument.objects.filter(organisation=organisation).order_by("name"))
    stats: dict[int, dict[str, Any]] = {
        row["instrument_id"]: dict(row)
        for row in InstrumentVersion.objects.filter(organisation=organisation)
        .order_by()
        .values("instrument_id")
        .annotate(
            latest=Max("number", filter=Q(published_at__isnull=False)),
            drafts=Count("pk", filter=Q(published_at__isnull=True)),
            published=Count("pk", filter=Q(published_at__isnull=False)),
        )
    }
    empty: dict[str, Any] = {}
    return [
        InstrumentSummary(
            instrument=i,
            latest_number=stats.get(i.pk, empty).get("latest"),
            has_draft=bool(stats.get(i.pk, empty).get("drafts")),
            version_count=stats.get(i.pk, empty).get("published", 0),
        )
        for i in instruments
    ]


def invitation_rows(campaign: Campaign, *, query: str = "") -> QuerySet[Invitation]:
    """The invitees of a campaign, by name (never by completion: the order must not say
    who answered when), optionally searched by name, email or employee id."""
    rows = (
        Invitation.objects.filter(campaign=campaign)
        .select_related("person", "subject")
        .only(
            "pk",
            "revoked_at",
            "campaign_id",
            "person__name",
            "person__email",
            "person__employee_id",
            "subject__name",
        )
        .order_by("person__name", "person__employee_id", "pk")
    )
    if query:
        rows = rows.filter(
            Q(person__name__icontains=query)
            | Q(person__email__icontains=query)
            | Q(person__employee_id__iexact=query)
        )
    return rows


@dataclass(frozen=True)
class InvitationStatus:
    invitation: Invitation
    status: str  # "not started" | "draft" | "completed" | "revoked" (anonymous: no "draft")
    can_reissue: bool


def invitation_statuses(
    campaign: Campaign, invitations: list[Invitation]
) -> list[InvitationStatus]:
    """Completion only. For an anonymous campaign nothing else: not whether a draft exists,
    not when an invitee finished (README: what an administrator can learn)."""
    ids = [i.pk for i in invitations]
    done = set(
        Completion.objects.filter(invitation_id__in=ids).values_list("invitation_id", flat=True)
    )
    drafting: set[int] = set()
    if campaign.mode != Campaign.Mode.ANONYMOUS:
        drafting = set(
            Invitation.objects.filter(pk__in=ids)
            .exclude(sealed_draft="")
            .values_list("pk", flat=True)
        )
    closed = is_closed(campaign)
    out = []
    for invitation in invitations:
        if invitation.pk in done:
            status = "completed"
        elif invitation.revoked_at is not None:
            status = "revoked"
        elif invitation.pk in drafting:
            status = "draft"
        else:
            status = "not started"
        out.append(
            InvitationStatus(invitation, status, can_reissue=status != "completed" and not closed)
        )
    return out


@dataclass(frozen=True)
class Participation:
    invited: int
    completed: int
    revoked: int

    @property
    def pending(self) -> int:
        return max(self.invited - self.completed, 0)

    @property
    def rate(self) -> float | None:
        return round(100.0 * self.completed / self.invited, 1) if self.invited else None


def participation(campaign: Campaign) -> Participation:
    """Counts only: never who has or has not answered."""
    counts = Invitation.objects.filter(campaign=campaign).aggregate(
        invited=Count("pk", filter=Q(revoked_at__isnull=True)),
        revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
    )
    completed = Completion.objects.filter(campaign=campaign).count()
    return Participation(counts["invited"], completed, counts["revoked"])


@dataclass(frozen=True)
class Mailing:
    """Invitation e-mails of a campaign's live links. ``emailed``: accepted by the SMTP
    server; ``not_emailed``: not (yet): no address, refused, or still with the worker."""

    emailed: int
    not_emailed: int


def mailing(campaign: Campaign) -> Mailing:
    counts = Invitation.objects.filter(campaign=campaign, revoked_at__isnull=True).aggregate(
        emailed=Count("pk", filter=Q(invited_at__isnull=False)),
        not_emailed=Count("pk", filter=Q(invited_at__isnull=True)),
    )
    return Mailing(counts["emailed"], counts["not_emailed"])


# --- results ----------------------------------------------------------------------------------
#
# Everything below reads a campaign's ``Release``: the figures decided once, when it closed
# (see releases.py). Nothing here aggregates answers or decides what may be shown.


@dataclass
class QuestionResult:
    key: str
    text: str
    scale: str
    labels: list[str]
    favourable_min: int | None
    n: int | None
    shown: bool
    distribution: list[tuple[str, int]] = field(default_factory=list)
    favourable: float | None = None


@dataclass
class SegmentCell:
    key: str
    label: str
    depth: int
    shown: bool
    reason: str
    favourable: dict[str, float | None] = field(default_factory=dict)


@dataclass
class Breakdown:
    segment: str
    label: str
    cells: list[SegmentCell]


@dataclass
class AudienceChanges:
    resent: int = 0
    withdrawn: int = 0


@dataclass
class CampaignResults:
    available: bool
    reason: str
    minimum: int
    participation: Participation
    respondents: int
    total_shown: bool
    questions: list[QuestionResult]
    breakdowns: list[Breakdown]
    comments: list[str]
    comments_reason: str
    scored_questions: list[QuestionResult]
    base_minimum: int = 0
    changes: AudienceChanges = field(default_factory=AudienceChanges)
    released_at: dt.datetime | None = None


def is_released(campaign: Campaign) -> bool:
    return Release.objects.filter(campaign_id=campaign.pk).exists()


def release_of(campaign: Campaign) -> Release | None:
    return Release.objects.filter(campaign_id=campaign.pk).first()


def results_available(campaign: Campaign) -> tuple[bool, str]:
    if campaign.mode != Campaign.Mode.ANONYMOUS:
        return False, "The results of a 360 are shown only in its readiness reports."
    if not is_closed(campaign):
        return False, "Results are released once, when the survey closes; it is still open."
    return True, ""


def _empty(campaign: Campaign, reason: str, part: Participation) -> CampaignResults:
    return CampaignResults(
        False, reason, campaign.min_group, part, 0, False, [], [], [], "", [], campaign.min_group
    )


def campaign_results(campaign: Campaign) -> CampaignResults:
    """The released results of a closed pulse, as stored when it was released."""
    part = participation(campaign)
    available, reason = results_available(campaign)
    if not available:
        return _empty(campaign, reason, part)
    release = release_of(campaign)
    if release is None:
        return _empty(
            campaign, "The results are being prepared. Refresh this page in a moment.", part
        )
    data = release.payload or {}
    questions = [
        QuestionResult(
            q["key"],
            q["text"],
            q["scale"],
            list(q["labels"]),
            q["favourable_min"],
            q["n"],
            q["shown"],
            [(str(label), int(count)) for label, count in q["distribution"]],
            q["favourable"],
        )
        for q in data.get("questions", [])
    ]
    scored_keys = [q.key for q in questions if q.favourable_min is not None]
    # Shares in question order (PostgreSQL's jsonb keeps no key order).
    breakdowns = [
        Breakdown(
            b["segment"],
            SEGMENT_LABELS.get(b["segment"], b["segment"]),
            [
                SegmentCell(
                    c["key"],
                    c["label"],
                    c["depth"],
                    c["shown"],
                    c["reason"],
                    {k: c["favourable"].get(k) for k in scored_keys} if c["shown"] else {},
                )
                for c in b["cells"]
            ],
        )
        for b in data.get("breakdowns", [])
    ]
    changes = data.get("audience_changes", {})
    return CampaignResults(
        True,
        data.get("reason", ""),
        release.minimum,
        part,
        release.respondents,
        bool(data.get("total_shown")),
        questions,
        breakdowns,
        list(data.get("comments", [])),
        data.get("comments_reason", ""),
        [q for q in questions if q.favourable_min is not None],
        int(data.get("base_minimum", release.minimum)),
        AudienceChanges(int(changes.get("resent", 0)), int(changes.get("withdrawn", 0))),
        release.released_at,
    )


class FilterRefused(ValueError):
    """A filtered view that was not released (and never will be)."""


def filtered_favourable(
    campaign: Campaign, *, filters: dict[str, str]
) -> dict[str, float | None] | None:
    """The favourable shares of one released cell, chosen by its identity (one segment
    and one value, e.g. ``org_unit=/1/5/``), or None when that cell was not released.

    A filter only ever selects a cell of the release: a view that was not decided with
    all the others (two segments at once, a prefix of a unit path, a hidden cell) is
    refused, so no sequence of filters can show what the release hid.
    """
    if len(filters) != 1:
        return None
    ((segment, value),) = filters.items()
    outcome = campaign_results(campaign)
    if not outcome.total_shown:
        return None
    for breakdown in outcome.breakdowns:
        if breakdown.segment != segment:
            continue
        for cell in breakdown.cells:
            if cell.key == value and cell.shown:
                return dict(cell.favourable)
    return None


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
        # One subquery per count: two Counts over two joins would multiply the rows
        # (invitations × completions per campaign) before counting.
        .annotate(
            invited=_count_per_campaign(Invitation.objects.filter(revoked_at__isnull=True)),
            completed=_count_per_campaign(Completion.objects.all()),
        )
        .order_by("-closes_at")[:limit]
    )
    points = []
    for c in reversed(campaigns):
        payload = c.release.payload or {}
        row = next((q for q in payload.get("questions", []) if q["key"] == question_key), None)
        shown = bool(payload.get("total_shown")) and row is not None and row["shown"]
        points.append(
            TrendPoint(
                c.pk,
                c.period or c.name,
                c.closes_at,
                round(100.0 * c.completed / c.invited, 1) if c.invited else None,
                row["favourable"] if shown and row is not None else None,
                row["n"] if shown and row is not None else None,
                shown,
            )
        )
    return points


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


@dataclass(frozen=True)
class PulseReading:
    """A pulse KPI's latest released figures: the organisation's favourable share and
    those of the org units whose cells the release showed (a unit below the
    confidentiality minimum is simply absent). Shares are percentages."""

    kpi_key: str
    campaign_id: int | None
    label: str
    organisation: float | None
    units: dict[str, float | None]  # unit path → favourable share


def employee_confidence_by_unit(organisation: Organisation) -> PulseReading:
    """KPI "employee confidence in AI leadership", for the organisation and per released
    org-unit cell (read from the release; never below the minimum). For reviews (§4.1)."""
    kpi_key = definitions.CONFIDENCE_PULSE.kpi_key
    figure = kpi_figure(organisation, kpi_key)
    units: dict[str, float | None] = {}
    label = ""
    if figure.campaign_id is not None:
        campaign = Campaign.objects.get(pk=figure.campaign_id)
        label = campaign.period or campaign.name
        question_key = definitions.KPI_QUESTIONS[kpi_key][1]
        outcome = campaign_results(campaign)
        if outcome.total_shown:
            for breakdown in outcome.breakdowns:
                if breakdown.segment != "org_unit":
                    continue
                for cell in breakdown.cells:
                    if cell.shown:
                        units[cell.key] = cell.favourable.get(question_key)
    return PulseReading(kpi_key, figure.campaign_id, label, figure.value, units)
