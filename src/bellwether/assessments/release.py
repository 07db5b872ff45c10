"""Releasing a readiness cycle's results: once, when the cycle has closed.

While a cycle is open every rating is a sealed ballot (the survey engine's): nothing is
scored and no report, band, view, export or API answer shows a rater-based figure, so a
report read before and after one more rater answers is the same. When the cycle has
closed, ``release_cycle`` does in one transaction:

1. ``surveys.services.releases.release_campaign`` opens the ballots and stores them as responses
   (random order, random keys, no link to an invitation, a person or a time);
2. for each leader, decides which rater groups may be shown (``rater_columns``: the
   campaign's 360 minimum taken at launch, raised by late rater changes and by raters
   who can read the report, checked against every figure of the leader's earlier
   released cycles), scores them (``scoring``) and stores the result with the published
   groups' means (``LeaderResult.score`` and ``.groups``);
3. deletes the cycle's individual responses: what was published is kept, and nothing
   else — no row holds one rater's answers once the cycle is released (only self and a
   disclosed manager, who were told, appear as such in the stored columns);
4. marks the cycle released (``released_at``), audited.

Reports read the stored results from then on; nothing is ever re-scored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from bellwether.assessments.models import (
    CycleLeader,
    LeaderResult,
    RaterChange,
    ReadinessCycle,
)
from bellwether.assessments.rater_columns import (
    LABELS,
    OTHERS,
    EarlierGroup,
    Raters,
    plan_columns,
)
from bellwether.assessments.scoring import RaterRatings, score_leader
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation, org_id_of
from bellwether.framework import catalogue
from bellwether.influence import services as influence_services
from bellwether.surveys.models import Answer, Completion, Invitation, Question, Response
from bellwether.surveys.services import releases

if TYPE_CHECKING:
    from bellwether.accounts.models import User

SELF = "self"
SUSPECT_KINDS = (
    RaterChange.Kind.ADDED,
    RaterChange.Kind.RESENT,
    RaterChange.Kind.EMAIL_CHANGED,
)
CHANGE_KINDS = tuple(k.value for k in RaterChange.Kind)
ITEM_KEYS = tuple(item.key for item in catalogue.instrument_items())


# --- reading what the release opened ---------------------------------------------------------


def ratings_for(
    cycle: ReadinessCycle, person_ids: Sequence[int] | None = None
) -> dict[int, list[RaterRatings]]:
    """Each leader's released ratings, one ``RaterRatings`` per response (``person_ids``
    None: every leader). Only between the engine's release and their deletion."""
    keys = dict(
        Question.objects.filter(version_id=cycle.campaign.version_id).values_list("id", "key")
    )
    answer_rows = Answer.objects.filter(
        response__campaign_id=cycle.campaign_id, value__isnull=False
    )
    response_rows = Response.objects.filter(campaign_id=cycle.campaign_id)
    if person_ids is not None:
        answer_rows = answer_rows.filter(response__subject_id__in=list(person_ids))
        response_rows = response_rows.filter(subject_id__in=list(person_ids))
    answers: dict[Any, dict[str, int | None]] = defaultdict(dict)
    for response_id, question_id, value in answer_rows.values_list(
        "response_id", "question_id", "value"
    ).iterator(chunk_size=20_000):
        answers[response_id][keys[question_id]] = value
    out: dict[int, list[RaterRatings]] = defaultdict(list)
    # Sorted by key, so the order says nothing about who answered when.
    for response_id, subject_id, category in sorted(
        response_rows.values_list("id", "subject_id", "category"), key=lambda row: str(row[0])
    ):
        out[subject_id].append(
            RaterRatings(
                category=category,
                answers=cast("dict[str, int]", answers.get(response_id, {})),  # non-null
            )
        )
    return out


@dataclass
class _Facts:
    """What is known about one leader's raters in the cycle being released."""

    answered: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    undisclosed: set[str] = field(default_factory=set)
    changes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANGE_KINDS, 0))
    removals: int = 0
    suspects: set[int] = field(default_factory=set)
    earlier: list[EarlierGroup] = field(default_factory=list)
    earlier_known: set[int] = field(default_factory=set)


