"""Audience ratings of a delivery, on the survey engine (§2.3 effectiveness, KPI 5).

``request_rating`` launches one anonymous campaign of the organisation's communication
rating instrument (comprehension, engagement, effectiveness) to the people who heard the
delivery: personal links by email, sealed ballots, nothing readable before it closes.
``collect_ratings`` has the engine release each closed campaign (its release rule and
minimum decide what is shown) and copies only the figures that release showed. Every
figure communications shows or passes on is a sum of such released totals, so no
combination of them (a date range, a group of leaders, one against another) can give
fewer ratings than the minimum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from bellwether.accounts.models import User
from bellwether.communications.models import Delivery, RatingRequest
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys import selectors as surveys
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Instrument, InstrumentVersion
from bellwether.surveys.services import InstrumentSpec, QuestionSpec, releases

INSTRUMENT_KEY = "communication-rating"
#: A delivery may be rated for this long after it happened, for at most this many days.
RATING_AFTER_DAYS = 30
DEFAULT_OPEN_DAYS = 7
MAX_OPEN_DAYS = 21
EFFECTIVE_MIN = 4  # "Effective" and "Very effective" on the 1–5 scale

_MEASURES = {m.key: m.name for m in CATALOGUE.communication_plan.effectiveness_measures}
COMPREHENSION = "comprehension"
ENGAGEMENT = "engagement"
EFFECTIVENESS = "effectiveness"
_AGREE = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")
_EFFECTIVE = ("Very ineffective", "Ineffective", "Neither", "Effective", "Very effective")


def _measure(suffix: str) -> str:
    return next(name for key, name in _MEASURES.items() if key.endswith(suffix))


RATING_SPEC = InstrumentSpec(
    key=INSTRUMENT_KEY,
    name="Communication rating",
    kpi_key="",  # read through communications, never as a pulse KPI of its own
    introduction=(
        "Three questions about one communication you heard. Anonymous: results are shown "
        "only as a total, and only when enough people answered."
    ),
    questions=(
        QuestionSpec(
            COMPREHENSION,
            "I understood the message and what it means for my work.",
            "likert5",
            _AGREE,
            favourable_min=4,
            dimension_key=COMPREHENSION,
            dimension_name=_measure(COMPREHENSION),
        ),
        QuestionSpec(
            ENGAGEMENT,
            "It held my attention and I want to hear more.",
            "likert5",
            _AGREE,
            favourable_min=4,
            dimension_key=ENGAGEMENT,
            dimension_name=_measure(ENGAGEMENT),
        ),
        QuestionSpec(
            EFFECTIVENESS,
            "How effective was this communication?",
            "likert5",
            _EFFECTIVE,
            favourable_min=EFFECTIVE_MIN,
            dimension_key=EFFECTIVENESS,
            dimension_name="Effectiveness",
        ),
    ),
)


def rating_version(organisation: Organisation, actor: User | None = None) -> InstrumentVersion:
    """The organisation's rating instrument (published once, on first use)."""
    return survey_services.published_version_of(
        organisation=organisation, spec=RATING_SPEC, kind=Instrument.Kind.EMBEDDED, actor=actor
    )


def rating_audience(delivery: Delivery, unit_ids: Iterable[int] = ()) -> list[int]:
    """The people asked: active members of the chosen units (default: the leader's own
    unit and its sub-units), never the leader."""
    person = delivery.person
    units = list(unit_ids) or ([person.org_unit_id] if person.org_unit_id else [])
    known = set(
        OrgUnit.objects.filter(organisation=delivery.organisation, pk__in=units).values_list(
            "pk", flat=True
        )
    )
    if not units or known != set(units):
        raise DomainError(
            "Choose the units whose people heard it (the leader has no unit).",
            code="unknown_units",
            field_errors={"units": ["Unknown unit."]},
        )
    people = survey_services.resolve_audience(
        organisation=delivery.organisation, audience={"org_unit_ids": sorted(known)}
    )
    return [pk for pk in people if pk != person.pk]


