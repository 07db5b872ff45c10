"""The members page: admins add people, change roles and remove access; others are refused."""

import pytest

from bellwether.accounts import services_members
from bellwether.accounts.models import Membership, MembershipInvitation, RoleGrant, User
from bellwether.accounts.roles import Role
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.testing.factories import make_member

URL = "/accounts/members/"


def roles_of(membership: Membership) -> set[str]:
    return set(RoleGrant.objects.filter(membership=membership).values_list("role", flat=True))


def test_the_admin_sees_every_member_with_their_roles(
    client_for, members, django_assert_max_num_queries
):
    client = client_for("admin")
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200
    emails = [m.user.email for m in response.context["members"]]
    assert emails == sorted(
        [
            "admin@acme.test",
            "sponsor@acme.test",
            "leader@acme.test",
            "coach@acme.test",
            "reviewer@acme.test",
        ]
    )
    assert b"Programme admin" in response.content
    assert b"admin@globex.test" not in response.content


@pytest.mark.parametrize("role", ["sponsor", "leader", "coach", "reviewer"])
def test_other_roles_are_refused_and_nothing_changes(client_for, members, role):
    client = client_for(role)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"email": "new@acme.test", "roles": ["admin"]})
    assert response.status_code == 403
    assert not User.objects.filter(email="new@acme.test").exists()
    target = members["sponsor"].pk
    assert client.post(f"{URL}{target}/", {"roles": ["admin"]}).status_code == 403
    assert client.post(f"{URL}{target}/deactivate/").status_code == 403
    assert roles_of(members["sponsor"]) == {"sponsor"}
    assert Membership.objects.get(pk=target).is_active
    assert AuditEvent.objects.filter(action="permission.denied").count() == 4


def test_an_admin_of_another_organisation_cannot_reach_our_members(client_for, members):
    client = client_for("outsider")
    target = members["sponsor"].pk
    assert client.get(f"{URL}{target}/").status_code == 404
    assert client.post(f"{URL}{target}/deactivate/").status_code == 404
    assert Membership.objects.get(pk=target).is_active


