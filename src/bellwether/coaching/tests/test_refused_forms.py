"""The coaching admin's small forms keep what was typed when refused, and say why."""

from __future__ import annotations

from html import unescape

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


# --- a programme's plan, its sessions and action items ---------------------------------------


@pytest.fixture
def coached(members):
    """A programme started two days ago and a client signed in as its coach."""
    import datetime as dt

    from django.test import Client
    from django.utils import timezone

    from bellwether.coaching import services
    from bellwether.coaching.tests.factories import coach_with
    from bellwether.testing.factories import PersonFactory

    leader = PersonFactory(organisation=members["admin"].organisation, leader_level="senior")
    coach = coach_with(members["admin"], [leader])
    programme = services.start_programme(
        actor=coach, person=leader, start_date=timezone.localdate() - dt.timedelta(days=2)
    )
    client = Client()
    client.force_login(coach.user)
    return programme, coach, client


def test_a_refused_coaching_plan_keeps_the_milestones_and_says_why(coached):
    from bellwether.coaching.models import Milestone

    programme, _coach, client = coached
    response = client.post(
        reverse("coaching:plan", args=[programme.pk]),
        {"milestones": "3 Runs the first AI review\n99 Presents at the summit"},
    )
    assert response.status_code == 400
    html = unescape(response.text)
    assert "This was not saved." in html
    assert "99 Presents at the summit" in html  # what was typed is kept
    assert "A milestone's week is 1 to" in html
    assert f'action="{reverse("coaching:plan", args=[programme.pk])}"' in html
    assert not Milestone.objects.filter(programme=programme).exists()


def test_a_session_without_a_date_says_why(coached):
    from bellwether.coaching.models import Session

    programme, _coach, client = coached
    response = client.post(reverse("coaching:add_session", args=[programme.pk]), {"date": ""})
    assert response.status_code == 400
    assert "Give the session's date." in unescape(response.text)
    assert not Session.objects.filter(programme=programme).exists()


def test_a_change_without_new_wording_keeps_the_reason_and_goes_back_to_the_session(coached):
    from bellwether.coaching import services
    from bellwether.coaching.models import ActionItem

    programme, coach, client = coached
    session = services.add_session(actor=coach, programme=programme, date=programme.start_date)
    item = ActionItem.objects.create(programme=programme, raised_in=session, text="Write the memo")
    response = client.post(
        reverse("coaching:item", args=[item.pk]),
        {"action": "change", "reason": "The memo became a workshop", "session": session.pk},
    )
    assert response.status_code == 400
    html = unescape(response.text)
    assert "The memo became a workshop" in html  # the reason typed is kept
    assert "new wording" in html
    assert f'name="session" value="{session.pk}"' in html
    assert f'href="{reverse("coaching:session", args=[session.pk])}"' in html
    item.refresh_from_db()
    assert (item.text, item.decision) == ("Write the memo", "")


def test_dropping_an_item_is_confirmed_first(coached):
    from bellwether.coaching import services
    from bellwether.coaching.models import ActionItem

    programme, coach, client = coached
    session = services.add_session(actor=coach, programme=programme, date=programme.start_date)
    item = ActionItem.objects.create(programme=programme, raised_in=session, text="Write the memo")
    url = reverse("coaching:item", args=[item.pk])
    asked = client.post(url, {"action": "dropped", "session": session.pk})
    assert asked.status_code == 200
    assert "Drop “Write the memo”?" in unescape(asked.text)
    item.refresh_from_db()
    assert item.status == "open"
    done = client.post(url, {"action": "dropped", "session": session.pk, "confirmed": "yes"})
    assert done["Location"] == reverse("coaching:session", args=[session.pk])
    item.refresh_from_db()
    assert item.status == "dropped"
