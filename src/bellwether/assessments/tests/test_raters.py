"""Raters fixed when a cycle opens: suggestions at launch, late changes recorded and
shown, refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.assessments import reports, services
from bellwether.assessments.models import Rater, RaterChange, ReadinessCycle
from bellwether.assessments.tests.helpers import add_raters, launch, open_now
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.surveys.models import Invitation
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db


def test_suggested_raters_are_invited_at_launch_and_are_not_late(org, team) -> None:
    lead = team.leaders[0]
    cycle = launch(org, team.leaders, suggested_raters=True)
    assert cycle.is_late()  # it opened an hour ago, but these came with the launch
    mine = {(r.person_id, r.category) for r in Rater.objects.filter(cycle=cycle, leader=lead)}
    assert mine == {(team.boss.pk, "manager")} | {(p.pk, "peer") for p in team.leaders[1:]} | {
        (p.pk, "direct_report") for p in team.reports
    }
    assert set(Rater.objects.values_list("status", flat=True)) == {"approved"}
    assert all(r.invited_email == r.person.email for r in Rater.objects.select_related("person"))
    invitation = Invitation.objects.get(campaign=cycle.campaign, person=team.boss, subject=lead)
    assert invitation.category == "manager"
    assert invitation.category_disclosed
    assert not RaterChange.objects.exists()
    event = AuditEvent.objects.get(action="readiness.cycle_launched")
    assert event.details["raters_at_launch"] == Rater.objects.count()
    # A nominated cycle leaves the choice to the leaders.
    nominated = launch(org, team.leaders, rater_mode="nominated", suggested_raters=True, name="N")
    assert not Rater.objects.filter(cycle=nominated).exists()


def test_changes_before_opening_are_free_and_after_opening_are_recorded(org, team, members) -> None:
    lead = team.leaders[0]
    actor = members["admin"].user
    cycle = launch(org, [lead], scheduled=True, actor=actor)
    add_raters(cycle, lead, direct_report=[team.reports[0], team.reports[1]], actor=actor)
    services.remove_rater(rater=Rater.objects.get(person=team.reports[1]), actor=actor)
    assert not RaterChange.objects.exists()
    open_now(cycle)
    add_raters(cycle, lead, direct_report=[team.reports[2]], actor=actor)
    services.resend_link(
        rater=Rater.objects.get(person=team.reports[0]), actor=actor, send_email=False
    )
    services.remove_rater(rater=Rater.objects.get(person=team.reports[2]), actor=actor)
    changes = list(RaterChange.objects.order_by("id").values_list("kind", "person_id", "category"))
    assert changes == [
        ("added", team.reports[2].pk, "direct_report"),
        ("resent", team.reports[0].pk, "direct_report"),
        ("removed", team.reports[2].pk, "direct_report"),
    ]
    assert set(RaterChange.objects.values_list("actor", flat=True)) == {actor.pk}
    audited = set(
        AuditEvent.objects.filter(action__endswith="_late").values_list("action", flat=True)
    )
    assert audited == {
        "readiness.rater_added_late",
        "readiness.rater_resent_late",
        "readiness.rater_removed_late",
    }
    invitation = Invitation.objects.get(campaign=cycle.campaign, person=team.reports[0])
    assert invitation.reissued_at is not None
    # The leader's report says so while the cycle is open, and the raters page lists them.
    report = reports.individual_report(lead, cycle=cycle)
    assert report.changes == {"added": 1, "removed": 1, "resent": 1, "email_changed": 0}
    assert "1 rater was added, 1 rater was removed and 1 rater was sent a new link" in (
        report.changes_note
    )


def test_refused_changes_change_nothing(org, team, members) -> None:
    lead = team.leaders[0]
    cycle = launch(org, [lead], scheduled=True)
    proposed = Rater.objects.create(
        organisation=org, cycle=cycle, leader=lead, person=team.boss, category="manager"
    )
    with pytest.raises(DomainError, match="Only an invited rater"):
        services.resend_link(rater=proposed, actor=None)
    past = timezone.now() - dt.timedelta(seconds=1)
    ReadinessCycle.objects.filter(pk=cycle.pk).update(
        opens_at=past - dt.timedelta(days=1), closes_at=past
    )
    proposed.refresh_from_db()
    with pytest.raises(DomainError, match="closed"):
        services.resend_link(rater=proposed, actor=None)
    assert not RaterChange.objects.exists()
    assert not AuditEvent.objects.filter(action__endswith="_late").exists()


def test_a_reminder_to_a_changed_address_is_a_late_change(org, team, mailoutbox) -> None:
    lead = team.leaders[0]
    cycle = launch(org, [lead], scheduled=True)
    add_raters(cycle, lead, manager=[team.boss])
    type(team.boss).objects.filter(pk=team.boss.pk).update(email="elsewhere@acme.test")
    # Before the cycle opens the address is simply updated.
    invitation = Invitation.objects.get(campaign=cycle.campaign, person=team.boss)
    services.note_email_changes([invitation.pk])
    assert not RaterChange.objects.exists()
    assert Rater.objects.get(person=team.boss).invited_email == "elsewhere@acme.test"
    open_now(cycle)
    type(team.boss).objects.filter(pk=team.boss.pk).update(email="again@acme.test")
    assert services.deliver_rating_email(invitation_id=invitation.pk, kind="reminder")
    assert mailoutbox[-1].to == ["again@acme.test"]
    change = RaterChange.objects.get()
    assert (change.kind, change.person_id) == ("email_changed", team.boss.pk)
    # Once recorded, the next reminder to the same address is no new change.
    services.deliver_rating_email(invitation_id=invitation.pk, kind="reminder")
    assert RaterChange.objects.count() == 1


def test_approving_a_nomination_of_the_deciding_admin_is_refused(org, team, members) -> None:
    lead = team.leaders[0]
    admin = members["admin"]
    Membership.objects.filter(pk=admin.pk).update(person=team.leaders[1])
    cycle = launch(org, [lead], rater_mode="nominated", scheduled=True)
    (nominated,) = services.nominate_raters(
        cycle=cycle, actor=None, leader=lead, raters=[(team.leaders[1].pk, "peer")]
    )
    with pytest.raises(DomainError) as refused:
        services.decide_nominations(
            cycle=cycle, actor=admin.user, rater_ids=[nominated.pk], decision="approve"
        )
    assert refused.value.code == "admin_as_rater"
    nominated.refresh_from_db()
    assert nominated.status == "proposed"
    assert not Invitation.objects.filter(campaign=cycle.campaign, person=team.leaders[1]).exists()


def test_the_raters_page_warns_once_open_and_sends_a_new_link(
    client_for, org, team, members
) -> None:
    lead = team.leaders[0]
    cycle = launch(org, [lead], scheduled=True)
    add_raters(cycle, lead, manager=[team.boss])
    client = client_for("admin")
    url = reverse("assessments:raters", args=[cycle.pk, lead.pk])
    body = client.get(url).content.decode()
    assert 'id="setup-note"' in body
    assert 'id="late-notice"' not in body
    open_now(cycle)
    body = client.get(url).content.decode()
    assert 'id="late-notice"' in body
    rater = Rater.objects.get(person=team.boss)
    assert rater.invitation is not None
    old = rater.invitation.nonce
    response = client.post(url, {"action": "resend", "rater": rater.pk})
    assert response.status_code == 302
    assert Invitation.objects.get(pk=rater.invitation.pk).nonce != old
    body = client.get(url).content.decode()
    assert 'id="rater-changes"' in body
    assert "sent a new link after the cycle opened" in body
    # Another organisation's rater id is a 404, and nothing changes.
    assert client.post(url, {"action": "resend", "rater": 999999}).status_code == 404
    assert RaterChange.objects.count() == 1


def test_launch_through_the_api_with_suggested_raters(members, team) -> None:
    client = api_client_for(members["admin"])
    now = timezone.now()
    response = client.post(
        "/api/v1/readiness/cycles",
        {
            "name": "With raters",
            "opens_at": (now + dt.timedelta(days=2)).isoformat(),
            "closes_at": (now + dt.timedelta(days=20)).isoformat(),
            "leaders": {"person_ids": [team.leaders[0].pk]},
            "send_email": False,
            "suggested_raters": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["released_at"] is None
    # The manager, the three peers and Lena (a senior leader of the same unit), the
    # three direct reports.
    assert Rater.objects.filter(leader=team.leaders[0]).count() == 8
    assert not RaterChange.objects.exists()
