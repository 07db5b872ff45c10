"""The review pages: what each reader sees, forms refusing bad input without saving, and
list pages in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.reviews import services
from bellwether.reviews.models import Review, ScoreEntry
from bellwether.testing.factories import PersonFactory, api_client_for

pytestmark = pytest.mark.django_db

PERSONAL = "review.personal_development"


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_review_page_lists_the_evidence_beside_each_score(client_for, coachee_review) -> None:
    body = client_for("reviewer").get(reverse("reviews:review", args=[coachee_review.pk]))
    text = body.content.decode()
    assert "Personal AI Development" in text
    assert f"{coachee_review.personal}/25" in text
    assert "No learning due this quarter." in text
    assert "Reason for the change" in text  # the reviewer may adjust


def test_a_page_adjustment_without_a_reason_is_refused_and_saves_nothing(
    client_for, coachee_review
) -> None:
    client = client_for("reviewer")
    url = reverse("reviews:adjust", args=[coachee_review.pk])
    entries = ScoreEntry.objects.count()
    response = client.post(url, {"component": PERSONAL, "value": "20", "reason": ""}, follow=True)
    assert "Write the reason for the adjustment" in response.content.decode()
    response = client.post(url, {"component": PERSONAL, "value": "30", "reason": "x"}, follow=True)
    assert "A score must be from 0 to 25; 30 is outside." in response.content.decode()
    response = client.post(url, {"component": PERSONAL, "value": "ten", "reason": "x"}, follow=True)
    assert "whole number" in response.content.decode()
    assert ScoreEntry.objects.count() == entries
    assert Review.objects.get(pk=coachee_review.pk).personal == coachee_review.personal


def test_the_api_refuses_a_score_out_of_range_and_an_adjustment_without_reason(
    client_for, coachee_review, members
) -> None:
    client = api_client_for(members["reviewer"])
    url = f"/api/v1/reviews/{coachee_review.pk}/scores"
    entries = ScoreEntry.objects.count()
    answer = client.post(
        url, {"component": PERSONAL, "value": 26, "reason": "x"}, "application/json"
    )
    assert answer.status_code == 400
    assert "0 to 25" in answer.json()["error"]["message"]
    answer = client.post(
        url, {"component": PERSONAL, "value": 20, "reason": ""}, "application/json"
    )
    assert answer.status_code == 400
    assert ScoreEntry.objects.count() == entries


def test_the_leader_sees_and_acknowledges_their_shared_review(client_for, own_review) -> None:
    services.set_plan(review=own_review, priorities=["Prompting"], goals=["Pilot"], actor=None)
    services.submit_review(review=own_review, actor=None)
    client = client_for("leader")
    page = client.get(reverse("reviews:review", args=[own_review.pk])).content.decode()
    assert "I have read this review" in page
    assert "Reason for the change" not in page
    client.post(reverse("reviews:acknowledge", args=[own_review.pk]), {"note": "Thanks"})
    own_review.refresh_from_db()
    assert own_review.status == "acknowledged"
    assert own_review.acknowledgement_note == "Thanks"


def test_the_lists_take_the_same_queries_for_more_reviews(org, unit, client_for, cycle) -> None:
    admin = client_for("admin")
    home, cycle_page = reverse("reviews:home"), reverse("reviews:cycle", args=[cycle.pk])
    admin.get(home)  # the first request of a session costs more (session, membership)
    before = (_count(admin, home), _count(admin, cycle_page))
    for n in range(6):
        PersonFactory(organisation=org, org_unit=unit, employee_id=f"N{n}", leader_level="senior")
    services.open_cycle(organisation=org, quarter="2026-Q2", actor=None)
    more = services.open_cycle(organisation=org, quarter="2026-Q3", actor=None)
    assert Review.objects.count() > 10
    assert _count(admin, home) == before[0]
    assert _count(admin, reverse("reviews:cycle", args=[more.pk])) == before[1]
