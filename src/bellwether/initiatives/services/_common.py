"""What every workflow of the initiatives services shares: the catalogue's vocabulary, the
limits and the refusal of one field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import CATALOGUE
from bellwether.initiatives.models import STAGE_ORDER
from bellwether.people.models import Person

if TYPE_CHECKING:
    from bellwether.accounts.models import User

ModelT = TypeVar("ModelT", bound=Model)


ARCHETYPES = {a.key for a in CATALOGUE.archetypes}


STAGES = set(STAGE_ORDER)


IMPACT_TYPES = {c.key for c in CATALOGUE.change_impacts}


BEFORE_AFTER = {d.key for d in CATALOGUE.before_after}


MAX_MEASUREMENTS = 50_000


MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def _refuse(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, field_errors={field: [message]})


def _check_person(organisation: Organisation, person: Person | None, field: str) -> None:
    if person is not None and person.organisation_id != organisation.pk:
        raise _refuse(field, "Choose a person of this organisation.")


def _set_recorded(
    row: ModelT, field: str, value: Any, *, actor: User | None, action: str
) -> ModelT:
    """Set one field of ``row``, save it and audit ``action`` with the value it had."""
    previous = getattr(row, field)
    setattr(row, field, value)
    row.save(update_fields=[field, "updated_at"])
    audit.record(
        action=action,
        organisation=row.organisation,  # type: ignore[attr-defined]
        actor=actor,
        target=row,
        details={"from": previous, "to": value},
    )
    return row


def _saved(
    row: ModelT,
    action: str,
    *,
    actor: User | None,
    details: dict[str, Any],
    target: Model | None = None,
) -> ModelT:
    """Save ``row`` and audit ``action`` on ``target`` (the row itself by default)."""
    row.save()
    audit.record(
        action=action,
        organisation=row.organisation,  # type: ignore[attr-defined]
        actor=actor,
        target=row if target is None else target,
        details=details,
    )
    return row
