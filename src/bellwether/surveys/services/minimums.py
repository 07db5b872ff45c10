"""The organisation's confidentiality minimums (what every report suppresses below)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from bellwether.core import audit
from bellwether.core.confidentiality import ConfidentialityError, Policy
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.surveys.models import ConfidentialitySettings

if TYPE_CHECKING:
    from bellwether.accounts.models import User


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
