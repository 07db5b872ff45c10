"""The admin's campaign pages: the list, launching, one campaign (remind, close), its
invitations (revoke, reissue) and the confidentiality minimums."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.confidentiality import ABSOLUTE_FLOOR, Policy
from bellwether.core.errors import DomainError
from bellwether.core.forms import announce, confirmation, form_status, in_time_zone, submit
from bellwether.surveys import access, selectors, services
from bellwether.surveys.access import MANAGE_SURVEYS, VIEW_SURVEY_RESULTS
from bellwether.surveys.forms import CampaignForm, MinimumsForm
from bellwether.surveys.models import Campaign

T = TypeVar("T")


@page(VIEW_SURVEY_RESULTS, methods=["GET"])
def campaign_list(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    manage = MANAGE_SURVEYS.allows(membership)
    campaigns = selectors.visible_campaigns(membership.organisation, closed_only=not manage)
    return render(
        request,
        "surveys/campaign_list.html",
        {"campaigns": list(campaigns[:200]), "manage": manage, "now": timezone.now()},
    )


@page(MANAGE_SURVEYS, methods=["GET", "POST"])
def campaign_new(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = CampaignForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = submit(
            form,
            lambda: services.launch_campaign(
                organisation=membership.organisation,
                actor=membership.user,
                version=data["version"],
                name=data["name"],
                opens_at=in_time_zone(data["opens_at"], data["time_zone"]),
                closes_at=in_time_zone(data["closes_at"], data["time_zone"]),
                time_zone=data["time_zone"],
                segments=data["segments"],
                org_unit_depth=data["org_unit_depth"],
                audience={
                    "org_unit_ids": [u.pk for u in data["org_units"]],
                    "leader_levels": list(data["leader_levels"]),
                    "not_leaders": data["not_leaders"],
                },
            ),
        )
        if campaign is not None:
            messages.success(request, f"“{campaign.name}” is launched.")
            return redirect("surveys:campaign_detail", pk=campaign.pk)
    return render(request, "surveys/campaign_new.html", {"form": form}, status=form_status(form))


@page(MANAGE_SURVEYS, methods=["POST"])
def install_pulses(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    services.install_ready_pulses(organisation=membership.organisation, actor=membership.user)
    messages.success(request, "The three framework pulses are ready to launch.")
    return redirect("surveys:campaign_new")


@page(MANAGE_SURVEYS, methods=["GET"])
def campaign_detail(request: MemberRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for(request, request.membership, pk)
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "participation": selectors.participation(campaign),
            "mailing": selectors.mailing(campaign),
            "closed": selectors.is_closed(campaign),
        },
    )


@page(MANAGE_SURVEYS, methods=["POST"])
def campaign_remind(request: MemberRequest, pk: int) -> HttpResponse:
    return _campaign_button(
        request,
        pk,
        services.send_reminders,
        lambda pending: f"Reminders are on their way to {pending} people.",
    )


@page(MANAGE_SURVEYS, methods=["POST"])
def campaign_close(request: MemberRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for(request, request.membership, pk)
    asked = confirmation(
        request,
        question=f"Close {campaign.name} now?",
        consequence="No more answers are taken, and unused links stop working. A closed "
        "pulse cannot be reopened.",
        back=reverse("surveys:campaign_detail", args=[pk]),
        confirm_label="Close the pulse",
    )
    if asked is not None:
        return asked
    return _campaign_button(request, pk, services.close_campaign, "The campaign is closed.")


def _campaign_button(
    request: MemberRequest,
    pk: int,
    service: Callable[..., T],
    success: str | Callable[[T], str],
) -> HttpResponse:
    """A campaign page's button: ``service`` on the campaign, its outcome announced, back
    to the campaign."""
    campaign = access.get_campaign_for(request, request.membership, pk)
    announce(request, lambda: service(campaign=campaign, actor=request.membership.user), success)
    return redirect("surveys:campaign_detail", pk=pk)


# --- invitations ----------------------------------------------------------------------------------

INVITATIONS_PER_PAGE = 100


@page(MANAGE_SURVEYS, methods=["GET"])
def invitations(request: MemberRequest, pk: int) -> HttpResponse:
    """Who was invited and whether each answered. For an anonymous campaign: answered or
    not, nothing else (no draft state, no time), listed by name so that neither the order
    nor any figure on the page can be joined to a response."""
    campaign = access.get_campaign_for(request, request.membership, pk)
    query = request.GET.get("q", "")[:200].strip()
    rows = selectors.invitation_rows(campaign, query=query)
    paginator = Paginator(rows, INVITATIONS_PER_PAGE)
    shown = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/invitations.html",
        {
            "campaign": campaign,
            "participation": selectors.participation(campaign),
            "mailing": selectors.mailing(campaign),
            "anonymous": campaign.mode == Campaign.Mode.ANONYMOUS,
            "closed": selectors.is_closed(campaign),
            "page": shown,
            "rows": selectors.invitation_statuses(campaign, list(shown.object_list)),
            "q": query,
        },
    )


def _invitation_action(request: MemberRequest, pk: int, action: str) -> HttpResponse:
    membership = request.membership
    invitation = access.get_invitation_for(request, membership, pk)
    if action == "revoke":
        asked = confirmation(
            request,
            question="Withdraw this survey link?",
            consequence="The link stops opening the survey at once; answers already "
            "given stay. You can send a new link afterwards.",
            back=reverse("surveys:invitations", args=[invitation.campaign_id]),
            confirm_label="Withdraw the link",
        )
        if asked is not None:
            return asked
    try:
        if action == "revoke":
            services.revoke_invitation(invitation=invitation, actor=membership.user)
            messages.success(request, "The link is withdrawn: it no longer opens the survey.")
        else:
            services.reissue_invitation(invitation=invitation, actor=membership.user)
            messages.success(request, "A new link is on its way by email; the old one is void.")
    except DomainError as exc:
        messages.error(request, exc.message)
    target = reverse("surveys:invitations", args=[invitation.campaign_id])
    back = request.POST.get("q", "")[:200]
    return redirect(f"{target}?q={back}" if back else target)


@page(MANAGE_SURVEYS, methods=["POST"])
def invitation_revoke(request: MemberRequest, pk: int) -> HttpResponse:
    return _invitation_action(request, pk, "revoke")


@page(MANAGE_SURVEYS, methods=["POST"])
def invitation_reissue(request: MemberRequest, pk: int) -> HttpResponse:
    return _invitation_action(request, pk, "reissue")


# --- confidentiality minimums -------------------------------------------------------------------


@page(MANAGE_SURVEYS, methods=["GET", "POST"])
def confidentiality(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    policy = selectors.policy_for(membership.organisation)
    initial = {
        "min_group": policy.min_group,
        "min_360_group": policy.min_360_group,
        "min_comments": policy.min_comments,
    }
    form = MinimumsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_confidentiality(
                organisation=membership.organisation, actor=membership.user, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "The minimums are saved; every report uses them now.")
            return redirect("surveys:confidentiality")
    return render(
        request,
        "surveys/confidentiality.html",
        {
            "form": form,
            "policy": policy,
            "defaults": Policy(),  # what an organisation starts with
            "floor": ABSOLUTE_FLOOR,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
