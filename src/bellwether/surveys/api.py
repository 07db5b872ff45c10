"""Surveys over the JSON API: instruments, campaigns, participation counts, suppressed
results, and answering by personal token (no API token needed for that).

Participation is counts only; results pass through the same confidentiality rules as
the pages. Nothing here returns who answered what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from bellwether.accounts.models import Membership
from bellwether.core import cursor
from bellwether.core.api_routes import paged_list
from bellwether.core.errors import DomainError
from bellwether.core.schema import CursorQuery, ErrorOut, PathId, StrictInput
from bellwether.surveys import access, definitions, selectors, services
from bellwether.surveys.access import MANAGE_SURVEYS, VIEW_SURVEY_RESULTS
from bellwether.surveys.models import Campaign, InstrumentVersion, Question
from bellwether.surveys.services import LINK_MESSAGES, LinkState, releases

router = Router(tags=["surveys"])


class QuestionIn(StrictInput):
    key: str = Field(min_length=1, max_length=80, pattern=r"^[a-z0-9_-]+$")
    text: str = Field(min_length=1, max_length=2000)
    scale: Literal["likert5", "yes_no", "zero_ten", "choice", "text"]
    labels: list[str] = Field(default_factory=list, max_length=20)
    required: bool = True
    favourable_min: int | None = Field(default=None, ge=0, le=10)
    dimension_key: str = Field(default="", max_length=80)
    dimension_name: str = Field(default="", max_length=200)


class InstrumentIn(StrictInput):
    key: str = Field(min_length=1, max_length=80, pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1, max_length=200)
    introduction: str = Field(default="", max_length=4000)
    questions: list[QuestionIn] = Field(min_length=1, max_length=200)


class QuestionOut(Schema):
    key: str
    text: str
    scale: str
    labels: list[str]
    required: bool
    favourable_min: int | None
    dimension_key: str


class VersionOut(Schema):
    id: int
    instrument_key: str
    instrument_name: str
    number: int
    published_at: dt.datetime | None
    questions: list[QuestionOut]


class CampaignOut(Schema):
    id: int
    name: str
    instrument_key: str
    version: int
    mode: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    time_zone: str
    segments: list[str]
    period: str
    closed: bool


class StatusOut(Schema):
    invited: int
    completed: int
    revoked: int
    response_rate: float | None


class QuestionResultOut(Schema):
    key: str
    n: int | None = Field(description="null when suppressed")
    suppressed: bool
    favourable: float | None
    distribution: list[tuple[str, int]]


class CellOut(Schema):
    key: str
    label: str
    suppressed: bool
    reason: str
    favourable: dict[str, float | None]


class BreakdownOut(Schema):
    segment: str
    cells: list[CellOut]


class ResultsOut(Schema):
    available: bool
    message: str
    minimum: int
    status: StatusOut
    respondents: int | None = Field(description="null when suppressed")
    questions: list[QuestionResultOut]
    breakdowns: list[BreakdownOut]
    comments: list[str]


class AnswersIn(StrictInput):
    answers: dict[str, Annotated[int, Field(ge=0, le=100)] | str] = Field(
        description="Question key → the answer: a scale's value or a choice's index, or text"
    )


class SurveyOut(Schema):
    campaign: str
    organisation: str
    closes_at: dt.datetime
    anonymous: bool
    questions: list[QuestionOut]
    draft: dict[str, Any]


class DoneOut(Schema):
    status: str


def _version_out(version: InstrumentVersion, questions: list[Question]) -> VersionOut:
    return VersionOut(
        id=version.pk,
        instrument_key=version.instrument.key,
        instrument_name=version.instrument.name,
        number=version.number,
        published_at=version.published_at,
        questions=[_question_out(q) for q in questions],
    )


def _question_out(q: Question) -> QuestionOut:
    return QuestionOut.model_validate(q, from_attributes=True)


def _campaign_out(c: Campaign) -> CampaignOut:
    return CampaignOut(
        id=c.pk,
        name=c.name,
        instrument_key=c.version.instrument.key,
        version=c.version.number,
        mode=c.mode,
        opens_at=c.opens_at,
        closes_at=c.closes_at,
        time_zone=c.time_zone,
        segments=list(c.segments),
        period=c.period,
        closed=selectors.is_closed(c),
    )


def _status(c: Campaign) -> StatusOut:
    p = selectors.participation(c)
    return StatusOut(
        invited=p.invited, completed=p.completed, revoked=p.revoked, response_rate=p.rate
    )


def _versions_out(versions: list[InstrumentVersion]) -> list[VersionOut]:
    questions = selectors.questions_by_version(versions)
    return [_version_out(v, questions.get(v.pk, [])) for v in versions]


@paged_list(
    router,
    "/instruments",
    response=list[VersionOut],
    summary="Published instrument versions",
    openapi_extra=cursor.NEXT_PAGE_HEADERS,
    check=MANAGE_SURVEYS.check,
    order=("instrument__key", "-number", "id"),
    scope="surveys.instruments",
    items=_versions_out,
)
def list_instruments(membership: Membership, query: CursorQuery) -> QuerySet[InstrumentVersion]:
    return selectors.published_versions(membership.organisation)


@router.post(
    "/instruments",
    response={201: VersionOut},
    summary="Publish a new instrument version (a published version never changes)",
)
def publish_instrument(request: HttpRequest, payload: InstrumentIn) -> Status:
    membership = MANAGE_SURVEYS.check(request)
    version = services.publish_instrument_version(
        organisation=membership.organisation,
        actor=membership.user,
        key=payload.key,
        name=payload.name,
        introduction=payload.introduction,
        questions=[definitions.QuestionSpec.of(q) for q in payload.questions],
    )
    return Status(201, _version_out(version, selectors.questions_of(version.pk)))


class MinimumsIO(StrictInput):
    min_group: int = Field(
        ge=0, le=1000, description="Smallest group shown for anonymous campaigns (>= 3)"
    )
    min_360_group: int = Field(
        ge=0, le=1000, description="Smallest peer / direct-report 360 category (>= 3)"
    )
    min_comments: int = Field(
        ge=0, le=1000, description="Smallest group whose comments are shown (>= min_group)"
    )


def _minimums(organisation: Any) -> MinimumsIO:
    policy = selectors.policy_for(organisation)
    return MinimumsIO(
        min_group=policy.min_group,
        min_360_group=policy.min_360_group,
        min_comments=policy.min_comments,
    )


@router.get(
    "/confidentiality", response=MinimumsIO, summary="The organisation's confidentiality minimums"
)
def get_minimums(request: HttpRequest) -> MinimumsIO:
    membership = MANAGE_SURVEYS.check(request)
    return _minimums(membership.organisation)


@router.put(
    "/confidentiality",
    response=MinimumsIO,
    summary="Change the confidentiality minimums (never below 3; audited)",
)
def put_minimums(request: HttpRequest, payload: MinimumsIO) -> MinimumsIO:
    membership = MANAGE_SURVEYS.check(request)
    services.update_confidentiality(
        organisation=membership.organisation,
        actor=membership.user,
        min_group=payload.min_group,
        min_360_group=payload.min_360_group,
        min_comments=payload.min_comments,
    )
    return _minimums(membership.organisation)


@paged_list(
    router,
    "/campaigns",
    response=list[CampaignOut],
    summary="Campaigns, newest first",
    openapi_extra=cursor.NEXT_PAGE_HEADERS,
    check=VIEW_SURVEY_RESULTS.check,
    order=("-opens_at", "-id"),
    scope="surveys.campaigns",
    item=_campaign_out,
)
def list_campaigns(membership: Membership, query: CursorQuery) -> QuerySet[Campaign]:
    """One page, the latest opened first; the next page's cursor is in ``X-Next-Cursor``."""
    return selectors.visible_campaigns(
        membership.organisation, closed_only=not MANAGE_SURVEYS.allows(membership)
    )


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="One campaign")
def get_campaign(request: HttpRequest, campaign_id: PathId) -> CampaignOut:
    membership = MANAGE_SURVEYS.check(request)
    return _campaign_out(access.get_campaign_for(request, membership, campaign_id))