def _answered(campaign_id: int, leaders: set[int]) -> dict[int, dict[str, set[int]]]:
    """Who answered about each leader, per category: from the completions (that someone
    answered is known to every admin; what they answered is not)."""
    out: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for subject, category, person in Completion.objects.filter(campaign_id=campaign_id).values_list(
        "invitation__subject_id", "invitation__category", "invitation__person_id"
    ):
        if subject in leaders and category and category != SELF:
            out[subject][category].add(person)
    return out


def _changes(cycle: ReadinessCycle, facts: dict[int, _Facts]) -> None:
    """Late rater changes: those recorded by this app, and links withdrawn or sent again
    through the survey engine after the cycle opened."""
    recorded: set[tuple[int, int, str]] = set()
    for leader, person, category, kind in RaterChange.objects.filter(cycle=cycle).values_list(
        "leader_id", "person_id", "category", "kind"
    ):
        if leader not in facts:
            continue
        f = facts[leader]
        f.changes[category] += 1
        f.kinds[kind] += 1
        recorded.add((leader, person, kind))
        if kind == RaterChange.Kind.REMOVED:
            f.removals += 1
        else:
            f.suspects.add(person)
    engine = (
        Invitation.objects.filter(campaign_id=cycle.campaign_id)
        .exclude(category=SELF)
        .filter(Q(reissued_at__gte=cycle.opens_at) | Q(revoked_at__gte=cycle.opens_at))
        .values_list("subject_id", "person_id", "category", "reissued_at", "revoked_at")
    )
    for leader, person, category, reissued, revoked in engine:
        if leader not in facts:
            continue
        f = facts[leader]
        if reissued is not None and (leader, person, RaterChange.Kind.RESENT) not in recorded:
            f.changes[category] += 1
            f.kinds[RaterChange.Kind.RESENT] += 1
            f.suspects.add(person)
        if revoked is not None and (leader, person, RaterChange.Kind.REMOVED) not in recorded:
            f.changes[category] += 1
            f.kinds[RaterChange.Kind.REMOVED] += 1
            f.removals += 1


def report_readers(organisation_id: int, leaders: Iterable[int]) -> dict[int, set[int]]:
    """The people who can read each leader's report and so know their own answers in it:
    administrators and sponsors (everyone's), the leader's coaches."""
    from bellwether.accounts.models import Assignment, Membership
    from bellwether.accounts.roles import Role

    everyone = set(
        Membership.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            person__isnull=False,
            role_grants__role__in=[Role.ADMIN, Role.SPONSOR],
        ).values_list("person_id", flat=True)
    )
    wanted = set(leaders)
    out: dict[int, set[int]] = {pk: set(everyone) for pk in wanted}
    for leader, person in Assignment.objects.filter(
        organisation_id=organisation_id,
        kind=Assignment.Kind.COACHEE,
        person_id__in=list(wanted),
        membership__is_active=True,
        membership__person__isnull=False,
        membership__role_grants__role=Role.COACH,
    ).values_list("person_id", "membership__person_id"):
        out[leader].add(person)
    return out


