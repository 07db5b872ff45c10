"""Who rates a leader: assignment, nominations, removal, new links, and the late changes
that raise a group's minimum (suggestions from the org data are in ``suggestions.py``).

Raters are people records of the organisation with their own e-mail address. The set
is fixed when the cycle opens: everything done to the raters from then on (added,
removed, sent a new link, e-mail changed) is a ``RaterChange``, audited, shown on the
leader's report and counted by the release (each raises the minimum of its group by
one), because whoever received such a link may not be the rater. A rater can never be
the leader, nor the person of the administrator who launched the cycle or is choosing
its raters, nor share a mailbox with the leader, another of the leader's raters or that
administrator.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bellwether.assessments.models import (
    DISCLOSED_CATEGORIES,
    RATER_CATEGORIES,
    Category,
    CycleLeader,
    Rater,
    RaterChange,
    RaterMode,
    ReadinessCycle,
)
from bellwether.core import audit
from bellwether.core.bounds import checked_ids
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.people.models import Person
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Completion, Invitation

if TYPE_CHECKING:
    from bellwether.accounts.models import User

CATEGORY_LABELS = {c.value: c.label for c in Category}


def mailbox(email: str) -> str:
    """An address as a mailbox: lower case, without a "+tag" (ann+1@x and ann@x are one)."""
    local, _, domain = email.strip().lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if domain else local


# --- checks -------------------------------------------------------------------------------------


def _cycle_leader(cycle: ReadinessCycle, leader: Person) -> None:
    if not CycleLeader.objects.filter(cycle=cycle, person=leader).exists():
        raise DomainError(f"{leader.name} is not assessed in this cycle.", code="not_in_cycle")


def check_open(cycle: ReadinessCycle) -> None:
    if timezone.now() >= cycle.closes_at:
        raise DomainError("This cycle has closed: raters can no longer change.", code="closed")


def _check_category(category: str) -> None:
    if category not in RATER_CATEGORIES:
        raise DomainError(
            "Choose a rater category: manager, peer or direct report.",
            code="bad_category",
            field_errors={"category": ["Choose manager, peer or direct report."]},
        )


def running_admins(cycle: ReadinessCycle, actor: User | None) -> tuple[set[int], set[str]]:
    """The people and mailboxes of whoever runs this cycle: the administrator who launched
    it and the one acting now."""
    from bellwether.accounts.models import Membership

    users = [u for u in (cycle.created_by_id, actor.pk if actor is not None else None) if u]
    people = set(
        Membership.objects.filter(
            organisation_id=cycle.organisation_id, user_id__in=users, person__isnull=False
        ).values_list("person_id", flat=True)
    )
    mailboxes = {mailbox(e) for e in _user_emails(users) if e}
    return people, mailboxes


def _user_emails(user_ids: Sequence[int]) -> list[str]:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model().objects.filter(pk__in=list(user_ids)).values_list("email", flat=True)
    )


def check_raters(
    cycle: ReadinessCycle,
    leader: Person,
    raters: Sequence[tuple[int, str]],
    actor: User | None,
) -> list[tuple[Person, str]]:
    """(person, category) pairs checked: people of the organisation, active, with their
    own e-mail, not the leader, not the administrator running the cycle, no mailbox
    shared with the leader, another of the leader's raters or that administrator."""
    for _, category in raters:
        _check_category(category)
    ids = checked_ids((pk for pk, _ in raters), field="raters")
    if len(set(ids)) != len(ids):
        raise DomainError("Each rater can be listed once per leader.", code="duplicate_rater")
    people = Person.objects.in_bulk(list(ids), field_name="pk")
    running_people, running_mailboxes = running_admins(cycle, actor)
    others = {
        mailbox(email): person_id
        for person_id, email in Rater.objects.filter(cycle=cycle, leader=leader)
        .exclude(status=Rater.Status.REJECTED)
        .values_list("person_id", "person__email")
    }
    chosen = []
    for pk, category in raters:
        person = people.get(pk)
        if person is None or person.organisation_id != cycle.organisation_id or not person.active:
            raise DomainError(
                "Choose active people of this organisation as raters.",
                code="bad_rater",
                field_errors={"raters": ["Unknown person."]},
            )
        if person.pk == leader.pk:
            raise DomainError(
                "A leader rates themself in the self-assessment, not as a rater.",
                code="self_as_rater",
                field_errors={"raters": ["The leader cannot be their own rater."]},
            )
        if person.pk in running_people:
            raise DomainError(
                f"{person.name} runs this cycle and cannot rate in it: an administrator's "
                "own ratings would be known to them in the results.",
                code="admin_as_rater",
                field_errors={"raters": [f"{person.name} runs this cycle."]},
            )
        box = mailbox(person.email)
        if not box:
            raise DomainError(
                f"{person.name} has no e-mail address: the invitation could not reach them.",
                code="no_email",
                field_errors={"raters": [f"{person.name} has no e-mail address."]},
            )
        shared = (
            box == mailbox(leader.email)
            or box in running_mailboxes
            or others.get(box, person.pk) != person.pk
        )
        if shared:
            raise DomainError(
                f"{person.name}'s e-mail address is also the leader's, another rater's or "
                "an administrator's: each rater needs a mailbox of their own.",
                code="shared_mailbox",
                field_errors={"raters": [f"{person.name} shares a mailbox."]},
            )
        others[box] = person.pk
        chosen.append((person, category))
    return chosen


