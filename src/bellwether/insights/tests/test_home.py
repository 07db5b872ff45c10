"""Each role's home page and the task inbox gathered across apps."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.roles import Role
from bellwether.assessments.tests.factories import record_result
from bellwether.engagement import services as engagement
from bellwether.engagement.models import EngagementPlan
from bellwether.framework.catalogue import STAGE_LEARNING_ONLY_PILOT
from bellwether.initiatives import services as initiatives
from bellwether.initiatives.alignment import ALIGNMENT_ELEMENTS
from bellwether.initiatives.models import Initiative
from bellwether.insights.inbox import inbox_for, open_count
from bellwether.people.models import LeaderLevel, Person
from bellwether.surveys.tests import helpers as pulse
from bellwether.testing.factories import PersonFactory, make_member

pytestmark = pytest.mark.django_db


def _kinds(membership) -> list[str]:
    return [i.kind for i in inbox_for(membership, today=timezone.localdate())]


def test_an_open_pulse_is_in_the_invitees_inbox_until_answered(org, unit) -> None:
    person = cast(Person, PersonFactory(organisation=org, org_unit=unit))
    member = make_member(org, Role.LEADER, person=person)
    others = pulse.people_in(org, unit, 4)
    campaign = pulse.launch(org, people=[person, *others])
    items = inbox_for(member, today=timezone.localdate())
    assert [i.kind for i in items] == ["surveys.respond"]
    assert items[0].url.startswith("/surveys/r/")
    assert items[0].due == timezone.localtime(campaign.closes_at).date()
    # The link in the inbox is the member's own working link.
    assert "May pulse" in str(items[0].title)
    pulse.answer(campaign, person, confidence=4)
    assert _kinds(member) == []


def test_another_persons_invitations_never_show(org, unit, members) -> None:
    others = pulse.people_in(org, unit, 5)
    pulse.launch(org, people=others)
    assert "surveys.respond" not in _kinds(members["admin"])
    assert "surveys.respond" not in _kinds(members["leader"])


def test_an_executive_asked_to_align_has_it_to_do(org) -> None:
    executive = cast(Person, PersonFactory(organisation=org, leader_level=LeaderLevel.EXECUTIVE))
    member = make_member(org, Role.SPONSOR, person=executive)
    initiative = initiatives.create_initiative(
        organisation=org,
        actor=None,
        name="Claims triage",
        archetype="archetype.genai_customer_facing",
        sponsor=executive,
        problem="Slow claims",
    )
    initiatives.set_signatories(initiative=initiative, actor=None, people=[executive])
    # An idea is not yet asked for: only a live package is.
    assert "initiatives.align" not in _kinds(member)
    Initiative.objects.filter(pk=initiative.pk).update(stage=STAGE_LEARNING_ONLY_PILOT)
    assert "initiatives.align" in _kinds(member)
    for element in ALIGNMENT_ELEMENTS:
        initiatives.record_alignment(
            initiative=initiative, actor=None, executive=executive, element=element, agrees=True
        )
    assert "initiatives.align" not in _kinds(member)


def test_coaches_see_each_review_and_admins_a_summary(org, members, coachee) -> None:
    engagement.set_barriers(person=coachee, actor=None, marks={"barrier.risk_aversion": "primary"})
    engagement.generate_plan(person=coachee, actor=None, start=dt.date(2026, 1, 5))
    EngagementPlan.objects.filter(person=coachee).update(next_review_due=dt.date(2026, 1, 12))
    today = dt.date(2026, 1, 20)
    coach_items = inbox_for(members["coach"], today=today)
    assert [i.kind for i in coach_items] == ["engagement.review"]
    assert coach_items[0].is_overdue(today)
    admin_items = inbox_for(members["admin"], today=today)
    assert [(i.kind, i.count) for i in admin_items] == [("engagement.review_overdue", 1)]
    assert open_count(admin_items) == 1
    assert not {i.kind for i in inbox_for(members["leader"], today=today)} & {
        "engagement.review",
        "engagement.review_overdue",
    }


def test_each_role_lands_on_its_own_home(client_for, org, members, leader_person, coachee) -> None:
    record_result(organisation=org, person=leader_person, total=72)
    record_result(organisation=org, person=coachee, total=48)
    pages = {role: client_for(role).get(reverse("core:home")) for role in members}
    assert all(p.status_code == 200 for p in pages.values())
    admin = pages["admin"].content.decode()
    assert "The programme" in admin
    assert "Primary KPIs this month" in admin
    sponsor = pages["sponsor"].content.decode()
    assert "Primary KPIs this month" in sponsor
    assert "The programme" not in sponsor
    leader = pages["leader"].content.decode()
    assert "Your AI readiness" in leader
    assert "Primary KPIs" not in leader
    coach = pages["coach"].content.decode()
    assert "Your coachees" in coach
    assert coachee.name in coach
    # The coach's coachee's band is shown to the coach, and to nobody else's home.
    assert coachee.name not in leader


def test_the_inbox_page_and_its_navigation_count(client_for, org, members, leader_person) -> None:
    others = pulse.people_in(org, leader_person.org_unit, 4)
    pulse.launch(org, people=[leader_person, *others])
    client = client_for("leader")
    page = client.get(reverse("insights:inbox")).content.decode()
    assert "Answer “May pulse”" in page
    count = client.get(reverse("insights:inbox_count")).content.decode()
    expected = open_count(inbox_for(members["leader"], today=timezone.localdate()))
    assert expected >= 1
    assert f">{expected}<" in count
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("insights:inbox_count") in home
    assert client_for("sponsor").get(reverse("insights:inbox_count")).content.strip() == b""


def test_the_home_page_reads_a_bounded_number_of_queries(
    client_for, django_assert_max_num_queries
) -> None:
    client = client_for("admin")
    with django_assert_max_num_queries(60):
        assert client.get(reverse("core:home")).status_code == 200


def test_an_unanswered_roundtable_invitation_is_to_do(org, members, leader_person) -> None:
    from bellwether.peers import services as peers

    starts = timezone.now() + dt.timedelta(days=3)
    event = peers.schedule_event(
        organisation=org,
        actor=None,
        kind="peer.roundtable",
        topic="AI in planning",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        invitee_ids=[leader_person.pk],
    )
    items = inbox_for(members["leader"], today=timezone.localdate())
    assert [(i.kind, i.url) for i in items if i.kind == "peers.rsvp"] == [
        ("peers.rsvp", reverse("peers:event", args=[event.pk]))
    ]
    peers.answer_invitation(event=event, person_id=leader_person.pk, answer="yes", actor=None)
    assert "peers.rsvp" not in _kinds(members["leader"])


def test_a_leaders_communication_slots_are_to_do(org, members, leader_person) -> None:
    today = timezone.localdate()
    items = inbox_for(members["leader"], today=today)
    kinds = {i.kind for i in items}
    # A senior leader's level has cadences: something is due or overdue.
    assert kinds & {"communications.due", "communications.overdue"}
    assert all(
        i.url == reverse("communications:home")
        for i in items
        if i.kind.startswith("communications.")
    )
    assert inbox_for(members["admin"], today=today) == []


def test_todays_check_in_is_to_do_until_done(org, members, leader_person) -> None:
    from bellwether.behaviours.services import checkins

    today = timezone.localdate()
    assert "behaviours.check_in" in _kinds(members["leader"])
    checkins.record_check_in(person=leader_person, day=today, behaviours=[], actor=None)
    assert "behaviours.check_in" not in _kinds(members["leader"])
    assert "behaviours.check_in" not in _kinds(members["admin"])


def test_reviews_to_write_and_to_acknowledge(org, members, leader_person, coachee) -> None:
    from bellwether.reviews import services as reviews
    from bellwether.reviews.models import Review, ReviewStatus

    quarter = f"{timezone.localdate().year}-Q1"
    cycle = reviews.open_cycle(organisation=org, quarter=quarter, actor=members["admin"].user)
    # The reviewer member is assigned the coachee: they write the coachee's review.
    review = Review.objects.get(cycle=cycle, person=coachee)
    today = timezone.localdate()
    titles = {i.kind: i.title for i in inbox_for(members["reviewer"], today=today)}
    assert titles.get("reviews.write", "").startswith(f"Write {coachee.name}'s")
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.SUBMITTED)
    Review.objects.filter(cycle=cycle, person=leader_person).update(status=ReviewStatus.SUBMITTED)
    assert "reviews.write" not in _kinds(members["reviewer"])
    assert "reviews.acknowledge" in _kinds(members["leader"])
