"""Releasing a campaign once it has closed: the only place ballots are opened.

``release_campaign`` runs once per campaign, in one transaction:

1. open every sealed ballot (and take any response stored before ballots existed);
2. anonymous campaigns: cut back each respondent's segment values until every stored
   combination is shared by at least the minimum number of respondents (the
   completions' values are cut back the same way);
3. store responses and answers in random order, with no link to a person or a time, and
   delete the ballots;
4. anonymous campaigns: decide the released figures over the whole release and against
   earlier releases (disclosure.py, release_payload.py) and keep them in ``Release``;
   pages, API, exports, trends and KPIs read them as stored from then on.

The minimum is the campaign's own (taken at launch) plus one for every link sent again
after launch: whoever received a re-sent link may not be the invitee.
"""

from __future__ import annotations

import os
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from bellwether.core import audit, disclosure, rawsql
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation
from bellwether.people.models import LeaderLevel, OrgUnit
from bellwether.surveys import definitions, release_payload, sealing
from bellwether.surveys.models import (
    Answer,
    Ballot,
    Campaign,
    Completion,
    Invitation,
    Question,
    Release,
    Response,
)

if TYPE_CHECKING:
    from bellwether.accounts.models import User

Atom = tuple[str, ...]


class _Entry:
    __slots__ = ("answers", "atom", "category", "subject")

    def __init__(
        self, atom: Atom, answers: dict[str, Any], category: str, subject: int | None
    ) -> None:
        self.atom = atom
        self.answers = answers
        self.category = category
        self.subject = subject


def effective_minimum(campaign: Campaign) -> tuple[int, int]:
    """(minimum, links re-sent after launch) for an anonymous campaign's release."""
    from bellwether.surveys.selectors import policy_for

    resent = Invitation.objects.filter(campaign=campaign, reissued_at__isnull=False).count()
    # A minimum raised since launch protects this campaign too; one lowered never does.
    base = max(campaign.min_group, policy_for(campaign.organisation_id).min_group)
    return base + resent, resent


def _opened_ballots(campaign: Campaign) -> list[_Entry]:
    purpose = sealing.ballot_purpose(campaign.pk)
    entries = []
    for sealed in Ballot.objects.filter(campaign=campaign).values_list("sealed", flat=True):
        value = sealing.open_sealed(sealed, purpose=purpose)
        segments = value.get("segments") or {}
        entries.append(
            _Entry(
                (
                    segments.get("org_unit_path", ""),
                    segments.get("leader_level", ""),
                    segments.get("tenure_band", ""),
                ),
                dict(value.get("answers") or {}),
                value.get("category") or "",
                value.get("subject"),
            )
        )
    return entries


def _stored_responses(campaign: Campaign, keys: dict[int, str]) -> list[_Entry]:
    """Responses stored before ballots existed (or written straight by the demo): taken
    in, deleted, and stored again like every other."""
    responses = {
        pk: _Entry((path, level, tenure), {}, category, subject)
        for pk, path, level, tenure, category, subject in Response.objects.filter(
            campaign=campaign
        ).values_list(
            "pk", "org_unit_path", "leader_level", "tenure_band", "category", "subject_id"
        )
    }
    if not responses:
        return []
    for response_id, question_id, value, text in Answer.objects.filter(
        response__campaign=campaign
    ).values_list("response_id", "question_id", "value", "text"):
        key = keys.get(question_id)
        if key is not None:
            responses[response_id].answers[key] = value if value is not None else text
    Response.objects.filter(campaign=campaign).delete()
    return list(responses.values())


def _random_ids(count: int) -> Iterator[uuid.UUID]:
    """Random version-4 UUIDs from one read of the system's randomness."""
    pool = os.urandom(16 * count)
    for i in range(count):
        yield uuid.UUID(bytes=pool[16 * i : 16 * i + 16], version=4)


def _store(campaign: Campaign, entries: list[_Entry], questions: list[Question]) -> None:
    """Responses and answers in random order, in the release's one transaction (COPY on
    PostgreSQL: every row gets the same transaction id, in an order that is not who
    answered when)."""
    rng = random.SystemRandom()
    rng.shuffle(entries)
    by_key = {q.key: q.pk for q in questions}
    anonymous = campaign.mode == Campaign.Mode.ANONYMOUS
    organisation_id, campaign_id = campaign.organisation_id, campaign.pk
    responses, answers = [], []
    ids = _random_ids(len(entries) * (1 + len(by_key)))
    for entry in entries:
        response_id = next(ids)
        responses.append(
            (
                response_id,
                organisation_id,
                campaign_id,
                *entry.atom,
                "" if anonymous else entry.category,
                None if anonymous else entry.subject,
            )
        )
        for key, value in entry.answers.items():
            question_id = by_key.get(key)
            if question_id is None or value is None or value == "":
                continue
            answers.append(
                (
                    next(ids),
                    organisation_id,
                    response_id,
                    question_id,
                    value if isinstance(value, int) else None,
                    value if isinstance(value, str) else "",
                )
            )
    rng.shuffle(answers)
    rawsql.copy_rows(
        Response,
        (
            "id",
            "organisation_id",
            "campaign_id",
            "org_unit_path",
            "leader_level",
            "tenure_band",
            "category",
            "subject_id",
        ),
        responses,
    )
    rawsql.copy_rows(
        Answer, ("id", "organisation_id", "response_id", "question_id", "value", "text"), answers
    )


