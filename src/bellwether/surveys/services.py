"""Every change to surveys: instruments, campaigns, invitations, drafts and submissions.

Each function is one action in one transaction, audited in it. Submissions of an
anonymous campaign are audited without any mention of the invitation or person.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import DEFAULT_DB_ALIAS, IntegrityError, OperationalError, models, transaction
from django.db import connection as database
from django.db.models import Max, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bellwether.core import audit, jobs, mail, mailtext, rawsql
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys import definitions, sealing
from bellwether.surveys.confidentiality import ConfidentialityError, Policy
from bellwether.surveys.models import (
    Ballot,
    Campaign,
    Completion,
    ConfidentialitySettings,
    Instrument,
    InstrumentVersion,
    Invitation,
    Question,
    Schedule,
)

if TYPE_CHECKING:
    from bellwether.accounts.models import User

_SIGNER_SALT = "bellwether.surveys.invitation"


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SIGNER_SALT, sep="~")


def invitation_token(invitation: Invitation) -> str:
    """The personal link's token: a signature over the invitation id and its nonce."""
    return _signer().sign(f"{invitation.pk}.{invitation.nonce}")


def invitation_link(invitation: Invitation) -> str:
    return settings.BELLWETHER_BASE_URL + reverse(
        "surveys:respond", args=[invitation_token(invitation)]
    )


class LinkState(StrEnum):
    OK = "ok"
    FORGED = "forged"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_OPEN = "not_open"
    USED = "used"


@dataclass(frozen=True)
class LinkCheck:
    state: LinkState
    invitation: Invitation | None = None


def _parse_token(token: str) -> tuple[int, str] | None:
    try:
        value = _signer().unsign(token)
        pk_text, nonce = value.split(".", 1)
        return int(pk_text), nonce
    except (signing.BadSignature, ValueError):
        return None


def _state_of(
    invitation: Invitation | None, nonce: str, now: dt.datetime, *, used: bool | None = None
) -> LinkState:
    """``used``: whether the invitation has a completion, when the caller already knows."""
    if invitation is None:
        return LinkState.FORGED
    # An old link of a reissued invitation is as dead as a revoked one.
    if invitation.revoked_at is not None or invitation.nonce != nonce:
        return LinkState.REVOKED
    if used is None:
        used = Completion.objects.filter(invitation_id=invitation.pk).exists()
    if used:
        return LinkState.USED
    if now >= invitation.campaign.closes_at:
        return LinkState.EXPIRED
    if now < invitation.campaign.opens_at:
        return LinkState.NOT_OPEN
    return LinkState.OK


def check_link(token: str, *, now: dt.datetime | None = None) -> LinkCheck:
    """What a personal link leads to. Never raises: every bad link has a state."""
    parsed = _parse_token(token)
    if parsed is None:
        return LinkCheck(LinkState.FORGED)
    pk, nonce = parsed
    invitation = (
        Invitation.objects.select_related("campaign__version__instrument", "organisation")
        .filter(pk=pk)
        .first()
    )
    state = _state_of(invitation, nonce, now or timezone.now())
    return LinkCheck(state, invitation if state is not LinkState.FORGED else None)


# --- confidentiality settings -----------------------------------------------------------


@transaction.atomic
def update_confidentiality(
    *,
    organisation: Organisation,
    actor: User | None,
    min_group: int,
    min_360_group: int,
    min_comments: int,
) -> ConfidentialitySettings:
    try:
        Policy(min_group=min_group, min_360_group=min_360_group, min_comments=min_comments)
    except ConfidentialityError as exc:
        raise DomainError(str(exc), code="weak_policy") from exc
    row, _ = ConfidentialitySettings.objects.update_or_create(
        organisation=organisation,
        defaults={
            "min_group": min_group,
            "min_360_group": min_360_group,
            "min_comments": min_comments,
        },
    )
    audit.record(
        action="surveys.confidentiality_changed",
        organisation=organisation,
        actor=actor,
        target=row,
        details={"min_group": min_group, "min_360": min_360_group, "min_comments": min_comments},
    )
    return row


# --- instruments ---------------------------------------------------------------------------


def _validate_questions(questions: Sequence[definitions.QuestionSpec]) -> None:
    if not questions:
        raise DomainError("An instrument needs at least one question.", code="no_questions")
    keys = [q.key for q in questions]
    if len(set(keys)) != len(keys):
        raise DomainError("Each question needs its own key.", code="duplicate_question")
    for q in questions:
        if q.scale not in {"likert5", "yes_no", "zero_ten", "choice", "text"}:
            raise DomainError(f"Unknown scale “{q.scale}”.", code="bad_scale")
        if q.scale == "choice" and len(q.labels) < 2:
            raise DomainError("A multiple-choice question needs two options or more.")
        if not q.text.strip():
            raise DomainError("Every question needs its text.", code="empty_question")


