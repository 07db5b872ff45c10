"""The organisation's log of AI decisions leadership is asked to take."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Status

from bellwether.accounts.models import Membership
from bellwether.core.api import answers, named_if, paged
from bellwether.core.api_routes import paged_list
from bellwether.core.schema import PathId
from bellwether.initiatives import access, selectors, services
from bellwether.initiatives.api.base import decision_out, person_named, router
from bellwether.initiatives.api.schemas import (
    DecisionOut,
    DecisionOutcomeIn,
    DecisionRequestIn,
    DecisionsQuery,
)
from bellwether.initiatives.models import DecisionLogEntry


@paged_list(
    router,
    "/decisions",
    **paged(
        DecisionOut,
        "list_decisions",
        "The log of AI decisions leadership must take",
    ),
    check=access.MANAGE_INITIATIVES.check,
    order=("-requested_at", "-id"),
    scope="initiatives.decisions",
    item=decision_out,
)
def list_decisions(membership: Membership, query: DecisionsQuery) -> QuerySet[DecisionLogEntry]:
    """Newest request first, one page, with the decision log page's filters; the next
    page's cursor is in ``X-Next-Cursor``."""
    return selectors.decision_entries(
        membership.organisation,
        status=query.status,
        initiative_id=query.initiative_id,
        query=query.q,
    )


@router.post(
    "/decisions",
    **answers(
        DecisionOut, "request_decision", "Log a decision leadership is asked to take", status=201
    ),
)
def request_decision(request: HttpRequest, payload: DecisionRequestIn) -> Status[dict[str, Any]]:
    membership = access.MANAGE_INITIATIVES.check(request)
    initiative = named_if(
        payload.initiative_id,
        partial(selectors.initiative_in, membership.organisation),
        "initiative_id",
        "There is no such initiative.",
    )
    entry = services.request_decision(
        organisation=membership.organisation,
        actor=membership.user,
        title=payload.title,
        initiative=initiative,
        requested_at=payload.requested_at,
    )
    return Status(201, decision_out(entry))


@router.post(
    "/decisions/{int:decision_id}/decide",
    **answers(DecisionOut, "record_decision", "Record the decision taken"),
)
def record_decision(
    request: HttpRequest, decision_id: PathId, payload: DecisionOutcomeIn
) -> dict[str, Any]:
    membership = access.MANAGE_INITIATIVES.check(request)
    entry = access.get_decision_for(request, membership, decision_id)
    entry = services.record_decision(
        entry=entry,
        actor=membership.user,
        decided_by=person_named(membership, payload.decided_by_id, "decided_by_id"),
        outcome=payload.outcome,
        decided_at=payload.decided_at,
    )
    return decision_out(entry)
