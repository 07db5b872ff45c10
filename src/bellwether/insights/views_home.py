"""Each role's home page and the task inbox (served as ``core:home`` at the site root,
see ``bellwether/urls.py``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bellwether.accounts import access as accounts_access
from bellwether.accounts import selectors as accounts
from bellwether.accounts.access import MemberRequest, current_member, page
from bellwether.insights import home as homes
from bellwether.insights.filters import today_for
from bellwether.insights.inbox import inbox_for, open_count


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = current_member(request)
    if membership is None:
        # Signed in, but no organisation has given the account access: say what to do
        # next (the refusal middleware audits the 403).
        return render(request, "accounts/no_membership.html", status=403)
    accounts_access.VIEW_HOME.require(request, membership)
    return render(
        request,
        "insights/home.html",
        {
            "home": homes.home_for(membership),
            "preview": homes.INBOX_PREVIEW,
            "memberships": accounts.active_memberships_of(membership.user_id),
        },
    )


@page(accounts_access.VIEW_HOME)
def inbox(request: MemberRequest) -> HttpResponse:
    today = today_for(request.membership.organisation)
    items = inbox_for(request.membership, today=today)
    return render(
        request,
        "insights/inbox.html",
        {"items": items, "total": open_count(items), "today": today},
    )


@page(accounts_access.VIEW_HOME)
def inbox_count(request: MemberRequest) -> HttpResponse:
    """The navigation's badge, fetched after the page (``app.js``): a page's own queries
    never pay for the inbox."""
    today = today_for(request.membership.organisation)
    total = open_count(inbox_for(request.membership, today=today))
    return render(request, "insights/_inbox_count.html", {"total": total})
