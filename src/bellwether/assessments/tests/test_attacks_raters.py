"""Adversarial tests for the 360, continued (issue 12, §1 classes 17 and 5): raters the
administrator controls, and two cycles read side by side. The attacker and the tools
are those of ``test_attacks.py`` (``attack_tools.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from bellwether.accounts.models import Membership
from bellwether.assessments import release, services
from bellwether.assessments.models import Rater, RaterChange, ReadinessCycle
from bellwether.assessments.tests.attack_tools import (
    KEYS,
    Equation,
    answered,
    as_vector,
    close_now,
    equations,
    pattern,
    peer,
    recovered,
    report_of,
    submit,
    total,
)
from bellwether.assessments.tests.helpers import add_raters, launch, make_team, open_now
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.people.models import Person
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Ballot, Campaign, Completion, Invitation
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db


# --- class 17: raters the administrator controls ----------------------------------------------


@pytest.fixture
def admin_person(members: dict[str, Membership], org, unit) -> Person:
    person = peer(org, unit, "Ada Admin", email="admin@acme.test")
    Membership.objects.filter(pk=members["admin"].pk).update(person=person)
    members["admin"].refresh_from_db()
    return person


def test_an_administrator_cannot_rate_or_use_their_own_mailbox(
    members, org, unit, leader_person, admin_person
) -> None:
    team = make_team(org, unit, lead=leader_person)
    actor = members["admin"].user
    cycle = launch(org, [leader_person], actor=actor, scheduled=True)
    alias = peer(org, unit, "Not Really", email="Admin+peer1@acme.test")
    other_admin_box = peer(org, unit, "Shared", email=team.leaders[1].email.upper())
    no_email = peer(org, unit, "Nobody", email="")
    attempts = {
        "the launching admin": (admin_person, "admin_as_rater"),
        "an alias of the admin's mailbox": (alias, "shared_mailbox"),
        "the leader": (leader_person, "self_as_rater"),
        "no mailbox": (no_email, "no_email"),
    }
    for what, (person, code) in attempts.items():
        with pytest.raises(DomainError) as refused:
            services.assign_raters(
                cycle=cycle, actor=actor, leader=leader_person, raters=[(person.pk, "peer")]
            )
        assert refused.value.code == code, what
    add_raters(cycle, leader_person, peer=[team.leaders[1]], actor=actor, send_email=True)
    with pytest.raises(DomainError) as refused:
        services.assign_raters(
            cycle=cycle, actor=actor, leader=leader_person, raters=[(other_admin_box.pk, "peer")]
        )
    assert refused.value.code == "shared_mailbox"
    # A leader cannot nominate the administrator either (nominated cycles).
    nominated = launch(org, [leader_person], actor=actor, rater_mode="nominated", name="N")
    with pytest.raises(DomainError):
        services.nominate_raters(
            cycle=nominated, actor=None, leader=leader_person, raters=[(admin_person.pk, "peer")]
        )
    # Nothing was stored by the refused calls.
    assert set(Rater.objects.values_list("person_id", flat=True)) == {team.leaders[1].pk}


def test_an_administrator_signed_in_cannot_answer_through_a_raters_link(
    client_for: Callable[[str], Client], members, org, unit, leader_person
) -> None:
    team = make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person])
    add_raters(cycle, leader_person, direct_report=[team.reports[0]])
    invitation = Invitation.objects.get(campaign=cycle.campaign, person=team.reports[0])
    url = reverse("surveys:respond", args=[survey_services.invitation_token(invitation)])
    response = client_for("admin").post(url, {k: ["3"] for k in KEYS})
    assert response.status_code == 403
    assert not Completion.objects.filter(invitation=invitation).exists()
    assert not Ballot.objects.filter(campaign=cycle.campaign).exists()


def test_raters_added_after_opening_cannot_isolate_a_real_peer(
    members, org, unit, leader_person
) -> None:
    """Old behaviour: an admin added two people whose mailboxes they control as peers of
    a leader, answered both links (in a private window), and one real peer answered: the
    peer group of 3 met the minimum, and 3·mean − the admin's two answers gave the real
    peer's ratings. Now each late addition raises the peer minimum by one and counts as
    known: the real peer's ratings follow from nothing published."""
    team = make_team(org, unit, lead=leader_person)
    actor = members["admin"].user
    cycle = launch(org, [leader_person], actor=actor, scheduled=True)
    real = team.leaders[1]
    reports = team.reports
    add_raters(cycle, leader_person, peer=[real], direct_report=reports, actor=actor)
    open_now(cycle)
    # After the cycle opened: two people records with mailboxes the admin reads.
    plants = [
        peer(org, unit, f"Plant {i}", email=f"plant{i}@mailbox-the-admin-reads.test")
        for i in range(2)
    ]
    add_raters(cycle, leader_person, peer=plants, actor=actor)
    assert RaterChange.objects.filter(kind="added").count() == 2
    known = {p.pk: pattern(40 + i) for i, p in enumerate(plants)}
    for p in plants:
        submit(cycle, p, leader_person, known[p.pk])
    submit(cycle, real, leader_person, pattern(50))
    for n, person in enumerate(reports):
        submit(cycle, person, leader_person, pattern(60 + n))
    close_now(cycle)
    who = answered(cycle, leader_person)

    # The attack on the old behaviour: a peer column over the three peers.
    old_peer_sum = total([*known.values(), pattern(50)])
    old = recovered([(frozenset(who["peer"]), old_peer_sum)], real.pk, known)
    assert old is not None
    assert np.allclose(old, as_vector(pattern(50)))

    report = report_of(api_client_for(members["admin"]), leader_person, cycle)
    assert "peer" not in {g["key"] for g in report["groups"]}
    assert recovered(equations(report, who), real.pk, known) is None
    # Nor any direct report's.
    for person in reports:
        assert recovered(equations(report, who), person.pk, known) is None
    assert report["rater_changes"]["added"] == 2
    assert "2 raters were added" in report["rater_changes_note"]
    page = Client()
    page.force_login(members["leader"].user)
    body = page.get(
        reverse("assessments:report", args=[leader_person.pk]) + f"?cycle={cycle.pk}"
    ).content.decode()
    assert "2 raters were added" in body


