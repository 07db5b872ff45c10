"""Answering through a personal link: drafts, the respondent check and the one-time
submission (sealed until release)."""

from __future__ import annotations

import datetime as dt
import functools
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar
from zoneinfo import ZoneInfo

from django.db import DEFAULT_DB_ALIAS, IntegrityError, OperationalError, models, transaction
from django.db import connection as database
from django.utils import timezone

from bellwether.core import audit, jobs, rawsql
from bellwether.core.errors import DomainError
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys import definitions, sealing
from bellwether.surveys.models import (
    Ballot,
    Campaign,
    Completion,
    InstrumentVersion,
    Invitation,
    Question,
)
from bellwether.surveys.services.links import (
    LINK_MESSAGES,
    LinkState,
    _parse_token,
    _state_of,
    _usable,
)

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
    """A link opened in a browser signed in as someone other than its invitee."""

    def __init__(self, message: str, *, code: str, campaign_id: int) -> None:
        super().__init__(message, code=code)
        self.campaign_id = campaign_id  # for the audit of the refusal (never the invitation)


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
            campaign_id=invitation.campaign_id,
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
