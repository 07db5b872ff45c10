"""Effectiveness and delegation over the JSON API, the twins of the pages: audience
ratings (released totals only), Template 2's quarterly measures, a leader's assistants,
and a delivery's attached file. Mounted on the communications router."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from bellwether.communications import (
    access,
    attachments,
    selectors,
    services,
    services_ratings,
    views_ratings,
)
from bellwether.communications.models import Delegation, QuarterMeasure
from bellwether.core import exports
from bellwether.core.api import answers
from bellwether.core.errors import DomainError
from bellwether.core.schema import PathId, StrictInput

router = Router(tags=["communications"])
Text = Annotated[str, Field(max_length=services.MAX_TEXT)]
_leader = access.leader_for_api


# --- audience ratings -------------------------------------------------------------------------


class DeliveryRatingOut(Schema):
    delivery_id: int
    delivered_on: dt.date
    title: str
    status: str = Field(
        description='"none" (not asked), "open", "closing" (closed, being released), '
        '"shown" or "not_shown" (fewer answers than the minimum, or withheld)'
    )
    invited: int | None
    closes_at: dt.datetime | None
    respondents: int | None
    effective_share: float | None = Field(description="0..1; only for a shown rating")
    comprehension: float | None = Field(description="Favourable share, %")
    engagement: float | None = Field(description="Favourable share, %")
    reason: str


class LeaderRatingsOut(Schema):
    person_id: int
    minimum: int
    since: dt.date
    effective_share: float | None = Field(
        description="0..1 over the released ratings since `since`; null below the minimum"
    )
    deliveries: list[DeliveryRatingOut]


class RatingRequestIn(StrictInput):
    open_days: int = Field(default=7, ge=1, le=21)


def _rating_out(line: selectors.RatingLine) -> dict[str, Any]:
    r = line.rating
    return {
        "delivery_id": line.delivery.pk,
        "delivered_on": line.delivery.delivered_on,
        "title": line.delivery.title,
        "status": line.status,
        "invited": r.invited if r else None,
        "closes_at": r.campaign.closes_at if r else None,
        "respondents": r.respondents if r else None,
        "effective_share": line.share,
        "comprehension": r.comprehension if r else None,
        "engagement": r.engagement if r else None,
        "reason": r.reason if r else "",
    }


@router.get(
    "/leaders/{person_id}/ratings",
    **answers(
        LeaderRatingsOut,
        "communications_ratings",
        "A leader's audience ratings: released totals per delivery and the share rated "
        "effective or better (never a rater)",
    ),
)
def leader_ratings(request: HttpRequest, person_id: PathId) -> dict[str, Any]:
    person = _leader(request, person_id)
    context = views_ratings.ratings_context(person)
    return {
        "person_id": person.pk,
        "minimum": context["minimum"],
        "since": context["start"],
        "effective_share": context["share"],
        "deliveries": [_rating_out(line) for line in context["lines"]],
    }


@router.post(
    "/leaders/{person_id}/deliveries/{delivery_id}/rating",
    **answers(
        DeliveryRatingOut,
        "communications_request_rating",
        "Ask a delivery's audience (the leader's unit, not the leader) for an anonymous rating",
        status=201,
    ),
)
def request_rating(
    request: HttpRequest, person_id: PathId, delivery_id: PathId, payload: RatingRequestIn
) -> Status:
    membership = access.HOME.check(request)
    delivery = access.get_delivery_for(request, membership, person_id, delivery_id)
    actor = membership.user
    rating = services_ratings.request_rating(
        delivery=delivery, actor=actor, open_days=payload.open_days
    )
    return Status(201, _rating_out(selectors.RatingLine(delivery, rating, "open")))


# --- assistants -------------------------------------------------------------------------------


class AssistantOut(Schema):
    id: int
    email: str
    name: str
    since: dt.datetime
    revoked_at: dt.datetime | None


class AssistantIn(StrictInput):
    email: Annotated[str, Field(max_length=254)]


def _assistant_out(row: Delegation) -> dict[str, Any]:
    user = row.assistant.user
    return {
        "id": row.pk,
        "email": user.email,
        "name": user.display_name,
        "since": row.created_at,
        "revoked_at": row.revoked_at,
    }


@router.get(
    "/leaders/{person_id}/assistants",
    **answers(
        list[AssistantOut],
        "communications_assistants",
        "Who may log deliveries on the leader's behalf",
    ),
)
def list_assistants(request: HttpRequest, person_id: PathId) -> list[dict[str, Any]]:
    person = _leader(request, person_id, edit=True)
    return [_assistant_out(row) for row in selectors.assistants_of(person)]


@router.post(
    "/leaders/{person_id}/assistants",
    **answers(
        AssistantOut,
        "communications_add_assistant",
        "Let another member (by email) log deliveries on the leader's behalf",
        status=201,
    ),
)
def add_assistant(request: HttpRequest, person_id: PathId, payload: AssistantIn) -> Status:
    person = _leader(request, person_id, edit=True)
    actor = access.HOME.check(request).user
    row = services.grant_delegation(leader=person, assistant_email=payload.email, actor=actor)
    return Status(201, _assistant_out(row))


@router.post(
    "/leaders/{person_id}/assistants/{delegation_id}/revoke",
    **answers(AssistantOut, "communications_revoke_assistant", "Remove an assistant (at once)"),
)
def revoke_assistant(
    request: HttpRequest, person_id: PathId, delegation_id: PathId
) -> dict[str, Any]:
    person = _leader(request, person_id, edit=True)
    membership = access.HOME.check(request)
    row = access.get_delegation_for(request, membership, person, delegation_id)
    return _assistant_out(services.revoke_delegation(delegation=row, actor=membership.user))


# --- attachments ------------------------------------------------------------------------------

# Base64 of the largest attachment accepted, with room for padding.
_MAX_BASE64 = (attachments.ATTACHMENT_CAP * 4) // 3 + 8


class AttachmentIn(StrictInput):
    filename: Annotated[str, Field(min_length=1, max_length=attachments.MAX_NAME)]
    content_base64: Annotated[str, Field(max_length=_MAX_BASE64)]


class AttachmentOut(Schema):
    delivery_id: int
    filename: str
    size: int
    content_base64: str | None = Field(default=None, description="Only when downloading")


def _decoded(payload: AttachmentIn) -> bytes:
    try:
        return base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError(
            "content_base64 is not valid base64.",
            field_errors={"content_base64": ["Not base64."]},
        ) from None


@router.put(
    "/leaders/{person_id}/deliveries/{delivery_id}/attachment",
    **answers(
        AttachmentOut,
        "communications_attach",
        "Attach a file to a delivery (PDF, Office, PNG, JPEG or text; at most 10 MB; "
        "replaces the one it had)",
    ),
)
def attach(
    request: HttpRequest, person_id: PathId, delivery_id: PathId, payload: AttachmentIn
) -> dict[str, Any]:
    membership = access.HOME.check(request)
    person = access.get_leader_for(request, membership, person_id, log=True)
    delivery = access.get_delivery_for(request, membership, person.pk, delivery_id, edit=False)
    done = services.attach_file(
        delivery=delivery, actor=membership.user, name=payload.filename, content=_decoded(payload)
    )
    return {"delivery_id": done.pk, "filename": done.attachment_name, "size": done.attachment.size}


@router.get(
    "/leaders/{person_id}/deliveries/{delivery_id}/attachment",
    **answers(
        AttachmentOut,
        "communications_attachment",
        "A delivery's attached file (base64), for those who may see the leader; audited",
    ),
)
def attachment(request: HttpRequest, person_id: PathId, delivery_id: PathId) -> dict[str, Any]:
    membership = access.HOME.check(request)
    delivery = access.get_delivery_for(request, membership, person_id, delivery_id, edit=False)
    if not delivery.attachment:
        raise Http404("This delivery has no attachment.")
    with delivery.attachment.open("rb") as stored:
        content = stored.read()
    exports.record_export(
        action="communications.attachment_downloaded",
        organisation=membership.organisation,
        actor=membership.user,
        fmt="api",
        request=request,
        target=delivery.person,
        details={"delivery": delivery.pk, "file": delivery.attachment_name},
    )
    return {
        "delivery_id": delivery.pk,
        "filename": delivery.attachment_name,
        "size": len(content),
        "content_base64": base64.b64encode(content).decode(),
    }


# --- Template 2: behaviour change and business impact per quarter -----------------------------


class QuarterMeasureOut(Schema):
    quarter: str
    behaviour_change: str
    business_impact: str


class QuarterMeasureIn(StrictInput):
    quarter: Annotated[str, Field(max_length=7, description="YYYY-Qn, not in the future")]
    behaviour_change: Text = ""
    business_impact: Text = ""


@router.get(
    "/leaders/{person_id}/measures",
    **answers(
        list[QuarterMeasureOut],
        "communications_measures",
        "Template 2's behaviour change and business impact per quarter, latest first",
    ),
)
def list_measures(request: HttpRequest, person_id: PathId) -> list[QuarterMeasure]:
    return selectors.quarter_measures(_leader(request, person_id))


@router.put(
    "/leaders/{person_id}/measures",
    **answers(
        QuarterMeasureOut,
        "communications_record_measures",
        "Record (or correct) a quarter's behaviour change and business impact (admins)",
    ),
)
def record_measures(
    request: HttpRequest, person_id: PathId, payload: QuarterMeasureIn
) -> QuarterMeasure:
    person = _leader(request, person_id)
    membership = access.HOME.check(request)
    access.RECORD_MEASURES.require(request, membership, person)
    return services.record_quarter_measures(
        person=person, actor=membership.user, **payload.model_dump()
    )