# --- changes after the cycle opened --------------------------------------------------------------


def record_change(
    cycle: ReadinessCycle,
    rater: Rater,
    *,
    kind: str,
    actor: User | None,
    now: dt.datetime | None = None,
) -> bool:
    """Record a change to a leader's raters (this rater, this kind) if the cycle has opened
    (audited). True when it was late."""
    if not cycle.is_late(now):
        return False
    RaterChange.objects.create(
        organisation_id=cycle.organisation_id,
        cycle=cycle,
        leader_id=rater.leader_id,
        person_id=rater.person_id,
        category=rater.category,
        kind=kind,
        actor=actor,
    )
    audit.record_on(
        cycle,
        f"readiness.rater_{kind}_late",
        actor=actor,
        details={"leader": rater.leader_id, "person": rater.person_id, "category": rater.category},
    )
    return True


def _readdress(rater: Rater) -> None:
    """The rater's link now goes to their current e-mail address."""
    rater.invited_email = rater.person.email
    rater.save(update_fields=["invited_email", "updated_at"])


def note_email_changes(invitation_ids: Sequence[int]) -> int:
    """Before a link goes out again (a reminder): raters whose e-mail changed since they
    were invited are a late change (the link would reach another mailbox)."""
    changed = list(
        Rater.objects.filter(invitation_id__in=list(invitation_ids))
        .exclude(invited_email=F("person__email"))
        .select_related("cycle__organisation", "person")
    )
    for rater in changed:
        record_change(rater.cycle, rater, kind=RaterChange.Kind.EMAIL_CHANGED, actor=None)
        _readdress(rater)
    return len(changed)


# --- assigning, nominating, removing ------------------------------------------------------------


def _invite(cycle: ReadinessCycle, rater: Rater) -> Invitation:
    invitation, _ = Invitation.objects.get_or_create(
        campaign=cycle.campaign,
        person_id=rater.person_id,
        subject_id=rater.leader_id,
        defaults={
            "organisation_id": cycle.organisation_id,
            "nonce": secrets.token_hex(12),
            "category": rater.category,
            "category_disclosed": rater.category in DISCLOSED_CATEGORIES,
        },
    )
    if invitation.revoked_at is not None:
        invitation.revoked_at = None
        invitation.category = rater.category
        invitation.category_disclosed = rater.category in DISCLOSED_CATEGORIES
        invitation.save(
            update_fields=["revoked_at", "category", "category_disclosed", "updated_at"]
        )
    return invitation


def _approve(cycle: ReadinessCycle, rater: Rater, actor: User | None, now: dt.datetime) -> None:
    rater.invitation = _invite(cycle, rater)
    rater.status = Rater.Status.APPROVED
    rater.decided_by = actor
    rater.decided_at = now
    rater.invited_email = rater.person.email
    rater.save(
        update_fields=[
            "invitation",
            "status",
            "decided_by",
            "decided_at",
            "invited_email",
            "updated_at",
        ]
    )
    record_change(cycle, rater, kind=RaterChange.Kind.ADDED, actor=actor, now=now)


def _send(invitation_ids: list[int], kind: str = "invitation") -> None:
    from bellwether.assessments import tasks

    enqueue_on_commit(tasks.send_rating_emails, invitation_ids, kind)


def _rater_row(
    cycle: ReadinessCycle, leader: Person, person: Person, category: str, actor: User | None
) -> tuple[Rater, bool]:
    """The rater row of ``person`` for ``leader`` in ``cycle``, made (proposed by ``actor``)
    if there is none; True when it was made."""
    return Rater.objects.get_or_create(
        cycle=cycle,
        leader=leader,
        person=person,
        defaults={
            "organisation_id": cycle.organisation_id,
            "category": category,
            "proposed_by": actor,
        },
    )


@transaction.atomic
def assign_raters(
    *,
    cycle: ReadinessCycle,
    actor: User | None,
    leader: Person,
    raters: Sequence[tuple[int, str]],
    send_email: bool = True,
) -> list[Rater]:
    """An admin adds raters (person id, category) to a leader: invited at once. After
    the cycle opened, each is a late change."""
    check_open(cycle)
    _cycle_leader(cycle, leader)
    chosen = check_raters(cycle, leader, raters, actor)
    now = timezone.now()
    done = []
    for person, category in chosen:
        rater, _created = _rater_row(cycle, leader, person, category, actor)
        if rater.status == Rater.Status.APPROVED and rater.category == category:
            continue
        if rater.status == Rater.Status.APPROVED and rater.category != category:
            raise DomainError(
                f"{person.name} already rates {leader.name} as "
                f"{CATEGORY_LABELS[rater.category].lower()}.",
                code="already_rater",
            )
        rater.category = category
        rater.person = person
        _approve(cycle, rater, actor, now)
        done.append(rater)
    audit.record_on(
        cycle,
        "readiness.raters_assigned",
        actor=actor,
        details={"leader": leader.pk, "raters": len(done), "late": cycle.is_late(now)},
    )
    if send_email and done:
        _send([r.invitation_id for r in done if r.invitation_id])
    return done


