"""Members of an organisation: invitations, roles and removal.

An admin never makes anyone a member directly. Adding someone by email sends them an
invitation, which they accept or decline after signing in; until they accept it
grants nothing: no membership exists, they are not listed as a member, their account
and its events stay out of the organisation's sight, and their default organisation
(where their sessions start) never changes. The same holds whether or not the
address already has an account, so the admin's page does not reveal that either.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from bellwether.accounts import access, selectors
from bellwether.accounts.models import (
    ApiToken,
    Assignment,
    Membership,
    MembershipInvitation,
    RoleGrant,
    User,
)
from bellwether.accounts.roles import Role
from bellwether.accounts.services import normalise_email
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation

if TYPE_CHECKING:
    from django.http import HttpRequest

    from bellwether.people.models import Person

INVITATION_DAYS = 30
Status = MembershipInvitation.Status


def _clean_roles(roles: Iterable[Role | str]) -> set[Role]:
    try:
        cleaned = {Role(role) for role in roles}
    except ValueError as exc:
        raise DomainError(
            "Choose roles from the list.", field_errors={"roles": ["Choose roles from the list."]}
        ) from exc
    if not cleaned:
        raise DomainError(
            "Choose at least one role.", field_errors={"roles": ["Choose at least one role."]}
        )
    return cleaned


def check_actor(organisation: Organisation, actor: Membership) -> None:
    # Views check first (and audit a refusal); this guards every other caller.
    if actor.organisation_id != organisation.pk or not access.MANAGE_MEMBERS.allows(actor):
        raise DomainError("Only a programme admin can manage members.", code="forbidden")


def _lock_organisation(organisation: Organisation) -> None:
    # Member changes in one organisation take turns, so two admins removing each
    # other's admin role at once cannot leave the organisation without one.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def _active_admins(organisation: Organisation) -> set[int]:
    return set(
        RoleGrant.objects.filter(
            membership__organisation=organisation,
            membership__is_active=True,
            membership__user__is_active=True,
            role=Role.ADMIN.value,
        ).values_list("membership_id", flat=True)
    )


def _get_member(organisation: Organisation, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "person")
        .filter(pk=membership_id, organisation=organisation)
        .first()
    )
    if membership is None:
        raise DomainError("There is no such member.", code="not_found")
    return membership


def _person_is_taken(organisation: Organisation, person: Person, user: User | None) -> bool:
    taken = Membership.objects.filter(organisation=organisation, person=person, is_active=True)
    if user is not None:
        taken = taken.exclude(user=user)
    return taken.exists()


def _check_person(organisation: Organisation, person: Person | None, user: User | None) -> None:
    if person is None:
        return
    if person.organisation_id != organisation.pk:
        raise DomainError(
            "There is no such person.", field_errors={"employee_id": ["There is no such person."]}
        )
    if _person_is_taken(organisation, person, user):
        message = f"{person.name} is already linked to another member."
        raise DomainError(message, field_errors={"employee_id": [message]})


def _grant(membership: Membership, roles: set[Role]) -> None:
    RoleGrant.objects.filter(membership=membership).exclude(
        role__in=[r.value for r in roles]
    ).delete()
    existing = set(RoleGrant.objects.filter(membership=membership).values_list("role", flat=True))
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(membership=membership, role=r.value)
            for r in sorted(roles)
            if r.value not in existing
        ]
    )
    membership._roles_cache = frozenset(roles)


# --- invitations ----------------------------------------------------------------------------


@transaction.atomic
def invite_member(
    *,
    organisation: Organisation,
    actor: Membership,
    email: str,
    roles: Iterable[Role | str],
    person: Person | None = None,
) -> MembershipInvitation:
    """Invite someone to the organisation with these roles; they are emailed.

    An address without an account gets one (no password: they sign in by emailed
    link). Nothing else happens until the person accepts.
    """
    check_actor(organisation, actor)
    address = normalise_email(email)
    if "@" not in address:
        raise DomainError(
            "Enter a valid email address.", field_errors={"email": ["Enter a valid email address."]}
        )
    wanted = _clean_roles(roles)
    _lock_organisation(organisation)
    now = timezone.now()
    user = User.objects.filter(email__iexact=address).first()
    if user is not None:
        if Membership.objects.filter(user=user, organisation=organisation, is_active=True).exists():
            message = f"{address} is already a member."
            raise DomainError(message, code="already_member", field_errors={"email": [message]})
        open_ = MembershipInvitation.objects.filter(
            user=user, organisation=organisation, status=Status.PENDING
        )
        if open_.filter(expires_at__gt=now).exists():
            message = (
                f"{address} has already been invited. Withdraw that invitation first "
                "to invite them with other roles."
            )
            raise DomainError(message, code="already_invited", field_errors={"email": [message]})
        open_.update(status=Status.EXPIRED)  # lapsed ones, so a new one may be open
    _check_person(organisation, person, user)
    if user is None:
        user = User.objects.create_user(address)  # no password: they sign in by link
    invitation = MembershipInvitation.objects.create(
        organisation=organisation,
        user=user,
        roles=sorted(r.value for r in wanted),
        person=person,
        invited_by=actor.user,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    audit.record(
        action="member.invited",
        organisation=organisation,
        actor=actor.user,
        target=invitation,
        target_label=address,
        details={
            "roles": sorted(r.value for r in wanted),
            "person_id": person.pk if person else None,
        },
    )
    from bellwether.accounts.tasks import send_invitation_email

    enqueue_on_commit(send_invitation_email, invitation.pk)
    return invitation


def _open_invitation(user: User, invitation_id: int) -> MembershipInvitation:
    invitation = (
        MembershipInvitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "person")
        .filter(pk=invitation_id, user=user)
        .first()
    )
    if invitation is None:
        raise DomainError("There is no such invitation.", code="not_found")
    if invitation.status != Status.PENDING or invitation.expires_at <= timezone.now():
        raise DomainError(
            "This invitation is no longer open. Ask the organisation's admin for a new one.",
            code="invitation_closed",
        )
    return invitation


@transaction.atomic
def accept_invitation(
    *, user: User, invitation_id: int, request: HttpRequest | None = None
) -> Membership:
    """Join the organisation that invited the user, with the roles it offered.

    Their default organisation stays where it is (recorded now if it was only implied);
    only someone who belonged nowhere gets this one.
    """
    invitation = _open_invitation(user, invitation_id)
    organisation = invitation.organisation
    _lock_organisation(organisation)
    # Where they land today, written down before the new membership could compete.
    home = selectors.default_membership(user)
    roles = set(invitation.role_list)
    if not roles:
        raise DomainError("This invitation offers no role. Ask for a new one.", code="invalid")
    person = invitation.person
    # The admin may have linked that person to someone else since: join without the link.
    person_dropped = person is not None and (
        person.organisation_id != organisation.pk or _person_is_taken(organisation, person, user)
    )
    if person_dropped:
        person = None
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = Membership.objects.create(user=user, organisation=organisation, person=person)
    elif membership.is_active:
        roles |= set(membership.roles)  # already a member meanwhile: keep what they hold
        person = membership.person or person
    else:
        membership.is_active = True
        membership.person = person
        membership.save(update_fields=["is_active", "person"])
    _grant(membership, roles)
    invitation.status = Status.ACCEPTED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    if user.default_organisation_id is None:
        user.default_organisation = home.organisation if home is not None else organisation
        user.save(update_fields=["default_organisation"])
    audit.record(
        action="member.joined",
        organisation=organisation,
        actor=user,
        target=membership,
        target_label=user.email,
        details={
            "invitation_id": invitation.pk,
            "roles": sorted(r.value for r in roles),
            "person_id": person.pk if person else None,
            "person_link_dropped": person_dropped,
        },
        request=request,
    )
    return membership


@transaction.atomic
def decline_invitation(
    *, user: User, invitation_id: int, request: HttpRequest | None = None
) -> MembershipInvitation:
    invitation = _open_invitation(user, invitation_id)
    invitation.status = Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    audit.record(
        action="member.invitation_declined",
        organisation=invitation.organisation,
        actor=user,
        target=invitation,
        target_label=user.email,
        request=request,
    )
    return invitation


def admin_locked_invitation(
    organisation: Organisation, actor: Membership, invitation_id: int
) -> MembershipInvitation:
    """One of the organisation's invitations, locked, for its admin ``actor`` to act on
    (inside a transaction); refused for anyone else or an id that is not the
    organisation's."""
    check_actor(organisation, actor)
    invitation = (
        MembershipInvitation.objects.select_for_update()
        .select_related("user")
        .filter(pk=invitation_id, organisation=organisation)
        .first()
    )
    if invitation is None:
        raise DomainError("There is no such invitation.", code="not_found")
    return invitation


