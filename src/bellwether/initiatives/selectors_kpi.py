"""Initiative reads for the KPI dashboard and the task inbox: executive alignment across
live packages, time-to-decision, pilot support and the packages a member is asked to align
on. ``initiatives.selectors`` re-exports every name here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse

from bellwether.accounts.models import Membership
from bellwether.core.inbox import InboxItem
from bellwether.core.models import Organisation
from bellwether.initiatives import alignment as rules
from bellwether.initiatives.alignment import STAGE_IDEA, STAGE_RETIRED
from bellwether.initiatives.models import (
    AlignmentPosition,
    DecisionLogEntry,
    GateReview,
    Initiative,
    Signatory,
)

# --- organisation-level figures ---------------------------------------------------------------


def organisation_alignment(organisation: Organisation) -> rules.AlignmentSummary:
    """Executives aligned on every element of every live package they are named to sign (feeds the
    "95% senior leadership alignment" outcome). Idea-stage and retired packages don't count."""
    live = Initiative.objects.filter(organisation=organisation).exclude(
        stage__in=[STAGE_IDEA, STAGE_RETIRED]
    )
    # The required signatories only: one who stays silent counts against alignment, one who
    # gave a position without being named does not count.
    signed = list(
        Signatory.objects.filter(initiative__in=live, required=True).values_list(
            "initiative_id", "person_id"
        )
    )
    required = set(signed)
    agreed: dict[tuple[int, int], int] = defaultdict(int)
    disagreements: list[tuple[int, str]] = []
    for initiative_id, executive_id, element, agrees in AlignmentPosition.objects.filter(
        initiative__in=live
    ).values_list("initiative_id", "executive_id", "element", "agrees"):
        if (initiative_id, executive_id) not in required:
            continue
        if agrees:
            agreed[(initiative_id, executive_id)] += 1
        else:
            disagreements.append((executive_id, element))
    executives = sorted({person for _, person in signed})
    not_aligned = {
        person
        for initiative_id, person in signed
        if agreed[(initiative_id, person)] < len(rules.ALIGNMENT_ELEMENTS)
    }
    aligned = len(executives) - len(not_aligned)
    return rules.AlignmentSummary(
        executives=len(executives),
        aligned=aligned,
        share=aligned / len(executives) if executives else None,
        disagreements=tuple(disagreements),
        pending=tuple(sorted(not_aligned - {e for e, _ in disagreements})),
    )


@dataclass(frozen=True)
class TimeToDecision:
    median_days: float | None
    baseline_days: float | None
    change_percent: float | None
    by_month: list[tuple[str, float]]
    open_requests: int


def time_to_decision(
    organisation: Organisation, *, baseline_days: float | None = None
) -> TimeToDecision:
    """Median days from request to decision, by month, against a baseline (feeds the
    secondary KPI "time-to-decision −50%")."""
    entries = DecisionLogEntry.objects.filter(organisation=organisation)
    decided = entries.filter(decided_at__isnull=False).values_list("requested_at", "decided_at")
    samples = [
        (decided_at.strftime("%Y-%m"), (decided_at - requested_at).total_seconds() / 86400)
        for requested_at, decided_at in decided
        if decided_at is not None
    ]
    median = rules.median_days(days for _, days in samples)
    return TimeToDecision(
        median_days=median,
        baseline_days=baseline_days,
        change_percent=rules.change_against_baseline(median, baseline_days),
        by_month=rules.median_by_period(samples),
        open_requests=entries.filter(decided_at__isnull=True).count(),
    )


# --- the KPI dashboard's reads (insights) ----------------------------------------------------


def decision_days(
    organisation: Organisation, *, start: datetime.datetime, end: datetime.datetime
) -> list[float]:
    """Days from request to decision of every decision taken in [start, end): the
    samples of the secondary KPI "time-to-decision"."""
    decided = DecisionLogEntry.objects.filter(
        organisation=organisation, decided_at__gte=start, decided_at__lt=end
    ).values_list("requested_at", "decided_at")
    return [
        (decided_at - requested_at).total_seconds() / 86400
        for requested_at, decided_at in decided
        if decided_at is not None
    ]


def pilot_support(organisation: Organisation, *, as_of: datetime.datetime) -> tuple[int, int]:
    """(initiatives approved past the idea stage, initiatives proposed) among those
    registered by ``as_of`` and not retired: the secondary KPI "pilot approvals"."""
    counts = (
        Initiative.objects.filter(organisation=organisation, created_at__lte=as_of)
        .exclude(stage=STAGE_RETIRED)
        .aggregate(proposed=Count("id"), approved=Count("id", filter=~Q(stage=STAGE_IDEA)))
    )
    return counts["approved"] or 0, counts["proposed"] or 0


@dataclass(frozen=True)
class LeaderSupport:
    """One leader's visible support of AI initiatives (not retired): those they sponsor or
    own, the gates they endorsed, and their recorded alignment (agreeing positions of all)."""

    sponsored: list[str]
    owned: list[str]
    gates_endorsed: int
    positions: int
    agreeing: int

    @property
    def any(self) -> bool:
        return bool(self.sponsored or self.owned or self.gates_endorsed or self.positions)


def leader_support(organisation: Organisation, person_id: int) -> LeaderSupport:
    """What the engagement plan's "AI initiative support" metric reads (three queries)."""
    live = Initiative.objects.filter(organisation=organisation).exclude(stage=STAGE_RETIRED)
    sponsored: list[str] = []
    owned: list[str] = []
    for name, sponsor_id in (
        live.filter(Q(sponsor_id=person_id) | Q(business_owner_id=person_id))
        .order_by("name")
        .values_list("name", "sponsor_id")
    ):
        (sponsored if sponsor_id == person_id else owned).append(name)
    gates = GateReview.objects.filter(
        initiative__in=live, endorsed_by_id=person_id, status=GateReview.Status.ENDORSED
    ).count()
    positions = AlignmentPosition.objects.filter(
        initiative__in=live, executive_id=person_id
    ).aggregate(total=Count("id"), agreeing=Count("id", filter=Q(agrees=True)))
    return LeaderSupport(
        sponsored=sponsored,
        owned=owned,
        gates_endorsed=gates,
        positions=positions["total"] or 0,
        agreeing=positions["agreeing"] or 0,
    )


# --- the task inbox ---------------------------------------------------------------------------


def inbox_items(membership: Membership, *, today: datetime.date) -> list[InboxItem]:
    """Live initiative packages the member is named to sign and has not yet given a
    position on every element of: one item each."""
    if membership.person_id is None:
        return []
    asked = (
        Signatory.objects.filter(
            organisation_id=membership.organisation_id,
            person_id=membership.person_id,
            required=True,
        )
        .exclude(initiative__stage__in=[STAGE_IDEA, STAGE_RETIRED])
        .annotate(
            given=Count(
                "initiative__positions",
                filter=Q(initiative__positions__executive_id=membership.person_id),
            )
        )
        .filter(given__lt=len(rules.ALIGNMENT_ELEMENTS))
        .select_related("initiative")
        .order_by("initiative__name")
    )
    return [
        InboxItem(
            kind="initiatives.align",
            title=f"Give your position on “{row.initiative.name}”",
            url=reverse("initiatives:align", args=[row.initiative_id]),
            detail=f"{row.given} of {len(rules.ALIGNMENT_ELEMENTS)} elements answered",
        )
        for row in asked
    ]