def _cut_back_completions(campaign: Campaign, mapping: dict[Atom, Atom]) -> None:
    for fine, coarse in mapping.items():
        if fine != coarse:
            Completion.objects.filter(
                campaign=campaign,
                org_unit_path=fine[0],
                leader_level=fine[1],
                tenure_band=fine[2],
            ).update(org_unit_path=coarse[0], leader_level=coarse[1], tenure_band=coarse[2])


def _people_by_cell(campaign_id: int, segments: list[str]) -> dict[Hashable, frozenset[int]]:
    """Who answered, per released cell, from the completions (never the responses)."""
    return _people_by_cell_of({campaign_id: segments}).get(campaign_id, {})


# Campaigns whose completions are read in one query (bounded for SQLite's parameters).
_CAMPAIGNS_PER_READ = 500


def _people_by_cell_of(
    segments_of: dict[int, list[str]],
) -> dict[int, dict[Hashable, frozenset[int]]]:
    """``_people_by_cell`` for many campaigns at once: one query per 500 campaigns, not
    one per campaign (an organisation may hold thousands of released ratings)."""
    cells: dict[int, dict[Hashable, set[int]]] = defaultdict(lambda: defaultdict(set))
    ids = sorted(segments_of)
    for at in range(0, len(ids), _CAMPAIGNS_PER_READ):
        rows = Completion.objects.filter(campaign_id__in=ids[at : at + _CAMPAIGNS_PER_READ])
        for campaign_id, person_id, path, level, tenure in rows.values_list(
            "campaign_id", "invitation__person_id", "org_unit_path", "leader_level", "tenure_band"
        ):
            for cell in release_payload.cell_keys((path, level, tenure), segments_of[campaign_id]):
                cells[campaign_id][cell].add(person_id)
    return {
        campaign_id: {key: frozenset(people) for key, people in by_cell.items()}
        for campaign_id, by_cell in cells.items()
    }


def _earlier_cells(campaign: Campaign, question_keys: set[str]) -> dict[Hashable, frozenset[int]]:
    """Every cell shown by an earlier release of the organisation that asked one of the
    same questions, by (campaign, cell): the views a reader can set this one against."""
    earlier = Release.objects.filter(
        organisation_id=campaign.organisation_id,
        campaign__mode=Campaign.Mode.ANONYMOUS,
    ).exclude(campaign_id=campaign.pk)
    shown_of: dict[int, set[tuple[Any, ...]]] = {}
    segments_of: dict[int, list[str]] = {}
    for release in earlier.select_related("campaign"):
        payload = release.payload or {}
        if not question_keys & set(payload.get("question_keys", [])):
            continue
        if not payload.get("total_shown"):
            continue
        shown_of[release.campaign_id] = {tuple(cell) for cell in payload.get("shown_cells", [])}
        segments_of[release.campaign_id] = list(release.campaign.segments)
    people_of = _people_by_cell_of(segments_of)
    found: dict[Hashable, frozenset[int]] = {}
    for campaign_id, shown in shown_of.items():
        people = people_of.get(campaign_id, {})
        for cell in shown:
            if cell in people:
                found[(campaign_id, cell)] = people[cell]
    return found


