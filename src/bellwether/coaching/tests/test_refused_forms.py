"""The coaching admin's small forms keep what was typed when refused, and say why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bellwether.accounts.models import MembershipInvitation

pytestmark = pytest.mark.django_db


def test_a_refused_external_coach_invitation_keeps_the_address_and_says_why(client_for):
    response = client_for("admin").post(
        reverse("coaching:invite"), {"email": "coach-at-example", "capacity": "300"}
    )
    assert response.status_code == 400
    html = response.text
    assert "This was not saved." in html
    assert 'value="coach-at-example"' in html
    assert 'value="300"' in html
    assert "Enter a valid email address." in html
    assert "less than or equal to 200" in html
    assert not MembershipInvitation.objects.exists()


def test_a_refused_capacity_keeps_the_number_and_says_why(client_for, members):
    coach = members["coach"]
    response = client_for("admin").post(
        reverse("coaching:capacity", args=[coach.pk]), {"capacity": "0"}
    )
    assert response.status_code == 400
    assert 'value="0"' in response.text
    assert "greater than or equal to 1" in response.text


def test_other_roles_are_refused_before_any_form(client_for, members):
    assert (
        client_for("sponsor")
        .post(reverse("coaching:invite"), {"email": "c@example.com", "capacity": "3"})
        .status_code
        == 403
    )
    assert not MembershipInvitation.objects.exists()