def test_a_link_sent_again_or_an_email_changed_after_opening_counts_as_known(
    members, org, unit, leader_person, mailoutbox
) -> None:
    """The admin sends a real peer a new link after changing their address to one they
    read (or just changes the address and lets the reminder carry the link): that peer's
    answers are the admin's, and may not protect the last real peer."""
    team = make_team(org, unit, lead=leader_person)
    actor = members["admin"].user
    cycle = launch(org, [leader_person], actor=actor, scheduled=True)
    a, b, c = team.leaders[1:4]
    add_raters(cycle, leader_person, peer=[a, b, c], actor=actor)
    open_now(cycle)
    Person.objects.filter(pk=a.pk).update(email="a-now-read-by-admin@acme.test")
    rater_a = Rater.objects.get(person=a)
    services.resend_link(rater=rater_a, actor=actor, send_email=False)
    Person.objects.filter(pk=b.pk).update(email="b-now-read-by-admin@acme.test")
    services.send_reminders(cycle=cycle, actor=actor, everyone=True)
    services.deliver_cycle_emails(cycle_id=cycle.pk, kind="reminder")
    assert any(m.to == ["b-now-read-by-admin@acme.test"] for m in mailoutbox)
    kinds = sorted(RaterChange.objects.values_list("kind", flat=True))
    assert kinds == ["email_changed", "resent"]
    known = {a.pk: pattern(70), b.pk: pattern(71)}
    submit(cycle, a, leader_person, known[a.pk])
    submit(cycle, b, leader_person, known[b.pk])
    submit(cycle, c, leader_person, pattern(72))
    close_now(cycle)
    report = report_of(api_client_for(members["admin"]), leader_person, cycle)
    who = answered(cycle, leader_person)
    old = recovered(
        [(frozenset(who["peer"]), total(pattern(n) for n in (70, 71, 72)))], c.pk, known
    )
    assert old is not None  # the old peer column gave c away
    assert recovered(equations(report, who), c.pk, known) is None
    assert report["others_total"] is None  # the others' score would have given c too
    assert report["rater_changes"] == {"added": 0, "removed": 0, "resent": 1, "email_changed": 1}