@transaction.atomic
def publish_instrument_version(
    *,
    organisation: Organisation,
    actor: User | None,
    key: str,
    name: str,
    questions: Sequence[definitions.QuestionSpec],
    introduction: str = "",
    kind: str = Instrument.Kind.CUSTOM,
    kpi_key: str = "",
) -> InstrumentVersion:
    """Publish a new version of the instrument ``key`` (creating the instrument the first
    time). Published versions never change: editing is publishing the next one."""
    _validate_questions(questions)
    instrument, _ = Instrument.objects.select_for_update().get_or_create(
        organisation=organisation,
        key=key,
        defaults={"name": name, "kind": kind, "kpi_key": kpi_key},
    )
    if instrument.name != name:
        instrument.name = name
        instrument.save(update_fields=["name", "updated_at"])
    number = (instrument.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = InstrumentVersion.objects.create(
        organisation=organisation,
        instrument=instrument,
        number=number,
        published_at=timezone.now(),
        introduction=introduction,
    )
    Question.objects.bulk_create(
        Question(
            organisation=organisation,
            version=version,
            key=q.key,
            position=i,
            dimension_key=q.dimension_key,
            dimension_name=q.dimension_name,
            text=q.text,
            scale=q.scale,
            labels=list(q.labels),
            required=q.required,
            favourable_min=q.favourable_min,
        )
        for i, q in enumerate(questions, start=1)
    )
    audit.record(
        action="surveys.instrument_published",
        organisation=organisation,
        actor=actor,
        target=version,
        details={"instrument": key, "version": number, "questions": len(questions)},
    )
    return version


def install_ready_pulses(
    *, organisation: Organisation, actor: User | None = None
) -> list[InstrumentVersion]:
    """The three framework pulses, once per organisation (rerunning changes nothing)."""
    versions = []
    for spec in definitions.READY_PULSES:
        existing = (
            InstrumentVersion.objects.filter(
                organisation=organisation, instrument__key=spec.key, published_at__isnull=False
            )
            .order_by("-number")
            .first()
        )
        if existing is None:
            existing = publish_instrument_version(
                organisation=organisation,
                actor=actor,
                key=spec.key,
                name=spec.name,
                questions=spec.questions,
                introduction=spec.introduction,
                kind=Instrument.Kind.PULSE,
                kpi_key=spec.kpi_key,
            )
        versions.append(existing)
    return versions


# --- the instrument builder: a draft version, edited question by question, then published --

SCALES = ("likert5", "yes_no", "zero_ten", "choice", "text")
_KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class QuestionInput:
    """One question as the builder form or the API gives it (labels one per item)."""

    key: str
    text: str
    scale: str
    labels: tuple[str, ...] = ()
    required: bool = True
    favourable_min: int | None = None
    dimension_name: str = ""


def _slug(value: str) -> str:
    out = "".join(c if c in _KEY_CHARS else "-" for c in value.strip().lower())
    return "-".join(part for part in out.split("-") if part)[:80]


def clean_question(data: QuestionInput, *, taken: Iterable[str] = ()) -> definitions.QuestionSpec:
    """Check one question; raise DomainError with field errors, or return its spec.

    Empty labels take the scale's usual ones (agree/disagree, no/yes)."""
    errors: dict[str, list[str]] = {}
    key = data.key.strip()
    if not key:
        errors["key"] = ["Give the question a short key (letters, digits, - or _)."]
    elif len(key) > 80 or set(key) - _KEY_CHARS:
        errors["key"] = ["Use lower-case letters, digits, - or _ only (80 at most)."]
    elif key in set(taken):
        errors["key"] = ["Another question of this version already has this key."]
    text = data.text.strip()
    if not text:
        errors["text"] = ["Write the question."]
    elif len(text) > 1000:
        errors["text"] = ["Keep the question under 1,000 characters."]
    labels = tuple(label.strip() for label in data.labels if label.strip())
    scale = data.scale
    if scale not in SCALES:
        errors["scale"] = ["Choose a scale."]
    elif scale == "likert5":
        labels = labels or definitions.LIKERT_AGREE
        if len(labels) != 5:
            errors["labels"] = ["A 1–5 scale needs five labels (or none for the usual ones)."]
    elif scale == "yes_no":
        labels = labels or definitions.YES_NO
        if len(labels) != 2:
            errors["labels"] = ["A yes/no question needs two labels: no, then yes."]
    elif scale == "zero_ten":
        if labels and len(labels) != 2:
            errors["labels"] = ["A 0–10 scale takes two labels (for 0 and for 10), or none."]
    elif scale == "choice":
        if not 2 <= len(labels) <= 20:
            errors["labels"] = ["A multiple-choice question needs 2 to 20 options, one a line."]
    elif scale == "text":
        labels = ()
    if any(len(label) > 200 for label in labels):
        errors["labels"] = ["Keep each label under 200 characters."]
    favourable = data.favourable_min
    if favourable is not None and "scale" not in errors:
        allowed = definitions.valid_values(scale, labels)
        if allowed is None:
            errors["favourable_min"] = ["Open-text questions have no favourable threshold."]
        elif favourable not in allowed:
            errors["favourable_min"] = [
                f"Choose a value from {allowed.start} to {allowed.stop - 1}."
            ]
    dimension_name = data.dimension_name.strip()
    if len(dimension_name) > 200:
        errors["dimension_name"] = ["Keep the dimension under 200 characters."]
    if errors:
        raise DomainError(
            "The question was not saved: " + " ".join(e[0] for e in errors.values()),
            code="invalid_question",
            field_errors=errors,
        )
    return definitions.QuestionSpec(
        key=key,
        text=text,
        scale=scale,
        labels=labels,
        required=data.required,
        favourable_min=favourable,
        dimension_key=_slug(dimension_name),
        dimension_name=dimension_name,
    )


def draft_of(instrument: Instrument) -> InstrumentVersion | None:
    return instrument.versions.filter(published_at__isnull=True).order_by("-number").first()


def _locked_draft(instrument: Instrument) -> InstrumentVersion:
    draft = (
        InstrumentVersion.objects.select_for_update()
        .filter(instrument=instrument, published_at__isnull=True)
        .order_by("-number")
        .first()
    )
    if draft is None:
        raise DomainError(
            "This instrument has no draft: start a new version to edit it.", code="no_draft"
        )
    return draft


@transaction.atomic
def create_instrument(
    *, organisation: Organisation, actor: User | None, name: str, introduction: str = ""
) -> Instrument:
    """A custom instrument with an empty draft version 1."""
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Give the instrument a name."]
    elif len(name) > 200:
        errors["name"] = ["Keep the name under 200 characters."]
    if len(introduction) > 5000:
        errors["introduction"] = ["Keep the introduction under 5,000 characters."]
    base = _slug(name) or "instrument"
    if errors:
        raise DomainError(
            " ".join(e[0] for e in errors.values()), code="invalid_instrument", field_errors=errors
        )
    key = base[:70]
    taken = set(
        Instrument.objects.filter(organisation=organisation, key__startswith=key).values_list(
            "key", flat=True
        )
    )
    n = 2
    while key in taken:
        key = f"{base[:70]}-{n}"
        n += 1
    instrument = Instrument.objects.create(
        organisation=organisation, key=key, name=name, kind=Instrument.Kind.CUSTOM
    )
    InstrumentVersion.objects.create(
        organisation=organisation, instrument=instrument, number=1, introduction=introduction
    )
    audit.record(
        action="surveys.instrument_created",
        organisation=organisation,
        actor=actor,
        target=instrument,
        details={"key": key},
    )
    return instrument


@transaction.atomic
def start_new_version(*, instrument: Instrument, actor: User | None) -> InstrumentVersion:
    """A draft copying the latest published version (published ones never change)."""
    Instrument.objects.select_for_update().filter(pk=instrument.pk).first()
    existing = draft_of(instrument)
    if existing is not None:
        return existing
    latest = instrument.versions.filter(published_at__isnull=False).order_by("-number").first()
    number = (instrument.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = InstrumentVersion.objects.create(
        organisation=instrument.organisation,
        instrument=instrument,
        number=number,
        introduction=latest.introduction if latest else "",
    )
    if latest is not None:
        Question.objects.bulk_create(
            Question(
                organisation=instrument.organisation,
                version=draft,
                key=q.key,
                position=q.position,
                dimension_key=q.dimension_key,
                dimension_name=q.dimension_name,
                text=q.text,
                scale=q.scale,
                labels=list(q.labels),
                required=q.required,
                favourable_min=q.favourable_min,
            )
            for q in latest.questions.order_by("position")
        )
    audit.record(
        action="surveys.instrument_draft_started",
        organisation=instrument.organisation,
        actor=actor,
        target=draft,
        details={"instrument": instrument.key, "version": number},
    )
    return draft


@transaction.atomic
def save_question(
    *,
    instrument: Instrument,
    actor: User | None,
    data: QuestionInput,
    question_id: int | None = None,
) -> Question:
    """Add a question to the draft (at the end), or change one of the draft's questions."""
    draft = _locked_draft(instrument)
    questions = list(draft.questions.order_by("position"))
    current = None
    if question_id is not None:
        current = next((q for q in questions if q.pk == question_id), None)
        if current is None:
            raise DomainError("This question is not part of the draft.", code="not_found")
    spec = clean_question(
        data, taken=[q.key for q in questions if current is None or q.pk != current.pk]
    )
    if current is None:
        if len(questions) >= 100:
            raise DomainError("An instrument holds 100 questions at most.", code="too_many")
        current = Question(
            organisation=instrument.organisation,
            version=draft,
            position=(questions[-1].position + 1) if questions else 1,
        )
    current.key = spec.key
    current.text = spec.text
    current.scale = spec.scale
    current.labels = list(spec.labels)
    current.required = spec.required
    current.favourable_min = spec.favourable_min
    current.dimension_key = spec.dimension_key
    current.dimension_name = spec.dimension_name
    current.save()
    audit.record(
        action="surveys.question_saved",
        organisation=instrument.organisation,
        actor=actor,
        target=current,
        details={"instrument": instrument.key, "version": draft.number, "key": spec.key},
    )
    return current


@transaction.atomic
def move_question(
    *, instrument: Instrument, actor: User | None, question_id: int, direction: str
) -> None:
    """Swap a draft question with its neighbour above ("up") or below ("down")."""
    draft = _locked_draft(instrument)
    questions = list(draft.questions.order_by("position"))
    index = next((i for i, q in enumerate(questions) if q.pk == question_id), None)
    if index is None:
        raise DomainError("This question is not part of the draft.", code="not_found")
    if direction not in {"up", "down"}:
        raise DomainError("Move a question up or down.", code="bad_direction")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return
    a, b = questions[index], questions[other]
    pa, pb = a.position, b.position
    Question.objects.filter(pk=a.pk).update(position=0)
    Question.objects.filter(pk=b.pk).update(position=pa)
    Question.objects.filter(pk=a.pk).update(position=pb)
    audit.record(
        action="surveys.question_moved",
        organisation=instrument.organisation,
        actor=actor,
        target=a,
        details={"instrument": instrument.key, "direction": direction},
    )


@transaction.atomic
def remove_question(*, instrument: Instrument, actor: User | None, question_id: int) -> None:
    draft = _locked_draft(instrument)
    question = draft.questions.filter(pk=question_id).first()
    if question is None:
        raise DomainError("This question is not part of the draft.", code="not_found")
    key = question.key
    question.delete()
    for i, q in enumerate(draft.questions.order_by("position"), start=1):
        if q.position != i:
            Question.objects.filter(pk=q.pk).update(position=i)
    audit.record(
        action="surveys.question_removed",
        organisation=instrument.organisation,
        actor=actor,
        target=draft,
        details={"instrument": instrument.key, "key": key},
    )


@transaction.atomic
def update_draft_introduction(
    *, instrument: Instrument, actor: User | None, introduction: str
) -> InstrumentVersion:
    if len(introduction) > 5000:
        raise DomainError(
            "Keep the introduction under 5,000 characters.",
            code="invalid_instrument",
            field_errors={"introduction": ["Keep the introduction under 5,000 characters."]},
        )
    draft = _locked_draft(instrument)
    draft.introduction = introduction
    draft.save(update_fields=["introduction", "updated_at"])
    return draft


@transaction.atomic
def publish_draft(*, instrument: Instrument, actor: User | None) -> InstrumentVersion:
    """Publish the draft through ``publish_instrument_version``: the draft row gives way
    to a published version with the same number, which never changes again."""
    draft = _locked_draft(instrument)
    questions = [
        definitions.QuestionSpec(
            key=q.key,
            text=q.text,
            scale=q.scale,
            labels=tuple(q.labels),
            required=q.required,
            favourable_min=q.favourable_min,
            dimension_key=q.dimension_key,
            dimension_name=q.dimension_name,
        )
        for q in draft.questions.order_by("position")
    ]
    _validate_questions(questions)
    introduction = draft.introduction
    draft.delete()
    return publish_instrument_version(
        organisation=instrument.organisation,
        actor=actor,
        key=instrument.key,
        name=instrument.name,
        questions=questions,
        introduction=introduction,
        kind=instrument.kind,
        kpi_key=instrument.kpi_key,
    )


# --- campaigns -------------------------------------------------------------------------------

SEGMENT_KEYS = {c.value for c in Campaign.Segment}


def resolve_audience(*, organisation: Organisation, audience: dict[str, Any]) -> list[int]:
    """Active people chosen by org unit (with its subtree), leader level, "not a leader"
    (no leader level), or by id list.
    Criteria combine as a union; an empty audience means everyone active."""
    people = Person.objects.filter(organisation=organisation, active=True)
    unit_ids = [int(u) for u in audience.get("org_unit_ids", [])]
    levels = [str(v) for v in audience.get("leader_levels", [])]
    person_ids = [int(p) for p in audience.get("person_ids", [])]
    not_leaders = bool(audience.get("not_leaders"))
    if not (unit_ids or levels or person_ids or not_leaders):
        return list(people.values_list("pk", flat=True))
    condition = Q(pk__in=person_ids)
    if not_leaders:
        condition |= Q(leader_level="")
    for unit in OrgUnit.objects.filter(organisation=organisation, pk__in=unit_ids):
        condition |= Q(org_unit__path__startswith=unit.path)
    if levels:
        condition |= Q(leader_level__in=levels)
    return list(people.filter(condition).values_list("pk", flat=True))


@transaction.atomic
def launch_campaign(
    *,
    organisation: Organisation,
    actor: User | None,
    version: InstrumentVersion,
    name: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    time_zone: str = "UTC",
    mode: str = Campaign.Mode.ANONYMOUS,
    segments: Sequence[str] = (),
    org_unit_depth: int = 1,
    audience: dict[str, Any] | None = None,
    schedule: Schedule | None = None,
    period: str = "",
    send_email: bool = True,
    confidential_owner: str = "",
) -> Campaign:
    """Send an instrument version to an audience: one invitation each.

    The audience is fixed here, from the people records; later changes (a withdrawn or
    re-sent link) are audited and shown with the results. The organisation's minimums
    in force now are the campaign's for good."""
    errors: dict[str, list[str]] = {}
    if version.organisation_id != organisation.pk or not version.is_published:
        errors["version"] = ["Choose a published instrument version."]
    if not name.strip():
        errors["name"] = ["Give the campaign a name."]
    elif mailtext.has_control_characters(name):
        errors["name"] = ["Put the name on one line, without tabs or other control characters."]
    if closes_at <= opens_at:
        errors["closes_at"] = ["The campaign must close after it opens."]
    if closes_at <= timezone.now():
        errors["closes_at"] = ["The closing date has already passed."]
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = ["Choose a time zone such as Europe/London."]
    if mode not in Campaign.Mode.values:
        errors["mode"] = ["Choose anonymous or confidential."]
    elif mode == Campaign.Mode.CONFIDENTIAL and not confidential_owner:
        # A pulse is anonymous, full stop: only a module that tells its raters exactly
        # how their answers are shown (the readiness 360) may run a confidential one.
        errors["mode"] = ["Surveys sent from here are always anonymous."]
    unknown = set(segments) - SEGMENT_KEYS
    if unknown:
        errors["segments"] = [f"Unknown segment: {', '.join(sorted(unknown))}."]
    if not 0 <= org_unit_depth <= 10:
        errors["org_unit_depth"] = ["Choose a depth between 0 and 10."]
    audience = audience or {}
    people = resolve_audience(organisation=organisation, audience=audience) if not errors else []
    if not errors and not people:
        errors["audience"] = ["Nobody active matches this audience."]
    if errors:
        raise DomainError(
            "The campaign could not be launched: " + " ".join(e[0] for e in errors.values()),
            code="invalid_campaign",
            field_errors=errors,
        )
    from bellwether.surveys.selectors import policy_for

    policy = policy_for(organisation)
    campaign = Campaign.objects.create(
        organisation=organisation,
        version=version,
        name=name.strip(),
        mode=mode,
        min_group=policy.min_group,
        min_360_group=policy.min_360_group,
        min_comments=policy.min_comments,
        opens_at=opens_at,
        closes_at=closes_at,
        time_zone=time_zone,
        segments=list(dict.fromkeys(segments)),
        org_unit_depth=org_unit_depth,
        audience=audience,
        schedule=schedule,
        period=period,
        created_by=actor,
    )
    Invitation.objects.bulk_create(
        (
            Invitation(
                organisation=organisation,
                campaign=campaign,
                person_id=pk,
                nonce=secrets.token_hex(12),
            )
            for pk in people
        ),
        batch_size=2000,
    )
    audit.record(
        action="surveys.campaign_launched",
        organisation=organisation,
        actor=actor,
        target=campaign,
        details={"invitees": len(people), "mode": mode, "segments": list(segments)},
    )
    if send_email:
        from bellwether.surveys import tasks

        enqueue_on_commit(tasks.send_campaign_emails, campaign.pk, "invitation")
    return campaign


@transaction.atomic
def close_campaign(*, campaign: Campaign, actor: User | None) -> Campaign:
    now = timezone.now()
    if campaign.closes_at <= now:
        raise DomainError("This campaign has already closed.", code="already_closed")
    campaign.closes_at = max(now, campaign.opens_at + dt.timedelta(seconds=1))
    campaign.save(update_fields=["closes_at", "updated_at"])
    audit.record(
        action="surveys.campaign_closed",
        organisation=campaign.organisation,
        actor=actor,
        target=campaign,
    )
    if campaign.mode == Campaign.Mode.ANONYMOUS:
        # A confidential campaign's owner (the readiness cycle) releases it itself.
        from bellwether.surveys import tasks

        enqueue_on_commit(tasks.release_campaign, campaign.pk)
    return campaign


# --- invitations ----------------------------------------------------------------------------


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: User | None) -> Invitation:
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit.record(
            action="surveys.invitation_revoked",
            organisation=invitation.organisation,
            actor=actor,
            target=invitation,
        )
    return invitation


@transaction.atomic
def reissue_invitation(
    *, invitation: Invitation, actor: User | None, send_email: bool = True
) -> Invitation:
    """A fresh link (the old one stops working), e.g. after a mail went astray."""
    if Completion.objects.filter(invitation=invitation).exists():
        raise DomainError("This invitation has already been answered.", code="already_used")
    if invitation.campaign.closes_at <= timezone.now():
        raise DomainError("The campaign has closed: a new link would not work.", code="closed")
    invitation.nonce = secrets.token_hex(12)
    invitation.revoked_at = None
    # The draft belongs to the old link (and whoever held it): it goes with it.
    invitation.sealed_draft = ""
    invitation.reissued_at = timezone.now()
    invitation.save(
        update_fields=["nonce", "revoked_at", "sealed_draft", "reissued_at", "updated_at"]
    )
    audit.record(
        action="surveys.invitation_reissued",
        organisation=invitation.organisation,
        actor=actor,
        target=invitation,
        details={"campaign": invitation.campaign_id},
    )
    if send_email:
        from bellwether.surveys import tasks

        enqueue_on_commit(tasks.send_invitation_email, invitation.pk, "invitation")
    return invitation


# --- answering --------------------------------------------------------------------------------


def question_rules(version_id: int) -> list[definitions.QuestionRule]:
    return [
        definitions.QuestionRule(q.key, q.scale, tuple(q.labels), q.required)
        for q in Question.objects.filter(version_id=version_id).order_by("position")
    ]


# A published version never changes, so its questions are kept per process. The key
# carries the publication time as well as the id, so a reused id can never match.
_PUBLISHED_QUESTIONS: dict[tuple[int, dt.datetime], list[Question]] = {}


def _questions_of(version: InstrumentVersion) -> list[Question]:
    if version.published_at is None:
        return list(Question.objects.filter(version_id=version.pk).order_by("position"))
    key = (version.pk, version.published_at)
    questions = _PUBLISHED_QUESTIONS.get(key)
    if questions is None:
        questions = list(Question.objects.filter(version_id=version.pk).order_by("position"))
        if len(_PUBLISHED_QUESTIONS) >= 256:
            _PUBLISHED_QUESTIONS.clear()
        _PUBLISHED_QUESTIONS[key] = questions
    return questions


def _usable(token: str) -> Invitation:
    check = check_link(token)
    if check.state is not LinkState.OK or check.invitation is None:
        raise DomainError(LINK_MESSAGES[check.state], code=f"link_{check.state.value}")
    return check.invitation


LINK_MESSAGES = {
    LinkState.OK: "",
    LinkState.FORGED: "This link is not valid. Check that you copied all of it.",
    LinkState.REVOKED: "This link has been withdrawn. If you were sent a newer one, use that.",
    LinkState.EXPIRED: "This survey has closed, so it no longer takes answers.",
    LinkState.NOT_OPEN: "This survey has not opened yet.",
    LinkState.USED: "Your answers were received. Thank you! This link cannot be used again.",
}


def seal_draft(invitation: Invitation, answers: Mapping[str, int | str]) -> str:
    if not answers:
        return ""
    return sealing.seal(
        dict(answers), purpose=sealing.draft_purpose(invitation.pk, invitation.nonce)
    )


def open_draft(invitation: Invitation) -> dict[str, int | str]:
    """The draft saved through this invitation's current link (empty if none, or if it
    was sealed for an earlier link)."""
    if not invitation.sealed_draft:
        return {}
    try:
        value = sealing.open_sealed(
            invitation.sealed_draft,
            purpose=sealing.draft_purpose(invitation.pk, invitation.nonce),
        )
    except sealing.SealBroken:
        return {}
    return value if isinstance(value, dict) else {}


class SignedInAsSomeoneElse(DomainError):
    pass


def check_respondent(invitation: Invitation, *, viewer_id: int | None) -> None:
    """Refuse a link opened in a browser signed in as someone other than the invitee: an
    administrator answering through links sent to mailboxes they control would make a real
    person the only unknown answer of a group (the n-1 attack)."""
    if viewer_id is None:
        return
    from bellwether.accounts.models import Membership

    person_id = (
        Membership.objects.filter(user_id=viewer_id, organisation_id=invitation.organisation_id)
        .values_list("person_id", flat=True)
        .first()
    )
    if person_id != invitation.person_id:
        raise SignedInAsSomeoneElse(
            "This link was sent to someone else, and this browser is signed in to Bellwether "
            "as you. Answers can be given only by the person the link was sent to: sign out, "
            "or open the link in their browser.",
            code="not_the_invitee",
        )


def save_draft(
    *, token: str, answers: dict[str, Any], viewer_id: int | None = None
) -> dict[str, int | str]:
    """Keep what the respondent has entered so far (incomplete answers are fine)."""
    return _while_locked(lambda: _save_draft(token=token, answers=answers, viewer_id=viewer_id))


@transaction.atomic
def _save_draft(
    *, token: str, answers: dict[str, Any], viewer_id: int | None
) -> dict[str, int | str]:
    invitation = _usable(token)
    check_respondent(invitation, viewer_id=viewer_id)
    cleaned, _errors = definitions.clean_answers(
        question_rules(invitation.campaign.version_id), answers, final=False
    )
    Invitation.objects.filter(pk=invitation.pk, nonce=invitation.nonce).update(
        sealed_draft=seal_draft(invitation, cleaned)
    )
    return cleaned


def segment_values(campaign: Campaign, person: Person, on: dt.date) -> dict[str, str]:
    """The declared segment attributes, copied onto the response at submission."""
    values = {"org_unit_path": "", "leader_level": "", "tenure_band": ""}
    if "org_unit" in campaign.segments and person.org_unit is not None:
        values["org_unit_path"] = definitions.path_at_depth(
            person.org_unit.path, campaign.org_unit_depth
        )
    if "leader_level" in campaign.segments:
        values["leader_level"] = person.leader_level
    if "tenure_band" in campaign.segments:
        values["tenure_band"] = definitions.tenure_band(person.start_date, on)
    return values


def submit_response(*, token: str, answers: dict[str, Any], viewer_id: int | None = None) -> None:
    """Record the answers exactly once: a double click, a replay or two tabs give one
    response. The completion is unique; the loser of a race is told the answers were
    already received. ``viewer_id``: the signed-in user of the browser, if any."""
    try:
        _while_locked(lambda: _submit(token=token, answers=answers, viewer_id=viewer_id))
    except IntegrityError as exc:
        raise DomainError(LINK_MESSAGES[LinkState.USED], code="link_used") from exc
    except _Incomplete as exc:
        # Keep what they entered (after the rollback), so nothing is lost while they
        # fix the rest.
        Invitation.objects.filter(pk=exc.invitation.pk, nonce=exc.invitation.nonce).update(
            sealed_draft=seal_draft(exc.invitation, exc.cleaned)
        )
        raise DomainError(exc.message, code=exc.code, field_errors=exc.field_errors) from None


T = TypeVar("T")

# A respondent's browser may save a draft while the same answers are submitted; on SQLite
# one of the two can meet the other's lock. Both are safe to run again (the completion is
# unique), so a brief wait and one more try beats an error page.
_LOCK_WAITS = (0.05, 0.15, 0.4)


def _while_locked(operation: Callable[[], T]) -> T:
    for wait in (*_LOCK_WAITS, None):
        try:
            return operation()
        except OperationalError as exc:
            if wait is None or database.in_atomic_block or not jobs.is_transient(exc):
                raise
            time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


class _Incomplete(DomainError):
    def __init__(
        self, invitation: Invitation, cleaned: dict[str, int | str], errors: dict[str, list[str]]
    ) -> None:
        super().__init__(
            "Please answer the questions marked below.", code="incomplete", field_errors=errors
        )
        self.invitation = invitation
        self.cleaned = cleaned


# What submitting reads, in one statement written out by hand: the invitation with its
# campaign, version, person and org unit, and whether it was answered. Submit-by-token
# runs for every employee, and building this query through the ORM cost several times
# what the database took to run it.
_SUBMISSION_COLUMNS: Final[tuple[tuple[type[models.Model], str, tuple[str, ...]], ...]] = (
    (
        Invitation,
        "i",
        (
            "id",
            "organisation",
            "campaign",
            "person",
            "nonce",
            "revoked_at",
            "sealed_draft",
            "category",
            "subject",
        ),
    ),
    (
        Campaign,
        "c",
        (
            "id",
            "organisation",
            "name",
            "mode",
            "opens_at",
            "closes_at",
            "time_zone",
            "segments",
            "org_unit_depth",
            "version",
        ),
    ),
    (InstrumentVersion, "v", ("id", "published_at")),
    (Person, "p", ("id", "organisation", "leader_level", "start_date", "org_unit")),
    (OrgUnit, "u", ("id", "path")),
)


@dataclass(frozen=True)
class _SubmissionRead:
    """The statement, the field of each column it returns, and for each model the
    attnames its instance takes (in the model's own order, as ``from_db`` wants them)
    with the positions of their columns."""

    sql: str
    fields: tuple[models.Field[Any, Any], ...]
    parts: tuple[tuple[type[models.Model], tuple[str, ...], tuple[int, ...]], ...]


@functools.cache
def _submission_read(vendor: str) -> _SubmissionRead:
    """Built once per database (quoting differs)."""
    del vendor  # part of the key only
    quote = database.ops.quote_name

    def table(model: type[models.Model]) -> str:
        return quote(model._meta.db_table)

    def column(model: type[models.Model], name: str) -> str:
        return quote(str(model._meta.get_field(name).column))  # type: ignore[union-attr]

    selected = ", ".join(
        f"{alias}.{column(model, name)}"
        for model, alias, names in _SUBMISSION_COLUMNS
        for name in names
    )
    sql = (
        f"SELECT {selected}, EXISTS (SELECT 1 FROM {table(Completion)} x"  # noqa: S608
        f" WHERE x.{column(Completion, 'invitation')} = i.{column(Invitation, 'id')})"
        f" FROM {table(Invitation)} i"
        f" JOIN {table(Campaign)} c"
        f" ON c.{column(Campaign, 'id')} = i.{column(Invitation, 'campaign')}"
        f" JOIN {table(InstrumentVersion)} v"
        f" ON v.{column(InstrumentVersion, 'id')} = c.{column(Campaign, 'version')}"
        f" JOIN {table(Person)} p ON p.{column(Person, 'id')} = i.{column(Invitation, 'person')}"
        f" LEFT JOIN {table(OrgUnit)} u"
        f" ON u.{column(OrgUnit, 'id')} = p.{column(Person, 'org_unit')}"
        f" WHERE i.{column(Invitation, 'id')} = %s"
    )
    fields: list[Any] = []
    parts = []
    for model, _alias, names in _SUBMISSION_COLUMNS:
        position = {
            model._meta.get_field(name).attname: len(fields) + i  # type: ignore[union-attr]
            for i, name in enumerate(names)
        }
        fields.extend(model._meta.get_field(name) for name in names)
        ordered = tuple(f.attname for f in model._meta.concrete_fields if f.attname in position)
        parts.append((model, ordered, tuple(position[a] for a in ordered)))
    return _SubmissionRead(sql, (*fields, models.BooleanField()), tuple(parts))


def _invitation_for_submission(pk: int) -> tuple[Invitation, bool] | None:
    """Invitation ``pk`` with its campaign (and version), person (and org unit)
    attached, and whether it was answered; ``None`` if there is none. The instances
    hold only the fields above: any other loads when read."""
    read = _submission_read(database.vendor)
    row = rawsql.select_one(read.sql, [pk], read.fields)
    if row is None:
        return None
    # The first column of each part is its id: none for a person without an org unit.
    invitation, campaign, version, person, unit = (
        None
        if row[positions[0]] is None
        else model.from_db(DEFAULT_DB_ALIAS, attnames, [row[i] for i in positions])
        for model, attnames, positions in read.parts
    )
    assert isinstance(invitation, Invitation)
    assert isinstance(campaign, Campaign)
    assert isinstance(version, InstrumentVersion)
    assert isinstance(person, Person)
    campaign.version = version
    person.org_unit = unit  # type: ignore[assignment]
    invitation.campaign = campaign
    invitation.person = person
    return invitation, bool(row[-1])


def _submit(*, token: str, answers: dict[str, Any], viewer_id: int | None) -> None:
    """Check the link, clean the answers and store them sealed until the campaign closes.

    Nothing is locked: the unique completion is what makes a submission happen once.
    Of two racing submissions the second fails on it (an IntegrityError, reported as
    "already received") and its rows go with its statement or transaction. A link
    revoked, or a campaign closed, while an answer is on its way lets that answer in,
    as if it had arrived a moment earlier.

    What is written: a ``Completion`` (that this invitee answered, with their segment
    values from the people records) and a sealed ``Ballot`` (the answers, the same
    segment values, and for a 360 whom it rates and as what), with no key between them.
    Both rows are inserted together, so their physical order and transaction id match;
    that is why the ballot is sealed until release, when it is opened, shuffled among
    all the others and stored as a response in one transaction, and then deleted.
    """
    parsed = _parse_token(token)
    if parsed is None:
        raise DomainError(LINK_MESSAGES[LinkState.FORGED], code="link_forged")
    found = _invitation_for_submission(parsed[0])
    invitation, used = found if found is not None else (None, False)
    state = _state_of(invitation, parsed[1], timezone.now(), used=used)
    if state is not LinkState.OK or invitation is None:
        raise DomainError(LINK_MESSAGES[state], code=f"link_{state.value}")
    check_respondent(invitation, viewer_id=viewer_id)
    campaign = invitation.campaign
    questions = _questions_of(campaign.version)
    rules = [
        definitions.QuestionRule(q.key, q.scale, tuple(q.labels), q.required) for q in questions
    ]
    cleaned, errors = definitions.clean_answers(rules, answers, final=True)
    if errors:
        raise _Incomplete(invitation, cleaned, errors)
    anonymous = campaign.mode == Campaign.Mode.ANONYMOUS
    local_day = timezone.localdate(timezone=ZoneInfo(campaign.time_zone))
    organisation_id = invitation.organisation_id
    segments = (
        segment_values(campaign, invitation.person, local_day)
        if anonymous
        else {"org_unit_path": "", "leader_level": "", "tenure_band": ""}
    )
    sealed = sealing.seal(
        {
            "answers": cleaned,
            "segments": segments,
            "category": "" if anonymous else invitation.category,
            "subject": None if anonymous else invitation.subject_id,
        },
        purpose=sealing.ballot_purpose(campaign.pk),
    )
    now = timezone.now()
    rows: list[tuple[type[models.Model], list[dict[str, Any]]]] = [
        (
            Ballot,
            [
                {
                    "id": uuid.uuid4(),
                    "organisation_id": organisation_id,
                    "campaign_id": campaign.pk,
                    "sealed": sealed,
                }
            ],
        ),
        (
            Completion,
            [
                {
                    "organisation_id": organisation_id,
                    "invitation_id": invitation.pk,
                    "campaign_id": campaign.pk,
                    "created_at": now,
                    "updated_at": now,
                    **segments,
                }
            ],
        ),
        # The campaign only, never the invitation or the person.
        audit.event_row(
            action="surveys.response_submitted",
            organisation_id=organisation_id,
            target=campaign,
            details={},
        ),
    ]
    if not invitation.sealed_draft:
        # Every row in one statement on PostgreSQL, which commits on its own: no
        # transaction to open and close around it (see rawsql.insert_together).
        rawsql.insert_together(rows)
        return
    with transaction.atomic():
        rawsql.insert_together(rows)
        # The draft held the answers on the invitation: it goes with the same commit.
        Invitation.objects.filter(pk=invitation.pk).update(sealed_draft="")


def _row(instance: models.Model) -> dict[str, Any]:
    """Every concrete column of an unsaved instance, by attname."""
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


# --- email -----------------------------------------------------------------------------------


# Invitations mailed over one SMTP connection; each batch is read just before it is sent,
# so an answer or a revocation in the meantime still stops its mail.
EMAIL_BATCH = 500


def _pending_invitations(campaign: Campaign) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(campaign=campaign, revoked_at__isnull=True, completion=None)
        .exclude(person__email="")
        .select_related("person")
        .order_by("pk")
    )