@transaction.atomic
def request_rating(
    *,
    delivery: Delivery,
    actor: User | None,
    unit_ids: Iterable[int] = (),
    open_days: int = DEFAULT_OPEN_DAYS,
    now: dt.datetime | None = None,
    send_email: bool = True,
) -> RatingRequest:
    """Ask the delivery's audience for an anonymous rating: one campaign, open
    ``open_days``. Refused when already asked, too long after, or when the audience is
    smaller than the organisation's minimum (nobody could ever see the result)."""
    now = now or timezone.now()
    Delivery.objects.select_for_update().filter(pk=delivery.pk).first()
    if RatingRequest.objects.filter(delivery=delivery).exists():
        raise DomainError("This delivery's audience was already asked.", code="already_asked")
    if delivery.delivered_at < now - dt.timedelta(days=RATING_AFTER_DAYS):
        raise DomainError(
            f"Ask for a rating within {RATING_AFTER_DAYS} days of the delivery: later, "
            "nobody remembers it well.",
            code="too_late",
        )
    if not 1 <= open_days <= MAX_OPEN_DAYS:
        raise DomainError(
            f"Keep the rating open 1 to {MAX_OPEN_DAYS} days.",
            field_errors={"open_days": [f"1 to {MAX_OPEN_DAYS}."]},
        )
    people = rating_audience(delivery, unit_ids)
    minimum = surveys.policy_for(delivery.organisation).min_group
    if len(people) < minimum:
        raise DomainError(
            f"Ratings are shown only when at least {minimum} people answer; this audience "
            f"has {len(people)}. Choose a larger one.",
            code="audience_too_small",
            field_errors={"units": [f"At least {minimum} people."]},
        )
    person = delivery.person
    campaign = survey_services.launch_campaign(
        organisation=delivery.organisation,
        actor=actor,
        version=rating_version(delivery.organisation, actor),
        name=(
            f"Rate: {delivery.title or 'a communication'} by {person.name} "
            f"({delivery.delivered_on:%d %b %Y})"
        ),
        opens_at=now,
        closes_at=now + dt.timedelta(days=open_days),
        time_zone=delivery.organisation.time_zone,
        audience={"person_ids": people},
        send_email=send_email,
    )
    rating = RatingRequest.objects.create(
        organisation=delivery.organisation,
        delivery=delivery,
        campaign=campaign,
        requested_by=actor,
        invited=len(people),
    )
    audit.record_on(
        person,
        "communications.rating_requested",
        actor=actor,
        details={"delivery": delivery.pk, "campaign": campaign.pk, "invited": len(people)},
    )
    return rating


def _shown(payload: dict[str, Any]) -> dict[str, Any]:
    """The figures of a release that showed its total: question key → (n, favourable
    answers); nothing for a release that showed nothing."""
    if not payload.get("total_shown"):
        return {}
    figures: dict[str, Any] = {"respondents": payload.get("respondents")}
    for row in payload.get("questions", []):
        if not row.get("shown") or row.get("n") is None:
            continue
        counts = [count for _label, count in row.get("distribution", [])]
        figures[row["key"]] = (row["n"], sum(counts[EFFECTIVE_MIN - 1 :]), row.get("favourable"))
    return figures


def collect_ratings(
    *, organisation: Organisation, person: Person | None = None, now: dt.datetime | None = None
) -> int:
    """Release every closed rating campaign of the organisation (or of one leader's
    deliveries): the engine decides what is shown; only the shown totals are kept.
    Rerunning changes nothing."""
    now = now or timezone.now()
    due = RatingRequest.objects.filter(
        organisation=organisation, collected=False, campaign__closes_at__lte=now
    ).select_related("campaign__organisation")
    if person is not None:
        due = due.filter(delivery__person=person)
    done = 0
    for rating in due:
        release = releases.release_campaign(campaign=rating.campaign)
        figures = _shown(release.payload or {})
        with transaction.atomic():
            rating.collected = True
            if EFFECTIVENESS in figures:
                n, good, _share = figures[EFFECTIVENESS]
                rating.respondents = figures["respondents"]
                rating.answered, rating.effective = n, good
                rating.comprehension = figures.get(COMPREHENSION, (0, 0, None))[2]
                rating.engagement = figures.get(ENGAGEMENT, (0, 0, None))[2]
            else:
                rating.reason = (release.payload or {}).get("reason", "")[:500] or (
                    "Not enough answers to show."
                )
            rating.save()
        done += 1
    return done


def release_due_ratings(now: dt.datetime | None = None) -> int:
    """Every organisation's closed rating campaigns (the daily job)."""
    ids = (
        RatingRequest.objects.filter(
            collected=False, campaign__closes_at__lte=now or timezone.now()
        )
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    return sum(
        collect_ratings(organisation=org, now=now)
        for org in Organisation.objects.filter(pk__in=list(ids))
    )