def test_a_rater_who_can_read_the_report_counts_as_known(members, org, unit, leader_person) -> None:
    """A sponsor (who reads every report) rating a leader knows their own answers: with
    two other peers, the peer mean would give the other two's sum. The sponsor counts as
    known, so the group needs one more rater."""
    team = make_team(org, unit, lead=leader_person)
    sponsor_person = peer(org, unit, "Sam Sponsor")
    Membership.objects.filter(pk=members["sponsor"].pk).update(person=sponsor_person)
    cycle = launch(org, [leader_person], scheduled=True)
    a, b = team.leaders[1:3]
    add_raters(cycle, leader_person, peer=[a, b, sponsor_person])
    open_now(cycle)
    for n, person in enumerate((a, b, sponsor_person)):
        submit(cycle, person, leader_person, pattern(80 + n))
    close_now(cycle)
    report = report_of(api_client_for(members["admin"]), leader_person, cycle)
    assert report["groups"] == []
    assert report["others_total"] is None
    assert report["others_count"] == 3


# --- class 5: two cycles ----------------------------------------------------------------------


def _two_cycles(
    org: Organisation,
    leader: Person,
    first: Sequence[tuple[Person, str]],
    second: Sequence[tuple[Person, str]],
    answers: Mapping[int, Mapping[str, int]],
) -> tuple[ReadinessCycle, ReadinessCycle]:
    cycles = []
    for n, raters in enumerate((first, second)):
        cycle = launch(org, [leader], scheduled=True, name=f"Cycle {n + 1}")
        services.assign_raters(
            cycle=cycle,
            actor=None,
            leader=leader,
            raters=[(p.pk, category) for p, category in raters],
            send_email=False,
        )
        open_now(cycle)
        # Later cycles open later.
        shift = dt.timedelta(days=100 * (1 - n))
        ReadinessCycle.objects.filter(pk=cycle.pk).update(opens_at=cycle.opens_at - shift)
        Campaign.objects.filter(pk=cycle.campaign_id).update(opens_at=cycle.opens_at - shift)
        cycle.refresh_from_db()
        submit(cycle, leader, leader, pattern(1))
        for person, _ in raters:
            submit(cycle, person, leader, answers[person.pk])
        close_now(cycle)
        cycles.append(cycle)
    return cycles[0], cycles[1]


def _all_equations(
    client: Client, leader: Person, cycles: Iterable[ReadinessCycle]
) -> list[Equation]:
    found: list[Equation] = []
    for cycle in cycles:
        found += equations(report_of(client, leader, cycle), answered(cycle, leader))
    return found


def test_two_cycles_differing_by_one_peer_do_not_give_that_peer_away(
    members, org, unit, leader_person
) -> None:
    """Old behaviour: peers {A, B, C} in one cycle and {A, B, C, D} in the next, all
    answering alike both times: 4·peers(2) − 3·peers(1) gave D's answers, and so did
    the others' scores. Now neither the peer column nor the others' score of the later
    cycle is shown; the trend shows the later band as self-reported."""
    team = make_team(org, unit, lead=leader_person)
    a, b, c = team.leaders[1:4]
    d = peer(org, unit, "Dee Newcomer", email="dee@acme.test")
    answers = {p.pk: pattern(90 + n) for n, p in enumerate([a, b, c, d, *team.reports])}
    reports = [(p, "direct_report") for p in team.reports]
    first, second = _two_cycles(
        org,
        leader_person,
        [(a, "peer"), (b, "peer"), (c, "peer"), *reports],
        [(a, "peer"), (b, "peer"), (c, "peer"), (d, "peer"), *reports],
        answers,
    )
    client = api_client_for(members["admin"])
    # Control: what the old behaviour published gives D away.
    old = [
        (frozenset({a.pk, b.pk, c.pk}), total(answers[p.pk] for p in (a, b, c))),
        (frozenset({a.pk, b.pk, c.pk, d.pk}), total(answers[p.pk] for p in (a, b, c, d))),
    ]
    control = recovered(old, d.pk, {})
    assert control is not None
    assert np.allclose(control, as_vector(answers[d.pk]))
    # Now: from everything both reports publish, nobody's answers follow.
    found = _all_equations(client, leader_person, [first, second])
    for person in [a, b, c, d, *team.reports]:
        assert recovered(found, person.pk, {}) is None, person.name
    later = report_of(client, leader_person, second)
    assert "peer" not in {g["key"] for g in later["groups"]}
    assert later["others_total"] is None
    assert later["self_reported"] is True
    assert "earlier cycle" in later["groups_note"]
    # The direct reports, the same people both times, are still shown.
    assert "direct_report" in {g["key"] for g in later["groups"]}
    trend = {t["cycle_id"]: t for t in later["trend"]}
    assert trend[second.pk]["self_reported"] is True
    assert trend[first.pk]["self_reported"] is False


