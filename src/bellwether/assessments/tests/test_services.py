"""Cycles, raters, nominations, reminders and re-scoring through the services."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bellwether.assessments import release, selectors, services
from bellwether.assessments.models import (
    CycleLeader,
    LeaderResult,
    Rater,
    RaterChange,
    ReadinessCycle,
)
from bellwether.assessments.tests.factories import make_cycle, record_result
from bellwether.assessments.tests.helpers import (
    add_raters,
    close,
    launch,
    make_team,
    open_now,
    rate,
)
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.framework import catalogue
from bellwether.surveys.models import (
    Answer,
    Ballot,
    Campaign,
    Instrument,
    Invitation,
    Question,
    Release,
    Response,
)

pytestmark = pytest.mark.django_db


def test_instrument_installs_once_with_the_twenty_catalogue_items(org) -> None:
    version = services.ensure_readiness_instrument(organisation=org)
    assert services.ensure_readiness_instrument(organisation=org) == version
    assert version.instrument.kind == Instrument.Kind.ASSESSMENT
    questions = list(Question.objects.filter(version=version).order_by("position"))
    assert [q.key for q in questions] == [i.key for i in catalogue.instrument_items()]
    assert {q.scale for q in questions} == {"likert5"}
    assert questions[0].dimension_key == "knowledge"


def test_adapted_wording_is_a_new_version_and_past_cycles_keep_theirs(org, team) -> None:
    first = launch(org, team.leaders[:1])
    key = catalogue.instrument_items()[0].key
    new = services.adapt_wording(
        organisation=org, actor=None, wording={key: "Understands how AI models work"}
    )
    assert new.number == 2
    assert Question.objects.get(version=new, key=key).text == "Understands how AI models work"
    assert first.campaign.version.number == 1
    assert Question.objects.get(version=first.campaign.version, key=key).text != new
    second = launch(org, team.leaders[:1], name="Autumn")
    assert second.campaign.version == new
    with pytest.raises(DomainError, match="Unknown scorecard item"):
        services.adapt_wording(organisation=org, actor=None, wording={"nope": "x"})


def test_launch_creates_a_confidential_campaign_and_a_self_invitation_per_leader(org, team) -> None:
    cycle = launch(org, [*team.leaders, team.reports[0]])  # a non-leader is left out
    assert cycle.campaign.mode == Campaign.Mode.CONFIDENTIAL
    assert cycle.opens_at == cycle.campaign.opens_at
    assert cycle.is_open
    assert set(CycleLeader.objects.filter(cycle=cycle).values_list("person_id", flat=True)) == {
        p.pk for p in team.leaders
    }
    invitations = Invitation.objects.filter(campaign=cycle.campaign)
    assert invitations.count() == 4
    for invitation in invitations:
        assert invitation.subject_id == invitation.person_id
        assert invitation.category == "self"
        assert invitation.category_disclosed
    assert AuditEvent.objects.filter(action="readiness.cycle_launched").count() == 1


def test_launch_refuses_bad_input(org, team) -> None:
    with pytest.raises(DomainError, match="no active leader"):
        launch(org, team.reports)
    with pytest.raises(DomainError, match="assigned or nominated"):
        launch(org, team.leaders, rater_mode="random")
    assert not ReadinessCycle.objects.exists()


def test_leaders_by_level_or_unit(org, team) -> None:
    cycle = services.launch_cycle(
        organisation=org,
        actor=None,
        name="Execs",
        leaders={"leader_levels": ["executive"]},
        opens_at=launch(org, team.leaders[:1]).opens_at,
        closes_at=ReadinessCycle.objects.get().closes_at,
        send_email=False,
    )
    assert list(cycle.leaders.values_list("person_id", flat=True)) == [team.boss.pk]


def test_suggested_raters_come_from_the_org_data(team, cycle) -> None:
    lead = team.leaders[0]
    suggestions = services.suggest_raters(cycle=cycle, leader=lead)
    by_category: dict[str, set[int]] = {}
    for s in suggestions:
        by_category.setdefault(s.category, set()).add(s.person_id)
    assert by_category["manager"] == {team.boss.pk}
    assert by_category["peer"] == {p.pk for p in team.leaders[1:]}
    assert by_category["direct_report"] == {p.pk for p in team.reports}
    add_raters(cycle, lead, manager=[team.boss])
    assert team.boss.pk not in {
        s.person_id for s in services.suggest_raters(cycle=cycle, leader=lead)
    }


def test_assigned_raters_get_an_invitation_about_the_leader(team, cycle) -> None:
    lead = team.leaders[0]
    raters = add_raters(cycle, lead, manager=[team.boss], peer=[team.leaders[1]])
    assert {r.status for r in raters} == {"approved"}
    manager = Invitation.objects.get(campaign=cycle.campaign, person=team.boss)
    assert manager.subject_id == lead.pk
    assert manager.category == "manager"
    assert manager.category_disclosed
    peer = Invitation.objects.get(campaign=cycle.campaign, person=team.leaders[1])
    assert peer.category == "peer"
    assert not peer.category_disclosed
    # Again: nothing doubles.
    add_raters(cycle, lead, manager=[team.boss])
    assert Invitation.objects.filter(campaign=cycle.campaign, person=team.boss).count() == 1
    with pytest.raises(DomainError, match="not as a rater"):
        services.assign_raters(cycle=cycle, actor=None, leader=lead, raters=[(lead.pk, "peer")])
    with pytest.raises(DomainError, match="category"):
        services.assign_raters(
            cycle=cycle, actor=None, leader=lead, raters=[(team.reports[0].pk, "self")]
        )
    with pytest.raises(DomainError, match="not assessed"):
        services.assign_raters(
            cycle=cycle, actor=None, leader=team.leaders[2], raters=[(team.boss.pk, "manager")]
        )


def test_removing_a_rater_revokes_the_link(team, cycle) -> None:
    lead = team.leaders[0]
    (rater,) = add_raters(cycle, lead, direct_report=[team.reports[0]])
    invitation = rater.invitation
    assert invitation is not None
    services.remove_rater(rater=rater, actor=None)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert not Rater.objects.exists()
    # Re-adding the same person revives the link.
    add_raters(cycle, lead, direct_report=[team.reports[0]])
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_nomination_flow(org, team) -> None:
    lead = team.leaders[0]
    cycle = launch(org, [lead], rater_mode="nominated")
    nominated = services.nominate_raters(
        cycle=cycle,
        actor=None,
        leader=lead,
        raters=[
            (team.boss.pk, "manager"),
            (team.reports[0].pk, "direct_report"),
            (team.reports[1].pk, "direct_report"),
        ],
    )
    assert {r.status for r in nominated} == {"proposed"}
    assert not Invitation.objects.filter(campaign=cycle.campaign).exclude(category="self").exists()
    approved = services.decide_nominations(
        cycle=cycle,
        actor=None,
        rater_ids=[nominated[0].pk, nominated[1].pk],
        decision="approve",
        send_email=False,
    )
    assert len(approved) == 2
    rejected = services.decide_nominations(
        cycle=cycle, actor=None, rater_ids=[nominated[2].pk], decision="reject"
    )
    assert rejected[0].status == "rejected"
    assert set(
        Invitation.objects.filter(campaign=cycle.campaign)
        .exclude(category="self")
        .values_list("person_id", flat=True)
    ) == {team.boss.pk, team.reports[0].pk}
    # Approving twice changes nothing.
    again = [nominated[0].pk]
    assert (
        services.decide_nominations(cycle=cycle, actor=None, rater_ids=again, decision="approve")
        == []
    )


def test_nominations_need_nominated_mode(org, team) -> None:
    cycle = launch(org, [team.leaders[0]])
    with pytest.raises(DomainError, match="assigned by an administrator"):
        services.nominate_raters(
            cycle=cycle, actor=None, leader=team.leaders[0], raters=[(team.boss.pk, "manager")]
        )


def test_results_are_released_once_when_the_cycle_closes(org, team) -> None:
    lead = team.leaders[0]
    cycle = launch(org, [lead], scheduled=True)
    add_raters(cycle, lead, direct_report=team.reports, manager=[team.boss])
    open_now(cycle)
    rate(cycle, lead, lead, 5)
    rate(cycle, team.reports[0], lead, 3)
    rate(cycle, team.reports[1], lead, 3)
    rate(cycle, team.boss, lead, 3)
    # Nothing is scored while the cycle is open: sealed ballots, no result, no band.
    assert not LeaderResult.objects.filter(cycle=cycle).exists()
    assert not Response.objects.filter(campaign=cycle.campaign).exists()
    assert Ballot.objects.filter(campaign=cycle.campaign).count() == 4
    assert selectors.current_bands(org) == {}
    assert not RaterChange.objects.exists()  # the raters were chosen before it opened

    close(cycle)
    assert cycle.is_released
    result = LeaderResult.objects.get(cycle=cycle, person=lead)
    assert not result.self_reported
    assert result.others_count == 3
    assert result.total == 60
    assert result.band_key == "band.cautious"
    assert result.self_total == 100
    assert result.others_total == 60
    assert result.groups["base_minimum"] == 3
    bands = selectors.current_bands(org)
    assert bands[lead.pk].band_name == "Cautious"
    assert bands[lead.pk].cycle_id == cycle.pk
    # Released: the ballots are opened and gone, and so are the individual answers.
    assert not Ballot.objects.filter(campaign=cycle.campaign).exists()
    assert not Response.objects.filter(campaign=cycle.campaign).exists()
    assert not Answer.objects.filter(organisation=org).exists()
    assert Release.objects.filter(campaign=cycle.campaign).exists()
    assert AuditEvent.objects.filter(action="readiness.results_released").count() == 1


def test_a_release_is_final(org, team) -> None:
    from bellwether.surveys.models import ConfidentialitySettings

    lead = team.leaders[0]
    cycle = launch(org, [lead, team.leaders[1]], scheduled=True)
    add_raters(cycle, lead, direct_report=team.reports)
    open_now(cycle)
    with pytest.raises(DomainError, match="still open"):
        release.release_cycle(cycle=cycle)
    assert not cycle.__class__.objects.get(pk=cycle.pk).is_released
    for rater in team.reports:
        rate(cycle, rater, lead, 4)
    close(cycle)
    before = {
        r.person_id: (r.total, r.band_key, r.self_reported, r.score, r.groups)
        for r in LeaderResult.objects.filter(cycle=cycle)
    }
    # A leader with nothing submitted gets an empty result, not a band.
    assert before[team.leaders[1].pk][:2] == (None, "")
    assert before[lead.pk][1] == "band.supporter"
    # Raising the organisation's minimum later, and releasing again, changes nothing.
    ConfidentialitySettings.objects.update_or_create(
        organisation=org, defaults={"min_360_group": 5}
    )
    assert release.release_cycle(cycle=cycle).released_at == cycle.released_at
    assert release.release_due_cycles() == 0
    after = {
        r.person_id: (r.total, r.band_key, r.self_reported, r.score, r.groups)
        for r in LeaderResult.objects.filter(cycle=cycle)
    }
    assert after == before
    assert AuditEvent.objects.filter(action="readiness.results_released").count() == 1


def test_cycles_whose_window_passed_are_released_by_the_command(team, cycle) -> None:
    lead = team.leaders[0]
    rate(cycle, lead, lead, 4)
    ReadinessCycle.objects.filter(pk=cycle.pk).update(closes_at=timezone.now())
    Campaign.objects.filter(pk=cycle.campaign_id).update(closes_at=timezone.now())
    out = io.StringIO()
    call_command("release_readiness_cycles", stdout=out)
    assert "1 readiness cycle(s) released" in out.getvalue()
    cycle.refresh_from_db()
    assert cycle.is_released
    assert LeaderResult.objects.get(cycle=cycle, person=lead).self_reported
    call_command("release_readiness_cycles", stdout=out)
    assert "0 readiness cycle(s) released" in out.getvalue()


def test_current_bands_takes_the_latest_cycle_with_a_band(
    org, team, django_assert_max_num_queries
) -> None:
    import datetime as dt

    from django.utils import timezone

    old = make_cycle(organisation=org, opens_at=timezone.now() - dt.timedelta(days=200))
    new = make_cycle(organisation=org, opens_at=timezone.now() - dt.timedelta(days=100))
    record_result(organisation=org, person=team.leaders[0], total=50, cycle=old)
    record_result(
        organisation=org,
        person=team.leaders[0],
        total=88,
        cycle=new,
        failure_modes=("failure.fearful",),
    )
    record_result(organisation=org, person=team.leaders[1], total=72, self_reported=True, cycle=old)
    LeaderResult.objects.create(organisation=org, cycle=new, person=team.leaders[1], total=None)
    with django_assert_max_num_queries(2):
        bands = selectors.current_bands(org)
    assert bands[team.leaders[0].pk].band_key == "band.champion"
    assert bands[team.leaders[0].pk].cycle_id == new.pk
    assert bands[team.leaders[0].pk].failure_modes == ("failure.fearful",)
    assert bands[team.leaders[1].pk].self_reported
    assert bands[team.leaders[1].pk].cycle_id == old.pk
    assert set(selectors.current_bands(org, person_ids=[team.leaders[1].pk])) == {
        team.leaders[1].pk
    }
    assert selectors.current_bands(org, person_ids=[]) == {}


def test_record_result_follows_the_catalogue_band(org, leader_person) -> None:
    result = record_result(organisation=org, person=leader_person, total=70)
    assert result.band_key == catalogue.band_for_score(70).key == "band.supporter"
    assert result.cycle.campaign.mode == Campaign.Mode.CONFIDENTIAL


def test_reminders_go_only_to_those_not_finished_and_none_after_close(org, team) -> None:
    lead = team.leaders[0]
    cycle = launch(org, [lead, team.leaders[1]])
    add_raters(cycle, lead, direct_report=team.reports, manager=[team.boss])
    rate(cycle, team.reports[0], lead, 4)
    assert (
        services.send_reminders(cycle=cycle, actor=None, everyone=True) == 5
    )  # 2 self + 3 raters pending
    assert services.send_reminders(cycle=cycle, actor=None, leader=lead) == 4
    assert (
        services.send_reminders(cycle=cycle, actor=None, everyone=True, category="direct_report")
        == 2
    )
    mail.outbox.clear()
    sent = services.deliver_cycle_emails(cycle_id=cycle.pk, kind="reminder")
    assert sent == 5
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert team.reports[0].email not in recipients
    report_mail = next(m for m in mail.outbox if m.to[0] == team.reports[1].email)
    assert f"rate {lead.name}" in report_mail.body
    assert "at least 3 people" in report_mail.body
    assert report_mail.subject.startswith("Reminder: Spring readiness")
    manager_mail = next(m for m in mail.outbox if m.to[0] == team.boss.email)
    assert "shown as “manager”" in manager_mail.body
    close(cycle)
    with pytest.raises(DomainError, match="no more reminders"):
        services.send_reminders(cycle=cycle, actor=None, everyone=True)
    mail.outbox.clear()
    assert services.deliver_cycle_emails(cycle_id=cycle.pk, kind="reminder") == 0
    assert (
        services.deliver_rating_email(
            invitation_id=Invitation.objects.filter(campaign=cycle.campaign).earliest("pk").pk,
            kind="reminder",
        )
        is False
    )
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_invitations_go_out_through_the_worker(org, unit, database_queue) -> None:
    # Jobs are stored in the database and run by the worker, never inside the request.
    team = make_team(org, unit)
    lead = team.leaders[0]
    cycle = launch(org, [lead], send_email=True)
    assert mail.outbox == []
    call_command("worker", "--batch", verbosity=0)
    assert [m.to[0] for m in mail.outbox] == [lead.email]
    assert "self-assessment" in mail.outbox[0].body
    add_raters(cycle, lead, manager=[team.boss], send_email=True)
    call_command("worker", "--batch", verbosity=0)
    assert mail.outbox[-1].to == [team.boss.email]
    services.send_reminders(cycle=cycle, actor=None, everyone=True, category="manager")
    call_command("worker", "--batch", verbosity=0)
    assert mail.outbox[-1].subject.startswith("Reminder:")
    assert len(mail.outbox) == 3


def test_close_cycle(org, team) -> None:
    cycle = launch(org, [team.leaders[0]])
    close(cycle)
    assert cycle.is_closed
    assert cycle.campaign.closes_at == cycle.closes_at
    with pytest.raises(DomainError):
        services.close_cycle(cycle=cycle, actor=None)
    with pytest.raises(DomainError, match="closed"):
        services.assign_raters(
            cycle=cycle, actor=None, leader=team.leaders[0], raters=[(team.boss.pk, "manager")]
        )


def test_only_released_cycles_give_bands(org, team) -> None:
    import datetime as dt

    from django.utils import timezone

    from bellwether.assessments import reports

    now = timezone.now()
    closed = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=100))
    open_ = make_cycle(
        organisation=org, opens_at=now - dt.timedelta(days=2), closes_at=now + dt.timedelta(days=12)
    )
    leader, newcomer = team.leaders[0], team.leaders[1]
    record_result(organisation=org, person=leader, total=75, cycle=closed)
    # Rows for a cycle not released yet (there are none in practice) are never read.
    record_result(organisation=org, person=leader, total=45, self_reported=True, cycle=open_)
    record_result(organisation=org, person=newcomer, total=60, self_reported=True, cycle=open_)

    bands = selectors.current_bands(org)
    assert (bands[leader.pk].band_key, bands[leader.pk].cycle_id) == ("band.supporter", closed.pk)
    assert newcomer.pk not in bands
    assert reports.individual_report(leader).cycle == closed
    assert reports.individual_report(leader, cycle=open_).score is None
    assert "is open until" in reports.individual_report(leader, cycle=open_).pending
    assert reports.share_at_or_above_70(org).at_or_above == 1
    assert [t.cycle_id for t in reports.trend_for(leader)] == [closed.pk]

    # Once the cycle is released, its result is the one of record.
    open_.campaign.closes_at = open_.closes_at = now - dt.timedelta(minutes=1)
    open_.campaign.save(update_fields=["closes_at"])
    open_.released_at = now
    open_.save(update_fields=["closes_at", "released_at"])
    assert selectors.current_bands(org)[leader.pk].band_key == "band.skeptical"
    assert reports.share_at_or_above_70(org).at_or_above == 0


@pytest.mark.django_db(transaction=True)
def test_closing_a_cycle_has_the_worker_release_it(org, unit, database_queue) -> None:
    # A release can take minutes at scale: the close only queues it.
    team = make_team(org, unit)
    lead = team.leaders[0]
    cycle = launch(org, [lead])
    rate(cycle, lead, lead, 4)
    close(cycle)
    assert cycle.is_closed
    assert not cycle.is_released
    assert not LeaderResult.objects.filter(cycle=cycle).exists()
    call_command("worker", "--batch", verbosity=0)
    cycle.refresh_from_db()
    assert cycle.is_released
    assert LeaderResult.objects.get(cycle=cycle, person=lead).total == 80
