"""Who may see and write quarterly reviews.

=================================  =====================================================
rule                               who
=================================  =====================================================
``reviews.view_reviews``           admins, sponsors, leaders, reviewers (the list: each
                                   sees the reviews they may open)
``reviews.manage_cycles``          admins: open a quarter's cycle, send reminders
``reviews.view_cycles``            admins, sponsors: completion and calibration
``reviews.view_review``            admins, sponsors, the review's reviewer, the leader
                                   reviewed (own)
``reviews.edit_review``            admins, the review's reviewer (while not acknowledged)
``reviews.acknowledge_review``     the leader reviewed, once it is shared with them
=================================  =====================================================

The reviewer is the member assigned to review the leader (``Assignment`` of kind
reviewee), or, where none is, the member who is the leader's manager.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from bellwether.accounts.access import roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, Rule
from bellwether.reviews.models import Review, ReviewCycle


def is_reviewer(membership: Membership, review: Review) -> bool:
    if review.reviewer_member_id is not None:
        return review.reviewer_member_id == membership.pk
    return membership.person_id is not None and review.reviewer_person_id == membership.person_id


def is_own(membership: Membership, review: Review) -> bool:
    return membership.person_id is not None and review.person_id == membership.person_id


def _may_view(membership: Membership, review: Review) -> bool:
    return (
        membership.has_role(Role.ADMIN, Role.SPONSOR)
        or is_reviewer(membership, review)
        or is_own(membership, review)
    )


def _may_edit(membership: Membership, review: Review) -> bool:
    return membership.has_role(Role.ADMIN) or is_reviewer(membership, review)


VIEW_REVIEWS = Rule(
    "reviews.view_reviews", roles(Role.ADMIN, Role.SPONSOR, Role.LEADER, Role.REVIEWER)
)
MANAGE_CYCLES = Rule("reviews.manage_cycles", roles(Role.ADMIN))
VIEW_CYCLES = Rule("reviews.view_cycles", roles(Role.ADMIN, Role.SPONSOR))
VIEW_REVIEW: ObjectRule[Membership, Review] = ObjectRule("reviews.view_review", _may_view)
EDIT_REVIEW: ObjectRule[Membership, Review] = ObjectRule("reviews.edit_review", _may_edit)
ACKNOWLEDGE_REVIEW: ObjectRule[Membership, Review] = ObjectRule(
    "reviews.acknowledge_review", is_own
)
VIEW_CYCLE: ObjectRule[Membership, ReviewCycle] = ObjectRule(
    "reviews.view_cycle", lambda membership, cycle: VIEW_CYCLES.allows(membership)
)


def visible_reviews(membership: Membership, rows: QuerySet[Review]) -> QuerySet[Review]:
    """``VIEW_REVIEW`` as a query."""
    rows = rows.filter(organisation_id=membership.organisation_id)
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return rows
    mine = Q(reviewer_member_id=membership.pk)
    if membership.person_id is not None:
        mine |= Q(person_id=membership.person_id) | Q(
            reviewer_member__isnull=True, reviewer_person_id=membership.person_id
        )
    return rows.filter(mine)


def get_review_for(
    request: HttpRequest | None, membership: Membership, pk: int, *, edit: bool = False
) -> Review:
    """A review the member may see, else 404 (audited); 403 when ``edit`` is asked and
    they may only read."""
    from bellwether.reviews import selectors

    review = VIEW_REVIEW.get(request, membership, selectors.reviews(), pk, label="review")
    if edit:
        EDIT_REVIEW.require(request, membership, review)
    return review


def get_cycle_for(request: HttpRequest | None, membership: Membership, pk: int) -> ReviewCycle:
    from bellwether.reviews import selectors

    return VIEW_CYCLE.get(request, membership, selectors.cycles(), pk, label="review cycle")