def invitation_message(
    invitation: Invitation,
    campaign: Campaign,
    organisation: Organisation,
    kind: str,
    *,
    subject: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> EmailMultiAlternatives:
    """The invitation or reminder e-mail; modules on the engine (the 360) may set the
    subject line and add to the template's context. Names go into the subject on one
    line (``core.mail.message``), whatever they hold."""
    zone = ZoneInfo(campaign.time_zone)
    context = {
        "organisation": organisation.name,
        "campaign": campaign.name,
        "person": invitation.person,
        "link": invitation_link(invitation),
        "closes": timezone.localtime(campaign.closes_at, zone).strftime("%-d %B %Y, %H:%M")
        + f" ({campaign.time_zone})",
        "reminder": kind == "reminder",
        "anonymous": campaign.mode == Campaign.Mode.ANONYMOUS,
        **(extra or {}),
    }
    if subject is None:
        subject = (
            f"{'Reminder: ' if kind == 'reminder' else ''}{campaign.name} — {organisation.name}"
        )
    return mail.message(
        subject=subject,
        to=invitation.person.email,
        text=render_to_string("surveys/email/invitation.txt", context),
        html=render_to_string("surveys/email/invitation.html", context),
    )


MessageBuilder = Callable[[Invitation, Campaign, Organisation, str], EmailMultiAlternatives]


def _sent_field(kind: str) -> str:
    return "reminded_at" if kind == "reminder" else "invited_at"


def is_due(invitation: Invitation, now: dt.datetime) -> bool:
    """Whether an invitation may still be mailed: not revoked, not answered, an address,
    and its campaign still open."""
    return (
        invitation.revoked_at is None
        and bool(invitation.person.email)
        and now < invitation.campaign.closes_at
        and not Completion.objects.filter(invitation=invitation).exists()
    )


def already_sent(invitation: Invitation, kind: str, since: dt.datetime | None) -> bool:
    """Whether an earlier try of the job queued at ``since`` already handed this message
    to SMTP (so a retried job mails nobody twice)."""
    sent_at = getattr(invitation, _sent_field(kind))
    return since is not None and sent_at is not None and sent_at >= since


@dataclass
class Delivery:
    """What became of a batch of mails. ``sent``: accepted by the SMTP server (marked
    sent); ``refused``: refused for good or never built (logged, audited, still due: the
    next mailing tries again); ``deferred``: refused for now (still due: the job runs
    again for them)."""

    sent: int = 0
    refused: int = 0
    deferred: int = 0

    def add(self, other: Delivery) -> None:
        self.sent += other.sent
        self.refused += other.refused
        self.deferred += other.deferred

    def finish(self) -> int:
        """How many were sent; raises ``MailDeferred`` (the job runs again) if some were
        deferred."""
        if self.deferred:
            raise mail.MailDeferred(sent=self.sent, deferred=self.deferred)
        return self.sent


def _mark_sent(invitation: Invitation, field: str) -> None:
    # Recorded as soon as the server accepts, waiting out a locked database if need be:
    # an accepted mail left unmarked would be sent again by the next run.
    jobs.retry_transient(
        lambda: Invitation.objects.filter(pk=invitation.pk).update(**{field: timezone.now()}),
        what=f"Marking invitation {invitation.pk} as mailed",
    )


def _record_refusal(
    invitation: Invitation, campaign: Campaign, kind: str, refusal: mail.Refusal
) -> None:
    mail.logger.warning(
        "The %s e-mail of invitation %s was not sent (%s): %s",
        kind,
        invitation.pk,
        "tried again soon" if refusal.transient else "tried again with the next mailing",
        refusal.reason,
    )
    jobs.retry_transient(
        lambda: audit.record(
            action="surveys.email_not_sent",
            organisation=campaign.organisation,
            target=invitation,
            details={"kind": kind, "reason": refusal.reason, "temporary": refusal.transient},
        ),
        what=f"Auditing the unsent mail of invitation {invitation.pk}",
    )


def deliver_batch(
    invitations: Sequence[Invitation],
    campaign: Campaign,
    kind: str,
    *,
    message: MessageBuilder = invitation_message,
) -> Delivery:
    """Mail a batch over one SMTP connection, each message on its own: one that the server
    refuses or that cannot be built is recorded and stays due, and the others still go
    out. Each accepted message is marked at once, so a rerun mails nobody twice. Raises
    ``MailServerUnavailable`` if the server cannot be reached (what it accepted before
    is marked; the rest stays due)."""
    field = _sent_field(kind)
    delivery = Delivery()
    with mail.Connection() as connection, jobs.unhurried_commits():
        for invitation in invitations:
            try:
                email = message(invitation, campaign, campaign.organisation, kind)
            except Exception as exc:  # this message's data or template: the others go on
                mail.logger.exception(
                    "Could not write the %s for invitation %s", kind, invitation.pk
                )
                refusal: mail.Refusal | None = mail.Refusal(
                    f"{type(exc).__name__}: {exc}"[:300], transient=False
                )
            else:
                refusal = connection.send(email)
            if refusal is None:
                _mark_sent(invitation, field)
                delivery.sent += 1
                continue
            _record_refusal(invitation, campaign, kind, refusal)
            if refusal.transient:
                delivery.deferred += 1
            else:
                delivery.refused += 1
    return delivery


def deliver_invitation_email(
    *, invitation_id: int, kind: str, since: dt.datetime | None = None
) -> bool:
    """Send one invitation or reminder (run by the worker); True when the SMTP server
    accepted it. False when it is no longer due (answered, revoked, closed), was refused,
    or an earlier try of the same job (queued at ``since``) already sent it. Raises
    ``RetryLater`` when the server deferred it."""
    invitation = (
        Invitation.objects.select_related("campaign", "person", "organisation")
        .filter(pk=invitation_id)
        .first()
    )
    now = timezone.now()
    if invitation is None or not is_due(invitation, now) or already_sent(invitation, kind, since):
        return False
    return deliver_batch([invitation], invitation.campaign, kind).finish() == 1


def deliver_pending(
    pending: QuerySet[Invitation],
    campaign: Campaign,
    kind: str,
    *,
    message: MessageBuilder = invitation_message,
    since: dt.datetime | None = None,
) -> int:
    """Mail every invitation in ``pending`` (those not yet invited, for an invitation;
    for a reminder, those not reminded since ``since``, when the job was queued), in
    batches of ``EMAIL_BATCH`` over one SMTP connection each; stops at the close.

    Returns how many the SMTP server accepted. When some were deferred, raises
    ``MailDeferred`` once every other one has been tried, so the job runs again for them.
    """
    if kind == "invitation":
        pending = pending.filter(invited_at__isnull=True)  # a rerun does not mail twice
    elif since is not None:
        pending = pending.filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=since))
    total = Delivery()
    after = 0
    while timezone.now() < campaign.closes_at:
        batch = list(pending.filter(pk__gt=after).order_by("pk")[:EMAIL_BATCH])
        if not batch:
            break
        after = batch[-1].pk
        total.add(deliver_batch(batch, campaign, kind, message=message))
    return total.finish()