def _labels(campaign: Campaign, cells: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    units = dict(
        OrgUnit.objects.filter(organisation_id=campaign.organisation_id).values_list("path", "name")
    )
    levels = dict(LeaderLevel.choices)
    labels: dict[tuple[str, str], str] = {}
    for kind, key in cells:
        if kind == "org_unit":
            labels[(kind, key)] = units.get(key, "Unknown unit")
        elif kind == "leader_level":
            labels[(kind, key)] = str(levels.get(key, key))
        elif kind == "tenure_band":
            labels[(kind, key)] = definitions.tenure_label(key)
    return labels


def _payload(
    campaign: Campaign, entries: list[_Entry], questions: list[Question], fine: set[Atom]
) -> dict[str, Any]:
    minimum, resent = effective_minimum(campaign)
    segments = [s for s in campaign.segments if s in release_payload.SEGMENTS]
    infos = [
        release_payload.QuestionInfo(q.key, q.text, q.scale, tuple(q.labels), q.favourable_min)
        for q in questions
    ]
    current = _people_by_cell(campaign.pk, segments)
    earlier = _earlier_cells(campaign, {q.key for q in questions})
    flagged = disclosure.small_differences(earlier, current, minimum)
    withheld_reason = ""
    if release_payload.TOTAL in flagged:
        withheld_reason = (
            f"The people who answered differ from those of an earlier campaign with the same "
            f"questions by fewer than {minimum}: comparing the two would give their answers, "
            "so these results are not shown."
        )
    cells = {
        cell
        for atom in {e.atom for e in entries} | fine
        for cell in release_payload.cell_keys(atom, segments)
    }
    payload = release_payload.build(
        respondents=[release_payload.Respondent(e.atom, e.answers) for e in entries],
        questions=infos,
        segments=segments,
        minimum=minimum,
        min_comments=max(campaign.min_comments, minimum),
        withheld=dict.fromkeys(flagged, disclosure.ACROSS_CAMPAIGNS),
        withheld_reason=withheld_reason,
        labels=_labels(campaign, cells),
        listed=cells,
    )
    revoked = Invitation.objects.filter(campaign=campaign, revoked_at__isnull=False).count()
    payload["audience_changes"] = {"resent": resent, "withdrawn": revoked}
    payload["base_minimum"] = minimum - resent
    return payload


def release_campaign(*, campaign: Campaign, actor: User | None = None) -> Release:
    """Open, store and decide a closed campaign's results, once. Idempotent."""
    now = timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        existing = Release.objects.filter(campaign_id=locked.pk).first()
        if existing is not None:
            return existing
        if locked.closes_at > now:
            raise DomainError(
                "This campaign has not closed yet: results are released when it closes.",
                code="not_closed",
            )
        questions = list(Question.objects.filter(version_id=locked.version_id).order_by("position"))
        entries = _opened_ballots(locked) + _stored_responses(
            locked, {q.pk: q.key for q in questions}
        )
        anonymous = locked.mode == Campaign.Mode.ANONYMOUS
        minimum = effective_minimum(locked)[0] if anonymous else locked.min_360_group
        fine = {e.atom for e in entries}
        stored = entries
        if anonymous and entries:
            fine_counts: dict[Atom, int] = dict(Counter(e.atom for e in entries))
            mapping = disclosure.coarsen(fine_counts, minimum)
            small = disclosure.small_groups(fine_counts, mapping, minimum)
            for entry in entries:
                entry.atom = mapping[entry.atom]
            _cut_back_completions(locked, mapping)
            # A group that stays small even with no values (fewer respondents than the
            # minimum, or the only executive at the root) would be known to anyone who
            # knows who answered: its rows are not stored. Its answers still count in
            # the released figures, which the release decision protects.
            stored = [e for e in entries if e.atom not in small]
        _store(locked, stored, questions)
        Ballot.objects.filter(campaign=locked).delete()
        payload = _payload(locked, entries, questions, fine) if anonymous else {}
        if anonymous:
            # Local: the selectors import the services. Closed, so final: pages and the
            # trend read these counts as stored instead of counting invitations again.
            from bellwether.surveys.selectors import participation, stored_participation

            payload["participation"] = stored_participation(participation(locked))
        release = Release.objects.create(
            organisation_id=locked.organisation_id,
            campaign=locked,
            released_at=now,
            minimum=minimum,
            respondents=len(entries),
            payload=payload,
        )
        audit.record_on(
            locked,
            "surveys.results_released",
            actor=actor,
            details={"respondents": len(entries), "minimum": minimum},
        )
    return release


def due_campaigns(organisation: Organisation | None = None) -> list[int]:
    """Closed anonymous campaigns not yet released (confidential ones are released by
    their owner, the readiness cycle)."""
    rows = Campaign.objects.filter(
        mode=Campaign.Mode.ANONYMOUS, closes_at__lte=timezone.now(), release__isnull=True
    )
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    return list(rows.values_list("pk", flat=True))


def request_releases(organisation: Organisation) -> int:
    """Queue the release of every closed, unreleased pulse of the organisation (a page
    that reads results calls this first; each job is a no-op once released)."""
    from bellwether.surveys import tasks

    due = due_campaigns(organisation)
    for pk in due:
        enqueue_on_commit(tasks.release_campaign, pk)
    return len(due)


def request_release_if_due(campaign: Campaign) -> None:
    """Before results are read (page, API, export): a closed pulse whose results are not
    released yet is queued for release (the worker does it; tests and the immediate
    backend do it before the results are read)."""
    from bellwether.surveys import selectors

    if selectors.is_closed(campaign) and not selectors.is_released(campaign):
        request_releases(campaign.organisation)


def release_due(*, actor: User | None = None) -> int:
    """Release every closed, unreleased pulse now (the command and the worker)."""
    done = 0
    for pk in due_campaigns():
        release_campaign(campaign=Campaign.objects.get(pk=pk), actor=actor)
        done += 1
    return done
