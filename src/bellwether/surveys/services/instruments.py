"""Instruments: publishing versions, the framework pulses, and the builder (a draft
version edited question by question, then published)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.core.services_shared import refuse_fields
from bellwether.surveys import definitions
from bellwether.surveys.models import Instrument, InstrumentVersion, Question

if TYPE_CHECKING:
    from bellwether.accounts.models import User


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
        _question_row(version, q, position=i) for i, q in enumerate(questions, start=1)
    )
    audit.record(
        action="surveys.instrument_published",
        organisation=organisation,
        actor=actor,
        target=version,
        details={"instrument": key, "version": number, "questions": len(questions)},
    )
    return version


def _question_row(
    version: InstrumentVersion, q: definitions.QuestionSpec | Question, *, position: int
) -> Question:
    """``q`` (a spec or a stored question) as a new question of ``version``."""
    fields = asdict(definitions.QuestionSpec.of(q))
    fields["labels"] = list(fields["labels"])
    return Question(
        organisation_id=version.organisation_id, version=version, position=position, **fields
    )


def _record_draft_change(
    instrument: Instrument, actor: User | None, action: str, target: Model, **details: object
) -> None:
    """The audit row of a change to ``instrument``'s draft: ``surveys.<action>``."""
    audit.record(
        action=f"surveys.{action}",
        organisation=instrument.organisation,
        actor=actor,
        target=target,
        details={"instrument": instrument.key, **details},
    )


def install_ready_pulses(
    *, organisation: Organisation, actor: User | None = None
) -> list[InstrumentVersion]:
    """The three framework pulses, once per organisation (rerunning changes nothing)."""
    return [
        published_version_of(
            organisation=organisation, spec=spec, kind=Instrument.Kind.PULSE, actor=actor
        )
        for spec in definitions.READY_PULSES
    ]


def published_version_of(
    *,
    organisation: Organisation,
    spec: definitions.InstrumentSpec,
    kind: str,
    actor: User | None = None,
) -> InstrumentVersion:
    """The organisation's latest published version of the instrument ``spec`` describes;
    the first time it is wanted, it is published from the spec (later calls change
    nothing, so an instrument the framework ships is installed on first use)."""
    existing = (
        InstrumentVersion.objects.filter(
            organisation=organisation, instrument__key=spec.key, published_at__isnull=False
        )
        .order_by("-number")
        .first()
    )
    if existing is not None:
        return existing
    return publish_instrument_version(
        organisation=organisation,
        actor=actor,
        key=spec.key,
        name=spec.name,
        questions=spec.questions,
        introduction=spec.introduction,
        kind=kind,
        kpi_key=spec.kpi_key,
    )


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
    refuse_fields(errors, code="invalid_question", lead="The question was not saved: ")
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
    refuse_fields(errors, code="invalid_instrument")
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
            _question_row(draft, q, position=q.position)
            for q in latest.questions.order_by("position")
        )
    _record_draft_change(instrument, actor, "instrument_draft_started", draft, version=number)
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
    _record_draft_change(
        instrument, actor, "question_saved", current, version=draft.number, key=spec.key
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
    _record_draft_change(instrument, actor, "question_moved", a, direction=direction)


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
    _record_draft_change(instrument, actor, "question_removed", draft, key=key)


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
    questions = [definitions.QuestionSpec.of(q) for q in draft.questions.order_by("position")]
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