def deliver_campaign_emails(
    *, campaign_id: int, kind: str, since: dt.datetime | None = None
) -> int:
    """Every invitation (or reminder) still due for a campaign; returns how many the SMTP
    server accepted (see ``deliver_pending``)."""
    campaign = Campaign.objects.select_related("organisation").filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return deliver_pending(_pending_invitations(campaign), campaign, kind, since=since)


@transaction.atomic
def send_reminders(*, campaign: Campaign, actor: User | None) -> int:
    """Queue a reminder to everyone who has not finished. None after close."""
    if timezone.now() >= campaign.closes_at:
        raise DomainError("This campaign has closed: no more reminders.", code="closed")
    pending = _pending_invitations(campaign).count()
    audit.record(
        action="surveys.reminders_sent",
        organisation=campaign.organisation,
        actor=actor,
        target=campaign,
        details={"pending": pending},
    )
    from bellwether.surveys import tasks

    enqueue_on_commit(tasks.send_campaign_emails, campaign.pk, "reminder")
    return pending


# --- recurring pulses ----------------------------------------------------------------------


def period_of(day: dt.date, frequency: str) -> tuple[str, dt.date]:
    """The period label and its first day ("2026-05", or "2026-Q2")."""
    if frequency == Schedule.Frequency.QUARTERLY:
        quarter = (day.month - 1) // 3
        return f"{day.year}-Q{quarter + 1}", dt.date(day.year, quarter * 3 + 1, 1)
    return f"{day.year}-{day.month:02d}", dt.date(day.year, day.month, 1)


