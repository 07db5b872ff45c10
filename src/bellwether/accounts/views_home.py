"""The organisation's own pages: its home, its audit log, and switching organisation.

Served under the ``core`` URL namespace (``core:home``, ``core:audit_log``,
``core:switch_organisation``), beside core's health check and favicon.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bellwether.accounts import access, selectors
from bellwether.accounts.access import MemberRequest, current_member, page
from bellwether.accounts.middleware import SESSION_ORGANISATION_KEY
from bellwether.people import access as people_access
from bellwether.people import selectors as people_selectors

AUDIT_EVENTS_PER_PAGE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = current_member(request)
    if membership is None:
        # Signed in, but no organisation has given the account access: say what to do
        # next (the refusal middleware audits the 403).
        return render(request, "accounts/no_membership.html", status=403)
    access.VIEW_HOME.require(request, membership)
    context = {
        "summary": people_selectors.organisation_summary(membership.organisation),
        "memberships": selectors.active_memberships_of(membership.user_id),
        "roles": sorted(role.label for role in membership.roles),
        "can_browse_people": people_access.BROWSE_PEOPLE.allows(membership),
        "can_import": people_access.IMPORT_PEOPLE.allows(membership),
    }
    return render(request, "accounts/home.html", context)


@page(access.VIEW_AUDIT_LOG)
def audit_log(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    action = request.GET.get("action", "")[:80]
    actor = request.GET.get("actor", "")[:254]
    events = selectors.audit_events(organisation, action=action, actor=actor)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "page": Paginator(events, AUDIT_EVENTS_PER_PAGE).get_page(request.GET.get("page")),
            "action": action,
            "actor": actor,
            "actions": selectors.audit_actions(organisation),
        },
    )


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Act in another of the user's organisations for the rest of this session."""
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        return redirect("core:home")
    if not 0 < organisation_id < 2**63:  # beyond any id the database can hold
        return redirect("core:home")
    if selectors.is_active_member_of(request.user.pk or 0, organisation_id):
        request.session[SESSION_ORGANISATION_KEY] = organisation_id
    return redirect("core:home")
