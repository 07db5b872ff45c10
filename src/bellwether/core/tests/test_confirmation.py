"""What can't be undone is confirmed first: a POST without the confirmation changes nothing
and answers the confirmation step (which posts the same fields again), a refused role is
refused before it is asked, and the page's own button carries ``data-confirm`` for the
JavaScript dialog."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from bellwether.accounts import services_members, services_tokens
from bellwether.accounts.models import Membership, MembershipInvitation
from bellwether.accounts.roles import Role
from bellwether.assessments.models import ReadinessCycle
from bellwether.assessments.tests.helpers import launch as launch_cycle
from bellwether.assessments.tests.helpers import make_team
from bellwether.surveys.models import Invitation
from bellwether.surveys.tests.helpers import launch, person

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirmed": "yes"}


def asks(response, question: str) -> str:
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert question in html
    assert 'name="confirmed" value="yes"' in html
    assert "Cancel: change nothing" in html
    return html


def test_closing_a_cycle_is_confirmed_first(client_for, org, unit, members):
    cycle = launch_cycle(org, make_team(org, unit).leaders)
    client = client_for("admin")
    page = client.get(reverse("assessments:cycle", args=[cycle.pk])).text
    assert "data-confirm=" in page
    url = reverse("assessments:cycle_close", args=[cycle.pk])
    asks(client.post(url), f"Close {cycle.name} now?")
    cycle.refresh_from_db()
    assert cycle.status == ReadinessCycle.Status.OPEN
    assert client_for("leader").post(url, CONFIRMED).status_code == 403
    assert client.post(url, CONFIRMED).status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == ReadinessCycle.Status.CLOSED


def test_closing_a_pulse_is_confirmed_first(client_for, org, members):
    campaign = launch(org, people=[person(org) for _ in range(3)])
    client = client_for("admin")
    url = reverse("surveys:campaign_close", args=[campaign.pk])
    closes_at = campaign.closes_at
    asks(client.post(url), f"Close {campaign.name} now?")
    campaign.refresh_from_db()
    assert campaign.closes_at == closes_at
    assert client_for("sponsor").post(url, CONFIRMED).status_code == 403
    assert client.post(url, CONFIRMED).status_code == 302
    campaign.refresh_from_db()
    assert campaign.closes_at < closes_at


def test_withdrawing_a_survey_link_is_confirmed_first_and_keeps_the_search(
    client_for, org, members
):
    campaign = launch(org, people=[person(org) for _ in range(3)])
    invitation = Invitation.objects.filter(campaign=campaign).first()
    client = client_for("admin")
    url = reverse("surveys:invitation_revoke", args=[invitation.pk])
    html = asks(client.post(url, {"q": "Person"}), "Withdraw this survey link?")
    assert 'name="q" value="Person"' in html  # the step posts the same fields again
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    response = client.post(url, {"q": "Person", **CONFIRMED})
    assert response.status_code == 302
    assert response["Location"].endswith("?q=Person")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_removing_a_member_withdrawing_an_invitation_and_revoking_a_token_are_confirmed(
    client_for, org, members
):
    client = client_for("admin")
    target = members["coach"]
    url = reverse("accounts:deactivate_member", args=[target.pk])
    asks(client.post(url), f"Remove {target.user.email}'s access")
    assert Membership.objects.get(pk=target.pk).is_active
    assert client_for("sponsor").post(url, CONFIRMED).status_code == 403
    assert Membership.objects.get(pk=target.pk).is_active

    invitation = services_members.invite_member(
        organisation=org, actor=members["admin"], email="new@acme.test", roles=[Role.LEADER]
    )
    url = reverse("accounts:withdraw_invitation", args=[invitation.pk])
    asks(client.post(url), "Withdraw the invitation to new@acme.test?")
    invitation.refresh_from_db()
    assert invitation.status == MembershipInvitation.Status.PENDING
    client.post(url, CONFIRMED)
    invitation.refresh_from_db()
    assert invitation.status == MembershipInvitation.Status.WITHDRAWN

    token, _secret = services_tokens.create_api_token(membership=members["admin"], name="CI")
    url = reverse("accounts:revoke_token", args=[token.pk])
    asks(client.post(url), "Revoke the token “CI”?")
    token.refresh_from_db()
    assert token.revoked_at is None
    client.post(url, CONFIRMED)
    token.refresh_from_db()
    assert token.revoked_at is not None