def _earlier(cycle: ReadinessCycle, facts: dict[int, _Facts]) -> None:
    """The rater groups each leader's earlier released cycles published, with their
    people (from those cycles' completions)."""
    rows = list(
        LeaderResult.objects.filter(
            organisation_id=cycle.organisation_id,
            person_id__in=list(facts),
            cycle__released_at__isnull=False,
        )
        .exclude(cycle=cycle)
        .values_list("cycle_id", "cycle__campaign_id", "person_id", "groups")
    )
    if not rows:
        return
    campaigns = {campaign for _, campaign, _, _ in rows}
    people: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for campaign, subject, category, person in Completion.objects.filter(
        campaign_id__in=list(campaigns), invitation__subject_id__in=list(facts)
    ).values_list(
        "campaign_id", "invitation__subject_id", "invitation__category", "invitation__person_id"
    ):
        people[(campaign, subject, category)].add(person)
    for cycle_id, campaign, leader, groups in rows:
        for group in (groups or {}).get("published", []):
            members: set[int] = set()
            for category in group.get("categories", []):
                members |= people[(campaign, leader, category)]
            if members:
                facts[leader].earlier.append(
                    EarlierGroup((cycle_id, group["key"]), frozenset(members))
                )
                if group["key"] == "manager":
                    facts[leader].earlier_known |= members
    for leader, person in RaterChange.objects.filter(
        cycle__in=list({cycle_id for cycle_id, _, _, _ in rows}),
        leader_id__in=list(facts),
        kind__in=list(SUSPECT_KINDS),
    ).values_list("leader_id", "person_id"):
        facts[leader].earlier_known.add(person)


# --- deciding, scoring, storing -------------------------------------------------------------


def _category_sums(ratings: Sequence[RaterRatings]) -> dict[str, dict[str, list[int]]]:
    """Per category and item: [sum, count] of the answers given (one pass)."""
    sums: dict[str, dict[str, list[int]]] = {}
    for rating in ratings:
        by_item = sums.setdefault(rating.category, {})
        for key, value in rating.answers.items():
            if isinstance(value, int):
                cell = by_item.setdefault(key, [0, 0])
                cell[0] += value
                cell[1] += 1
    return sums


def _column_means(
    sums: dict[str, dict[str, list[int]]], categories: Sequence[str]
) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key in ITEM_KEYS:
        total = count = 0
        for category in categories:
            cell = sums.get(category, {}).get(key)
            if cell is not None:
                total += cell[0]
                count += cell[1]
        out[key] = round(total / count, 2) if count else None
    return out


