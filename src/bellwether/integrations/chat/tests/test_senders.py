"""From each event to the posted message: the senders of survey invitations, the check-in
link, overdue alerts, reviews due, coaching sessions and alignment requests go through
``dispatch`` to Slack (slack-sdk against the fake server) or Teams, and to email for
everyone else."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.core import mail

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.behaviours import services as behaviours
from bellwether.behaviours.models import Reminder
from bellwether.coaching import services as coaching
from bellwether.coaching.tests.factories import programme_for
from bellwether.communications import alerts
from bellwether.communications.models import AlertSent
from bellwether.initiatives import services as initiatives
from bellwether.initiatives.tests.factories import make_initiative
from bellwether.integrations.chat import messages
from bellwether.integrations.chat.models import ChatDelivery, SlackWorkspace, TeamsWebhook
from bellwether.integrations.chat.tests.fake_server import FakeChatServer
from bellwether.integrations.chat.tests.test_delivery import choose
from bellwether.people.models import LeaderLevel, Person
from bellwether.reviews import services as reviews
from bellwether.surveys.models import Invitation
from bellwether.surveys.services.links import invitation_link
from bellwether.surveys.tests.helpers import launch
from bellwether.testing.factories import PersonFactory, make_member

pytestmark = pytest.mark.django_db
Status = ChatDelivery.Status


def test_a_survey_invitation_reaches_slack_through_the_sdk(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    leader_person: Person,
    bystander: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """End to end: launching a pulse queues the invitations; the worker's job dispatches
    the leader's to Slack (users.lookupByEmail, then chat.postMessage with the personal
    link) and mails the bystander as before."""
    choose(members["leader"], messages.SURVEYS, messages.SLACK)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = launch(
            members["admin"].organisation,
            people=[leader_person, bystander],
            send_email=True,
            name="May pulse",
        )

    (lookup,) = chat_server.requests_to("users.lookupByEmail")
    assert lookup.body == {"email": "leader@acme.test"}
    (post,) = chat_server.requests_to("chat.postMessage")
    assert post.headers["Authorization"].startswith("Bearer xoxb-")
    assert post.body["channel"] == "U0LEADER1"
    assert post.body["blocks"][0]["text"]["text"] == "May pulse — Acme Corp"
    invitation = Invitation.objects.get(campaign=campaign, person=leader_person)
    button = post.body["blocks"][-1]["elements"][0]
    assert button["url"] == invitation_link(invitation)  # the personal link
    assert "/surveys/r/" in button["url"]
    delivery = ChatDelivery.objects.get()
    assert (delivery.kind, delivery.channel, delivery.status) == ("surveys", "slack", Status.SENT)
    # The leader is not mailed; the bystander is, as always; both count as invited.
    assert [m.to for m in mail.outbox] == [[bystander.email]]
    assert Invitation.objects.filter(campaign=campaign, invited_at__isnull=True).count() == 0


def test_the_check_in_link_reaches_teams_once_a_day(
    teams: TeamsWebhook,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    coachee: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    chat_server.reset()
    leader = members["leader"]
    choose(leader, messages.CHECK_IN, messages.TEAMS)
    with django_capture_on_commit_callbacks(execute=True):
        assert behaviours.send_check_in_reminders(organisation=leader.organisation) == 1
    (post,) = chat_server.state.requests
    card = post.body["attachments"][0]["content"]
    (action,) = card["actions"]
    assert action["title"] == "Check in"
    assert "/behaviours/check-in/link/" in action["url"]  # the one-tap link
    assert mail.outbox == []
    assert Reminder.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert behaviours.send_check_in_reminders(organisation=leader.organisation) == 0
    assert len(chat_server.state.requests) == 1


def test_an_overdue_digest_reaches_slack(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    unit: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    leader = members["leader"]
    leader.person = cast(
        Person,
        PersonFactory(organisation=leader.organisation, org_unit=unit, leader_level="operational"),
    )
    leader.save()
    choose(leader, messages.COMMUNICATIONS_OVERDUE, messages.SLACK)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.send_daily_digests(today=dt.date(2026, 3, 9)).sent == 1
    (post,) = chat_server.requests_to("chat.postMessage")
    assert "overdue" in post.body["text"]
    assert "/communications/" in post.body["blocks"][-1]["elements"][0]["url"]
    assert AlertSent.objects.count() == 1
    assert mail.outbox == []


def test_a_review_reminder_reaches_the_reviewer_on_slack(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    leader_person: Person,
    coachee: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    reviewer = members["reviewer"]
    chat_server.add_user("reviewer@acme.test", "U0REVIEW1")
    choose(reviewer, messages.REVIEWS_DUE, messages.SLACK)
    cycle = reviews.open_cycle(
        organisation=reviewer.organisation,
        quarter="2026-Q1",
        actor=None,
        due_on=dt.date(2026, 4, 14),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reviews.send_reminders(cycle=cycle, today=dt.date(2026, 4, 10)) == 1
    (post,) = chat_server.requests_to("chat.postMessage")
    assert post.body["channel"] == "U0REVIEW1"
    assert "is due on 14 April 2026" in post.body["text"]
    assert mail.outbox == []


def test_a_coaching_session_reaches_the_leader_by_their_choice(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    leader_person: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Coaching sessions had no mail: now the leader hears of one by email, or by Slack
    or Teams if chosen."""
    programme = programme_for(members["admin"], start=dt.date(2026, 1, 5), person=leader_person)
    with django_capture_on_commit_callbacks(execute=True):
        coaching.add_session(actor=programme.coach, programme=programme, date=dt.date(2026, 1, 12))
    (email,) = mail.outbox
    assert email.to == ["leader@acme.test"]
    assert email.subject == "Coaching session 1 on Monday 12 January 2026"
    assert "/coaching/sessions/" in email.body

    choose(members["leader"], messages.COACHING_SESSIONS, messages.SLACK)
    with django_capture_on_commit_callbacks(execute=True):
        coaching.add_session(actor=programme.coach, programme=programme, date=dt.date(2026, 1, 19))
    (post,) = chat_server.requests_to("chat.postMessage")
    assert post.body["blocks"][0]["text"]["text"] == "Coaching session 2 on Monday 19 January 2026"
    assert len(mail.outbox) == 1
    assert [d.channel for d in ChatDelivery.objects.order_by("pk")] == ["email", "slack"]


def test_an_alignment_request_reaches_a_new_signatory(
    teams: TeamsWebhook,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    django_capture_on_commit_callbacks: Any,
) -> None:
    org = members["admin"].organisation
    executive = cast(
        Person,
        PersonFactory(organisation=org, name="Eve Executive", leader_level=LeaderLevel.EXECUTIVE),
    )
    member = make_member(org, Role.SPONSOR, email="eve@acme.test", person=executive)
    choose(member, messages.ALIGNMENT_REQUESTS, messages.TEAMS)
    initiative = make_initiative(org, executive)
    chat_server.reset()
    with django_capture_on_commit_callbacks(execute=True):
        initiatives.set_signatories(initiative=initiative, actor=None, people=[executive])
    (post,) = chat_server.state.requests
    card = post.body["attachments"][0]["content"]
    assert card["body"][1]["text"] == "Your alignment is requested: GenAI support assistant"
    assert card["msteams"]["entities"][0]["mentioned"]["id"] == "eve@acme.test"
    # Named again: not asked again.
    with django_capture_on_commit_callbacks(execute=True):
        initiatives.set_signatories(initiative=initiative, actor=None, people=[executive])
    assert len(chat_server.state.requests) == 1
