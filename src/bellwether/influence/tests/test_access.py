"""The influence map's declared rules: each refusal names its rule in the audit log, an
object the member may not see is missing (404), and a refused write changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bellwether.core.access import RULES
from bellwether.core.models import AuditEvent
from bellwether.influence import access
from bellwether.influence.models import Tie
from bellwether.influence.tests.factories import make_tie

pytestmark = pytest.mark.django_db


def _refusal() -> dict:
    event = AuditEvent.objects.filter(action="permission.denied").latest("id")
    return event.details


def test_every_rule_is_declared_once_under_the_apps_name():
    names = [name for name in RULES if name.startswith("influence.")]
    assert sorted(names) == sorted(
        rule.name
        for rule in (
            access.VIEW_MAP,
            access.EDIT_MAP,
            access.OPEN_PROFILES,
            access.VIEW_PROFILE,
            access.EDIT_PROFILE,
            access.VIEW_TIE,
            access.VIEW_PLANNER_RUN,
        )
    )


def test_a_sponsor_may_look_at_a_tie_but_not_remove_it(org, client_for, leader_person, coachee):
    tie = make_tie(organisation=org, source=leader_person, target=coachee)
    response = client_for("sponsor").post(
        reverse("influence:tie_edit", args=[tie.pk]), {"action": "delete"}
    )
    assert response.status_code == 403
    assert _refusal()["check"] == "influence.edit_map"
    assert Tie.objects.filter(pk=tie.pk).exists()


def test_a_tie_of_another_organisation_is_missing_and_audited(
    other_org, client_for, members, leader_person, coachee
):
    from bellwether.testing.factories import PersonFactory

    theirs = make_tie(
        organisation=other_org,
        source=PersonFactory(organisation=other_org, leader_level="senior"),
        target=PersonFactory(organisation=other_org, leader_level="senior"),
    )
    response = client_for("admin").get(reverse("influence:tie_edit", args=[theirs.pk]))
    assert response.status_code == 404
    assert _refusal() | {"path": ""} == {
        "check": "influence.view_tie",
        "path": "",
        "method": "GET",
        "refused_as": "404",
    }


def test_a_coach_opens_only_their_coachees_profile(client_for, coachee, leader_person):
    coach = client_for("coach")
    url = "influence:profile"
    assert coach.get(reverse(url, kwargs={"person_id": coachee.pk})).status_code == 200
    assert coach.get(reverse(url, kwargs={"person_id": leader_person.pk})).status_code == 404
    assert _refusal()["check"] == "influence.view_profile"
    assert (
        client_for("leader").get(reverse(url, kwargs={"person_id": coachee.pk})).status_code == 403
    )
    assert _refusal()["check"] == "influence.open_profiles"
