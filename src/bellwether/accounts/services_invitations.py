"""The link in an invitation email: a new member sets a password and joins in one step;
an admin resends an open invitation (its expiry starts again). Forged, expired or
answered links change nothing and say so.

The link's token is signed (``django.core.signing``) and names the invitation and its
user; it is good while the invitation is pending and unexpired, so it works once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts import services, services_members
from bellwether.accounts.models import Membership, MembershipInvitation, User
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation

_SALT = "bellwether.accounts.invitation-link"
Status = MembershipInvitation.Status


def invitation_token(invitation: MembershipInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "u": invitation.user_id}, salt=_SALT)


def invitation_link(invitation: MembershipInvitation) -> str:
    """The address the invitation email gives: the join page for someone without a
    password yet, else the invitations page (they sign in as usual to answer)."""
    if invitation.user.has_usable_password():
        return settings.BELLWETHER_BASE_URL + reverse("accounts:invitations")
    return settings.BELLWETHER_BASE_URL + reverse(
        "accounts:join", args=[invitation_token(invitation)]
    )


def sso_sign_in_url(invitation: MembershipInvitation) -> str | None:
    """Where an invited person signs in with their organisation's single sign-on instead
    of setting a password: the organisation's SSO page when it has an enabled identity
    provider (``integrations/sso``), else None."""
    hooks = services.sso_hooks()
    return hooks.sign_in_url(invitation.organisation) if hooks else None


@dataclass(frozen=True)
class LinkState:
    """What an invitation link leads to: the open invitation, or ``problem`` in words."""

    invitation: MembershipInvitation | None
    problem: str = ""
    status: int = 200


FORGED = "This invitation link is not valid. Check that you copied the whole link from the email, or ask the person who invited you to send it again."


def read_link(token: str) -> LinkState:
    """The invitation a link opens, or why it opens none (forged, expired, answered)."""
    try:
        data = signing.loads(token, salt=_SALT)
        invitation = (
            MembershipInvitation.objects.select_related("organisation", "user", "invited_by")
            .filter(pk=int(data["i"]), user_id=int(data["u"]))
            .first()
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        invitation = None
    if invitation is None:
        return LinkState(None, FORGED, 404)
    who = invitation.invited_by.email if invitation.invited_by else "the organisation's admin"
    if invitation.status == Status.ACCEPTED:
        return LinkState(None, "This invitation was already accepted: sign in to continue.", 410)
    if invitation.status != Status.PENDING:
        return LinkState(
            None,
            f"This invitation was {invitation.get_status_display().lower()} and no longer "
            f"opens {invitation.organisation.name}. Ask {who} for a new one.",
            410,
        )
    if invitation.expires_at <= timezone.now():
        return LinkState(
            None,
            f"This invitation expired on {invitation.expires_at:%d %B %Y}. Ask {who} to "
            "send it again.",
            410,
        )
    return LinkState(invitation)


@transaction.atomic
def join_with_link(*, token: str, password: str, request: HttpRequest) -> Membership:
    """Set the invited person's first password, accept the invitation and sign them in
    (audited: ``password.changed``, ``member.joined``, ``sign_in.succeeded``)."""
    state = read_link(token)
    if state.invitation is None:
        raise DomainError(state.problem, code="link_closed")
    user: User = state.invitation.user
    if user.has_usable_password():
        raise DomainError(
            "You already have a password: sign in, then accept the invitation.",
            code="has_password",
        )
    services.change_password(user=user, old_password="", new_password=password, request=request)
    membership = services_members.accept_invitation(
        user=user, invitation_id=state.invitation.pk, request=request
    )
    services.sign_in_after_joining(request=request, user=user)
    return membership


@transaction.atomic
def resend_invitation(
    *, organisation: Organisation, actor: Membership, invitation_id: int
) -> MembershipInvitation:
    """Email an open invitation again; it is open for ``INVITATION_DAYS`` from now."""
    invitation = services_members.admin_locked_invitation(organisation, actor, invitation_id)
    if invitation.status != Status.PENDING:
        raise DomainError(
            f"This invitation was {invitation.get_status_display().lower()}: invite "
            f"{invitation.user.email} again instead.",
            code="invitation_closed",
        )
    invitation.expires_at = timezone.now() + timedelta(days=services_members.INVITATION_DAYS)
    invitation.save(update_fields=["expires_at"])
    services_members.record_admin_change(
        "member.invitation_resent",
        organisation,
        actor,
        invitation,
        {"expires_at": invitation.expires_at.isoformat()},
    )
    from bellwether.accounts.tasks import send_invitation_email

    enqueue_on_commit(send_invitation_email, invitation.pk)
    return invitation
