"""Confidentiality minimums (page and API), the invitations page, and the audience filter."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from bellwether.core.models import AuditEvent
from bellwether.surveys import selectors, services
from bellwether.surveys.models import (
    Campaign,
    Completion,
    ConfidentialitySettings,
    Invitation,
    Response,
)
from bellwether.surveys.tests.helpers import answer, launch, person, token_for
from bellwether.testing.factories import api_client_for

# --- minimums -------------------------------------------------------------------------------


def test_the_page_explains_and_saves_the_minimums(org, client_for) -> None:
    admin = client_for("admin")
    page = admin.get(reverse("surveys:confidentiality")).content.decode()
    assert "Protects pulse respondents" in page
    assert "Protects people who write comments" in page
    done = admin.post(
        reverse("surveys:confidentiality"),
        {"min_group": "7", "min_360_group": "4", "min_comments": "12"},
    )
    assert done.status_code == 302
    assert selectors.policy_for(org).min_group == 7
    event = AuditEvent.objects.get(action="surveys.confidentiality_changed")
    assert event.details["min_group"] == 7


@pytest.mark.parametrize(
    "data",
    [
        {"min_group": "2", "min_360_group": "3", "min_comments": "10"},
        {"min_group": "5", "min_360_group": "1", "min_comments": "10"},
        {"min_group": "5", "min_360_group": "3", "min_comments": "0"},
        {"min_group": "8", "min_360_group": "3", "min_comments": "6"},
        {"min_group": "five", "min_360_group": "3", "min_comments": "10"},
        {"min_group": "-4", "min_360_group": "3", "min_comments": "10"},
    ],
)
def test_weak_minimums_are_refused_on_the_page_and_nothing_changes(org, client_for, data) -> None:
    services.update_confidentiality(
        organisation=org, actor=None, min_group=6, min_360_group=4, min_comments=11
    )
    events = AuditEvent.objects.count()
    page = client_for("admin").post(reverse("surveys:confidentiality"), data)
    assert page.status_code == 400
    body = page.content.decode()
    assert "field-error" in body
    row = ConfidentialitySettings.objects.get(organisation=org)
    assert (row.min_group, row.min_360_group, row.min_comments) == (6, 4, 11)
    assert AuditEvent.objects.filter(action="surveys.confidentiality_changed").count() == 1
    assert AuditEvent.objects.count() == events


def test_the_api_reads_and_changes_minimums_and_refuses_below_three(org, members) -> None:
    client = api_client_for(members["admin"])
    assert client.get("/api/v1/surveys/confidentiality").json() == {
        "min_group": 5,
        "min_360_group": 3,
        "min_comments": 10,
    }
    put = client.put(
        "/api/v1/surveys/confidentiality",
        {"min_group": 6, "min_360_group": 3, "min_comments": 10},
        content_type="application/json",
    )
    assert put.status_code == 200
    assert put.json()["min_group"] == 6
    refused = client.put(
        "/api/v1/surveys/confidentiality",
        {"min_group": 2, "min_360_group": 3, "min_comments": 10},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "below 3" in refused.content.decode()
    assert selectors.policy_for(org).min_group == 6
    sponsor = api_client_for(members["sponsor"])
    assert (
        sponsor.put(
            "/api/v1/surveys/confidentiality",
            {"min_group": 3, "min_360_group": 3, "min_comments": 3},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert selectors.policy_for(org).min_group == 6


# --- invitations ----------------------------------------------------------------------------


@pytest.fixture
def pulse(org):
    people = [person(org, name=f"Person {i:02d}") for i in range(6)]
    campaign = launch(org, people=people)
    answer(campaign, people[0], 5, 4, "Great")
    answer(campaign, people[3], 1, 2, "Worried")
    services.save_draft(token=token_for(campaign, people[1]), answers={"confidence": 3})
    return campaign, people


def _status_cells(html: str) -> list[str]:
    return re.findall(r'<span class="badge status-[a-z-]+">([^<]+)</span>', html)


def test_an_anonymous_campaign_lists_completion_only(pulse, client_for) -> None:
    campaign, _people = pulse
    page = client_for("admin").get(reverse("surveys:invitations", args=[campaign.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    # Listed by name, each with answered / not answered and nothing else.
    assert _status_cells(html) == [
        "answered",
        "not answered",
        "not answered",
        "answered",
        "not answered",
        "not answered",
    ]
    assert "draft" not in html.lower().replace("a draft version", "")
    assert "Great" not in html
    assert "Worried" not in html
    for response in Response.objects.filter(campaign=campaign):
        assert str(response.pk) not in html
    for completion in Completion.objects.filter(campaign=campaign):
        assert completion.created_at.strftime("%H:%M") not in html


def test_the_invitations_page_cannot_join_a_response_to_a_person(pulse, client_for) -> None:
    """Adversarial: search, sort and paging tricks give nothing that links an answer to a
    person — no ordering by completion, no answer values, no time, no response keys."""
    campaign, people = pulse
    admin = client_for("admin")
    pages = [
        admin.get(reverse("surveys:invitations", args=[campaign.pk]), params).content.decode()
        for params in (
            {},
            {"q": people[0].name},
            {"q": people[3].email},
            {"order": "completion"},
            {"sort": "-completion__created_at"},
            {"page": "2"},
        )
    ]
    responses = list(Response.objects.filter(campaign=campaign))
    for html in pages:
        for response in responses:
            assert str(response.pk) not in html
        assert "5 –" not in html
        assert "Strongly" not in html
    # Whatever the parameters, the order is by name, never by who answered first.
    names = re.findall(r"<td>(Person \d\d) <span", pages[3])
    assert names == sorted(names)
    assert re.findall(r"<td>(Person \d\d) <span", pages[1]) == [people[0].name]


def test_a_confidential_campaign_shows_progress(org, client_for) -> None:
    people = [person(org, name=f"Rater {i}") for i in range(3)]
    campaign = launch(
        org, people=people, mode=Campaign.Mode.CONFIDENTIAL, confidential_owner="readiness"
    )
    answer(campaign, people[0], 4)
    services.save_draft(token=token_for(campaign, people[1]), answers={"confidence": 3})
    html = client_for("admin").get(reverse("surveys:invitations", args=[campaign.pk]))
    assert _status_cells(html.content.decode()) == ["completed", "draft", "not started"]


def test_revoke_and_reissue_from_the_page(
    pulse, client_for, django_capture_on_commit_callbacks
) -> None:
    campaign, people = pulse
    admin = client_for("admin")
    invitation = Invitation.objects.get(campaign=campaign, person=people[2])
    old = token_for(campaign, people[2])
    admin.post(reverse("surveys:invitation_revoke", args=[invitation.pk]), {"confirmed": "yes"})
    assert services.check_link(old).state is services.LinkState.REVOKED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("surveys:invitation_reissue", args=[invitation.pk]))
    new = token_for(campaign, people[2])
    assert new != old
    assert services.check_link(new).state is services.LinkState.OK
    assert services.check_link(old).state is services.LinkState.REVOKED


def test_an_answered_invitation_is_not_reissued(pulse, client_for) -> None:
    campaign, people = pulse
    invitation = Invitation.objects.get(campaign=campaign, person=people[0])
    nonce = invitation.nonce
    page = client_for("admin").post(
        reverse("surveys:invitation_reissue", args=[invitation.pk]), follow=True
    )
    assert "already been answered" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.nonce == nonce


def test_other_org_cannot_touch_invitations(pulse, client_for) -> None:
    campaign, people = pulse
    invitation = Invitation.objects.get(campaign=campaign, person=people[2])
    outsider = client_for("outsider")
    assert (
        outsider.post(reverse("surveys:invitation_revoke", args=[invitation.pk])).status_code == 404
    )
    assert outsider.get(reverse("surveys:invitations", args=[campaign.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitations_page_query_count(org, client_for, django_assert_max_num_queries) -> None:
    people = [person(org) for _ in range(40)]
    campaign = launch(org, people=people)
    admin = client_for("admin")
    with django_assert_max_num_queries(14):
        page = admin.get(reverse("surveys:invitations", args=[campaign.pk]))
    assert len(_status_cells(page.content.decode())) == 40


# --- audience ---------------------------------------------------------------------------------


def test_not_a_leader_audience(org, client_for) -> None:
    staff = [person(org) for _ in range(3)]
    person(org, leader_level="senior")
    ids = services.resolve_audience(organisation=org, audience={"not_leaders": True})
    assert set(ids) == {p.pk for p in staff}


def test_the_campaign_form_launches_to_people_who_are_not_leaders(org, client_for) -> None:
    from bellwether.surveys.tests.helpers import confidence_version

    version = confidence_version(org)
    staff = [person(org) for _ in range(2)]
    leader = person(org, leader_level="senior")
    page = client_for("admin").post(
        reverse("surveys:campaign_new"),
        {
            "version": version.pk,
            "name": "Staff pulse",
            "opens_at": "2020-01-01T09:00",
            "closes_at": "2099-01-01T09:00",
            "time_zone": "UTC",
            "mode": "anonymous",
            "org_unit_depth": "1",
            "not_leaders": "on",
        },
    )
    assert page.status_code == 302
    campaign = Campaign.objects.get(organisation=org, name="Staff pulse")
    invited = set(Invitation.objects.filter(campaign=campaign).values_list("person_id", flat=True))
    assert {p.pk for p in staff} <= invited
    assert leader.pk not in invited
