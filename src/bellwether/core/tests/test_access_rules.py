"""The access-rule machinery every app declares its rules with (core/access.py,
accounts/access.py): who is let through, what a refusal answers, and that every refusal
is in the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from bellwether.accounts.access import MemberRequest, membership_of, page, roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import RULES, ObjectRule, Rule
from bellwether.core.models import AuditEvent
from bellwether.people.models import Person

ADMINS_ONLY: Rule[Membership] = Rule("tests.admins_only", roles(Role.ADMIN))
OWN_PERSON: ObjectRule[Membership, Person] = ObjectRule(
    "tests.own_person", lambda member, person: member.person_id == person.pk
)
ANY_PERSON: ObjectRule[Membership, Person] = ObjectRule("tests.any_person", lambda m, o: True)


def _request(member: Membership | None, path: str = "/somewhere/") -> HttpRequest:
    request = RequestFactory().get(path)
    request.user = member.user if member is not None else _anonymous()
    request.membership = member  # type: ignore[attr-defined]
    request.session = {}  # type: ignore[assignment]
    return request


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="permission.denied").order_by("pk"))


def test_a_rule_is_registered_once_by_name() -> None:
    assert RULES["tests.admins_only"] is ADMINS_ONLY
    with pytest.raises(ValueError, match="declared twice"):
        Rule("tests.admins_only", roles(Role.LEADER))


def test_a_rule_lets_the_roles_it_names_through(members: dict[str, Membership]) -> None:
    assert ADMINS_ONLY.allows(members["admin"])
    assert not ADMINS_ONLY.allows(members["leader"])
    assert not ADMINS_ONLY.allows(None)


def test_a_deactivated_member_is_refused_whatever_their_roles(
    members: dict[str, Membership],
) -> None:
    admin = members["admin"]
    admin.is_active = False
    assert not ADMINS_ONLY.allows(admin)


def test_check_returns_the_member_or_refuses_with_403_in_the_audit_log(
    members: dict[str, Membership],
) -> None:
    assert ADMINS_ONLY.check(_request(members["admin"])) is members["admin"]
    with pytest.raises(PermissionDenied):
        ADMINS_ONLY.check(_request(members["leader"], "/plans/?token=secret"))
    [event] = _refusals()
    assert event.details["check"] == "tests.admins_only"
    assert event.details["refused_as"] == "403"
    assert event.organisation_id == members["leader"].organisation_id
    assert "secret" not in event.details["path"]


def test_an_object_rule_finds_the_members_own_object(
    members: dict[str, Membership], leader_person: Person
) -> None:
    leader = members["leader"]
    found = OWN_PERSON.get(_request(leader), leader, Person.objects.all(), leader_person.pk)
    assert found == leader_person


def test_an_object_the_rule_refuses_is_answered_as_missing_and_audited(
    members: dict[str, Membership], bystander: Person
) -> None:
    leader = members["leader"]
    with pytest.raises(Http404):
        OWN_PERSON.get(_request(leader), leader, Person.objects.all(), bystander.pk)
    [event] = _refusals()
    assert event.details == {
        "check": "tests.own_person",
        "path": "/somewhere/",
        "method": "GET",
        "refused_as": "404",
    }
    assert event.target_label == f"person {bystander.pk}"


def test_another_tenants_object_is_missing_even_when_the_test_would_allow_it(
    members: dict[str, Membership], leader_person: Person
) -> None:
    outsider = members["outsider"]
    anything: ObjectRule[Membership, Person] = ObjectRule("tests.anything", lambda m, o: True)
    assert not anything.allows(outsider, leader_person)
    with pytest.raises(Http404):
        anything.get(_request(outsider), outsider, Person.objects.all(), leader_person.pk)
    assert len(_refusals()) == 1


@pytest.mark.parametrize("pk", ["not-a-number", 10**30, -1])
def test_an_unreadable_or_unknown_id_is_missing(members: dict[str, Membership], pk) -> None:
    admin = members["admin"]
    with pytest.raises(Http404):
        ANY_PERSON.get(_request(admin), admin, Person.objects.all(), pk)


@page(ADMINS_ONLY)
def _admin_page(request: MemberRequest) -> HttpResponse:
    return HttpResponse(request.membership.organisation.name)


def test_page_sends_anonymous_visitors_to_sign_in(db: None) -> None:
    response = _admin_page(_request(None, "/admin-page/"))
    assert response.status_code == 302
    assert "next=/admin-page/" in response["Location"]
    assert _refusals() == []


def test_page_serves_the_member_the_rule_allows(members: dict[str, Membership]) -> None:
    response = _admin_page(_request(members["admin"]))
    assert response.status_code == 200
    assert response.content.decode() == members["admin"].organisation.name


def test_page_refuses_other_roles_with_an_audited_403(members: dict[str, Membership]) -> None:
    with pytest.raises(PermissionDenied):
        _admin_page(_request(members["coach"]))
    assert [event.details["check"] for event in _refusals()] == ["tests.admins_only"]


def test_page_exposes_its_rule_for_the_access_matrix() -> None:
    assert _admin_page.access_rule is ADMINS_ONLY  # type: ignore[attr-defined]


def test_membership_of_an_api_request_without_credentials_is_401(db: None) -> None:
    from ninja.errors import AuthenticationError

    with pytest.raises(AuthenticationError):
        membership_of(_request(None))
