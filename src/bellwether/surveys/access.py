"""Who may run surveys and read their results (moved from accounts/permissions.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import refuse

if TYPE_CHECKING:
    pass
from bellwether.people.access import is_admin

# --- surveys (issue 3) -----------------------------------------------------------------
# Admins build instruments, run campaigns and see results; executive sponsors see the
# aggregated results of closed campaigns; respondents use only their token link.

if TYPE_CHECKING:
    from bellwether.surveys.models import Campaign, Instrument, Invitation


def can_manage_surveys(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_view_survey_results_page(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


def can_view_campaign_results(membership: Membership | None, campaign: Campaign) -> bool:
    if membership is None or campaign.organisation_id != membership.organisation_id:
        return False
    if is_admin(membership):
        return True
    from django.utils import timezone

    return membership.has_role(Role.SPONSOR) and campaign.closes_at <= timezone.now()


def get_campaign_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    results: bool = False,
) -> Campaign:
    """A campaign of the member's organisation they may manage (or, with ``results``,
    whose results they may see); otherwise 404 (audited)."""
    from bellwether.surveys.models import Campaign

    rows = Campaign.objects.select_related("version__instrument", "organisation")
    if results:
        # A 360's answers are read only through the readiness reports and their rules.
        rows = rows.filter(mode=Campaign.Mode.ANONYMOUS)
    campaign = (
        rows.filter(pk=pk, organisation_id=membership.organisation_id).first()
        if membership is not None
        else None
    )
    allowed = campaign is not None and (
        can_view_campaign_results(membership, campaign)
        if results
        else can_manage_surveys(membership)
    )
    if not allowed:
        refuse(
            request,
            membership,
            rule="can_view_campaign_results" if results else "can_manage_surveys",
            target=f"campaign {pk}",
            not_found=True,
        )
    assert campaign is not None
    return campaign


def get_instrument_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Instrument:
    """An instrument of the member's organisation an admin may build; otherwise 404."""
    from bellwether.surveys.models import Instrument

    instrument = (
        Instrument.objects.select_related("organisation")
        .filter(pk=pk, organisation_id=membership.organisation_id)
        .first()
        if membership is not None
        else None
    )
    if instrument is None or not can_manage_surveys(membership):
        refuse(
            request,
            membership,
            rule="can_manage_surveys",
            target=f"instrument {pk}",
            not_found=True,
        )
    return instrument


def get_invitation_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Invitation:
    """An invitation an admin of its organisation may revoke or reissue; otherwise 404."""
    from bellwether.surveys.models import Invitation

    invitation = (
        Invitation.objects.select_related("campaign", "organisation")
        .filter(pk=pk, organisation_id=membership.organisation_id)
        .first()
        if membership is not None
        else None
    )
    if invitation is None or not can_manage_surveys(membership):
        refuse(
            request,
            membership,
            rule="can_manage_surveys",
            target=f"invitation {pk}",
            not_found=True,
        )
    return invitation