@router.get(
    "/campaigns/{campaign_id}/status",
    response=StatusOut,
    summary="Invitation status: counts only, never who answered",
)
def campaign_status(request: HttpRequest, campaign_id: PathId) -> StatusOut:
    membership = MANAGE_SURVEYS.check(request)
    return _status(access.get_campaign_for(request, membership, campaign_id))


@router.get(
    "/campaigns/{campaign_id}/results",
    response=ResultsOut,
    summary="Results with every small or recoverable group suppressed",
)
def campaign_results(request: HttpRequest, campaign_id: PathId) -> ResultsOut:
    membership = VIEW_SURVEY_RESULTS.check(request)
    campaign = access.get_campaign_for(request, membership, campaign_id, results=True)
    releases.request_release_if_due(campaign)
    r = selectors.campaign_results(campaign)
    return ResultsOut(
        available=r.total_shown,
        message=r.reason,
        minimum=r.minimum,
        status=StatusOut(
            invited=r.participation.invited,
            completed=r.participation.completed,
            revoked=r.participation.revoked,
            response_rate=r.participation.rate,
        ),
        respondents=r.respondents if r.total_shown else None,
        questions=[
            QuestionResultOut(
                key=q.key,
                n=q.n if q.shown else None,
                suppressed=not q.shown,
                favourable=q.favourable,
                distribution=q.distribution,
            )
            for q in r.questions
        ],
        breakdowns=[
            BreakdownOut(
                segment=b.segment,
                cells=[
                    CellOut(
                        key=c.key,
                        label=c.label,
                        suppressed=not c.shown,
                        reason=c.reason,
                        favourable=c.favourable,
                    )
                    for c in b.cells
                ],
            )
            for b in r.breakdowns
        ],
        comments=r.comments,
    )


