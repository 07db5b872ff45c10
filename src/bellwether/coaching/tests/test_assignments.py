"""Assigning coaches and reviewers: one, a list, a CSV; capacity; reassignment history;
external coaches. accounts.Assignment (the access source) always follows."""

from __future__ import annotations

import datetime as dt

import pytest

from bellwether.accounts.models import Assignment, MembershipInvitation
from bellwether.accounts.roles import Role
from bellwether.coaching import selectors, services
from bellwether.coaching.models import AssignmentRecord, CoachProfile, Programme
from bellwether.coaching.tests.factories import coach_with
from bellwether.core.errors import DomainError
from bellwether.people import access as people_access
from bellwether.testing.factories import PersonFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(members):
    return members["admin"]


@pytest.fixture
def leaders(org):
    return [
        PersonFactory(organisation=org, employee_id=f"P{n}", leader_level="senior")
        for n in range(4)
    ]


def _access(person):
    return sorted(
        Assignment.objects.filter(person=person).values_list("membership__user__email", "kind")
    )


def test_assigning_a_list_of_leaders_gives_the_coach_access_and_a_record(admin, org, leaders):
    coach = make_member(org, Role.COACH, email="c@acme.test")
    changed = services.assign(organisation=org, actor=admin, membership=coach, people=leaders[:3])
    assert changed == 3
    assert [_access(p) for p in leaders[:3]] == [[("c@acme.test", "coachee")]] * 3
    assert people_access.can_view_person(coach, leaders[0])
    assert not people_access.can_view_person(coach, leaders[3])
    assert AssignmentRecord.objects.filter(membership=coach, ended_at__isnull=True).count() == 3
    # Assigning again changes nothing.
    assert services.assign(organisation=org, actor=admin, membership=coach, people=leaders[:1]) == 0


def test_reassignment_keeps_the_history_and_moves_access_and_the_programme(admin, org, leaders):
    first = coach_with(admin, [leaders[0]], email="first@acme.test")
    programme = services.start_programme(
        actor=first, person=leaders[0], start_date=dt.date(2026, 1, 5)
    )
    second = make_member(org, Role.COACH, email="second@acme.test")
    services.assign(organisation=org, actor=admin, membership=second, people=[leaders[0]])
    records = list(
        AssignmentRecord.objects.filter(person=leaders[0])
        .order_by("id")
        .values_list("membership__user__email", "end_reason")
    )
    assert records == [("first@acme.test", "Reassigned"), ("second@acme.test", "")]
    assert _access(leaders[0]) == [("second@acme.test", "coachee")]
    assert Programme.objects.get(pk=programme.pk).coach == second
    assert selectors.coach_of(leaders[0]) == second
    assert [r.membership for r in selectors.assignment_history(org)] == [first]


def test_a_coach_over_capacity_is_refused_and_nothing_is_saved(admin, org, leaders):
    coach = make_member(org, Role.COACH, email="full@acme.test")
    services.set_capacity(organisation=org, actor=admin, membership=coach, capacity=2)
    services.assign(organisation=org, actor=admin, membership=coach, people=leaders[:1])
    with pytest.raises(DomainError) as refused:
        services.assign(organisation=org, actor=admin, membership=coach, people=leaders[1:3])
    assert "can coach 2 leaders and already coaches 1: 2 more would be over capacity" in str(
        refused.value
    )
    assert Assignment.objects.filter(membership=coach).count() == 1
    assert AssignmentRecord.objects.filter(membership=coach).count() == 1


def test_capacity_cannot_drop_below_the_current_load(admin, org, leaders):
    coach = coach_with(admin, leaders[:2])
    with pytest.raises(DomainError, match="coaches 2 leaders now"):
        services.set_capacity(organisation=org, actor=admin, membership=coach, capacity=1)
    assert not CoachProfile.objects.exists()


def test_reviewers_are_assigned_on_the_same_screen_without_a_capacity(admin, org, leaders):
    reviewer = make_member(org, Role.REVIEWER, email="r@acme.test")
    services.assign(
        organisation=org, actor=admin, membership=reviewer, people=leaders, kind="reviewee"
    )
    assert _access(leaders[3]) == [("r@acme.test", "reviewee")]
    row = next(r for r in selectors.assignees(org) if r.membership == reviewer)
    assert (row.kind, row.capacity, row.held) == ("reviewee", None, 4)


