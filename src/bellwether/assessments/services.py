"""Every change to readiness cycles: the instrument, cycles, raters, reminders, scores.

A cycle runs on one confidential survey campaign. Each leader's self-assessment and
each rating is a surveys ``Invitation`` with ``subject`` = the leader rated and a rater
category; the submitted ratings are surveys ``Response`` rows. Scores are re-computed
on every submission (``rescore_leader``) and stored as ``LeaderResult`` rows.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from bellwether.assessments.models import (
    DISCLOSED_CATEGORIES,
    RATER_CATEGORIES,
    Category,
    CycleLeader,
    LeaderResult,
    Rater,
    RaterMode,
    ReadinessCycle,
)
from bellwether.core import audit
from bellwether.core.bounds import checked_ids, year_problem
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.people.models import Person
from bellwether.surveys import definitions
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import (
    Answer,
    Campaign,
    Completion,
    Instrument,
    InstrumentVersion,
    Invitation,
    Question,
    Response,
)
from bellwether.surveys.selectors import policy_for

if TYPE_CHECKING:
    from bellwether.accounts.models import User

INSTRUMENT_KEY = "readiness"
CATEGORY_LABELS = {c.value: c.label for c in Category}

INTRODUCTION = (
    "The Executive AI Readiness Scorecard: 20 statements in four dimensions, each rated "
    "from 1 (very low) to 5 (very high)."
)


# --- the instrument ------------------------------------------------------------------------


def readiness_questions(wording: Mapping[str, str] | None = None) -> list[definitions.QuestionSpec]:
    """The catalogue's 20 items as Likert-5 questions, with optional adapted wording."""
    wording = wording or {}
    labels = tuple(point.label for point in catalogue.INSTRUMENT.scale)
    return [
        definitions.QuestionSpec(
            key=item.key,
            text=(wording.get(item.key) or item.text).strip(),
            scale="likert5",
            labels=labels,
            favourable_min=4,
            dimension_key=dimension.key,
            dimension_name=dimension.name,
        )
        for dimension in catalogue.INSTRUMENT.dimensions
        for item in dimension.items
    ]


def current_version(organisation: Organisation) -> InstrumentVersion | None:
    return (
        InstrumentVersion.objects.filter(
            organisation=organisation,
            instrument__key=INSTRUMENT_KEY,
            published_at__isnull=False,
        )
        .order_by("-number")
        .first()
    )


def ensure_readiness_instrument(
    *, organisation: Organisation, actor: User | None = None
) -> InstrumentVersion:
    """The organisation's latest published scorecard version, installed from the
    catalogue the first time (rerunning changes nothing)."""
    version = current_version(organisation)
    if version is not None:
        return version
    return survey_services.publish_instrument_version(
        organisation=organisation,
        actor=actor,
        key=INSTRUMENT_KEY,
        name=catalogue.INSTRUMENT.name,
        questions=readiness_questions(),
        introduction=INTRODUCTION,
        kind=Instrument.Kind.ASSESSMENT,
    )


@transaction.atomic
def adapt_wording(
    *,
    organisation: Organisation,
    actor: User | None,
    wording: Mapping[str, str],
    introduction: str | None = None,
) -> InstrumentVersion:
    """Publish a new version of the scorecard with some items reworded. Items keep their
    keys and dimensions (so scores stay comparable); past cycles keep their version."""
    known = {item.key for item in catalogue.instrument_items()}
    unknown = sorted(set(wording) - known)
    if unknown:
        raise DomainError(
            f"Unknown scorecard item: {', '.join(unknown)}.",
            code="unknown_item",
            field_errors={"wording": [f"Unknown item {k}." for k in unknown]},
        )
    current = ensure_readiness_instrument(organisation=organisation, actor=actor)
    texts = dict(Question.objects.filter(version=current).values_list("key", "text"))
    texts.update({k: v for k, v in wording.items() if v and v.strip()})
    return survey_services.publish_instrument_version(
        organisation=organisation,
        actor=actor,
        key=INSTRUMENT_KEY,
        name=catalogue.INSTRUMENT.name,
        questions=readiness_questions(texts),
        introduction=current.introduction if introduction is None else introduction,
        kind=Instrument.Kind.ASSESSMENT,
    )


