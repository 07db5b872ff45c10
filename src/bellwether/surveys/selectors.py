"""Reads for surveys. Every figure built from answers passes through ``confidentiality``.

Aggregates are computed in SQL (GROUP BY); the suppression decision is the pure
module's. Nothing here returns a single response or says who answered.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from bellwether.core.models import Organisation
from bellwether.framework.catalogue import kpi
from bellwether.people.models import LeaderLevel, OrgUnit
from bellwether.surveys import confidentiality, definitions
from bellwether.surveys.confidentiality import Cell, Policy
from bellwether.surveys.models import (
    Answer,
    Campaign,
    Completion,
    ConfidentialitySettings,
    Instrument,
    InstrumentVersion,
    Invitation,
    Question,
    Response,
)

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
    return (
        Campaign.objects.filter(organisation=organisation)
        .select_related("version__instrument")
        # One subquery per count: two Counts over two joins would multiply the rows
        # (invitations × completions per campaign) before counting.
        .annotate(
            invited=_count_per_campaign(Invitation.objects.filter(revoked_at__isnull=True)),
            completed=_count_per_campaign(Completion.objects.all()),
        )
        .order_by("-opens_at", "-id")
    )


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
            Invitation.objects.filter(pk__in=ids).exclude(draft={}).values_list("pk", flat=True)
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


@dataclass
class QuestionResult:
    key: str
    text: str
    scale: str
    labels: list[str]
    favourable_min: int | None
    n: int
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


def results_available(campaign: Campaign) -> tuple[bool, str]:
    if campaign.mode == Campaign.Mode.ANONYMOUS and not is_closed(campaign):
        return False, "Results of an anonymous pulse are shown only after it closes."
    return True, ""


def _label(value: Any, labels: list[str], scale: str) -> str:
    if scale == "likert5":
        return (
            f"{value} – {labels[value - 1]}" if labels and 1 <= value <= len(labels) else str(value)
        )
    if scale in {"yes_no", "choice"}:
        return labels[value] if 0 <= value < len(labels) else str(value)
    return str(value)


def _segment_label(segment: str, value: str, units: dict[str, str]) -> str:
    if segment == "org_unit":
        return units.get(value, "Unknown unit")
    if segment == "leader_level":
        return dict(LeaderLevel.choices).get(value, "Not a leader")
    return definitions.tenure_label(value)


def _unit_names(organisation_id: int) -> dict[str, str]:
    return {u.path: u.name for u in OrgUnit.objects.filter(organisation_id=organisation_id)}


def _segment_cells(segment: str, counts: dict[str, int], total: int) -> list[Cell]:
    """The total (published, so fixed) and one cell per segment value; org units nest."""
    cells = [Cell("__total__", total, fixed=True)]
    if segment != "org_unit":
        cells += [Cell(v, n, "__total__") for v, n in counts.items() if v]
        return cells
    nested: dict[str, int] = defaultdict(int)
    for path, n in counts.items():
        ids = [p for p in path.split("/") if p]
        for i in range(1, len(ids) + 1):
            nested["/" + "/".join(ids[:i]) + "/"] += n
    for path in sorted(nested):
        ids = [p for p in path.split("/") if p]
        parent = "/" + "/".join(ids[:-1]) + "/" if len(ids) > 1 else "__total__"
        cells.append(Cell(path, nested[path], parent))
    return cells


def campaign_results(campaign: Campaign, *, policy: Policy | None = None) -> CampaignResults:
    policy = policy or policy_for(campaign.organisation_id)
    minimum = minimum_for(campaign, policy)
    available, reason = results_available(campaign)
    part = participation(campaign)
    questions = list(Question.objects.filter(version_id=campaign.version_id).order_by("position"))
    respondents = Response.objects.filter(campaign=campaign).count()
    total_shown = available and respondents >= minimum
    if not total_shown:
        return CampaignResults(
            available,
            reason
            or f"Fewer than {minimum} people answered, so no results can be shown without "
            "risking that someone is identified.",
            minimum,
            part,
            respondents,
            False,
            [],
            [],
            [],
            "",
            [],
        )
    # One GROUP BY for the distributions of every question.
    dist: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        Answer.objects.filter(response__campaign=campaign, value__isnull=False)
        .values("question_id", "value")
        .annotate(n=Count("pk"))
    ):
        dist[row["question_id"]][row["value"] or 0] = row["n"]
    results = []
    for q in questions:
        if q.scale == "text":
            continue
        values = dist.get(q.pk, {})
        n = sum(values.values())
        shown = n >= minimum
        allowed = definitions.valid_values(q.scale, q.labels) or range(0)
        results.append(
            QuestionResult(
                q.key,
                q.text,
                q.scale,
                list(q.labels),
                q.favourable_min,
                n,
                shown,
                [(_label(v, list(q.labels), q.scale), values.get(v, 0)) for v in allowed]
                if shown
                else [],
                confidentiality.favourable_share(values, q.favourable_min)
                if shown and q.favourable_min is not None
                else None,
            )
        )
    scored = [r for r in results if r.favourable_min is not None]
    breakdowns = [
        _breakdown(campaign, segment, questions, minimum)
        for segment in campaign.segments
        if segment in SEGMENT_FIELDS
    ]
    comments: list[str] = []
    comments_reason = ""
    text_ids = [q.pk for q in questions if q.scale == "text"]
    if text_ids:
        if confidentiality.comments_visible(respondents, policy):
            comments = confidentiality.comments_in_random_order(
                list(
                    Answer.objects.filter(response__campaign=campaign, question_id__in=text_ids)
                    .exclude(text="")
                    .values_list("text", flat=True)
                )
            )
        else:
            comments_reason = (
                f"Comments are shown only when at least {policy.min_comments} people answered."
            )
    return CampaignResults(
        True,
        "",
        minimum,
        part,
        respondents,
        True,
        results,
        breakdowns,
        comments,
        comments_reason,
        scored,
    )


def _breakdown(
    campaign: Campaign, segment: str, questions: list[Question], minimum: int
) -> Breakdown:
    column = SEGMENT_FIELDS[segment]
    counts = {
        row[column]: row["n"]
        for row in Response.objects.filter(campaign=campaign).values(column).annotate(n=Count("pk"))
    }
    total = sum(counts.values())
    decision = confidentiality.suppress(_segment_cells(segment, counts, total), minimum)
    # Favourable counts per segment value and scored question, in one query.
    scored = [q for q in questions if q.favourable_min is not None]
    fav: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    leaf_n: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_pk = {q.pk: q for q in scored}
    for row in (
        Answer.objects.filter(response__campaign=campaign, question__in=scored, value__isnull=False)
        .values(f"response__{column}", "question_id", "value")
        .annotate(n=Count("pk"))
    ):
        q = by_pk[row["question_id"]]
        value_key = row[f"response__{column}"]
        leaf_n[q.pk][value_key] += row["n"]
        keys = [value_key]
        if segment == "org_unit":
            ids = [p for p in value_key.split("/") if p]
            keys = ["/" + "/".join(ids[:i]) + "/" for i in range(1, len(ids) + 1)]
        for key in keys:
            fav[(key, q.pk)][1] += row["n"]
            if q.favourable_min is not None and row["value"] >= q.favourable_min:
                fav[(key, q.pk)][0] += row["n"]
    # Optional questions have fewer answers than respondents: each question is a table of
    # its own and is suppressed as such, on top of the respondent-level decision.
    per_question = {
        q.pk: confidentiality.suppress(
            _segment_cells(segment, dict(leaf_n[q.pk]), sum(leaf_n[q.pk].values())), minimum
        )
        for q in scored
    }
    units = _unit_names(campaign.organisation_id) if segment == "org_unit" else {}
    cells = []
    for key, shown in decision.shown.items():
        if key == "__total__":
            continue
        assert isinstance(key, str)
        favourable: dict[str, float | None] = {}
        if shown:
            for q in scored:
                good, n = fav.get((key, q.pk), [0, 0])
                visible = per_question[q.pk].shown.get(key, False) and n >= minimum
                favourable[q.key] = round(100.0 * good / n, 1) if visible else None
        cells.append(
            SegmentCell(
                key,
                _segment_label(segment, key, units),
                len([p for p in key.split("/") if p]) - 1 if segment == "org_unit" else 0,
                shown,
                decision.reasons[key].value,
                favourable,
            )
        )
    return Breakdown(segment, SEGMENT_LABELS[segment], cells)


def filtered_favourable(
    campaign: Campaign, *, filters: dict[str, str], policy: Policy | None = None
) -> dict[str, float | None] | None:
    """Favourable shares for the respondents matching every filter (segment → value), or
    None when that view could reveal a small group: by its own size, or by difference or
    overlap with a view already shown (the total and every shown breakdown cell)."""
    if not filters or any(s not in campaign.segments or s not in SEGMENT_FIELDS for s in filters):
        return None
    if not results_available(campaign)[0]:
        return None
    policy = policy or policy_for(campaign.organisation_id)
    minimum = minimum_for(campaign, policy)
    segments = [s for s in campaign.segments if s in SEGMENT_FIELDS]
    fields = [SEGMENT_FIELDS[s] for s in segments]
    atoms = {
        tuple(row[f] for f in fields): row["n"]
        for row in Response.objects.filter(campaign=campaign)
        .values(*fields)
        .annotate(n=Count("pk"))
    }

    def member(atom: tuple[Any, ...], segment: str, value: str) -> bool:
        cell = str(atom[segments.index(segment)])
        return cell.startswith(value) if segment == "org_unit" and value else cell == value

    chosen = {a for a in atoms if all(member(a, s, v) for s, v in filters.items())}
    released: list[set[tuple[Any, ...]]] = [set(atoms)]
    for segment in segments:
        oi = segments.index(segment)
        counts: dict[str, int] = defaultdict(int)
        for atom, n in atoms.items():
            counts[atom[oi]] += n
        decision = confidentiality.suppress(
            _segment_cells(segment, dict(counts), sum(atoms.values())), minimum
        )
        for key, shown in decision.shown.items():
            if shown and key != "__total__":
                released.append({a for a in atoms if member(a, segment, str(key))})
    already_shown = chosen in released
    if not already_shown and not confidentiality.filter_is_safe(atoms, chosen, released, minimum):
        return None
    condition = Q()
    for segment, value in filters.items():
        column = SEGMENT_FIELDS[segment]
        condition &= (
            Q(**{f"response__{column}__startswith": value})
            if segment == "org_unit"
            else Q(**{f"response__{column}": value})
        )
    tallies: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        Answer.objects.filter(condition, response__campaign=campaign, value__isnull=False)
        .values("question_id", "value")
        .annotate(n=Count("pk"))
    ):
        tallies[row["question_id"]][row["value"] or 0] = row["n"]
    shares: dict[str, float | None] = {}
    for q in Question.objects.filter(version_id=campaign.version_id, favourable_min__isnull=False):
        values = tallies.get(q.pk, {})
        assert q.favourable_min is not None
        shares[q.key] = (
            confidentiality.favourable_share(values, q.favourable_min)
            if sum(values.values()) >= minimum
            else None
        )
    return shares


# --- trend and KPIs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    campaign_id: int
    label: str
    closes_at: dt.datetime
    rate: float | None
    favourable: float | None
    n: int
    shown: bool


def trend(
    organisation: Organisation, *, instrument_key: str, question_key: str, limit: int = 12
) -> list[TrendPoint]:
    """The favourable share of one question across closed campaigns, oldest first."""
    policy = policy_for(organisation)
    now = timezone.now()
    campaigns = list(
        Campaign.objects.filter(
            organisation=organisation,
            version__instrument__key=instrument_key,
            closes_at__lte=now,
        )
        # One subquery per count: two Counts over two joins would multiply the rows
        # (invitations × completions per campaign) before counting.
        .annotate(
            invited=_count_per_campaign(Invitation.objects.filter(revoked_at__isnull=True)),
            completed=_count_per_campaign(Completion.objects.all()),
        )
        .order_by("-closes_at")[:limit]
    )
    ids = [c.pk for c in campaigns]
    tallies: dict[int, dict[int, int]] = defaultdict(dict)
    thresholds: dict[int, int] = {}
    for row in (
        Answer.objects.filter(
            response__campaign_id__in=ids, question__key=question_key, value__isnull=False
        )
        .values("response__campaign_id", "value", "question__favourable_min")
        .annotate(n=Count("pk"))
    ):
        tallies[row["response__campaign_id"]][row["value"] or 0] = row["n"]
        thresholds[row["response__campaign_id"]] = row["question__favourable_min"] or 0
    points = []
    for c in reversed(campaigns):
        values = tallies.get(c.pk, {})
        n = sum(values.values())
        shown = n >= minimum_for(c, policy)
        points.append(
            TrendPoint(
                c.pk,
                c.period or c.name,
                c.closes_at,
                round(100.0 * c.completed / c.invited, 1) if c.invited else None,
                confidentiality.favourable_share(values, thresholds.get(c.pk, 0))
                if shown
                else None,
                n,
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
        point.n if point is not None else 0,
        point.campaign_id if point is not None else None,
    )


def employee_confidence(organisation: Organisation) -> KpiFigure:
    """KPI "≥80% employee confidence in AI leadership"."""
    return kpi_figure(organisation, "kpi.employee_confidence")


def communication_effectiveness(organisation: Organisation) -> KpiFigure:
    """KPI "≥75% rate communication effective"."""
    return kpi_figure(organisation, "kpi.communication_quality")
