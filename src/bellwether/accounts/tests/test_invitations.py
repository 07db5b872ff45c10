"""Joining an organisation takes the person's consent, and tenants never see each other.

The attack these tests replay: the admin of organisation B ("Globex", the outsider)
types the address of a member of organisation A ("Acme") into B's members page.
Before, that made the person a member of B at once, could move where their sessions
start, and copied their sign-in events into B's audit log. Now B only sends an
invitation; until the person accepts, B gets nothing.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.utils import timezone

from bellwether.accounts import services_members
from bellwether.accounts.models import Membership, MembershipInvitation, User
from bellwether.accounts.roles import Role
from bellwether.accounts.tests.helpers import frozen_at, post_password
from bellwether.core.models import AuditEvent
from bellwether.testing.factories import TEST_PASSWORD, OrganisationFactory, make_member

VICTIM = "leader@acme.test"
MEMBERS = "/accounts/members/"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BELLWETHER_BASE_URL = "http://testserver-base"


@pytest.fixture
def invite_as_b(client_for, django_capture_on_commit_callbacks):
    """B's admin adds an address on B's members page; returns the response."""

    def invite(email: str = VICTIM, roles: tuple[str, ...] = ("admin",)):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for("outsider").post(MEMBERS, {"email": email, "roles": list(roles)})

    return invite


def b_log(client_for, **query: str) -> list[AuditEvent]:
    page = client_for("outsider").get("/audit/", query)
    assert page.status_code == 200
    return list(page.context["page"].object_list)


def victim_events_in(organisation, victim: User) -> list[str]:
    """Everything the victim did, or that happened to their account, in this log."""
    return list(
        AuditEvent.objects.filter(organisation=organisation, actor=victim)
        .exclude(action__in=["member.joined", "member.invitation_declined"])
        .values_list("action", flat=True)
    )


def sign_in_out_and_fail(email: str = VICTIM) -> None:
    post_password(Client(), email, "not the password")
    client = Client()
    post_password(client, email, TEST_PASSWORD)
    client.get("/")
    client.post("/accounts/sign-out/")


# --- the attack ----------------------------------------------------------------------------


def test_another_organisations_admin_only_sends_an_invitation(members, org, other_org, invite_as_b):
    victim = members["leader"].user
    response = invite_as_b()
    assert response.status_code == 302
    # No membership in B, no roles, no change to where the victim lands.
    assert list(Membership.objects.filter(user=victim).values_list("organisation", flat=True)) == [
        org.pk
    ]
    victim.refresh_from_db()
    assert victim.default_organisation_id is None  # untouched (the factory sets none)
    client = Client()
    post_password(client, VICTIM, TEST_PASSWORD)
    assert client.get("/").context["membership"].organisation == org
    # B's members page lists them as invited only, never as a member.
    page = Client()
    page.force_login(members["outsider"].user)
    listing = page.get(MEMBERS).context
    assert VICTIM not in [m.user.email for m in listing["members"]]
    assert [i.user.email for i in listing["invitations"]] == [VICTIM]


def test_the_invited_person_sees_and_is_emailed_the_invitation(members, other_org, invite_as_b):
    invite_as_b()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [VICTIM]
    assert message.subject == "You are invited to join Globex on Bellwether"
    assert "http://testserver-base/accounts/invitations/" in str(message.body)
    assert "Nothing about you is shared with Globex until you accept." in str(message.body)
    client = Client()
    response = post_password(client, VICTIM, TEST_PASSWORD)
    # Signing in with an open invitation shows it first.
    assert response["Location"] == "/accounts/invitations/"
    page = client.get("/accounts/invitations/")
    assert [i.organisation for i in page.context["invitations"]] == [other_org]
    assert "Programme admin" in page.content.decode()


def test_b_audit_log_never_shows_a_members_events_before_or_after_acceptance(
    members, org, other_org, client_for, invite_as_b
):
    victim = members["leader"].user
    invite_as_b()
    sign_in_out_and_fail()
    # A sees its member's sign-ins; B sees none of them, whatever it filters by.
    assert {"sign_in.failed", "sign_in.succeeded", "sign_out"} <= set(victim_events_in(org, victim))
    assert victim_events_in(other_org, victim) == []
    assert all(event.actor != victim for event in b_log(client_for))
    assert b_log(client_for, actor=VICTIM) == []
    assert b_log(client_for, action="sign_in") == []

    invitation = MembershipInvitation.objects.get(user=victim)
    services_members.accept_invitation(user=victim, invitation_id=invitation.pk)
    sign_in_out_and_fail()
    # After joining, B sees that they joined, and still nothing of their sign-ins in A.
    joined = [event.action for event in b_log(client_for) if event.actor == victim]
    assert joined == ["member.joined"]
    assert victim_events_in(other_org, victim) == []


def test_accepting_does_not_move_the_default_organisation(
    members, org, other_org, invite_as_b, client_for
):
    victim = members["leader"].user
    User.objects.filter(pk=victim.pk).update(default_organisation=org)
    # Even an organisation whose name sorts first does not become the landing place.
    other_org.name = "Aardvark Ltd"
    other_org.save()
    invite_as_b(roles=("sponsor",))
    invitation = MembershipInvitation.objects.get(user=victim)
    session = client_for("leader")
    response = session.post(f"/accounts/invitations/{invitation.pk}/accept/")
    assert response.status_code == 302
    assert Membership.objects.get(user=victim, organisation=other_org).is_active
    victim.refresh_from_db()
    assert victim.default_organisation == org
    # This session moved to the new organisation by the person's own choice; a new one
    # starts where it always did.
    assert session.get("/").context["membership"].organisation == other_org
    fresh = Client()
    post_password(fresh, VICTIM, TEST_PASSWORD)
    assert fresh.get("/").context["membership"].organisation == org


def test_a_person_with_no_organisation_gets_the_first_they_accept_as_default(members, org):
    invitation = services_members.invite_member(
        organisation=org, actor=members["admin"], email="new@acme.test", roles=[Role.LEADER]
    )
    newcomer = invitation.user
    services_members.accept_invitation(user=newcomer, invitation_id=invitation.pk)
    newcomer.refresh_from_db()
    assert newcomer.default_organisation == org


def test_the_admin_cannot_tell_an_account_elsewhere_from_a_new_address(
    members, invite_as_b, client_for
):
    known = invite_as_b(VICTIM)
    unknown = invite_as_b("nobody-yet@acme.test")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    page = client_for("outsider").get(MEMBERS)
    rows = [(i.status, i.roles) for i in page.context["invitations"]]
    assert rows == [("pending", ["admin"]), ("pending", ["admin"])]
    assert not Membership.objects.filter(user__email="nobody-yet@acme.test").exists()


def test_declining_grants_nothing(members, other_org, invite_as_b, client_for):
    invite_as_b()
    invitation = MembershipInvitation.objects.get()
    victim = client_for("leader")
    asked = victim.post(f"/accounts/invitations/{invitation.pk}/decline/")
    assert asked.status_code == 200  # confirmed first: nothing declined yet
    assert "Decline this invitation?" in asked.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert client_for("admin").post(
        f"/accounts/invitations/{invitation.pk}/decline/", {"confirmed": "yes"}
    ).status_code in {403, 404}  # someone else's invitation: refused before asked
    response = victim.post(f"/accounts/invitations/{invitation.pk}/decline/", {"confirmed": "yes"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert not Membership.objects.filter(organisation=other_org, user__email=VICTIM).exists()
    assert victim.get("/accounts/invitations/").context["invitations"] == []
    # A declined invitation cannot be accepted afterwards.
    assert victim.post(f"/accounts/invitations/{invitation.pk}/accept/").status_code == 404
    assert not Membership.objects.filter(organisation=other_org, user__email=VICTIM).exists()


@pytest.mark.parametrize("role", ["admin", "sponsor", "coach", "outsider"])
def test_nobody_but_the_invited_person_can_accept(members, invite_as_b, client_for, role):
    invite_as_b()
    invitation = MembershipInvitation.objects.get()
    response = client_for(role).post(f"/accounts/invitations/{invitation.pk}/accept/")
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert Membership.objects.filter(organisation=invitation.organisation).count() == 1
    refusal = AuditEvent.objects.get(action="permission.denied")
    assert refusal.details["check"] == "accounts.own_open_invitation"


def test_an_expired_invitation_cannot_be_accepted(members, invite_as_b, client_for):
    invite_as_b()
    invitation = MembershipInvitation.objects.get()
    with frozen_at(timezone.now() + timedelta(days=31)):
        response = client_for("leader").post(f"/accounts/invitations/{invitation.pk}/accept/")
    assert response.status_code == 404
    assert not Membership.objects.filter(organisation=invitation.organisation, user__email=VICTIM)


def test_a_new_person_signs_in_accepts_and_is_in(members, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services_members.invite_member(
            organisation=org, actor=members["admin"], email="new@acme.test", roles=[Role.COACH]
        )
    client = Client()
    client.force_login(User.objects.get(email="new@acme.test"))
    assert client.get("/").status_code == 403  # not a member yet
    invitation = client.get("/accounts/invitations/").context["invitations"][0]
    assert client.post(f"/accounts/invitations/{invitation.pk}/accept/").status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert home.context["membership"].has_role(Role.COACH)
    joined = AuditEvent.objects.get(action="member.joined")
    assert (joined.organisation, joined.details["roles"]) == (org, ["coach"])


def test_the_invitation_email_keeps_a_hostile_organisation_name_on_one_line(
    members, django_capture_on_commit_callbacks
):
    evil = OrganisationFactory(name="Evil\r\nBcc: everyone@example.com", slug="evil")
    admin = make_member(evil, Role.ADMIN, email="boss@evil.test")
    with django_capture_on_commit_callbacks(execute=True):
        services_members.invite_member(
            organisation=evil, actor=admin, email=VICTIM, roles=[Role.LEADER]
        )
    assert mail.outbox[0].subject == (
        "You are invited to join Evil Bcc: everyone@example.com on Bellwether"
    )
    assert mail.outbox[0].bcc == []


def test_the_data_migration_keeps_everyone_landing_where_they_did(members, org, other_org):
    # A user in two organisations used to land in the first by name.
    extra = make_member(other_org, Role.SPONSOR)
    extra.user = members["admin"].user
    extra.save()
    migration = import_module(
        "bellwether.accounts.migrations.0004_default_organisation_from_current_landing"
    )
    migration.set_default_organisations(apps, None)
    assert User.objects.get(pk=members["admin"].user_id).default_organisation == org  # "Acme"
    assert User.objects.get(pk=members["outsider"].user_id).default_organisation == other_org