def test_a_rater_who_left_is_not_given_away_by_the_combined_others_score(
    members, org, unit, leader_person
) -> None:
    """Peers and direct reports each too few to show alone, but the others' score shown:
    others {M, A, B, R1, R2} in one cycle and {M, A, B, R1} in the next gave R2's
    answers by difference. The later others' score is withheld."""
    team = make_team(org, unit, lead=leader_person)
    a, b = team.leaders[1:3]
    r1, r2 = team.reports[:2]
    answers = {p.pk: pattern(100 + n) for n, p in enumerate([team.boss, a, b, r1, r2])}
    first, second = _two_cycles(
        org,
        leader_person,
        [
            (team.boss, "manager"),
            (a, "peer"),
            (b, "peer"),
            (r1, "direct_report"),
            (r2, "direct_report"),
        ],
        [(team.boss, "manager"), (a, "peer"), (b, "peer"), (r1, "direct_report")],
        answers,
    )
    client = api_client_for(members["admin"])
    old_first = total(answers[p.pk] for p in (team.boss, a, b, r1, r2))
    old_second = total(answers[p.pk] for p in (team.boss, a, b, r1))
    members_first = frozenset(p.pk for p in (team.boss, a, b, r1, r2))
    members_second = members_first - {r2.pk}
    control = recovered([(members_first, old_first), (members_second, old_second)], r2.pk, {})
    assert control is not None
    assert np.allclose(control, as_vector(answers[r2.pk]))
    found = _all_equations(client, leader_person, [first, second])
    manager_known = {team.boss.pk: answers[team.boss.pk]}  # the manager was told
    for person in (a, b, r1, r2):
        assert recovered(found, person.pk, manager_known) is None, person.name
    assert report_of(client, leader_person, second)["self_reported"] is True


@pytest.mark.parametrize("size", [3, 4])
def test_the_same_raters_in_both_cycles_are_shown_in_both(
    members, org, unit, leader_person, size: int
) -> None:
    """The rule withholds only what a comparison gives away: the same raters twice (the
    difference is nobody) show every group both times."""
    team = make_team(org, unit, lead=leader_person)
    extra = [peer(org, unit, f"Peer extra {i}", email=f"extra{i}@acme.test") for i in range(2)]
    peers = [*team.leaders[1:4], *extra][:size]
    answers = {p.pk: pattern(120 + n) for n, p in enumerate([*peers, *team.reports, team.boss])}
    raters = [
        (team.boss, "manager"),
        *[(p, "peer") for p in peers],
        *[(p, "direct_report") for p in team.reports],
    ]
    first, second = _two_cycles(org, leader_person, raters, raters, answers)
    client = api_client_for(members["admin"])
    for cycle in (first, second):
        report = report_of(client, leader_person, cycle)
        assert {g["key"] for g in report["groups"]} == {"self", "manager", "peer", "direct_report"}
        assert report["self_reported"] is False
    found = _all_equations(client, leader_person, [first, second])
    manager_known = {team.boss.pk: answers[team.boss.pk]}
    for person in [*peers, *team.reports]:
        assert recovered(found, person.pk, manager_known) is None


def test_a_lower_minimum_later_never_reshows_a_released_group(
    org, unit, leader_person, members
) -> None:
    """A released decision is final: the cycle's minimum was taken at launch."""
    from bellwether.surveys.models import ConfidentialitySettings

    ConfidentialitySettings.objects.create(
        organisation=org, min_360_group=4, min_group=5, min_comments=10
    )
    team = make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person], scheduled=True)
    a, b, c = team.leaders[1:4]
    add_raters(cycle, leader_person, peer=[a, b, c])
    open_now(cycle)
    for n, person in enumerate((a, b, c)):
        submit(cycle, person, leader_person, pattern(140 + n))
    ConfidentialitySettings.objects.filter(organisation=org).update(min_360_group=3)
    close_now(cycle)
    report = report_of(api_client_for(members["admin"]), leader_person, cycle)
    assert report["others_total"] is None
    assert "peer" not in {g["key"] for g in report["groups"]}
    assert "fewer than 4" in report["groups_note"]
    assert release.release_due_cycles() == 0
