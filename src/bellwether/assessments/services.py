"""Changes to readiness cycles: the instrument, cycles, e-mail and reminders.

A cycle runs on one confidential survey campaign. Each leader's self-assessment and
each rating is a surveys ``Invitation`` with ``subject`` = the leader rated and a rater
category; a submitted rating is a sealed ballot until the cycle closes. Nothing is
scored while it is open: closing it (or its window passing) releases the results once
(``release.py``). Raters are chosen in ``raters.py`` (re-exported here).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bellwether.assessments import release
from bellwether.assessments.bulk_raters import (
    apply_bulk_raters,
    plan_by_rule,
    plan_rater_file,
)
from bellwether.assessments.models import (
    Category,
    CycleLeader,
    RaterMode,
    ReadinessCycle,
)
from bellwether.assessments.raters import (
    CATEGORY_LABELS,
    assign_raters,
    decide_nominations,
    nominate_raters,
    note_email_changes,
    remove_rater,
    resend_link,
    withdraw_nomination,
)
from bellwether.assessments.release import ratings_for
from bellwether.assessments.suggestions import (
    Suggestion,
    assign_suggested_at_launch,
    suggest_raters,
)
from bellwether.core import audit, mailtext
from bellwether.core.bounds import checked_ids, year_problem
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.people.models import Person
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import (
    Campaign,
    Instrument,
    InstrumentVersion,
    Invitation,
    Question,
)

__all__ = [
    "CATEGORY_LABELS",
    "Suggestion",
    "apply_bulk_raters",
    "assign_raters",
    "decide_nominations",
    "nominate_raters",
    "plan_by_rule",
    "plan_rater_file",
    "ratings_for",
    "remove_rater",
    "resend_link",
    "suggest_raters",
    "withdraw_nomination",
]

if TYPE_CHECKING:
    from bellwether.accounts.models import User

INSTRUMENT_KEY = "readiness"

INTRODUCTION = (
    "The Executive AI Readiness Scorecard: 20 statements in four dimensions, each rated "
    "from 1 (very low) to 5 (very high)."
)


# --- the instrument ------------------------------------------------------------------------


def readiness_questions(
    wording: Mapping[str, str] | None = None,
) -> list[survey_services.QuestionSpec]:
    """The catalogue's 20 items as Likert-5 questions, with optional adapted wording."""
    wording = wording or {}
    labels = tuple(point.label for point in catalogue.INSTRUMENT.scale)
    return [
        survey_services.QuestionSpec(
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
    suggested_raters: bool = False,
) -> ReadinessCycle:
    """Open a cycle: a confidential campaign and a self-assessment invitation per leader;
    with ``suggested_raters``, each leader's raters from the org data too (invited now,
    so they are the rater set fixed when the cycle opens, see ``raters.py``)."""
    if rater_mode not in RaterMode.values:
        raise DomainError(
            "Choose how raters are chosen: assigned or nominated.",
            code="invalid_cycle",
            field_errors={"rater_mode": ["Choose assigned or nominated."]},
        )
    if mailtext.has_control_characters(name):
        raise DomainError(
            "The cycle could not be launched: put its name on one line, without tabs or "
            "other control characters.",
            code="invalid_cycle",
            field_errors={"name": ["Put the name on one line, without control characters."]},
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
        confidential_owner="readiness",
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
    suggested = 0
    if suggested_raters and rater_mode == RaterMode.ASSIGNED:
        suggested = assign_suggested_at_launch(cycle=cycle, actor=actor, leader_ids=people)
    audit.record(
        action="readiness.cycle_launched",
        organisation=organisation,
        actor=actor,
        target=cycle,
        details={
            "leaders": len(people),
            "rater_mode": rater_mode,
            "version": version.number,
            "raters_at_launch": suggested,
        },
    )
    if send_email:
        from bellwether.assessments import tasks

        enqueue_on_commit(tasks.send_cycle_emails, cycle.pk, "invitation", None)
    return cycle


def close_cycle(*, cycle: ReadinessCycle, actor: User | None) -> ReadinessCycle:
    """Stop taking ratings now and have the results released (``release.release_cycle``,
    by the worker: at 5,000 leaders a release takes minutes, too long for a request)."""
    with transaction.atomic():
        campaign = survey_services.close_campaign(campaign=cycle.campaign, actor=actor)
        cycle.closes_at = campaign.closes_at
        cycle.save(update_fields=["closes_at", "updated_at"])
        audit.record_on(cycle, "readiness.cycle_closed", actor=actor)
    release.request_release(cycle.organisation_id)
    cycle.refresh_from_db()
    return cycle


# --- e-mail and reminders ---------------------------------------------------------------------

HOW_SHOWN = {
    Category.SELF.value: (
        "This is your self-assessment. It is sealed with everyone's ratings until the cycle "
        "closes; then your report shows your own ratings as “self”, next to how others "
        "rate you."
    ),
    Category.MANAGER.value: (
        "You rate as the leader's manager: when the cycle closes your ratings are shown as "
        "“manager”, so the leader will know they are yours."
    ),
    "others": (
        "Your ratings are confidential: they are sealed until the cycle closes, then shown "
        "only as an average of your rater category (peers or direct reports), and only when "
        "at least {minimum} people of that category have answered (more if raters were "
        "added or sent new links after the cycle opened); smaller groups are merged or left "
        "out, and so is anything that comparing with an earlier cycle would give away. "
        "Nobody, administrators included, sees who answered what, and your individual "
        "answers are not kept once the results are out."
    ),
}


def how_answers_are_shown(category: str, minimum: int) -> str:
    text = HOW_SHOWN.get(category, HOW_SHOWN["others"])
    return text.format(minimum=minimum)


def rating_context(invitation: Invitation, *, minimum: int | None = None) -> dict[str, Any]:
    """What the e-mail and the rating page say about a 360 rating (``minimum``: the 360
    group minimum, the campaign's own, taken at launch, when not given)."""
    subject = invitation.subject
    if minimum is None:
        minimum = invitation.campaign.min_360_group
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


def deliver_rating_email(
    *, invitation_id: int, kind: str, since: dt.datetime | None = None
) -> bool:
    """Send one readiness invitation or reminder; True when the SMTP server accepted it.
    False when no longer due (answered, revoked, closed, no e-mail), refused, or already
    sent by an earlier try of the job queued at ``since``."""
    return deliver_rating_emails(invitation_ids=[invitation_id], kind=kind, since=since) == 1


def deliver_rating_emails(
    *, invitation_ids: Sequence[int], kind: str, since: dt.datetime | None = None
) -> int:
    """Send the readiness invitations or reminders still due among ``invitation_ids``
    (run by the worker), over one SMTP connection per campaign, each message on its own
    (see ``surveys.services.deliver_batch``). Returns how many the SMTP server accepted;
    raises ``MailDeferred`` after trying them all if some were deferred."""
    now = timezone.now()
    rows = (
        Invitation.objects.select_related(
            "campaign__organisation", "person", "organisation", "subject"
        )
        .filter(pk__in=list(invitation_ids))
        .order_by("pk")
    )
    due: dict[int, list[Invitation]] = defaultdict(list)
    for invitation in rows:
        if survey_services.is_due(invitation, now) and not survey_services.already_sent(
            invitation, kind, since
        ):
            due[invitation.campaign_id].append(invitation)
    note_email_changes([i.pk for group in due.values() for i in group])
    total = survey_services.Delivery()
    for invitations in due.values():
        campaign = invitations[0].campaign
        message = partial(rating_message, minimum=campaign.min_360_group)
        total.add(survey_services.deliver_batch(invitations, campaign, kind, message=message))
    return total.finish()


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
    *,
    cycle_id: int,
    kind: str,
    invitation_ids: Sequence[int] | None = None,
    since: dt.datetime | None = None,
) -> int:
    """Every rating invitation (or reminder) still due in a cycle, in batches over one
    SMTP connection each (the survey engine's delivery); returns how many the SMTP server
    accepted. ``since``: when the job was queued (a retry skips what it already sent)."""
    cycle = (
        ReadinessCycle.objects.select_related("campaign__organisation").filter(pk=cycle_id).first()
    )
    if cycle is None or timezone.now() >= cycle.closes_at:
        return 0
    rows = pending_invitations(cycle).exclude(person__email="").select_related("person", "subject")
    if invitation_ids is not None:
        rows = rows.filter(pk__in=list(invitation_ids))
    note_email_changes(list(rows.exclude(category=Category.SELF).values_list("pk", flat=True)))
    message = partial(rating_message, minimum=cycle.campaign.min_360_group)
    return survey_services.deliver_pending(rows, cycle.campaign, kind, message=message, since=since)


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
    audit.record_on(
        cycle,
        "readiness.reminders_sent",
        actor=actor,
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


def leaders_of(cycle: ReadinessCycle) -> Any:
    return Person.objects.filter(pk__in=CycleLeader.objects.filter(cycle=cycle).values("person_id"))