def test_a_member_without_the_role_or_a_leader_of_another_org_is_refused(
    admin, org, other_org, leaders
):
    sponsor = make_member(org, Role.SPONSOR)
    with pytest.raises(DomainError, match="is not a coach"):
        services.assign(organisation=org, actor=admin, membership=sponsor, people=leaders[:1])
    coach = make_member(org, Role.COACH)
    stranger = PersonFactory(organisation=other_org)
    with pytest.raises(DomainError, match="no such person"):
        services.assign(organisation=org, actor=admin, membership=coach, people=[stranger])
    assert not AssignmentRecord.objects.exists()


def test_only_an_admin_assigns(members, org, leaders):
    with pytest.raises(DomainError, match="Only a programme admin"):
        services.assign(
            organisation=org,
            actor=members["coach"],
            membership=members["coach"],
            people=leaders[:1],
        )


def test_ending_an_assignment_needs_a_reason_and_removes_access(admin, org, leaders):
    coach = coach_with(admin, leaders[:1])
    record = AssignmentRecord.objects.get(membership=coach)
    with pytest.raises(DomainError, match="Say why"):
        services.end_assignment(organisation=org, actor=admin, record_id=record.pk, reason=" ")
    services.end_assignment(organisation=org, actor=admin, record_id=record.pk, reason="Left")
    assert _access(leaders[0]) == []
    assert AssignmentRecord.objects.get(pk=record.pk).end_reason == "Left"


def test_an_external_coach_is_invited_with_the_coach_role_only(admin, org):
    invitation = services.invite_external_coach(
        organisation=org, actor=admin, email="ext@coaching.example", capacity=3
    )
    assert invitation.roles == ["coach"]
    assert invitation.status == MembershipInvitation.Status.PENDING
    profile = CoachProfile.objects.get(user=invitation.user)
    assert (profile.capacity, profile.is_external) == (3, True)


# --- CSV -----------------------------------------------------------------------------------


def _import(org, admin, *lines: str, filename: str = "assign.csv"):
    """Import the CSV made of ``lines`` as the admin."""
    return services.import_assignments(
        organisation=org,
        actor=admin,
        content=("\n".join(lines) + "\n").encode(),
        filename=filename,
    )


def test_a_csv_assigns_coaches_and_reviewers(admin, org, leaders):
    make_member(org, Role.COACH, email="c@acme.test")
    make_member(org, Role.REVIEWER, email="r@acme.test")
    result = _import(
        org,
        admin,
        "employee_id,email,role",
        "P0,c@acme.test,coach",
        "P1,C@acme.test,",
        "P0,r@acme.test,reviewer",
    )
    assert result.ok, result.errors
    assert (result.total, result.created) == (3, 3)
    assert _access(leaders[0]) == [("c@acme.test", "coachee"), ("r@acme.test", "reviewee")]


def test_a_csv_naming_unknown_people_reports_each_line_and_saves_nothing(admin, org, leaders):
    make_member(org, Role.COACH, email="c@acme.test")
    result = _import(
        org,
        admin,
        "employee_id,email,role",
        "P0,c@acme.test,coach",
        "NOPE,c@acme.test,coach",
        "P1,ghost@acme.test,coach",
        "P2,c@acme.test,mentor",
    )
    assert not result.ok
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (3, "employee_id", "No person has employee id “NOPE”."),
        (4, "email", "No member has the address “ghost@acme.test”."),
        (5, "role", "Role is coach or reviewer."),
    ]
    assert not AssignmentRecord.objects.exists()
    assert not Assignment.objects.filter(person__in=leaders).exists()


def test_a_csv_over_a_coachs_capacity_saves_nothing(admin, org, leaders):
    coach = make_member(org, Role.COACH, email="c@acme.test")
    services.set_capacity(organisation=org, actor=admin, membership=coach, capacity=1)
    result = _import(org, admin, "employee_id,email", "P0,c@acme.test", "P1,c@acme.test")
    assert not result.ok
    assert "over capacity" in result.errors[0].message
    assert not AssignmentRecord.objects.exists()


def test_a_csv_without_the_required_columns_is_refused_on_the_header(admin, org):
    result = _import(org, admin, "name", "x", filename="a.csv")
    assert not result.ok
    assert {e.line for e in result.errors} == {1}