# --- respondents: the personal token is the credential ----------------------------------------


def _link_error(state: LinkState) -> HttpError:
    return HttpError(410, LINK_MESSAGES[state])


def _gone_or(request: HttpRequest, exc: DomainError) -> Exception:
    """A dead link (forged, revoked, expired, used, not open) is 410; a link opened in a
    browser signed in as someone else is 403 (audited); anything else is the domain error
    itself (400 with the fields)."""
    if exc.code.startswith("link_"):
        return HttpError(410, exc.message)
    if isinstance(exc, services.SignedInAsSomeoneElse):
        access.record_link_refusal(request, exc.campaign_id)
        return HttpError(403, exc.message)
    return exc


def _answer(
    request: HttpRequest, service: Callable[..., object], token: str, payload: AnswersIn
) -> None:
    """Save or submit the answers behind a personal link (``service`` is the one to call),
    refusing as ``_gone_or`` says."""
    try:
        service(token=token, answers=payload.answers, viewer_id=access.viewer_id(request))
    except DomainError as exc:
        raise _gone_or(request, exc) from None


@router.get(
    "/respond/{token}",
    response={200: SurveyOut, 403: ErrorOut, 410: ErrorOut},
    auth=None,
    summary="The questionnaire behind a personal link, with the saved draft",
)
def get_survey(request: HttpRequest, token: str) -> SurveyOut:
    check = services.check_link(token)
    if check.state is not LinkState.OK or check.invitation is None:
        raise _link_error(check.state)
    inv = check.invitation
    try:
        services.check_respondent(inv, viewer_id=access.viewer_id(request))
    except DomainError as exc:
        raise _gone_or(request, exc) from None
    return SurveyOut(
        campaign=inv.campaign.name,
        organisation=inv.organisation.name,
        closes_at=inv.campaign.closes_at,
        anonymous=inv.campaign.mode == Campaign.Mode.ANONYMOUS,
        questions=[_question_out(q) for q in selectors.questions_of(inv.campaign.version_id)],
        draft=services.open_draft(inv),
    )


@router.put(
    "/respond/{token}/draft",
    response={200: DoneOut, 403: ErrorOut, 410: ErrorOut},
    auth=None,
    summary="Save a draft",
)
def put_draft(request: HttpRequest, token: str, payload: AnswersIn) -> DoneOut:
    _answer(request, services.save_draft, token, payload)
    return DoneOut(status="saved")


@router.post(
    "/respond/{token}",
    response={201: DoneOut, 403: ErrorOut, 410: ErrorOut},
    auth=None,
    summary="Submit the answers (exactly once)",
)
def submit(request: HttpRequest, token: str, payload: AnswersIn) -> Status:
    _answer(request, services.submit_response, token, payload)
    return Status(201, DoneOut(status="submitted"))
