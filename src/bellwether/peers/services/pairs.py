"""A published pair: monthly check-ins, and its end with an outcome."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from bellwether.accounts.models import User
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.framework.catalogue import MENTORSHIP
from bellwether.peers.models import CheckIn, Pairing, PairStatus

MAX_ANSWER = 2000


def _require_active(pairing: Pairing) -> None:
    if pairing.status != PairStatus.ACTIVE:
        raise DomainError(
            f"This pair is {pairing.get_status_display().lower()}, not active.", code="not_active"
        )


def _check_date(pairing: Pairing, day: datetime.date, field: str, today: datetime.date) -> None:
    problem = ""
    if pairing.started_on is not None and day < pairing.started_on:
        problem = f"The date is before the pair started ({pairing.started_on:%d %b %Y})."
    elif day > today:
        problem = "The date is in the future."
    if problem:
        raise DomainError(problem, code="date", field_errors={field: [problem]})


def record_check_in(
    *,
    pairing: Pairing,
    actor: User | None,
    held_on: datetime.date,
    answers: Mapping[str, str],
    today: datetime.date | None = None,
) -> CheckIn:
    """Record a check-in: answers to the catalogue's questions (at least one)."""
    today = today or timezone.localdate()
    _require_active(pairing)
    _check_date(pairing, held_on, "held_on", today)
    questions = {q.key for q in MENTORSHIP.check_in_questions}
    unknown = sorted(set(answers) - questions)
    if unknown:
        raise DomainError(f"Unknown questions: {', '.join(unknown)}.", code="unknown_question")
    cleaned = {key: answers[key].strip() for key in questions if answers.get(key, "").strip()}
    if not cleaned:
        raise DomainError("Answer at least one question.", code="empty")
    long = [key for key, text in cleaned.items() if len(text) > MAX_ANSWER]
    if long:
        raise DomainError(
            f"An answer is at most {MAX_ANSWER} characters.",
            code="too_long",
            field_errors={key: [f"At most {MAX_ANSWER} characters."] for key in long},
        )
    with transaction.atomic():
        check_in = CheckIn.objects.create(
            organisation_id=pairing.organisation_id,
            pairing=pairing,
            held_on=held_on,
            answers=cleaned,
            recorded_by=actor,
        )
        audit.record_on(
            pairing,
            "peers.check_in_recorded",
            actor=actor,
            details={"held_on": held_on.isoformat()},
        )
    return check_in


def end_pairing(
    *,
    pairing: Pairing,
    actor: User | None,
    outcome_key: str,
    note: str = "",
    ended_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Pairing:
    """End an active pair with an outcome (``MENTORSHIP.outcomes``)."""
    today = today or timezone.localdate()
    ended_on = ended_on or today
    _require_active(pairing)
    if outcome_key not in {o.key for o in MENTORSHIP.outcomes}:
        message = "Choose an outcome."
        raise DomainError(message, code="outcome", field_errors={"outcome_key": [message]})
    _check_date(pairing, ended_on, "ended_on", today)
    if len(note) > MAX_ANSWER:
        raise DomainError(f"The note is at most {MAX_ANSWER} characters.", code="too_long")
    with transaction.atomic():
        pairing.status = PairStatus.ENDED
        pairing.ended_on = ended_on
        pairing.outcome_key = outcome_key
        pairing.outcome_note = note.strip()
        pairing.save(
            update_fields=["status", "ended_on", "outcome_key", "outcome_note", "updated_at"]
        )
        audit.record_on(
            pairing,
            "peers.pair_ended",
            actor=actor,
            details={"outcome": outcome_key, "ended_on": ended_on.isoformat()},
        )
    return pairing