def decide_leader(
    ratings: Sequence[RaterRatings], facts: _Facts, *, minimum: int, readers: set[int]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(result fields, published groups) of one leader: the pure part of a release."""
    answered = {c: frozenset(p) for c, p in facts.answered.items() if p}
    everyone: set[int] = set().union(*answered.values()) if answered else set()
    disclosed = {"manager"} - facts.undisclosed
    plan = plan_columns(
        Raters(
            answered=answered,
            disclosed=disclosed,
            changes=dict(facts.changes),
            removals=facts.removals,
            insiders=frozenset(readers & everyone),
            known=frozenset((facts.suspects | readers) & everyone),
            earlier=facts.earlier,
            earlier_known=frozenset(facts.earlier_known),
        ),
        minimum=minimum,
    )
    score = score_leader(
        ratings=ratings,
        minimum_others=plan.minimum_others,
        others_allowed=plan.others_shown,
    )
    columns: list[dict[str, Any]] = []
    sums = _category_sums(ratings)
    self_ratings = [r for r in ratings if r.category == SELF and r.answers]
    if self_ratings and SELF not in facts.undisclosed:
        columns.append(
            {
                "key": SELF,
                "label": LABELS[SELF],
                "categories": [SELF],
                "n": len(self_ratings),
                "items": _column_means(sums, [SELF]),
            }
        )
    for column in plan.columns:
        columns.append(
            {
                "key": column.key,
                "label": column.label,
                "categories": list(column.members),
                "n": column.n,
                "items": _column_means(sums, column.members),
            }
        )
    published = [
        {"key": c["key"], "categories": c["categories"]} for c in columns if c["key"] != SELF
    ]
    if score.others_shown:
        published.append({"key": OTHERS, "categories": sorted(answered)})
    groups = {
        "base_minimum": minimum,
        "minimum_others": plan.minimum_others,
        "others_shown": score.others_shown,
        "columns": columns,
        "note": plan.note,
        "suppressed": list(plan.suppressed),
        "across_cycles": plan.across_cycles,
        "changes": dict(facts.kinds),
        "published": published,
    }
    return _result_fields(score), groups


_RESULT_FIELDS = [
    "total",
    "band_key",
    "self_reported",
    "self_total",
    "others_total",
    "others_count",
    "score",
    "groups",
    "computed_at",
    "dimensions",
    "failure_modes",
    "priorities",
]
_JSON_FIELDS = {"score", "groups", "dimensions", "failure_modes", "priorities"}


def _result_fields(score: Any) -> dict[str, Any]:
    document = score.to_json()
    return {
        "total": score.total,
        "band_key": score.band_key or "",
        "self_reported": bool(score.self_reported),
        "self_total": score.self_total,
        "others_total": score.others_total,
        "others_count": score.others_count,
        "score": document,
        "computed_at": timezone.now(),
        **columns_of(document),
    }


def columns_of(score: dict[str, Any]) -> dict[str, Any]:
    """The columns a result keeps beside its score document (``LeaderResult.dimensions``,
    ``failure_modes``, ``priorities``): what pages read, taken from the document."""
    dims = score.get("dimension_scores") or {}
    return {
        "dimensions": {key: (value or {}).get("record") for key, value in dims.items()},
        "failure_modes": list(score.get("failure_modes") or ()),
        "priorities": list(score.get("priorities") or ()),
    }


def compute_release(cycle: ReadinessCycle) -> list[tuple[int, dict[str, Any]]]:
    """Every leader's result and published groups, from the released responses (reads
    only: the benchmark times it apart from the writes)."""
    leaders = list(CycleLeader.objects.filter(cycle=cycle).values_list("person_id", flat=True))
    facts = {pk: _Facts() for pk in leaders}
    for leader, by_category in _answered(cycle.campaign_id, set(leaders)).items():
        facts[leader].answered.update(by_category)
    for leader, category in (
        Invitation.objects.filter(
            campaign_id=cycle.campaign_id,
            category__in=[SELF, "manager"],
            category_disclosed=False,
        )
        .values_list("subject_id", "category")
        .distinct()
    ):
        if leader in facts:
            facts[leader].undisclosed.add(category)
    _changes(cycle, facts)
    _earlier(cycle, facts)
    readers = report_readers(cycle.organisation_id, leaders)
    ratings = ratings_for(cycle)
    minimum = cycle.campaign.min_360_group
    out = []
    for pk in leaders:
        fields, groups = decide_leader(
            ratings.get(pk, []), facts[pk], minimum=minimum, readers=readers.get(pk, set())
        )
        out.append((pk, {**fields, "groups": groups}))
    return out


def _store_results(*, cycle: ReadinessCycle, scores: list[tuple[int, dict[str, Any]]]) -> None:
    """Upsert one result per leader. On PostgreSQL through COPY into a temporary table
    and one INSERT ... ON CONFLICT: Django's bulk insert there quotes every score
    document into an array literal in Python, 3x slower at 5,000 leaders."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        LeaderResult.objects.bulk_create(
            [
                LeaderResult(
                    organisation_id=cycle.organisation_id, cycle=cycle, person_id=pid, **fields
                )
                for pid, fields in scores
            ],
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["cycle", "person"],
            update_fields=[*_RESULT_FIELDS, "updated_at"],
        )
        return
    columns = ["organisation_id", "cycle_id", "person_id", *_RESULT_FIELDS]
    columns += ["created_at", "updated_at"]
    # Names below are the model's own columns, never input.
    table = LeaderResult._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE _scores ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {', '.join(columns)} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY _scores ({', '.join(columns)}) FROM STDIN") as copy:
            for pid, fields in scores:
                copy.write_row(
                    [
                        cycle.organisation_id,
                        cycle.pk,
                        pid,
                        *(
                            json.dumps(fields[name]) if name in _JSON_FIELDS else fields[name]
                            for name in _RESULT_FIELDS
                        ),
                        now,
                        now,
                    ]
                )
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*_RESULT_FIELDS, "updated_at"])
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(columns)} FROM _scores "
            f"ON CONFLICT (cycle_id, person_id) DO UPDATE SET {updates}"
        )
        cursor.execute("DROP TABLE _scores")


