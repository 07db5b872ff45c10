"""Reads for surveys. Results are read from each campaign's release, never computed here
from answers; nothing here returns a single response or says who answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, Max, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from bellwether.core.confidentiality import Policy
from bellwether.core.models import Organisation, org_id_of
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
    Schedule,
)
from bellwether.surveys.selectors_kpi import KpiFigure as KpiFigure
from bellwether.surveys.selectors_kpi import PulseKpi as PulseKpi
from bellwether.surveys.selectors_kpi import TrendPoint as TrendPoint
from bellwether.surveys.selectors_kpi import (
    communication_effectiveness as communication_effectiveness,
)
from bellwether.surveys.selectors_kpi import count_per_campaign
from bellwether.surveys.selectors_kpi import employee_confidence as employee_confidence
from bellwether.surveys.selectors_kpi import inbox_items as inbox_items
from bellwether.surveys.selectors_kpi import kpi_figure as kpi_figure
from bellwether.surveys.selectors_kpi import pulse_kpi_at as pulse_kpi_at
from bellwether.surveys.selectors_kpi import trend as trend

SEGMENT_FIELDS = {
    "org_unit": "org_unit_path",
    "leader_level": "leader_level",
    "tenure_band": "tenure_band",
}
SEGMENT_LABELS = {"org_unit": "Org unit", "leader_level": "Leader level", "tenure_band": "Tenure"}


def policy_for(organisation: Organisation | int) -> Policy:
    org_id = org_id_of(organisation)
    row = ConfidentialitySettings.objects.filter(organisation_id=org_id).first()
    return row.policy() if row is not None else Policy()


def minimum_for(campaign: Campaign, policy: Policy) -> int:
    if campaign.mode == Campaign.Mode.ANONYMOUS:
        return policy.min_group
    return policy.min_360_group


def is_closed(campaign: Campaign, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= campaign.closes_at


def _released(figure: str) -> Cast:
    """A participation figure the campaign's release stored (NULL without a release)."""
    return Cast(
        KeyTextTransform(figure, KeyTransform("participation", "release__payload")),
        IntegerField(),
    )


def campaigns_for(organisation: Organisation) -> QuerySet[Campaign]:
    """The organisation's pulses. A 360's campaigns are the readiness cycles' and are
    read only through them; an embedded instrument's (a delivery rating) through the
    module that asks it."""
    return (
        Campaign.objects.filter(organisation=organisation, mode=Campaign.Mode.ANONYMOUS)
        .exclude(version__instrument__kind=Instrument.Kind.EMBEDDED)
        .select_related("version__instrument")
        # A released campaign's counts as its release stored them (final: nobody is
        # invited or answers after the release); the others' counted live, one subquery
        # per count (two Counts over two joins would multiply the rows, invitations ×
        # completions, before counting). COALESCE runs a subquery only where the release
        # has no stored figure, so the list never counts a closed pulse's ballots again.
        .annotate(
            invited=Coalesce(
                _released("invited"),
                count_per_campaign(Invitation.objects.filter(revoked_at__isnull=True)),
            ),
            completed=Coalesce(
                _released("completed"), count_per_campaign(Completion.objects.all())
            ),
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


def schedules_of(organisation: Organisation) -> QuerySet[Schedule]:
    """The recurring pulses, each with ``launched`` (its campaigns so far) and
    ``last_period`` (the latest one's period label)."""
    return (
        Schedule.objects.filter(organisation=organisation)
        .select_related("instrument")
        .annotate(launched=Count("campaigns"), last_period=Max("campaigns__period"))
        .order_by("-active", "instrument__name", "pk")
    )


def schedulable_instruments(organisation: Organisation) -> QuerySet[Instrument]:
    """The instruments a recurring pulse may ask: published, and not a 360 or another
    module's own questionnaire."""
    return (
        Instrument.objects.filter(organisation=organisation, versions__published_at__isnull=False)
        .exclude(kind__in=[Instrument.Kind.ASSESSMENT, Instrument.Kind.EMBEDDED])
        .distinct()
        .order_by("name")
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
        .exclude(kind=Instrument.Kind.EMBEDDED)
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
    instruments = list(
        Instrument.objects.filter(organisation=organisation)
        .exclude(kind=Instrument.Kind.EMBEDDED)
        .order_by("name")
    )
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


def stored_participation(counts: Participation) -> dict[str, int]:
    """Participation as a release keeps it (``payload["participation"]``)."""
    return {"invited": counts.invited, "completed": counts.completed, "revoked": counts.revoked}


def released_participation(payload: dict[str, Any]) -> Participation | None:
    """The participation a release stored when the campaign closed (None for a release
    made before releases kept it)."""
    kept = payload.get("participation")
    if not isinstance(kept, dict):
        return None
    return Participation(int(kept["invited"]), int(kept["completed"]), int(kept["revoked"]))


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
    """The released results of a closed pulse, as stored when it was released (its
    participation too: counted once, at release)."""
    available, reason = results_available(campaign)
    release = release_of(campaign) if available else None
    data = (release.payload or {}) if release is not None else {}
    part = released_participation(data) or participation(campaign)
    if not available:
        return _empty(campaign, reason, part)
    if release is None:
        return _empty(
            campaign, "The results are being prepared. Refresh this page in a moment.", part
        )
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


# --- a pulse KPI per org unit (reviews) ------------------------------------------------------


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