@transaction.atomic
def nominate_raters(
    *,
    cycle: ReadinessCycle,
    actor: User | None,
    leader: Person,
    raters: Sequence[tuple[int, str]],
) -> list[Rater]:
    """A leader proposes raters for their own assessment; an admin approves them."""
    if cycle.rater_mode != RaterMode.NOMINATED:
        raise DomainError(
            "In this cycle raters are assigned by an administrator.", code="not_nominated_mode"
        )
    check_open(cycle)
    _cycle_leader(cycle, leader)
    chosen = check_raters(cycle, leader, raters, None)
    done = []
    for person, category in chosen:
        rater, created = _rater_row(cycle, leader, person, category, actor)
        if not created and rater.status == Rater.Status.PROPOSED and rater.category != category:
            rater.category = category
            rater.save(update_fields=["category", "updated_at"])
        if created or rater.status == Rater.Status.PROPOSED:
            done.append(rater)
    audit.record_on(
        cycle,
        "readiness.raters_nominated",
        actor=actor,
        details={"leader": leader.pk, "raters": len(done)},
    )
    return done


@transaction.atomic
def withdraw_nomination(*, rater: Rater, actor: User | None) -> None:
    """A leader takes back a nomination not yet decided."""
    if rater.status != Rater.Status.PROPOSED:
        raise DomainError("Only nominations awaiting approval can be withdrawn.", code="decided")
    audit.record_on(
        rater.cycle,
        "readiness.nomination_withdrawn",
        actor=actor,
        details={"leader": rater.leader_id},
    )
    rater.delete()


@transaction.atomic
def decide_nominations(
    *,
    cycle: ReadinessCycle,
    actor: User | None,
    rater_ids: Iterable[int],
    decision: Literal["approve", "reject"],
    send_email: bool = True,
) -> list[Rater]:
    """An administrator approves (and invites) or rejects nominations awaiting a
    decision; the others among ``rater_ids`` are left as they are. Approving needs the
    cycle open and the raters' checks to pass again, now that the deciding
    administrator is known."""
    approve = decision == "approve"
    if approve:
        check_open(cycle)
    now = timezone.now()
    raters = list(
        Rater.objects.select_for_update()
        .select_related("leader", "person")
        .filter(
            cycle=cycle,
            pk__in=checked_ids(rater_ids, field="rater_ids"),
            status=Rater.Status.PROPOSED,
        )
    )
    for rater in raters:
        if approve:
            check_raters(cycle, rater.leader, [(rater.person_id, rater.category)], actor)
            _approve(cycle, rater, actor, now)
        else:
            rater.status = Rater.Status.REJECTED
            rater.decided_by = actor
            rater.decided_at = now
            rater.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    details: dict[str, Any] = {"raters": len(raters)}
    if approve:
        details["late"] = cycle.is_late(now)
    audit.record_on(
        cycle,
        "readiness.nominations_approved" if approve else "readiness.nominations_rejected",
        actor=actor,
        details=details,
    )
    if approve and send_email and raters:
        _send([r.invitation_id for r in raters if r.invitation_id])
    return raters


@transaction.atomic
def remove_rater(*, rater: Rater, actor: User | None) -> None:
    """Take a rater off a leader: their link stops working. A rating already given stays
    (it cannot be traced back to be removed). After the cycle opened, a late change."""
    check_open(rater.cycle)
    if rater.invitation is not None:
        if Completion.objects.filter(invitation=rater.invitation).exists():
            raise DomainError(
                "This rater has already answered; their rating stays in the results.",
                code="already_answered",
            )
        survey_services.revoke_invitation(invitation=rater.invitation, actor=actor)
    if rater.status == Rater.Status.APPROVED:
        record_change(rater.cycle, rater, kind=RaterChange.Kind.REMOVED, actor=actor)
    audit.record_on(
        rater.cycle, "readiness.rater_removed", actor=actor, details={"leader": rater.leader_id}
    )
    rater.delete()


@transaction.atomic
def resend_link(*, rater: Rater, actor: User | None, send_email: bool = True) -> Rater:
    """A new link for a rater (the old one stops working), e.g. after a mail went astray.
    After the cycle opened, a late change: whoever receives it may not be the rater."""
    check_open(rater.cycle)
    if rater.status != Rater.Status.APPROVED or rater.invitation is None:
        raise DomainError("Only an invited rater can be sent a new link.", code="not_invited")
    survey_services.reissue_invitation(invitation=rater.invitation, actor=actor, send_email=False)
    record_change(rater.cycle, rater, kind=RaterChange.Kind.RESENT, actor=actor)
    _readdress(rater)
    if send_email:
        _send([rater.invitation.pk])
    return rater
