"""360 observations (peers and direct reports confirm what they saw, once a month) and
peer recognition tied to a behaviour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from bellwether.behaviours.models import Observation, Recognition
from bellwether.behaviours.services.checkins import parse_keys, today_for
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.services_shared import refuse_fields
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES
from bellwether.framework.catalogue.behaviours import BEHAVIOURS
from bellwether.people.models import Person


def relation_between(observer: Person, subject: Person) -> str | None:
    """How ``observer`` may observe ``subject``: as a direct report (``subject`` is their
    manager) or a peer (the same manager); None when neither."""
    if observer.pk == subject.pk or observer.organisation_id != subject.organisation_id:
        return None
    if observer.manager_id is not None and observer.manager_id == subject.pk:
        return Observation.Relation.DIRECT_REPORT
    if observer.manager_id is not None and observer.manager_id == subject.manager_id:
        return Observation.Relation.PEER
    return None


def observable_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """This month and the one before: an observation looks back, briefly."""
    this = today.replace(day=1)
    return this, (this - dt.timedelta(days=1)).replace(day=1)


@transaction.atomic
def record_observation(
    *,
    observer: Person,
    subject: Person,
    month: dt.date,
    behaviours: Collection[str],
    actor: AbstractBaseUser | None,
) -> Observation:
    """``observer``'s confirmation of the behaviours they saw ``subject`` show in
    ``month`` (replacing their earlier answer for that month)."""
    relation = relation_between(observer, subject)
    if relation is None:
        raise DomainError(
            "You can confirm behaviours only of your manager or of a peer (someone with "
            "the same manager).",
            code="not_an_observer",
        )
    month = month.replace(day=1)
    if month not in observable_months(today_for(subject.organisation)):
        raise DomainError(
            "Observations are for this month or last month only.",
            code="month_closed",
            field_errors={"month": ["Choose this month or last month."]},
        )
    seen = parse_keys(behaviours)
    row, _ = Observation.objects.update_or_create(
        observer=observer,
        subject=subject,
        month=month,
        defaults={
            "organisation_id": subject.organisation_id,
            "relation": relation,
            "seen": seen,
            "submitted_at": timezone.now(),
        },
    )
    # The audit names the subject and the month, never who observed what.
    audit.record(
        action="behaviours.observation",
        organisation=subject.organisation,
        actor=actor,
        target_label=f"observation of person {subject.pk}",
        details={"month": month.isoformat()},
    )
    return row


@transaction.atomic
def give_recognition(
    *,
    given_by: Person,
    recognised: Person,
    behaviour_key: str,
    message: str,
    actor: AbstractBaseUser | None,
) -> Recognition:
    """Recognise ``recognised`` for a behaviour ("supported AI experimentation")."""
    errors: dict[str, list[str]] = {}
    if recognised.organisation_id != given_by.organisation_id or not recognised.active:
        errors["recognised"] = ["Choose someone in your organisation."]
    elif recognised.pk == given_by.pk:
        errors["recognised"] = ["Recognise someone else."]
    if behaviour_key not in {b.key for b in BEHAVIOURS}:
        errors["behaviour"] = ["Choose one of the fifteen behaviours."]
    message = (message or "").strip()
    if len(message) > RULES.recognition_max_length:
        errors["message"] = [f"At most {RULES.recognition_max_length} characters."]
    refuse_fields(errors, code="invalid")
    row = Recognition.objects.create(
        organisation_id=given_by.organisation_id,
        recognised=recognised,
        given_by=given_by,
        behaviour_key=behaviour_key,
        message=message,
    )
    audit.record(
        action="behaviours.recognition",
        organisation=given_by.organisation,
        actor=actor,
        target=row,
        details={"behaviour": behaviour_key, "recognised": recognised.pk},
    )
    return row