def run_schedules(*, now: dt.datetime | None = None) -> list[Campaign]:
    """Create this period's campaign for each active schedule that has none yet (safe to
    rerun: the period is unique per schedule)."""
    now = now or timezone.now()
    created = []
    for schedule in Schedule.objects.filter(active=True).select_related(
        "organisation", "instrument"
    ):
        zone = ZoneInfo(schedule.organisation.time_zone)
        label, first = period_of(timezone.localtime(now, zone).date(), schedule.frequency)
        if Campaign.objects.filter(schedule=schedule, period=label).exists():
            continue
        version = schedule.instrument.versions.filter(published_at__isnull=False).first()
        if version is None:
            continue
        opens = dt.datetime.combine(first, dt.time(9), tzinfo=zone)
        closes = opens + dt.timedelta(days=schedule.open_days)
        if closes <= now:
            continue
        try:
            created.append(
                launch_campaign(
                    organisation=schedule.organisation,
                    actor=None,
                    version=version,
                    name=f"{schedule.instrument.name} {label}",
                    opens_at=max(opens, now),
                    closes_at=closes,
                    time_zone=schedule.organisation.time_zone,
                    segments=schedule.segments,
                    org_unit_depth=schedule.org_unit_depth,
                    audience=schedule.audience,
                    schedule=schedule,
                    period=label,
                )
            )
        except (DomainError, IntegrityError):
            continue
    return created


@transaction.atomic
def create_schedule(
    *,
    organisation: Organisation,
    actor: User | None,
    instrument: Instrument,
    frequency: str = Schedule.Frequency.MONTHLY,
    open_days: int = 14,
    segments: Sequence[str] = ("org_unit", "leader_level", "tenure_band"),
    org_unit_depth: int = 1,
    audience: dict[str, Any] | None = None,
) -> Schedule:
    if frequency not in Schedule.Frequency.values:
        raise DomainError("Choose monthly or quarterly.", code="bad_frequency")
    if not 1 <= open_days <= 90:
        raise DomainError("A pulse stays open between 1 and 90 days.", code="bad_window")
    schedule = Schedule.objects.create(
        organisation=organisation,
        instrument=instrument,
        frequency=frequency,
        open_days=open_days,
        segments=list(segments),
        org_unit_depth=org_unit_depth,
        audience=audience or {},
    )
    audit.record(
        action="surveys.schedule_created",
        organisation=organisation,
        actor=actor,
        target=schedule,
        details={"frequency": frequency},
    )
    return schedule
