"""The organisation's own pages: its audit log, the scheduled jobs, and switching organisation (the home
page of each role is the insights app's).

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
from bellwether.accounts.access import MemberRequest, page
from bellwether.accounts.middleware import SESSION_ORGANISATION_KEY
from bellwether.core import scheduler

AUDIT_EVENTS_PER_PAGE = 50


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


@page(access.VIEW_SCHEDULED_JOBS)
def scheduled_jobs(request: MemberRequest) -> HttpResponse:
    """The installation's periodic jobs: when each runs, its last run, its failures."""
    return render(request, "accounts/scheduled_jobs.html", {"rows": scheduler.statuses()})


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
