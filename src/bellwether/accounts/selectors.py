"""Reads for accounts: members, tokens, sign-in links and the audit log. Nothing here
writes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from bellwether.accounts import tokens
from bellwether.accounts.models import (
    ApiToken,
    Assignment,
    Membership,
    MembershipInvitation,
    RoleGrant,
    SignInCode,
    User,
)
from bellwether.accounts.roles import Role
from bellwether.core.models import AuditEvent, Organisation, org_id_of


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


def active_memberships_of(user_id: int) -> QuerySet[Membership]:
    """The user's active memberships with what a request needs loaded, by organisation name."""
    return (
        Membership.objects.filter(user_id=user_id, is_active=True)
        .select_related("organisation", "person", "user")
        .prefetch_related("role_grants")
        .order_by("organisation__name")
    )


def is_active_member_of(user_id: int, organisation_id: int) -> bool:
    return Membership.objects.filter(
        user_id=user_id, organisation_id=organisation_id, is_active=True
    ).exists()


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


def _open_invitations(**where: Any) -> QuerySet[MembershipInvitation]:
    """Invitations still open (pending, not expired) matching ``where``, newest first."""
    return MembershipInvitation.objects.filter(
        status=MembershipInvitation.Status.PENDING, expires_at__gt=timezone.now(), **where
    ).order_by("-created_at", "-id")


def pending_invitations_for(user: User) -> QuerySet[MembershipInvitation]:
    """Invitations the user may still accept or decline, newest first."""
    return _open_invitations(user=user).select_related("organisation", "invited_by")


def pending_invitations_of(organisation: Organisation) -> QuerySet[MembershipInvitation]:
    """The organisation's own open invitations (they are not members yet)."""
    return _open_invitations(organisation=organisation).select_related("user", "person")


def tokens_of(membership: Membership) -> QuerySet[ApiToken]:
    """The member's own tokens, newest first (revoked ones too, for the record)."""
    return ApiToken.objects.filter(membership=membership).order_by("-created_at", "-id")


def api_tokens_with_organisation() -> QuerySet[ApiToken]:
    """Tokens carrying their member's organisation, so the access rule can compare it."""
    return ApiToken.objects.annotate(organisation_id=F("membership__organisation_id"))


def sign_in_link_is_usable(token: str) -> bool:
    """Whether a link would sign someone in now, without using it up."""
    return SignInCode.objects.filter(
        link_digest=tokens.digest(token or ""),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
        attempts__lt=SignInCode.MAX_ATTEMPTS,
        user__is_active=True,
    ).exists()


# --- the audit log ------------------------------------------------------------------------


def audit_events(
    organisation: Organisation, *, action: str = "", actor: str = ""
) -> QuerySet[AuditEvent]:
    """The organisation's audit events (newest first), by action prefix and actor words."""
    events = AuditEvent.objects.filter(organisation=organisation)
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    return events


def audit_actions(organisation: Organisation) -> list[str]:
    return list(
        AuditEvent.objects.filter(organisation=organisation)
        .values_list("action", flat=True)
        .distinct()
        .order_by("action")
    )


def person_ids_with_role(
    organisation: Organisation | int, role: Role, *, person_ids: Iterable[int] | None = None
) -> set[int]:
    """The people who hold ``role`` through an active account of the organisation."""
    org_id = org_id_of(organisation)
    rows = Membership.objects.filter(
        organisation_id=org_id, is_active=True, person__isnull=False, role_grants__role=role
    )
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    return set(rows.values_list("person_id", flat=True))


def coaches_of(
    organisation: Organisation | int, *, person_ids: Iterable[int] | None = None
) -> dict[int, Membership]:
    """Each person's coach (the earliest coachee assignment of an active member), with
    the coach's user loaded."""
    org_id = org_id_of(organisation)
    rows = Assignment.objects.filter(
        organisation_id=org_id, kind=Assignment.Kind.COACHEE, membership__is_active=True
    ).select_related("membership__user")
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    out: dict[int, Membership] = {}
    for assignment in rows.order_by("id"):
        out.setdefault(assignment.person_id, assignment.membership)
    return out
