"""The welcome: an invitation email with a set-password link; the link joins and signs in
once; forged, expired, withdrawn or used links give a clear page and change nothing; the
admin resends (refused for every other role)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts import services_invitations, services_members
from bellwether.accounts.models import Membership, MembershipInvitation, User
from bellwether.accounts.roles import Role
from bellwether.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "violet-harbour-lantern-47"


@pytest.fixture
def invitation(org, members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services_members.invite_member(
            organisation=org, actor=members["admin"], email="newbie@acme.test", roles=[Role.LEADER]
        )


def emailed_link(body: str) -> str:
    match = re.search(r"https?://\S+/accounts/join/\S+/", body)
    assert match is not None, body
    return match.group(0)


def test_the_email_carries_a_set_password_link_that_joins_and_signs_in(client, invitation):
    message = mail.outbox[-1]
    assert message.to == ["newbie@acme.test"]
    link = emailed_link(message.body)
    assert "set your password and join" in message.body
    path = link[link.index("/accounts/join/") :]
    page = client.get(path)
    assert page.status_code == 200
    assert "Set my password and join" in page.text
    invitation.refresh_from_db()
    assert invitation.status == MembershipInvitation.Status.PENDING  # a GET uses nothing up

    weak = client.post(path, {"new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 400
    assert not Membership.objects.filter(user__email="newbie@acme.test").exists()

    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="newbie@acme.test")
    assert user.check_password(PASSWORD)
    assert Membership.objects.get(user=user, organisation=invitation.organisation).is_active
    assert client.get(reverse("core:home")).status_code == 200  # signed in
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"password.changed", "member.joined", "sign_in.succeeded"} <= actions

    again = client.post(path, {"new_password1": "x" + PASSWORD, "new_password2": "x" + PASSWORD})
    assert again.status_code == 410
    assert "already accepted" in again.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("broken", ["forged", "tampered", "expired", "withdrawn"])
def test_a_broken_link_gives_a_clear_page_and_changes_nothing(
    client, org, members, invitation, broken
):
    token = services_invitations.invitation_token(invitation)
    if broken == "forged":
        token = "not-a-token"
    elif broken == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif broken == "expired":
        MembershipInvitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
    else:
        services_members.withdraw_invitation(
            organisation=org, actor=members["admin"], invitation_id=invitation.pk
        )
    path = reverse("accounts:join", args=[token])
    page = client.get(path)
    assert page.status_code in (404, 410)
    assert "This invitation link does not work" in page.text
    assert "Nothing was changed" in page.text
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code in (404, 410)
    assert not User.objects.get(email="newbie@acme.test").has_usable_password()
    assert not Membership.objects.filter(user__email="newbie@acme.test").exists()
    if broken == "expired":
        assert "expired on" in unescape(page.text)
        assert "Ask " in page.text


def test_the_admin_resends_an_invitation_and_its_expiry_starts_again(
    client_for, invitation, django_capture_on_commit_callbacks
):
    MembershipInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + dt.timedelta(days=1)
    )
    sent = len(mail.outbox)
    url = reverse("accounts:resend_invitation", args=[invitation.pk])
    assert "Resend" in client_for("admin").get(reverse("accounts:members")).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(url, follow=True)
    assert "is sent again" in response.text
    assert len(mail.outbox) == sent + 1
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=20)
    assert AuditEvent.objects.filter(action="member.invitation_resent").count() == 1


@pytest.mark.parametrize("role", ["sponsor", "leader", "coach", "reviewer"])
def test_other_roles_may_not_resend(client_for, invitation, role):
    before = MembershipInvitation.objects.get(pk=invitation.pk).expires_at
    sent = len(mail.outbox)
    url = reverse("accounts:resend_invitation", args=[invitation.pk])
    assert client_for(role).post(url).status_code == 403
    assert MembershipInvitation.objects.get(pk=invitation.pk).expires_at == before
    assert len(mail.outbox) == sent


def test_an_outsider_may_not_resend(client_for, invitation):
    url = reverse("accounts:resend_invitation", args=[invitation.pk])
    assert client_for("outsider").post(url).status_code == 404


def test_someone_with_a_password_is_sent_to_sign_in(client, org, members, invitation):
    user = invitation.user
    user.set_password(PASSWORD)
    user.save()
    path = reverse("accounts:join", args=[services_invitations.invitation_token(invitation)])
    page = client.get(path)
    assert "You already have a Bellwether account" in page.text
    response = client.post(path, {"new_password1": "x" + PASSWORD, "new_password2": "x" + PASSWORD})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not Membership.objects.filter(user=user, organisation=org).exists()
