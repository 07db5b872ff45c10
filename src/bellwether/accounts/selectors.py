"""Reads for accounts: members, tokens and sign-in links. Nothing here writes."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from bellwether.accounts import tokens
from bellwether.accounts.models import (
    ApiToken,
    Membership,
    MembershipInvitation,
    RoleGrant,
    SignInCode,
    User,
)
from bellwether.core.models import Organisation


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    """Every member, active first, with user, person and roles in three queries."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "person")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
        .order_by("-is_active", "user__email")
    )


def member_in(organisation: Organisation, membership_id: int) -> Membership | None:
    return members_of(organisation).filter(pk=membership_id).first()


def pick_default(memberships: list[Membership], user: User) -> Membership | None:
    """Among a user's active memberships, the one a session starts in: their default
    organisation's, else the one they joined first (never a newer one)."""
    if not memberships:
        return None
    for membership in memberships:
        if membership.organisation_id == user.default_organisation_id:
            return membership
    return min(memberships, key=lambda m: m.pk)


def default_membership(user: User) -> Membership | None:
    memberships = list(
        Membership.objects.filter(user=user, is_active=True).select_related("organisation")
    )
    return pick_default(memberships, user)


def pending_invitations_for(user: User) -> QuerySet[MembershipInvitation]:
    """Invitations the user may still accept or decline, newest first."""
    return (
        MembershipInvitation.objects.filter(
            user=user,
            status=MembershipInvitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("organisation", "invited_by")
        .order_by("-created_at", "-id")
    )


def pending_invitations_of(organisation: Organisation) -> QuerySet[MembershipInvitation]:
    """The organisation's own open invitations (they are not members yet)."""
    return (
        MembershipInvitation.objects.filter(
            organisation=organisation,
            status=MembershipInvitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("user", "person")
        .order_by("-created_at", "-id")
    )


def tokens_of(membership: Membership) -> QuerySet[ApiToken]:
    """The member's own tokens, newest first (revoked ones too, for the record)."""
    return ApiToken.objects.filter(membership=membership).order_by("-created_at", "-id")


def own_token(membership: Membership, token_id: int) -> ApiToken | None:
    return tokens_of(membership).filter(pk=token_id).first()


def sign_in_link_is_usable(token: str) -> bool:
    """Whether a link would sign someone in now, without using it up."""
    return SignInCode.objects.filter(
        link_digest=tokens.digest(token or ""),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
        attempts__lt=SignInCode.MAX_ATTEMPTS,
        user__is_active=True,
    ).exists()
