"""The organisation's log of AI decisions leadership is asked to take."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Status

from bellwether.core import cursor
from bellwether.core.api import answers, named_if, paged
from bellwether.core.schema import PathId
from bellwether.initiatives import access, selectors, services
from bellwether.initiatives.api.base import decision_out, person_named, router
from bellwether.initiatives.api.schemas import (
    DecisionOut,
    DecisionOutcomeIn,
    DecisionRequestIn,
    DecisionsQuery,
)


@router.get(
    "/decisions",
    **paged(
        DecisionOut,
        "list_decisions",
        "The log of AI decisions leadership must take",
    ),
)
def list_decisions(
    request: HttpRequest, response: HttpResponse, query: Query[DecisionsQuery]
) -> list[dict[str, Any]]:
    """Newest request first, one page, with the decision log page's filters; the next
    page's cursor is in ``X-Next-Cursor``."""
    membership = access.MANAGE_INITIATIVES.check(request)
    entries = cursor.api_page(
        request,
        response,
        query,
        selectors.decision_entries(
            membership.organisation,
            status=query.status,
            initiative_id=query.initiative_id,
            query=query.q,
        ),
        order=("-requested_at", "-id"),
        scope="initiatives.decisions",
    )
    return [decision_out(e) for e in entries]


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
