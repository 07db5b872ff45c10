"""Refused review forms keep what was typed and say why in words: opening a quarter (its
due date) and adjusting a score (its reason)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bellwether.reviews.models import Review, ReviewCycle, ScoreEntry

pytestmark = pytest.mark.django_db

PERSONAL = "review.personal_development"


def test_a_bad_quarter_or_due_date_keeps_the_input_and_says_why(client_for, coachee) -> None:
    admin = client_for("admin")
    url = reverse("reviews:cycle_new")
    response = admin.post(url, {"quarter": "2026-Q3", "due_on": "2026-02-01"})
    assert response.status_code == 400
    html = response.text
    assert "This was not saved." in html
    assert "The due date is before the quarter starts." in html
    assert 'value="2026-Q3"' in html
    assert 'value="2026-02-01"' in html
    response = admin.post(url, {"quarter": "2026-Q3", "due_on": "next friday"})
    assert response.status_code == 400
    assert "Give the due date as a date (YYYY-MM-DD)." in response.text
    assert 'value="next friday"' in response.text
    assert not ReviewCycle.objects.exists()
    assert admin.post(url, {"quarter": "2026-Q3", "due_on": ""}).status_code == 302
    assert ReviewCycle.objects.filter(quarter="2026-Q3").exists()


def test_a_refused_adjustment_keeps_the_score_and_the_reason(client_for, coachee_review) -> None:
    client = client_for("reviewer")
    url = reverse("reviews:adjust", args=[coachee_review.pk])
    entries = ScoreEntry.objects.count()
    response = client.post(url, {"component": PERSONAL, "value": "30", "reason": "Led clinics"})
    assert response.status_code == 400
    html = response.text
    assert "A score must be from 0 to 25; 30 is outside." in html
    assert 'value="30"' in html
    assert 'value="Led clinics"' in html
    assert "Adjust Personal AI Development" in html
    assert ScoreEntry.objects.count() == entries
    assert Review.objects.get(pk=coachee_review.pk).personal == coachee_review.personal