# --- cycles ------------------------------------------------------------------------------------


LEADER_CHOICES = ("org_unit_ids", "leader_levels", "person_ids")


def _leader_ids(organisation: Organisation, leaders: Mapping[str, Any]) -> list[int]:
    """Leaders chosen explicitly: ``{"all": True}`` for every active leader, or by org
    unit, level or list (a union, like survey audiences). Only active people with a
    leader level count. An empty or malformed choice is refused: it never means everyone."""
    unknown = set(leaders) - {"all", *LEADER_CHOICES}
    choices = {key: leaders.get(key) or [] for key in LEADER_CHOICES}
    everyone = leaders.get("all", False)
    if (
        unknown
        or not isinstance(everyone, bool)
        or not all(isinstance(value, list | tuple) for value in choices.values())
    ):
        raise DomainError(
            "Choose the leaders as all, or as lists of org units, levels and people.",
            code="invalid_cycle",
            field_errors={"leaders": ["Not a choice of leaders."]},
        )
    chosen = any(choices.values())
    if everyone == chosen:
        raise DomainError(
            "Say which leaders to assess: every active leader, or a choice of org units, "
            "levels and people (not both).",
            code="invalid_cycle",
            field_errors={"leaders": ["Choose every leader, or some."]},
        )
    audience = {
        "org_unit_ids": checked_ids(choices["org_unit_ids"], field="leaders.org_unit_ids"),
        "leader_levels": [str(level) for level in choices["leader_levels"]],
        "person_ids": checked_ids(choices["person_ids"], field="leaders.person_ids"),
    }
    # resolve_audience reads an empty audience as everyone: only ``all`` may get there.
    ids = survey_services.resolve_audience(
        organisation=organisation, audience=audience if chosen else {}
    )
    return list(
        Person.objects.filter(pk__in=ids)
        .exclude(leader_level="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def launch_cycle(
    *,
    organisation: Organisation,
    actor: User | None,
    name: str,
    leaders: Mapping[str, Any],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    time_zone: str = "UTC",
    rater_mode: str = RaterMode.ASSIGNED,
    version: InstrumentVersion | None = None,
    send_email: bool = True,
) -> ReadinessCycle:
    """Open a cycle: a confidential campaign and a self-assessment invitation per leader."""
    if rater_mode not in RaterMode.values:
        raise DomainError(
            "Choose how raters are chosen: assigned or nominated.",
            code="invalid_cycle",
            field_errors={"rater_mode": ["Choose assigned or nominated."]},
        )
    for field, value in (("opens_at", opens_at), ("closes_at", closes_at)):
        problem = year_problem(value, what="The cycle's dates")
        if problem:
            raise DomainError(problem, code="invalid_cycle", field_errors={field: [problem]})
    people = _leader_ids(organisation, leaders)
    if not people:
        raise DomainError(
            "The cycle could not be launched: no active leader matches this choice.",
            code="invalid_cycle",
            field_errors={"leaders": ["No active leader matches this choice."]},
        )
    version = version or ensure_readiness_instrument(organisation=organisation, actor=actor)
    campaign = survey_services.launch_campaign(
        organisation=organisation,
        actor=actor,
        version=version,
        name=name,
        opens_at=opens_at,
        closes_at=closes_at,
        time_zone=time_zone,
        mode=Campaign.Mode.CONFIDENTIAL,
        audience={"person_ids": people},
        send_email=False,
    )
    # The campaign's invitations become self-assessments: each leader rates themself.
    Invitation.objects.filter(campaign=campaign).update(
        subject_id=F("person_id"),
        category=Category.SELF,
        category_disclosed=True,
    )
    cycle = ReadinessCycle.objects.create(
        organisation=organisation,
        name=campaign.name,
        campaign=campaign,
        rater_mode=rater_mode,
        opens_at=campaign.opens_at,
        closes_at=campaign.closes_at,
        created_by=actor,
    )
    CycleLeader.objects.bulk_create(
        (CycleLeader(organisation=organisation, cycle=cycle, person_id=pk) for pk in people),
        batch_size=2000,
    )
    audit.record(
        action="readiness.cycle_launched",
        organisation=organisation,
        actor=actor,
        target=cycle,
        details={"leaders": len(people), "rater_mode": rater_mode, "version": version.number},
    )
    if send_email:
        from bellwether.assessments import tasks

        enqueue_on_commit(tasks.send_cycle_emails, cycle.pk, "invitation", None)
    return cycle


@transaction.atomic
def close_cycle(*, cycle: ReadinessCycle, actor: User | None) -> ReadinessCycle:
    """Stop taking ratings now. Stored results stay as they are."""
    campaign = survey_services.close_campaign(campaign=cycle.campaign, actor=actor)
    cycle.closes_at = campaign.closes_at
    cycle.save(update_fields=["closes_at", "updated_at"])
    audit.record(
        action="readiness.cycle_closed", organisation=cycle.organisation, actor=actor, target=cycle
    )
    return cycle


# --- raters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    person_id: int
    name: str
    title: str
    category: str


def suggest_raters(*, cycle: ReadinessCycle, leader: Person) -> list[Suggestion]:
    """Raters from the org data: the manager, same-level leaders in the same unit (peers)
    and direct reports. Active people with an e-mail only; already chosen ones left out."""
    taken = set(
        Rater.objects.filter(cycle=cycle, leader=leader)
        .exclude(status=Rater.Status.REJECTED)
        .values_list("person_id", flat=True)
    )
    people = Person.objects.filter(organisation_id=leader.organisation_id, active=True).exclude(
        pk=leader.pk
    )
    found: list[Suggestion] = []
    seen: set[int] = set(taken)

    def add(rows: Iterable[Person], category: str) -> None:
        for p in rows:
            if p.pk not in seen:
                seen.add(p.pk)
                found.append(Suggestion(p.pk, p.name, p.title, category))

    if leader.manager_id:
        add(people.filter(pk=leader.manager_id), Category.MANAGER)
    if leader.org_unit_id and leader.leader_level:
        add(
            people.filter(
                org_unit_id=leader.org_unit_id, leader_level=leader.leader_level
            ).order_by("name")[:8],
            Category.PEER,
        )
    add(people.filter(manager=leader).order_by("name")[:12], Category.DIRECT_REPORT)
    return found


def _cycle_leader(cycle: ReadinessCycle, leader: Person) -> None:
    if not CycleLeader.objects.filter(cycle=cycle, person=leader).exists():
        raise DomainError(f"{leader.name} is not assessed in this cycle.", code="not_in_cycle")


def _check_open(cycle: ReadinessCycle) -> None:
    if timezone.now() >= cycle.closes_at:
        raise DomainError("This cycle has closed: raters can no longer change.", code="closed")


def _check_category(category: str) -> None:
    if category not in RATER_CATEGORIES:
        raise DomainError(
            "Choose a rater category: manager, peer or direct report.",
            code="bad_category",
            field_errors={"category": ["Choose manager, peer or direct report."]},
        )


def _raters_of(
    cycle: ReadinessCycle, leader: Person, raters: Sequence[tuple[int, str]]
) -> list[tuple[Person, str]]:
    """(person, category) pairs checked: same organisation, active, not the leader."""
    for _, category in raters:
        _check_category(category)
    ids = checked_ids((pk for pk, _ in raters), field="raters")
    if len(set(ids)) != len(ids):
        raise DomainError("Each rater can be listed once per leader.", code="duplicate_rater")
    people = Person.objects.in_bulk(list(ids), field_name="pk")
    chosen = []
    for pk, category in raters:
        person = people.get(pk)
        if person is None or person.organisation_id != cycle.organisation_id or not person.active:
            raise DomainError(
                "Choose active people of this organisation as raters.",
                code="bad_rater",
                field_errors={"raters": ["Unknown person."]},
            )
        if person.pk == leader.pk:
            raise DomainError(
                "A leader rates themself in the self-assessment, not as a rater.",
                code="self_as_rater",
                field_errors={"raters": ["The leader cannot be their own rater."]},
            )
        chosen.append((person, category))
    return chosen


def _invite(cycle: ReadinessCycle, rater: Rater) -> Invitation:
    invitation, _ = Invitation.objects.get_or_create(
        campaign=cycle.campaign,
        person_id=rater.person_id,
        subject_id=rater.leader_id,
        defaults={
            "organisation_id": cycle.organisation_id,
            "nonce": secrets.token_hex(12),
            "category": rater.category,
            "category_disclosed": rater.category in DISCLOSED_CATEGORIES,
        },
    )
    if invitation.revoked_at is not None:
        invitation.revoked_at = None
        invitation.category = rater.category
        invitation.category_disclosed = rater.category in DISCLOSED_CATEGORIES
        invitation.save(
            update_fields=["revoked_at", "category", "category_disclosed", "updated_at"]
        )
    return invitation


def _approve(cycle: ReadinessCycle, rater: Rater, actor: User | None, now: dt.datetime) -> None:
    rater.invitation = _invite(cycle, rater)
    rater.status = Rater.Status.APPROVED
    rater.decided_by = actor
    rater.decided_at = now
    rater.save(update_fields=["invitation", "status", "decided_by", "decided_at", "updated_at"])


@transaction.atomic
def assign_raters(
    *,
    cycle: ReadinessCycle,
    actor: User | None,
    leader: Person,
    raters: Sequence[tuple[int, str]],
    send_email: bool = True,
) -> list[Rater]:
    """An admin adds raters (person id, category) to a leader: invited at once."""
    _check_open(cycle)
    _cycle_leader(cycle, leader)
    chosen = _raters_of(cycle, leader, raters)
    now = timezone.now()
    done = []
    for person, category in chosen:
        rater, _created = Rater.objects.get_or_create(
            cycle=cycle,
            leader=leader,
            person=person,
            defaults={
                "organisation_id": cycle.organisation_id,
                "category": category,
                "proposed_by": actor,
            },
        )
        if rater.status == Rater.Status.APPROVED and rater.category == category:
            continue
        if rater.status == Rater.Status.APPROVED and rater.category != category:
            raise DomainError(
                f"{person.name} already rates {leader.name} as "
                f"{CATEGORY_LABELS[rater.category].lower()}.",
                code="already_rater",
            )
        rater.category = category
        _approve(cycle, rater, actor, now)
        done.append(rater)
    audit.record(
        action="readiness.raters_assigned",
        organisation=cycle.organisation,
        actor=actor,
        target=cycle,
        details={"leader": leader.pk, "raters": len(done)},
    )
    if send_email and done:
        from bellwether.assessments import tasks

        ids = [r.invitation_id for r in done]
        enqueue_on_commit(tasks.send_rating_emails, ids, "invitation")
    return done


@transaction.atomic
def nominate_raters(
    *,
    cycle: ReadinessCycle,
    actor: User | None,
    leader: Person,
    raters: Sequence[tuple[int, str]],
) -> list[Rater]:
    """A leader proposes raters for their own assessment; an admin approves them."""
    if cycle.rater_mode != RaterMode.NOMINATED:
        raise DomainError(
            "In this cycle raters are assigned by an administrator.", code="not_nominated_mode"
        )
    _check_open(cycle)
    _cycle_leader(cycle, leader)
    chosen = _raters_of(cycle, leader, raters)
    done = []
    for person, category in chosen:
        rater, created = Rater.objects.get_or_create(
            cycle=cycle,
            leader=leader,
            person=person,
            defaults={
                "organisation_id": cycle.organisation_id,
                "category": category,
                "proposed_by": actor,
            },
        )
        if not created and rater.status == Rater.Status.PROPOSED and rater.category != category:
            rater.category = category
            rater.save(update_fields=["category", "updated_at"])
        if created or rater.status == Rater.Status.PROPOSED:
            done.append(rater)
    audit.record(
        action="readiness.raters_nominated",
        organisation=cycle.organisation,
        actor=actor,
        target=cycle,
        details={"leader": leader.pk, "raters": len(done)},
    )
    return done


@transaction.atomic
def withdraw_nomination(*, rater: Rater, actor: User | None) -> None:
    """A leader takes back a nomination not yet decided."""
    if rater.status != Rater.Status.PROPOSED:
        raise DomainError("Only nominations awaiting approval can be withdrawn.", code="decided")
    audit.record(
        action="readiness.nomination_withdrawn",
        organisation=rater.cycle.organisation,
        actor=actor,
        target=rater.cycle,
        details={"leader": rater.leader_id},
    )
    rater.delete()


@transaction.atomic
def approve_nominations(
    *, cycle: ReadinessCycle, actor: User | None, rater_ids: Iterable[int], send_email: bool = True
) -> list[Rater]:
    _check_open(cycle)
    now = timezone.now()
    raters = list(
        Rater.objects.select_for_update().filter(
            cycle=cycle,
            pk__in=checked_ids(rater_ids, field="rater_ids"),
            status=Rater.Status.PROPOSED,
        )
    )
    for rater in raters:
        _approve(cycle, rater, actor, now)
    audit.record(
        action="readiness.nominations_approved",
        organisation=cycle.organisation,
        actor=actor,
        target=cycle,
        details={"raters": len(raters)},
    )
    if send_email and raters:
        from bellwether.assessments import tasks

        enqueue_on_commit(tasks.send_rating_emails, [r.invitation_id for r in raters], "invitation")
    return raters


@transaction.atomic
def reject_nominations(
    *, cycle: ReadinessCycle, actor: User | None, rater_ids: Iterable[int]
) -> list[Rater]:
    now = timezone.now()
    raters = list(
        Rater.objects.select_for_update().filter(
            cycle=cycle,
            pk__in=checked_ids(rater_ids, field="rater_ids"),
            status=Rater.Status.PROPOSED,
        )
    )
    for rater in raters:
        rater.status = Rater.Status.REJECTED
        rater.decided_by = actor
        rater.decided_at = now
        rater.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit.record(
        action="readiness.nominations_rejected",
        organisation=cycle.organisation,
        actor=actor,
        target=cycle,
        details={"raters": len(raters)},
    )
    return raters


@transaction.atomic
def remove_rater(*, rater: Rater, actor: User | None) -> None:
    """Take a rater off a leader: their link stops working. A rating already given stays
    (it cannot be traced back to be removed)."""
    _check_open(rater.cycle)
    if rater.invitation is not None:
        if Completion.objects.filter(invitation=rater.invitation).exists():
            raise DomainError(
                "This rater has already answered; their rating stays in the results.",
                code="already_answered",
            )
        survey_services.revoke_invitation(invitation=rater.invitation, actor=actor)
    audit.record(
        action="readiness.rater_removed",
        organisation=rater.cycle.organisation,
        actor=actor,
        target=rater.cycle,
        details={"leader": rater.leader_id},
    )
    rater.delete()


# --- e-mail and reminders ---------------------------------------------------------------------

HOW_SHOWN = {
    Category.SELF.value: (
        "This is your self-assessment. Your report shows your own ratings as “self”, "
        "next to how others rate you."
    ),
    Category.MANAGER.value: (
        "You rate as the leader's manager: your ratings are shown as “manager”, so the "
        "leader will know they are yours."
    ),
    "others": (
        "Your ratings are confidential: they are only shown as an average of your rater "
        "category (peers or direct reports), and only when at least {minimum} people of "
        "that category have answered; smaller groups are merged or left out. Nobody sees "
        "who answered what."
    ),
}


def how_answers_are_shown(category: str, minimum: int) -> str:
    text = HOW_SHOWN.get(category, HOW_SHOWN["others"])
    return text.format(minimum=minimum)


def rating_context(invitation: Invitation, *, minimum: int | None = None) -> dict[str, Any]:
    """What the e-mail and the rating page say about a 360 rating (``minimum``: the 360
    group minimum, read from the organisation's policy when not given)."""
    subject = invitation.subject
    if minimum is None:
        minimum = policy_for(invitation.organisation_id).min_360_group
    is_self = invitation.category == Category.SELF
    return {
        "rating": True,
        "rating_self": is_self,
        "rating_subject": subject.name if subject is not None else "",
        "rating_category": CATEGORY_LABELS.get(invitation.category, invitation.category),
        "rating_how_shown": how_answers_are_shown(invitation.category, minimum),
    }


def rating_message(
    invitation: Invitation,
    campaign: Campaign,
    organisation: Organisation,
    kind: str,
    *,
    minimum: int | None = None,
) -> EmailMultiAlternatives:
    """The survey engine's invitation e-mail, saying whom the rater rates and how the
    answers are shown."""
    context = rating_context(invitation, minimum=minimum)
    about = (
        "your self-assessment"
        if invitation.category == Category.SELF
        else f"rating {context['rating_subject']}"
    )
    return survey_services.invitation_message(
        invitation,
        campaign,
        organisation,
        kind,
        subject=f"{'Reminder: ' if kind == 'reminder' else ''}{campaign.name}: {about}",
        extra=context,
    )


def deliver_rating_email(*, invitation_id: int, kind: str) -> bool:
    """Send one readiness invitation or reminder (run by the worker); False when no
    longer due (answered, revoked, closed, no e-mail)."""
    invitation = (
        Invitation.objects.select_related("campaign", "person", "organisation", "subject")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not survey_services.is_due(invitation, timezone.now()):
        return False
    sent = survey_services.deliver_batch(
        [invitation], invitation.campaign, kind, message=rating_message
    )
    return sent == 1


def pending_invitations(
    cycle: ReadinessCycle, *, leader: Person | None = None, category: str | None = None
) -> Any:
    """Invitations of the cycle not yet answered nor withdrawn (optionally for one leader
    or one category)."""
    rows = Invitation.objects.filter(
        campaign_id=cycle.campaign_id, revoked_at__isnull=True, completion=None
    )
    if leader is not None:
        rows = rows.filter(subject=leader)
    if category:
        rows = rows.filter(category=category)
    return rows


def deliver_cycle_emails(
    *, cycle_id: int, kind: str, invitation_ids: Sequence[int] | None = None
) -> int:
    """Every rating invitation (or reminder) still due in a cycle, in batches over one
    SMTP connection each (the survey engine's delivery)."""
    cycle = (
        ReadinessCycle.objects.select_related("campaign__organisation").filter(pk=cycle_id).first()
    )
    if cycle is None or timezone.now() >= cycle.closes_at:
        return 0
    rows = pending_invitations(cycle).exclude(person__email="").select_related("person", "subject")
    if invitation_ids is not None:
        rows = rows.filter(pk__in=list(invitation_ids))
    message = partial(rating_message, minimum=policy_for(cycle.organisation_id).min_360_group)
    return survey_services.deliver_pending(rows, cycle.campaign, kind, message=message)


@transaction.atomic
def send_reminders(
    *,
    cycle: ReadinessCycle,
    actor: User | None,
    leader: Person | None = None,
    everyone: bool = False,
    category: str | None = None,
) -> int:
    """Queue a reminder to those still due: one leader's raters, or ``everyone`` in the
    cycle (said explicitly: no leader never means everyone), optionally in one category.
    Returns how many are due. None after close."""
    if everyone == (leader is not None):
        raise DomainError(
            "Say whom to remind: one leader's raters, or everyone still due.", code="no_target"
        )
    if timezone.now() >= cycle.closes_at:
        raise DomainError("This cycle has closed: no more reminders.", code="closed")
    if category and category not in CATEGORY_LABELS:
        raise DomainError("Unknown rater category.", code="bad_category")
    ids = list(
        pending_invitations(cycle, leader=leader, category=category)
        .exclude(person__email="")
        .values_list("pk", flat=True)
    )
    audit.record(
        action="readiness.reminders_sent",
        organisation=cycle.organisation,
        actor=actor,
        target=cycle,
        details={
            "pending": len(ids),
            "leader": leader.pk if leader is not None else None,
            "category": category or "",
        },
    )
    if ids:
        from bellwether.assessments import tasks

        enqueue_on_commit(tasks.send_rating_emails, ids, "reminder")
    return len(ids)


# --- scores ------------------------------------------------------------------------------------


def ratings_for(cycle: ReadinessCycle, person_ids: Sequence[int] | None) -> dict[int, list[Any]]:
    """Each leader's submitted ratings in the cycle, one ``RaterRatings`` per response
    (``person_ids`` None: every leader of the cycle)."""
    from bellwether.assessments.scoring import RaterRatings

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
    out: dict[int, list[Any]] = defaultdict(list)
    # Responses without any answer still count as a rater who answered nothing; sorted
    # by key so the order says nothing about who answered when.
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


_RESULT_FIELDS = [
    "total",
    "band_key",
    "self_reported",
    "self_total",
    "others_total",
    "others_count",
    "score",
    "computed_at",
]


def rescore_cycle(*, cycle: ReadinessCycle, actor: User | None) -> int:
    """Re-score every leader of a cycle from the ratings submitted so far (after the 360
    minimum changed, or to repair): one read of the answers, one bulk upsert."""
    from bellwether.assessments.scoring import score_leader

    policy = policy_for(cycle.organisation_id)
    leader_ids = list(CycleLeader.objects.filter(cycle=cycle).values_list("person_id", flat=True))
    ratings = ratings_for(cycle, None)
    scores = [
        (
            person_id,
            _result_fields(
                score_leader(
                    ratings=ratings.get(person_id, []), minimum_others=policy.min_360_group
                )
            ),
        )
        for person_id in leader_ids
    ]
    with transaction.atomic():
        _store_results(cycle=cycle, scores=scores)
        audit.record(
            action="readiness.cycle_rescored",
            organisation=cycle.organisation,
            actor=actor,
            target=cycle,
            details={"leaders": len(scores)},
        )
    return len(scores)


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
                            json.dumps(fields[name]) if name == "score" else fields[name]
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


def _result_fields(score: Any) -> dict[str, Any]:
    return {
        "total": score.total,
        "band_key": score.band_key or "",
        "self_reported": bool(score.self_reported),
        "self_total": score.self_total,
        "others_total": score.others_total,
        "others_count": score.others_count,
        "score": score.to_json(),
        "computed_at": timezone.now(),
    }


@transaction.atomic
def rescore_leader(*, cycle: ReadinessCycle, person: Person | int) -> LeaderResult:
    """Re-compute and store a leader's result from all ratings submitted so far."""
    from bellwether.assessments.scoring import score_leader

    person_id: int = person if isinstance(person, int) else int(person.pk)
    ratings = ratings_for(cycle, [person_id]).get(person_id, [])
    policy = policy_for(cycle.organisation_id)
    score = score_leader(ratings=ratings, minimum_others=policy.min_360_group)
    result, _ = LeaderResult.objects.update_or_create(
        cycle=cycle,
        person_id=person_id,
        defaults={"organisation_id": cycle.organisation_id, **_result_fields(score)},
    )
    return result


def on_confidential_response(
    sender: Any, *, campaign: Campaign, invitation: Invitation, response: Response, **_: Any
) -> None:
    """surveys.signals.confidential_response_submitted: re-score the leader rated."""
    cycle = ReadinessCycle.objects.filter(campaign=campaign).first()
    if cycle is None or response.subject_id is None:
        return
    rescore_leader(cycle=cycle, person=response.subject_id)


def leaders_of(cycle: ReadinessCycle) -> Any:
    return Person.objects.filter(pk__in=CycleLeader.objects.filter(cycle=cycle).values("person_id"))