def test_adding_a_member_invites_a_passwordless_account(client_for, members, org):
    response = client_for("admin").post(
        URL, {"email": "New.Person@Acme.test", "roles": ["leader", "coach"], "employee_id": ""}
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@acme.test")
    assert not user.has_usable_password()
    # Invited, not a member: nothing is granted until they accept.
    assert not Membership.objects.filter(user=user).exists()
    invitation = MembershipInvitation.objects.get(user=user, organisation=org)
    assert (invitation.status, invitation.roles) == ("pending", ["coach", "leader"])
    page = client_for("admin").get(URL)
    assert [m.user.email for m in page.context["members"]].count("new.person@acme.test") == 0
    assert [i.user.email for i in page.context["invitations"]] == ["new.person@acme.test"]


def test_adding_links_the_person_by_employee_id_once_accepted(client_for, members, org, bystander):
    client_for("admin").post(
        URL, {"email": "bea@acme.test", "roles": ["leader"], "employee_id": "B001"}
    )
    invitation = MembershipInvitation.objects.get(user__email="bea@acme.test")
    assert invitation.person == bystander
    event = AuditEvent.objects.get(action="member.invited")
    assert event.details == {"roles": ["leader"], "person_id": bystander.pk}
    membership = services_members.accept_invitation(
        user=invitation.user, invitation_id=invitation.pk
    )
    assert membership.person == bystander
    assert roles_of(membership) == {"leader"}


def test_an_unknown_employee_id_is_explained_and_nothing_is_added(client_for, members):
    response = client_for("admin").post(
        URL, {"email": "x@acme.test", "roles": ["leader"], "employee_id": "NOPE"}
    )
    assert response.status_code == 400
    assert "Nobody in People has employee id “NOPE”." in response.content.decode()
    assert not User.objects.filter(email="x@acme.test").exists()


def test_adding_an_existing_member_is_refused(client_for, members):
    response = client_for("admin").post(URL, {"email": "coach@acme.test", "roles": ["leader"]})
    assert response.status_code == 400
    assert "coach@acme.test is already a member." in response.content.decode()
    assert roles_of(members["coach"]) == {"coach"}
    assert not MembershipInvitation.objects.exists()


def test_inviting_someone_twice_is_refused_until_the_first_is_withdrawn(client_for, members):
    admin = client_for("admin")
    admin.post(URL, {"email": "x@acme.test", "roles": ["leader"]})
    response = admin.post(URL, {"email": "x@acme.test", "roles": ["sponsor"]})
    assert response.status_code == 400
    assert "x@acme.test has already been invited." in response.content.decode()
    invitation = MembershipInvitation.objects.get()
    assert invitation.roles == ["leader"]
    response = admin.post(f"{URL}invitations/{invitation.pk}/withdraw/", {"confirmed": "yes"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "withdrawn"
    assert admin.post(URL, {"email": "x@acme.test", "roles": ["sponsor"]}).status_code == 302
    assert MembershipInvitation.objects.get(status="pending").roles == ["sponsor"]


def test_an_admin_cannot_withdraw_another_organisations_invitation(client_for, members, org):
    invitation = services_members.invite_member(
        organisation=org, actor=members["admin"], email="x@acme.test", roles=[Role.LEADER]
    )
    response = client_for("outsider").post(f"{URL}invitations/{invitation.pk}/withdraw/")
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_a_member_needs_at_least_one_role(client_for, members):
    response = client_for("admin").post(URL, {"email": "x@acme.test"})
    assert response.status_code == 400
    assert "Choose at least one role." in response.content.decode()


def test_the_admin_changes_roles(client_for, members):
    target = members["leader"]
    response = client_for("admin").post(f"{URL}{target.pk}/", {"roles": ["leader", "sponsor"]})
    assert response.status_code == 302
    assert roles_of(target) == {"leader", "sponsor"}
    event = AuditEvent.objects.get(action="member.roles_changed")
    assert event.details == {"before": ["leader"], "after": ["leader", "sponsor"]}


def test_the_last_admin_cannot_drop_their_admin_role(client_for, members):
    admin = members["admin"]
    response = client_for("admin").post(f"{URL}{admin.pk}/", {"roles": ["leader"]})
    assert response.status_code == 400
    assert "An organisation needs at least one programme admin." in response.content.decode()
    assert roles_of(admin) == {"admin"}


def test_the_last_admin_cannot_be_deactivated(client_for, members):
    admin = members["admin"]
    response = client_for("admin").post(f"{URL}{admin.pk}/deactivate/", {"confirmed": "yes"})
    assert response.status_code == 400
    assert "at least one programme admin" in response.content.decode()
    assert Membership.objects.get(pk=admin.pk).is_active


def test_with_two_admins_one_may_step_down(client_for, members, org):
    second = make_member(org, Role.ADMIN, email="second@acme.test")
    response = client_for("admin").post(
        f"{URL}{members['admin'].pk}/deactivate/", {"confirmed": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.get(pk=members["admin"].pk).is_active
    with pytest.raises(DomainError):
        services_members.deactivate_member(organisation=org, actor=second, membership_id=second.pk)


def test_a_deactivated_member_loses_access_and_regains_it_by_accepting(client_for, members, org):
    target = members["coach"]
    admin = client_for("admin")
    assert admin.post(f"{URL}{target.pk}/deactivate/", {"confirmed": "yes"}).status_code == 302
    assert client_for("coach").get("/").status_code == 403
    assert AuditEvent.objects.filter(action="member.deactivated").count() == 1
    admin.post(URL, {"email": "coach@acme.test", "roles": ["leader"]})
    target.refresh_from_db()
    assert not target.is_active  # invited back, not yet back
    invitation = MembershipInvitation.objects.get(user=target.user)
    coach = client_for("coach")
    assert coach.post(f"/accounts/invitations/{invitation.pk}/accept/").status_code == 302
    target.refresh_from_db()
    assert target.is_active
    assert roles_of(target) == {"leader"}
    assert coach.get("/").status_code == 200


def test_the_service_refuses_an_actor_who_is_not_an_admin(members, org):
    for actor in (members["sponsor"], members["outsider"]):
        with pytest.raises(DomainError):
            services_members.invite_member(
                organisation=org, actor=actor, email="x@acme.test", roles=[Role.LEADER]
            )
    assert not User.objects.filter(email="x@acme.test").exists()
    assert not MembershipInvitation.objects.exists()


def test_a_person_can_be_linked_to_only_one_member(members, org, leader_person):
    with pytest.raises(DomainError) as refusal:
        services_members.invite_member(
            organisation=org,
            actor=members["admin"],
            email="x@acme.test",
            roles=[Role.LEADER],
            person=leader_person,
        )
    assert refusal.value.field_errors == {
        "employee_id": ["Lena Leader is already linked to another member."]
    }
