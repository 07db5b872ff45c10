"""Services: matching runs, publishing (with emails), check-ins, ending, events,
attendance, and the public ``attendance_for`` selector. Bad input saves nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from bellwether.core.errors import DomainError
from bellwether.influence.tests.factories import make_tie
from bellwether.peers import selectors, services
from bellwether.peers.models import CheckIn, MatchRun, Pairing, PairStatus, PeerEvent
from bellwether.peers.tests.factories import (
    CAUTIOUS,
    CHAMPION,
    RESISTANT,
    SUPPORTER,
    past_event,
    published_pair,
    with_band,
)
from bellwether.people.models import LeaderLevel, OrgUnit
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)


def _leader(org, name, unit, total=None, email=""):
    person = PersonFactory(
        organisation=org, name=name, org_unit=unit, leader_level=LeaderLevel.SENIOR, email=email
    )
    return with_band(org, person, total) if total is not None else person


def test_matching_with_no_eligible_mentors_is_refused_and_saves_nothing(org, unit):
    _leader(org, "Rita", unit, RESISTANT)
    with pytest.raises(DomainError, match="no eligible mentors"):
        services.run_matching(organisation=org, actor=None)
    assert not MatchRun.objects.exists()


def test_a_capacity_out_of_range_is_refused(org, unit):
    with pytest.raises(DomainError, match="capacity is 1 to 5"):
        services.run_matching(organisation=org, actor=None, capacity=9)
    assert not MatchRun.objects.exists()


def test_a_run_proposes_cross_functional_and_influencing_mentors_with_reasons(org, unit):
    other = OrgUnit.objects.create(organisation=org, code="FIN", name="Finance")
    same = _leader(org, "Sam Same", unit, CHAMPION)
    across = _leader(org, "Ann Across", other, SUPPORTER)
    rita = _leader(org, "Rita", unit, RESISTANT)
    carl = _leader(org, "Carl", unit, CAUTIOUS)
    make_tie(organisation=org, source=same, target=carl, strength=3)
    run = services.run_matching(organisation=org, actor=None, capacity=1)
    pairs = {p.mentee_id: p for p in Pairing.objects.filter(run=run)}
    assert pairs[carl.pk].mentor_id == same.pk
    assert pairs[rita.pk].mentor_id == across.pk
    assert "Cross-functional: different units (Finance → Headquarters)" in pairs[rita.pk].reasons
    assert {p.status for p in pairs.values()} == {PairStatus.PROPOSED}
    assert pairs[rita.pk].mentor_band_key == "band.supporter"


def test_a_new_run_supersedes_an_unpublished_one(org, unit):
    _leader(org, "Cleo", unit, CHAMPION)
    _leader(org, "Rita", unit, RESISTANT)
    first = services.run_matching(organisation=org, actor=None)
    services.run_matching(organisation=org, actor=None)
    first.refresh_from_db()
    assert first.status == "superseded"
    assert set(first.pairings.values_list("status", flat=True)) == {"withdrawn"}


def test_publishing_activates_kept_pairs_and_emails_both_people(org, unit):
    cleo = _leader(org, "Cleo", unit, CHAMPION, email="cleo@acme.test")
    rita = _leader(org, "Rita", unit, RESISTANT, email="rita@acme.test")
    carl = _leader(org, "Carl", unit, CAUTIOUS, email="carl@acme.test")
    run = services.run_matching(organisation=org, actor=None, capacity=2)
    carl_pair = Pairing.objects.get(run=run, mentee=carl)
    mail.outbox.clear()
    published = services.publish_run(run=run, actor=None, withdraw=[carl_pair.pk], today=TODAY)
    assert [(p.mentor_id, p.mentee_id, p.status) for p in published] == [
        (cleo.pk, rita.pk, "active")
    ]
    carl_pair.refresh_from_db()
    assert carl_pair.status == PairStatus.WITHDRAWN
    services.deliver_pairing_emails(run_id=run.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["cleo@acme.test", "rita@acme.test"]
    assert services.deliver_pairing_emails(run_id=run.pk) == 0  # told once
    with pytest.raises(DomainError, match="only a proposed run"):
        services.publish_run(run=run, actor=None)


def test_check_ins_and_ending_follow_the_rules(org, leader_person, coachee):
    pair = published_pair(org, leader_person, coachee, on=TODAY)
    with pytest.raises(DomainError, match="before the pair started"):
        services.record_check_in(
            pairing=pair,
            actor=None,
            held_on=TODAY - datetime.timedelta(days=1),
            answers={"peer.check_in.tried": "x"},
            today=TODAY,
        )
    with pytest.raises(DomainError, match="at least one"):
        services.record_check_in(
            pairing=pair,
            actor=None,
            held_on=TODAY,
            answers={"peer.check_in.tried": " "},
            today=TODAY,
        )
    with pytest.raises(DomainError, match="Unknown questions"):
        services.record_check_in(
            pairing=pair, actor=None, held_on=TODAY, answers={"nope": "x"}, today=TODAY
        )
    assert not CheckIn.objects.exists()
    services.record_check_in(
        pairing=pair,
        actor=None,
        held_on=TODAY,
        answers={"peer.check_in.tried": "A memo"},
        today=TODAY,
    )
    with pytest.raises(DomainError, match="Choose an outcome"):
        services.end_pairing(pairing=pair, actor=None, outcome_key="bogus", today=TODAY)
    services.end_pairing(
        pairing=pair, actor=None, outcome_key="peer.outcome.goals_met", today=TODAY
    )
    pair.refresh_from_db()
    assert (pair.status, pair.ended_on, CheckIn.objects.count()) == ("ended", TODAY, 1)
    with pytest.raises(DomainError, match="not active"):
        services.record_check_in(
            pairing=pair,
            actor=None,
            held_on=TODAY,
            answers={"peer.check_in.tried": "x"},
            today=TODAY,
        )


def test_scheduling_refuses_bad_input_and_saves_nothing(org, other_org, leader_person):
    stranger = PersonFactory(organisation=other_org)
    start = timezone.now() + datetime.timedelta(days=5)
    common = {
        "organisation": org,
        "actor": None,
        "kind": "peer.roundtable",
        "topic": "Trends",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=1),
    }
    with pytest.raises(DomainError, match="not active people"):
        services.schedule_event(**common, invitee_ids=[leader_person.pk, stranger.pk])
    with pytest.raises(DomainError, match="end after"):
        services.schedule_event(**(common | {"ends_at": start}), invitee_ids=[leader_person.pk])
    with pytest.raises(DomainError, match="at least one"):
        services.schedule_event(**common, invitee_ids=[])
    assert not PeerEvent.objects.exists()


def test_rsvp_attendance_and_attendance_rates(org, leader_person, coachee, bystander):
    event = past_event(org, [leader_person, coachee])
    with pytest.raises(DomainError, match="is over"):
        services.answer_invitation(
            event=event, person_id=leader_person.pk, answer="yes", actor=None
        )
    with pytest.raises(DomainError, match="not invited"):
        services.record_attendance(event=event, attended_ids=[bystander.pk], actor=None)
    other = past_event(org, [leader_person], topic="Summit prep")
    services.record_attendance(event=event, attended_ids=[leader_person.pk], actor=None)
    services.record_attendance(event=other, attended_ids=[], actor=None)
    today = timezone.localdate()
    result = selectors.attendance_for(
        organisation=org,
        person_ids=[leader_person.pk, coachee.pk, bystander.pk],
        start=today - datetime.timedelta(days=30),
        end=today,
    )
    assert result == {leader_person.pk: (1, 2), coachee.pk: (0, 1)}
    assert (
        selectors.attendance_for(
            organisation=org, person_ids=[leader_person.pk], start=today, end=today
        )
        == {}
    )


def test_upcoming_rsvp_is_saved(org, leader_person):
    start = timezone.now() + datetime.timedelta(days=5)
    event = services.schedule_event(
        organisation=org,
        actor=None,
        kind="peer.summit",
        topic="Strategy",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        invitee_ids=[leader_person.pk],
        speakers="Dr Ada (external)\n",
    )
    services.answer_invitation(event=event, person_id=leader_person.pk, answer="maybe", actor=None)
    assert event.invitations.get().rsvp == "maybe"
    assert event.speaker_lines() == ["Dr Ada (external)"]
