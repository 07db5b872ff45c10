"""Who may run surveys and read their results.

Admins build instruments, run campaigns and see results; executive sponsors see the
aggregated results of closed pulses; respondents use only their token link (the token is
the key: those pages are not member pages and keep their own checks in the views).

A confidential (360) campaign belongs to the module that launched it (the readiness
cycle), which reads its answers through its own reports and rules: on the survey
results it does not exist (404), for everyone.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from bellwether.accounts.access import roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, Rule, member_of_request, refuse
from bellwether.surveys.models import Campaign, Instrument, Invitation, Schedule

if TYPE_CHECKING:
    from django.db.models import QuerySet

# --- the rules ---------------------------------------------------------------------------------

#: Build instruments, launch and run campaigns, set the confidentiality minimums.
MANAGE_SURVEYS: Rule[Membership] = Rule("surveys.manage_surveys", roles(Role.ADMIN))
#: Open the campaigns list and results pages (which results: ``VIEW_CAMPAIGN_RESULTS``).
VIEW_SURVEY_RESULTS: Rule[Membership] = Rule(
    "surveys.view_survey_results", roles(Role.ADMIN, Role.SPONSOR)
)


def _may_manage(membership: Membership, obj: object) -> bool:
    return membership.has_role(Role.ADMIN)


def may_see_campaign_results(membership: Membership, campaign: Campaign) -> bool:
    """A pulse's results: admins at any time, sponsors once it has closed. A 360's never
    (its owner reads them)."""
    if campaign.mode != Campaign.Mode.ANONYMOUS:
        return False
    if membership.has_role(Role.ADMIN):
        return True
    return membership.has_role(Role.SPONSOR) and campaign.closes_at <= timezone.now()


MANAGE_CAMPAIGN = ObjectRule[Membership, Campaign]("surveys.manage_campaign", _may_manage)
VIEW_CAMPAIGN_RESULTS = ObjectRule("surveys.view_campaign_results", may_see_campaign_results)
MANAGE_INSTRUMENT = ObjectRule[Membership, Instrument]("surveys.manage_instrument", _may_manage)
MANAGE_INVITATION = ObjectRule[Membership, Invitation]("surveys.manage_invitation", _may_manage)
MANAGE_SCHEDULE = ObjectRule[Membership, Schedule]("surveys.manage_schedule", _may_manage)


# --- one object, or 404 (audited) ---------------------------------------------------------------


def get_campaign_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    results: bool = False,
) -> Campaign:
    """A campaign of the member's organisation they may manage (or, with ``results``,
    whose results they may see); otherwise 404 (audited)."""
    rows: QuerySet[Campaign] = Campaign.objects.select_related(
        "version__instrument", "organisation"
    )
    if results:
        # A 360's answers are read only through the readiness reports and their rules.
        rows = rows.filter(mode=Campaign.Mode.ANONYMOUS)
        return VIEW_CAMPAIGN_RESULTS.get(request, membership, rows, pk, label="campaign")
    return MANAGE_CAMPAIGN.get(request, membership, rows, pk, label="campaign")


def get_instrument_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Instrument:
    """An instrument of the member's organisation an admin may build; otherwise 404."""
    rows = Instrument.objects.select_related("organisation")
    return MANAGE_INSTRUMENT.get(request, membership, rows, pk, label="instrument")


def get_invitation_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Invitation:
    """An invitation an admin of its organisation may revoke or reissue; otherwise 404."""
    rows = Invitation.objects.select_related("campaign", "organisation")
    return MANAGE_INVITATION.get(request, membership, rows, pk, label="invitation")


def get_schedule_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Schedule:
    """A recurring pulse of the member's organisation an admin may change; otherwise 404."""
    rows = Schedule.objects.select_related("organisation", "instrument")
    return MANAGE_SCHEDULE.get(request, membership, rows, pk, label="schedule")


# --- respondents: the personal link is the key ---------------------------------------------------

#: The name under which a link refused to a browser signed in as someone else is audited.
ANSWER_BY_LINK = "surveys.answer_by_link"


def viewer_id(request: HttpRequest) -> int | None:
    """The user this browser is signed in as, if any (a respondent needs no account)."""
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def record_link_refusal(request: HttpRequest, campaign_id: int) -> None:
    """Audit a personal link refused to the browser that opened it (signed in as someone
    other than the invitee); the caller answers 403 with its own explanation. The audit
    names the campaign, never the invitation: that would tie a person to a link."""
    with contextlib.suppress(PermissionDenied):
        refuse(
            request,
            member_of_request(request),
            rule=ANSWER_BY_LINK,
            target=f"campaign {campaign_id}",
        )
