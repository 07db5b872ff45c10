"""Readiness pages: home per role, launching, progress, reminders, raters, nominations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bellwether.assessments import services
from bellwether.assessments.models import Rater, ReadinessCycle
from bellwether.assessments.tests.factories import record_result
from bellwether.assessments.tests.helpers import add_raters, launch, make_team, rate
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.people.models import LeaderLevel, Person
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Campaign, Invitation, Question

pytestmark = pytest.mark.django_db


def _many_leaders(org, unit, n: int) -> list[Person]:
    Person.objects.bulk_create(
        Person(
            organisation=org,
            employee_id=f"M{i:04d}",
            name=f"Leader {i:04d}",
            email=f"m{i}@example.com",
            org_unit=unit,
            leader_level=LeaderLevel.OPERATIONAL,
        )
        for i in range(n)
    )
    return list(Person.objects.filter(organisation=org, employee_id__startswith="M"))


def test_admin_home_lists_cycles_with_completion(client_for, org, team, members) -> None:
    cycle = launch(org, team.leaders)
    rate(cycle, team.leaders[0], team.leaders[0], 4)
    response = client_for("admin").get(reverse("assessments:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Spring readiness" in body
    assert "1 of 4" in body
    assert "Launch a cycle" in body
    sponsor = client_for("sponsor").get(reverse("assessments:home")).content.decode()
    assert "Spring readiness" in sponsor
    assert "Launch a cycle" not in sponsor


def test_home_query_count_does_not_grow_with_cycles(
    client_for, org, team, members, django_assert_max_num_queries
) -> None:
    for i in range(12):
        launch(org, team.leaders, name=f"Cycle {i}")
    client = client_for("admin")
    client.get(reverse("assessments:home"))  # the session settles
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessments:home"))
    assert response.content.decode().count("/readiness/cycles/") >= 12


def test_leader_home_shows_the_self_assessment_link_and_band(
    client_for, org, unit, members, leader_person
) -> None:
    make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person], rater_mode="nominated")
    # The band of record comes from an earlier, released cycle.
    record_result(organisation=org, person=leader_person, total=77)
    body = client_for("leader").get(reverse("assessments:home")).content.decode()
    assert "My readiness" in body
    assert "Complete my self-assessment" in body
    assert "/surveys/r/" in body
    assert "Nominate my raters" in body
    assert "Supporter" in body
    assert "Cycles</h2>" not in body  # leaders do not see the cycle list
    rate(cycle, leader_person, leader_person, 4)
    body = client_for("leader").get(reverse("assessments:home")).content.decode()
    assert "Self-assessment done" in body
    assert "Complete my self-assessment" not in body


def test_coach_home_shows_coachees_latest_bands_only(
    client_for, org, unit, members, coachee, bystander
) -> None:
    record_result(organisation=org, person=coachee, total=45)
    record_result(organisation=org, person=bystander, total=90)
    body = client_for("coach").get(reverse("assessments:home")).content.decode()
    assert "Colin Coachee" in body
    assert "Skeptical" in body
    assert "Bea Bystander" not in body
    assert "Champion" not in body


def test_launch_page_creates_a_cycle(client_for, team, members) -> None:
    client = client_for("admin")
    assert client.get(reverse("assessments:cycle_new")).status_code == 200
    opens = timezone.localtime() - dt.timedelta(hours=1)
    response = client.post(
        reverse("assessments:cycle_new"),
        {
            "name": "Q3 readiness",
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (opens + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
            "time_zone": "UTC",
            "rater_mode": "assigned",
            "leader_levels": ["senior"],
        },
    )
    cycle = ReadinessCycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:cycle", args=[cycle.pk])
    assert cycle.leaders.count() == 5  # the four senior leaders of the team and Lena
    assert team.boss.pk not in set(cycle.leaders.values_list("person_id", flat=True))


def test_launch_page_shows_errors(client_for, org, unit, members) -> None:
    response = client_for("admin").post(
        reverse("assessments:cycle_new"),
        {
            "name": "Nobody",
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2030-01-01T09:00",
            "time_zone": "UTC",
            "rater_mode": "assigned",
            "leader_levels": ["executive"],
        },
    )
    assert response.status_code == 400
    assert "no active leader" in response.content.decode().lower()
    assert not ReadinessCycle.objects.exists()


def _launch_form(**choice: object) -> dict[str, object]:
    opens = timezone.localtime() - dt.timedelta(hours=1)
    return {
        "name": "Q3 readiness",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "UTC",
        "rater_mode": "assigned",
        **choice,
    }


def test_launch_page_with_no_leaders_chosen_invites_nobody(client_for, org, unit, members):
    make_team(org, unit)
    events = AuditEvent.objects.count()
    response = client_for("admin").post(reverse("assessments:cycle_new"), _launch_form())
    assert response.status_code == 400
    assert "Say which leaders" in response.content.decode()
    assert not ReadinessCycle.objects.exists()
    assert not Invitation.objects.exists()
    assert AuditEvent.objects.count() == events


def test_launch_page_refuses_every_leader_and_a_choice_together(client_for, org, unit, members):
    make_team(org, unit)
    form = _launch_form(all_leaders="on", leader_levels=["senior"])
    response = client_for("admin").post(reverse("assessments:cycle_new"), form)
    assert response.status_code == 400
    assert "not both" in response.content.decode()
    assert not ReadinessCycle.objects.exists()


def test_launch_page_every_active_leader_when_ticked(client_for, org, team, members):
    response = client_for("admin").post(
        reverse("assessments:cycle_new"), _launch_form(all_leaders="on")
    )
    assert response.status_code == 302
    chosen = set(ReadinessCycle.objects.get().leaders.values_list("person_id", flat=True))
    leaders = Person.objects.filter(organisation=org, active=True).exclude(leader_level="")
    assert chosen == set(leaders.values_list("pk", flat=True))
    assert team.reports[0].pk not in chosen


def test_a_reminder_post_naming_nobody_reminds_nobody(client_for, org, team, members):
    cycle = launch(org, team.leaders)
    url = reverse("assessments:cycle_remind", args=[cycle.pk])
    response = client_for("admin").post(url, {"category": "self"}, follow=True)
    assert "Say whom to remind" in response.content.decode()
    assert not AuditEvent.objects.filter(action="readiness.reminders_sent").exists()


def test_the_service_refuses_a_launch_that_names_nobody(org, unit):
    make_team(org, unit)
    now = timezone.now()
    for leaders in ({}, {"all": False}, {"person_ids": []}, {"all": True, "person_ids": [1]}):
        with pytest.raises(DomainError):
            services.launch_cycle(
                organisation=org,
                actor=None,
                name="Nobody",
                leaders=leaders,
                opens_at=now,
                closes_at=now + dt.timedelta(days=3),
            )
    assert not ReadinessCycle.objects.exists()


def test_progress_page_counts_by_leader_and_category_without_n_plus_one(
    client_for, org, unit, members, django_assert_max_num_queries
) -> None:
    leaders = _many_leaders(org, unit, 210)
    cycle = launch(org, leaders)
    add_raters(cycle, leaders[0], peer=[leaders[1], leaders[2]])
    rate(cycle, leaders[1], leaders[0], 4)
    client = client_for("admin")
    url = reverse("assessments:cycle", args=[cycle.pk])
    # Fixed whatever the number of leaders: only the page's rows are built (the leaders
    # are counted, one page of ids read, its progress and the category totals counted).
    with django_assert_max_num_queries(17):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "210" in body
    assert "1 / 212" in body
    assert body.count('class="secondary small-button remind-leader"') == 100  # one page
    with django_assert_max_num_queries(17):
        page3 = client.get(url + "?page=3")
    assert "Leader 0209" in page3.content.decode()
    found = client.get(url + "?q=Leader 0001").content.decode()
    assert "Leader 0001" in found
    assert "Leader 0002" not in found
    # The sponsor follows progress but has no buttons.
    sponsor = client_for("sponsor").get(url).content.decode()
    assert "Remind everyone still due" not in sponsor
    assert "Raters" not in sponsor


def test_one_click_reminders(client_for, org, team, members) -> None:
    lead = team.leaders[0]
    cycle = launch(org, team.leaders)
    add_raters(cycle, lead, direct_report=team.reports)
    client = client_for("admin")
    url = reverse("assessments:cycle_remind", args=[cycle.pk])
    client.post(url, {"all": "1"})
    client.post(url, {"leader": lead.pk})
    client.post(url, {"all": "1", "category": "direct_report"})
    events = list(
        AuditEvent.objects.filter(action="readiness.reminders_sent")
        .order_by("id")
        .values_list("details", flat=True)
    )
    assert [e["pending"] for e in events] == [7, 4, 3]
    assert events[1]["leader"] == lead.pk
    assert events[2]["category"] == "direct_report"
    services.close_cycle(cycle=cycle, actor=None)
    response = client.post(url, {"all": "1"}, follow=True)
    assert "no more reminders" in response.content.decode()
    assert AuditEvent.objects.filter(action="readiness.reminders_sent").count() == 3


def test_rater_page_prefills_suggestions_and_assigns(client_for, team, members, cycle) -> None:
    lead = team.leaders[0]
    client = client_for("admin")
    url = reverse("assessments:raters", args=[cycle.pk, lead.pk])
    body = client.get(url).content.decode()
    assert team.boss.name in body
    assert team.reports[0].name in body
    assert f'name="pick" value="{team.boss.pk}"' in body
    client.post(
        url,
        {
            "action": "assign",
            "pick": [team.boss.pk, team.reports[0].pk],
            f"category_{team.boss.pk}": "manager",
            f"category_{team.reports[0].pk}": "direct_report",
            "other": team.leaders[1].employee_id,
            "other_category": "peer",
        },
    )
    assert set(
        Rater.objects.filter(cycle=cycle, leader=lead).values_list("person_id", "category")
    ) == {
        (team.boss.pk, "manager"),
        (team.reports[0].pk, "direct_report"),
        (team.leaders[1].pk, "peer"),
    }
    rater = Rater.objects.get(person=team.reports[0])
    client.post(url, {"action": "remove", "rater": rater.pk, "confirmed": "yes"})
    assert not Rater.objects.filter(pk=rater.pk).exists()
    response = client.post(url, {"action": "assign", "other": "nobody@nowhere"}, follow=True)
    assert "Nobody active has the employee ID" in response.content.decode()
    # A person who is not a leader of this cycle: 404.
    assert (
        client.get(reverse("assessments:raters", args=[cycle.pk, team.boss.pk])).status_code == 404
    )


def test_nomination_and_approval_pages(client_for, org, unit, members, leader_person) -> None:
    team = make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person], rater_mode="nominated")
    leader = client_for("leader")
    url = reverse("assessments:nominate", args=[cycle.pk])
    body = leader.get(url).content.decode()
    assert team.boss.name in body
    assert "Send for approval" in body
    leader.post(
        url,
        {
            "action": "nominate",
            "pick": [team.boss.pk, team.reports[0].pk],
            f"category_{team.boss.pk}": "manager",
            f"category_{team.reports[0].pk}": "direct_report",
        },
    )
    assert Rater.objects.filter(cycle=cycle, status="proposed").count() == 2
    withdrawn = Rater.objects.get(person=team.reports[0])
    leader.post(url, {"action": "withdraw", "rater": withdrawn.pk, "confirmed": "yes"})
    assert Rater.objects.filter(cycle=cycle).count() == 1
    admin = client_for("admin")
    raters_url = reverse("assessments:raters", args=[cycle.pk, leader_person.pk])
    assert "Nominations to approve" in admin.get(raters_url).content.decode()
    proposed = Rater.objects.get(cycle=cycle)
    admin.post(raters_url, {"action": "approve", "rater": [proposed.pk]})
    proposed.refresh_from_db()
    assert proposed.status == "approved"
    assert proposed.invitation is not None
    # The leader cannot withdraw an approved rater, nor another leader's rows.
    response = leader.post(
        url, {"action": "withdraw", "rater": proposed.pk, "confirmed": "yes"}, follow=True
    )
    assert "Only nominations awaiting approval" in response.content.decode()


def test_a_leader_cannot_nominate_in_a_cycle_they_are_not_in(
    client_for, org, team, members, leader_person
) -> None:
    cycle = launch(org, team.leaders, rater_mode="nominated")
    assert (
        client_for("leader").get(reverse("assessments:nominate", args=[cycle.pk])).status_code
        == 403
    )
    assigned = launch(org, [leader_person], name="Assigned")
    assert (
        client_for("leader").get(reverse("assessments:nominate", args=[assigned.pk])).status_code
        == 403
    )


def test_wording_page_publishes_a_new_version(client_for, org, members) -> None:
    client = client_for("admin")
    body = client.get(reverse("assessments:wording")).content.decode()
    assert "AI technology fundamentals" in body
    response = client.post(
        reverse("assessments:wording"), {"knowledge.fundamentals": "Understands how AI works"}
    )
    assert response.status_code == 302
    version = services.current_version(org)
    assert version is not None
    assert version.number == 2  # installed, then reworded
    assert Question.objects.get(version=version, key="knowledge.fundamentals").text == (
        "Understands how AI works"
    )


def test_the_rating_page_says_whom_you_rate_and_how_answers_are_shown(client, team, cycle) -> None:
    lead = team.leaders[0]
    add_raters(cycle, lead, peer=[team.leaders[1]])
    peer_invitation = Invitation.objects.get(campaign=cycle.campaign, person=team.leaders[1])
    body = client.get(
        reverse("surveys:respond", args=[survey_services.invitation_token(peer_invitation)])
    ).content.decode()
    assert f"You are rating {lead.name}" in body
    assert "only when at least 3 people" in body
    self_invitation = Invitation.objects.get(campaign=cycle.campaign, person=lead)
    body = client.get(
        reverse("surveys:respond", args=[survey_services.invitation_token(self_invitation)])
    ).content.decode()
    assert "Your self-assessment" in body
    assert "shows your own ratings as “self”" in body


def test_the_cycle_page_says_when_results_come_and_releases_a_closed_cycle(
    client_for, org, team, members
) -> None:
    cycle = launch(org, team.leaders)
    client = client_for("admin")
    body = client.get(reverse("assessments:cycle", args=[cycle.pk])).content.decode()
    assert "Results are released once, when the cycle closes" in body
    rate(cycle, team.leaders[0], team.leaders[0], 4)
    past = timezone.now() - dt.timedelta(seconds=1)
    ReadinessCycle.objects.filter(pk=cycle.pk).update(closes_at=past)
    Campaign.objects.filter(pk=cycle.campaign_id).update(closes_at=past)
    body = client.get(reverse("assessments:cycle", args=[cycle.pk])).content.decode()
    assert "Results released" in body
    cycle.refresh_from_db()
    assert cycle.is_released
    response = client.post(
        reverse("assessments:cycle_close", args=[cycle.pk]), {"confirmed": "yes"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="readiness.results_released").count() == 1


def test_launch_page_picks_leaders_by_e_mail_and_lists_none(client_for, org, unit, members):
    from bellwether.assessments.models import CycleLeader
    from bellwether.testing.factories import PersonFactory

    lead = PersonFactory(
        organisation=org, name="Typed Leader", employee_id="T001", leader_level="senior"
    )
    client = client_for("admin")
    page = client.get(reverse("assessments:cycle_new")).content.decode()
    assert "Typed Leader" not in page  # no option per leader
    assert 'data-person-picker="multiple"' in page
    form = _launch_form(people="t001@example.com")
    response = client.post(reverse("assessments:cycle_new"), form)
    assert response.status_code == 302
    assert list(CycleLeader.objects.values_list("person_id", flat=True)) == [lead.pk]
    bad = client.post(reverse("assessments:cycle_new"), _launch_form(people="nobody@x.example"))
    assert bad.status_code == 400
    assert (
        "Nobody who can be chosen here has the e-mail or employee ID “nobody@x.example”"
        in bad.content.decode()
    )