# --- the release ----------------------------------------------------------------------------


def release_cycle(*, cycle: ReadinessCycle, actor: User | None = None) -> ReadinessCycle:
    """Open, score, decide and publish a closed cycle's results, once (module docstring).
    Idempotent; refuses (``not_closed``) while the cycle is open."""
    with transaction.atomic():
        locked = (
            ReadinessCycle.objects.select_for_update()
            .select_related("campaign", "organisation")
            .get(pk=cycle.pk)
        )
        if locked.released_at is not None:
            return locked
        now = timezone.now()
        if locked.closes_at > now or locked.campaign.closes_at > now:
            raise DomainError(
                "This cycle is still open: its results are released once, when it closes.",
                code="not_closed",
            )
        releases.release_campaign(campaign=locked.campaign, actor=actor)
        scores = compute_release(locked)
        scored = [pk for pk, _ in scores]
        dropped = LeaderResult.objects.filter(cycle=locked).exclude(person_id__in=scored)
        changed = scored + list(dropped.values_list("person_id", flat=True))
        dropped.delete()
        _store_results(cycle=locked, scores=scores)
        # What was published is kept; the individual answers are not (module docstring).
        _delete_responses(locked.campaign_id)
        locked.released_at = now
        locked.save(update_fields=["released_at", "updated_at"])
        audit.record_on(
            locked,
            "readiness.results_released",
            actor=actor,
            details={
                "leaders": len(scores),
                "scored": sum(1 for _, f in scores if f["band_key"]),
                "minimum": locked.campaign.min_360_group,
            },
        )
        organisation_id = locked.organisation_id
        transaction.on_commit(
            lambda: influence_services.note_band_changes(
                organisation=organisation_id, person_ids=changed
            )
        )
    cycle.released_at = locked.released_at
    return locked


def _delete_responses(campaign_id: int) -> None:
    """Delete the campaign's responses and answers in two statements (Django's cascade
    would first load every response to find answers already gone)."""
    answers, responses = Answer._meta.db_table, Response._meta.db_table
    quote = connection.ops.quote_name
    # Table and column names are the models' own, never input.
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(answers)} WHERE {quote('response_id')} IN "  # noqa: S608
            f"(SELECT {quote('id')} FROM {quote(responses)} WHERE {quote('campaign_id')} = %s)",
            [campaign_id],
        )
        cursor.execute(
            f"DELETE FROM {quote(responses)} WHERE {quote('campaign_id')} = %s",  # noqa: S608
            [campaign_id],
        )


def due_cycles(
    *, now: dt.datetime | None = None, organisation: Organisation | int | None = None
) -> list[ReadinessCycle]:
    """Closed cycles not yet released, the earliest closed first (each release is
    compared with the ones before it)."""
    rows = ReadinessCycle.objects.filter(
        closes_at__lte=now or timezone.now(), released_at__isnull=True
    )
    if organisation is not None:
        org_id = org_id_of(organisation)
        rows = rows.filter(organisation_id=org_id)
    return list(rows.select_related("campaign").order_by("closes_at", "id"))


def release_due_cycles(
    *, now: dt.datetime | None = None, organisation: Organisation | int | None = None
) -> int:
    """Release every cycle whose window has passed (the command, the worker, pages)."""
    done = 0
    for cycle in due_cycles(now=now, organisation=organisation):
        release_cycle(cycle=cycle)
        done += 1
    return done


def request_release(organisation: Organisation | int) -> bool:
    """Queue the release of the organisation's closed, unreleased cycles, if any (a page
    that reads results calls this first; the job is a no-op once they are released).
    True when something was due."""
    if not due_cycles(organisation=organisation):
        return False
    from bellwether.assessments import tasks

    org_id = org_id_of(organisation)
    # At once rather than on commit: the queued row commits with the caller's transaction
    # (the database backend), and a backend that runs jobs at once sees that transaction.
    tasks.release_readiness_cycles.enqueue(org_id)
    return True
