"""Leaders see their own band only: a leader's own plan does not name the bands (or the
names) of the resistant people who influence them; their coach, admins and sponsors do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bellwether.engagement import services
from bellwether.engagement.models import EngagementPlan
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db

SECRET_NAME = "Mark Manager"
SECRET_BAND = "Skeptical"


def _plan_with_resistance(person) -> EngagementPlan:
    plan = services.generate_plan(person=person, actor=None, start=dt.date(2026, 1, 5))
    content = dict(plan.content)
    content["obstacles"] = {
        **content.get("obstacles", {}),
        "influencer_resistance": [{"name": SECRET_NAME, "band": SECRET_BAND}],
    }
    EngagementPlan.objects.filter(pk=plan.pk).update(content=content)
    return plan


def test_the_leader_reads_a_count_not_who_or_which_band(client_for, members, leader_person):
    _plan_with_resistance(leader_person)
    page = client_for("leader").get(reverse("engagement:plan", args=[leader_person.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert SECRET_NAME not in body
    assert f"({SECRET_BAND})" not in body
    assert "1 of the people who influence you are not yet on board" in body
    api = (
        api_client_for(members["leader"]).get(f"/api/v1/engagement/plans/{leader_person.pk}").json()
    )
    assert api["content"]["obstacles"]["influencer_resistance"] == []
    assert api["content"]["obstacles"]["influencer_resistance_count"] == 1
    assert SECRET_NAME not in str(api)


def test_admins_and_sponsors_see_the_names_and_bands(client_for, members, leader_person):
    _plan_with_resistance(leader_person)
    for role in ("admin", "sponsor"):
        body = client_for(role).get(reverse("engagement:plan", args=[leader_person.pk]))
        assert f"{SECRET_NAME} ({SECRET_BAND})" in body.content.decode()


def test_the_coach_sees_their_coachees_influencers(client_for, coachee):
    _plan_with_resistance(coachee)
    body = client_for("coach").get(reverse("engagement:plan", args=[coachee.pk]))
    assert f"{SECRET_NAME} ({SECRET_BAND})" in body.content.decode()
