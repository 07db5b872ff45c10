"""Audience ratings on the survey engine, played as an adversary: a leader with one or two
ratings sees nothing; no pair of figures (two date ranges, two groups of leaders) gives
a rating by difference; nobody sees who rated."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.roles import Role
from bellwether.communications import selectors, services, services_ratings
from bellwether.communications.models import RatingRequest
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.people.models import LeaderLevel, Person
from bellwether.reviews import evidence
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Ballot, Campaign, Invitation, Response
from bellwether.testing.factories import (
    OrgUnitFactory,
    PersonFactory,
    api_client_for,
    make_member,
)

WEEKLY = "cadence.operational.tool_usage"


def _person(**values: Any) -> Person:
    return cast("Person", PersonFactory(**values))


def _team(org, unit, size):
    return [
        _person(organisation=org, org_unit=unit, name=f"Member {unit.pk}-{i}") for i in range(size)
    ]


def _delivery(person, days_ago=2, title="Weekly AI wins"):
    return services.log_delivery(
        person=person,
        actor=None,
        delivered_at=timezone.now() - dt.timedelta(days=days_ago),
        channel="channel.team_meeting",
        audiences=["audience.employees"],
        title=title,
    )


def _rate(delivery, answers, *, people=None):
    """Ask, have ``answers`` (effectiveness values, in order) given by the invitees (or by
    those of ``people``), close and collect."""
    rating = services_ratings.request_rating(delivery=delivery, actor=None, send_email=False)
    invitations = list(Invitation.objects.filter(campaign=rating.campaign).order_by("person__name"))
    if people is not None:
        invitations = [i for i in invitations if i.person_id in people]
    for invitation, value in zip(invitations, answers, strict=False):
        survey_services.submit_response(
            token=survey_services.invitation_token(invitation),
            answers={"comprehension": 4, "engagement": 3, "effectiveness": value},
        )
    now = timezone.now()
    Campaign.objects.filter(pk=rating.campaign_id).update(
        opens_at=now - dt.timedelta(days=3), closes_at=now - dt.timedelta(seconds=1)
    )
    services_ratings.collect_ratings(organisation=delivery.organisation)
    rating.refresh_from_db()
    return rating, [i.person_id for i in invitations[: len(answers)]]


def _range():
    today = timezone.localdate()
    return today - dt.timedelta(days=60), today


@pytest.fixture
def team(org, unit):
    return _team(org, unit, 7)


def test_a_rating_goes_through_the_engine_and_only_its_shown_total_is_kept(coachee, team) -> None:
    delivery = _delivery(coachee)
    rating = services_ratings.request_rating(delivery=delivery, actor=None, send_email=False)
    campaign = rating.campaign
    assert campaign.mode == Campaign.Mode.ANONYMOUS
    # The leader's unit, without the leader.
    invited = set(Invitation.objects.filter(campaign=campaign).values_list("person_id", flat=True))
    assert coachee.pk not in invited
    assert {p.pk for p in team} <= invited
    assert AuditEvent.objects.filter(action="communications.rating_requested").count() == 1
    for invitation, value in zip(
        Invitation.objects.filter(campaign=campaign), (5, 4, 4, 2, 3, 4), strict=False
    ):
        survey_services.submit_response(
            token=survey_services.invitation_token(invitation),
            answers={"comprehension": 4, "engagement": 2, "effectiveness": value},
        )
    # Sealed while open: nothing to read.
    assert Ballot.objects.filter(campaign=campaign).count() == 6
    assert Response.objects.filter(campaign=campaign).count() == 0
    services_ratings.collect_ratings(organisation=coachee.organisation)
    rating.refresh_from_db()
    assert not rating.collected
    assert rating.answered is None
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=3),
        closes_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert services_ratings.collect_ratings(organisation=coachee.organisation) == 1
    rating.refresh_from_db()
    assert (rating.respondents, rating.answered, rating.effective) == (6, 6, 4)
    assert rating.comprehension == 100.0
    assert rating.engagement == 0.0
    start, end = _range()
    share = selectors.effectiveness_share(organisation=coachee.organisation, start=start, end=end)
    assert share == pytest.approx(4 / 6)
    # Rerunning changes nothing.
    assert services_ratings.collect_ratings(organisation=coachee.organisation) == 0


def test_a_leader_with_one_or_two_ratings_shows_nothing(coachee, team, members) -> None:
    rating, _ = _rate(_delivery(coachee), [5, 5])
    assert rating.collected
    assert rating.answered is None
    assert rating.effective is None
    assert rating.reason
    start, end = _range()
    org = coachee.organisation
    assert selectors.effectiveness_share(organisation=org, start=start, end=end) is None
    assert selectors.effectiveness_by_leader(
        organisation=org, leader_ids=[coachee.pk], start=start, end=end
    ) == {coachee.pk: None}
    client = api_client_for(members["admin"])
    body = client.get(f"/api/v1/communications/leaders/{coachee.pk}/ratings").json()
    assert body["effective_share"] is None
    (line,) = body["deliveries"]
    assert line["status"] == "not_shown"
    assert line["effective_share"] is None
    assert line["respondents"] is None


def test_two_overlapping_groups_do_not_give_one_rating_by_difference(
    org, unit, coachee, team
) -> None:
    """Leader A has two ratings (hidden); leader B five. Every figure that includes A is
    the same as without A; and a second delivery rated by the same five plus one is
    withheld (its raters differ from the first's by one), so two date ranges differ by
    nothing."""
    other_unit = OrgUnitFactory(organisation=org, name="Other unit")
    other_team = _team(org, other_unit, 6)
    leader_b = _person(
        organisation=org, org_unit=other_unit, leader_level=LeaderLevel.OPERATIONAL, name="B"
    )
    _rate(_delivery(coachee), [5, 5])  # A: two ratings
    first, raters = _rate(_delivery(leader_b, days_ago=10), [5, 4, 2, 2, 4])
    assert first.answered == 5
    start, end = _range()
    both = selectors.effectiveness_share(
        organisation=org, start=start, end=end, person_ids=[coachee.pk, leader_b.pk]
    )
    only_b = selectors.effectiveness_share(
        organisation=org, start=start, end=end, person_ids=[leader_b.pk]
    )
    whole = selectors.effectiveness_share(organisation=org, start=start, end=end)
    assert both == only_b == whole == pytest.approx(3 / 5)
    by_unit = selectors.effectiveness_share(
        organisation=org, start=start, end=end, unit_path=unit.path
    )
    assert by_unit is None
    # The same five and one more rate B's next delivery: the engine withholds it.
    extra = next(p.pk for p in other_team if p.pk not in raters)
    second, _ = _rate(_delivery(leader_b, days_ago=1), [5, 5, 5, 5, 5, 1], people={*raters, extra})
    assert second.collected
    assert second.answered is None
    later = selectors.effectiveness_share(
        organisation=org, start=end - dt.timedelta(days=5), end=end, person_ids=[leader_b.pk]
    )
    assert later is None
    assert selectors.effectiveness_share(
        organisation=org, start=start, end=end, person_ids=[leader_b.pk]
    ) == pytest.approx(3 / 5)


def test_the_leader_cannot_see_who_rated(coachee, team, members, client_for) -> None:
    coachee_member = make_member(coachee.organisation, Role.LEADER, person=coachee)
    _rate(_delivery(coachee), [5, 4, 4, 2, 3])
    names = [p.name for p in team]
    client = api_client_for(coachee_member)
    body = client.get(f"/api/v1/communications/leaders/{coachee.pk}/ratings").json()
    assert body["deliveries"][0]["respondents"] == 5
    text = str(body)
    assert not any(name in text for name in names)
    assert set(body["deliveries"][0]) == {
        "delivery_id",
        "delivered_on",
        "title",
        "status",
        "invited",
        "closes_at",
        "respondents",
        "effective_share",
        "comprehension",
        "engagement",
        "reason",
    }
    from django.test import Client

    from bellwether.testing.factories import TEST_PASSWORD

    page = Client()
    page.login(username=coachee_member.user.email, password=TEST_PASSWORD)
    html = page.get(f"/communications/leaders/{coachee.pk}/ratings/").content.decode()
    assert "60%" in html
    assert not any(name in html for name in names)
    # The survey pages that list invitees are not the leader's.
    rating = RatingRequest.objects.get()
    invitations = reverse("surveys:invitations", args=[rating.campaign_id])
    assert page.get(invitations).status_code == 403


def test_bad_requests_are_refused_and_save_nothing(org, coachee, team) -> None:
    old = _delivery(coachee, days_ago=services_ratings.RATING_AFTER_DAYS + 2)
    with pytest.raises(DomainError, match="within"):
        services_ratings.request_rating(delivery=old, actor=None, send_email=False)
    delivery = _delivery(coachee)
    with pytest.raises(DomainError, match="1 to"):
        services_ratings.request_rating(
            delivery=delivery, actor=None, open_days=60, send_email=False
        )
    small = OrgUnitFactory(organisation=org, name="Small")
    lonely = _person(organisation=org, org_unit=small, leader_level=LeaderLevel.OPERATIONAL)
    _team(org, small, 3)
    with pytest.raises(DomainError, match="at least 5"):
        services_ratings.request_rating(delivery=_delivery(lonely), actor=None, send_email=False)
    assert RatingRequest.objects.count() == 0
    assert Campaign.objects.count() == 0
    services_ratings.request_rating(delivery=delivery, actor=None, send_email=False)
    with pytest.raises(DomainError, match="already"):
        services_ratings.request_rating(delivery=delivery, actor=None, send_email=False)
    assert RatingRequest.objects.count() == 1


def test_the_review_reads_every_leader_in_one_query(org, unit, coachee, team) -> None:
    _rate(_delivery(coachee), [5, 4, 4, 2, 3])
    others = [
        _person(organisation=org, org_unit=unit, leader_level=LeaderLevel.OPERATIONAL)
        for _ in range(5)
    ]
    start, end = _range()
    context = evidence.Context(org, [coachee, *others], start, end)
    with CaptureQueriesContext(connection) as queries:
        found = evidence.communication_effectiveness(context)
    assert len(queries) <= 2  # the minimum, then one GROUP BY
    assert found[coachee.pk][0].share == pytest.approx(3 / 5)
    assert all(found[p.pk][0].share is None for p in others)


def test_the_page_asks_and_lists(coachee, team, client_for) -> None:
    delivery = _delivery(coachee)
    admin = client_for("admin")
    response = admin.post(
        f"/communications/leaders/{coachee.pk}/deliveries/{delivery.pk}/rate/",
        {"open_days": "5"},
    )
    assert response.status_code == 302
    rating = RatingRequest.objects.get()
    assert (rating.campaign.closes_at - rating.campaign.opens_at).days == 5
    page = admin.get(f"/communications/leaders/{coachee.pk}/ratings/")
    assert b"Open until" in page.content


def test_the_admin_records_behaviour_change_and_business_impact_per_quarter(
    coachee, client_for, members
) -> None:
    from bellwether.communications.models import QuarterMeasure

    path = f"/communications/leaders/{coachee.pk}/ratings/"
    today = timezone.localdate()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    admin = client_for("admin")
    future = admin.post(path, {"quarter": f"{today.year + 1}-Q1", "behaviour_change": "x"})
    assert future.status_code == 400
    assert b"has not started" in future.content
    bad = admin.post(path, {"quarter": "Q3 2026"})
    assert b"YYYY-Qn" in bad.content
    assert not QuarterMeasure.objects.exists()
    done = admin.post(
        path,
        {
            "quarter": quarter.lower(),
            "behaviour_change": "Teams share AI wins weekly",
            "business_impact": "Two pilots approved",
        },
    )
    assert done.status_code == 302
    row = QuarterMeasure.objects.get()
    assert row.quarter == quarter
    assert b"Two pilots approved" in admin.get(path).content
    assert AuditEvent.objects.filter(action="communications.measures_recorded").count() == 1
    # Sponsors and coaches read it; only admins record it.
    assert client_for("coach").post(path, {"quarter": quarter}).status_code == 403
    api = api_client_for(members["sponsor"])
    listed = api.get(f"/api/v1/communications/leaders/{coachee.pk}/measures").json()
    assert listed[0]["business_impact"] == "Two pilots approved"
    refused = api.put(
        f"/api/v1/communications/leaders/{coachee.pk}/measures",
        {"quarter": quarter, "business_impact": "changed"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    row.refresh_from_db()
    assert row.business_impact == "Two pilots approved"


def test_ratings_stay_out_of_the_pulse_and_instrument_lists(org, coachee, team) -> None:
    from bellwether.surveys import selectors as surveys
    from bellwether.surveys import services as survey_services

    pulses = survey_services.install_ready_pulses(organisation=org)
    rating = services_ratings.request_rating(
        delivery=_delivery(coachee), actor=None, send_email=False
    )
    assert rating.campaign.version.instrument.kind == "embedded"
    listed = {c.version.instrument.key for c in surveys.campaigns_for(org)}
    assert services_ratings.INSTRUMENT_KEY not in listed
    instruments = {i.key for i in surveys.instruments_for(org)}
    summaries = {s.instrument.key for s in surveys.instrument_summaries(org)}
    assert instruments == summaries == {v.instrument.key for v in pulses}