def record_admin_change(
    action: str,
    organisation: Organisation,
    actor: Membership,
    target: Membership | MembershipInvitation,
    details: dict[str, Any] | None = None,
) -> None:
    """Audit an admin's change to a member or an invitation, named by the member's
    address: the entry still says whom it was about once the user is gone."""
    audit.record(
        action=action,
        organisation=organisation,
        actor=actor.user,
        target=target,
        target_label=target.user.email,
        details=details,
    )


@transaction.atomic
def withdraw_invitation(
    *, organisation: Organisation, actor: Membership, invitation_id: int
) -> MembershipInvitation:
    invitation = admin_locked_invitation(organisation, actor, invitation_id)
    if invitation.status == Status.PENDING:
        invitation.status = Status.WITHDRAWN
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
        record_admin_change("member.invitation_withdrawn", organisation, actor, invitation)
    return invitation


def _one_line(text: str) -> str:
    # A CR or LF in an organisation's name must not reach a mail header.
    return " ".join(text.split())


def deliver_invitation_email(*, invitation_id: int) -> bool:
    """Send the invitation email (run by the worker). False if it is no longer open."""
    from bellwether.accounts import services_invitations

    invitation = (
        MembershipInvitation.objects.select_related("organisation", "user", "invited_by")
        .filter(pk=invitation_id, status=Status.PENDING, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        return False
    context = {
        "organisation": _one_line(invitation.organisation.name),
        "inviter": invitation.invited_by.email if invitation.invited_by else "",
        "roles": invitation.role_labels,
        "link": services_invitations.invitation_link(invitation),
        "sets_password": not invitation.user.has_usable_password(),
        "expires_at": invitation.expires_at,
    }
    message = EmailMultiAlternatives(
        subject=f"You are invited to join {context['organisation']} on Bellwether"[:200],
        body=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.user.email],
    )
    message.attach_alternative(
        render_to_string("accounts/email/invitation.html", context), "text/html"
    )
    message.send()
    return True


# --- roles and removal ----------------------------------------------------------------------


@transaction.atomic
def set_member_roles(
    *,
    organisation: Organisation,
    actor: Membership,
    membership_id: int,
    roles: Iterable[Role | str],
) -> Membership:
    check_actor(organisation, actor)
    wanted = _clean_roles(roles)
    _lock_organisation(organisation)
    membership = _get_member(organisation, membership_id)
    before = set(membership.roles)
    if (
        Role.ADMIN in before
        and Role.ADMIN not in wanted
        and _active_admins(organisation) == {membership.pk}
    ):
        raise DomainError(
            "An organisation needs at least one programme admin. Make someone else an admin first.",
            code="last_admin",
            field_errors={"roles": ["An organisation needs at least one programme admin."]},
        )
    _grant(membership, wanted)
    record_admin_change(
        "member.roles_changed",
        organisation,
        actor,
        membership,
        {
            "before": sorted(r.value for r in before),
            "after": sorted(r.value for r in wanted),
        },
    )
    return membership


@transaction.atomic
def deactivate_member(
    *, organisation: Organisation, actor: Membership, membership_id: int
) -> Membership:
    """Remove someone's access to this organisation. Their API tokens stop working too."""
    check_actor(organisation, actor)
    _lock_organisation(organisation)
    membership = _get_member(organisation, membership_id)
    if not membership.is_active:
        return membership
    if _active_admins(organisation) == {membership.pk}:
        raise DomainError(
            "An organisation needs at least one programme admin. Make someone else an admin first.",
            code="last_admin",
        )
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    now = timezone.now()
    revoked = ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).update(
        revoked_at=now
    )
    record_admin_change(
        "member.deactivated", organisation, actor, membership, {"tokens_revoked": revoked}
    )
    return membership


# --- assignments (the access source for coaches and reviewers) ------------------------------


def assign(*, membership: Membership, person: Person, kind: str) -> bool:
    """Let ``membership`` see ``person`` as their coachee or reviewee (``kind``: an
    ``Assignment.Kind``). True when it is new. The calling service (coaching) checks,
    audits and keeps the history; this keeps the access source in step."""
    if person.organisation_id != membership.organisation_id:
        raise DomainError("There is no such person.", code="not_found")
    _, created = Assignment.objects.get_or_create(
        organisation_id=membership.organisation_id,
        membership=membership,
        person=person,
        kind=Assignment.Kind(kind),
    )
    return created


def unassign(*, membership: Membership, person: Person, kind: str) -> bool:
    """Take the assignment away (True when there was one)."""
    deleted, _ = Assignment.objects.filter(
        membership=membership, person=person, kind=Assignment.Kind(kind)
    ).delete()
    return deleted > 0
