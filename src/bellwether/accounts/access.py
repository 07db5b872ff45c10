"""Identity for access rules: the typed request a page gets, the page decorator, and the
role questions every domain's ``access.py`` is declared from.

A domain declares its rules with ``core.access.Rule``/``ObjectRule`` and these helpers::

    VIEW_PLANS = Rule("engagement.view_plans", roles(Role.ADMIN, Role.SPONSOR))

    @page(VIEW_PLANS)
    def plans(request: MemberRequest) -> HttpResponse:
        request.membership.organisation  # typed, never None here

The API asks the same rule: ``membership = VIEW_PLANS.check(request)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja.errors import AuthenticationError

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import Rule, member_of_request

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)

MemberRule = Rule[Membership]


class MemberRequest(HttpRequest):
    """A request from a signed-in, active member: what ``@page`` hands to a view."""

    membership: Membership


def membership_of(request: HttpRequest) -> Membership:
    """The authenticated membership of an API request (set by the token or session auth);
    401 when there is none. For endpoints every member may call."""
    membership = member_of_request(request)
    if not isinstance(membership, Membership):
        raise AuthenticationError()
    return membership


def current_member(request: HttpRequest) -> Membership | None:
    """The membership a page request acts as (set by the tenant middleware), or None."""
    membership = member_of_request(request)
    return membership if isinstance(membership, Membership) else None


def page(
    rule: Rule[Membership],
) -> Callable[
    [Callable[Concatenate[MemberRequest, P], R]], Callable[Concatenate[HttpRequest, P], R]
]:
    """A page that needs a signed-in member whom ``rule`` allows: anonymous visitors go to
    sign in, members the rule refuses get 403 (audited), the view gets a ``MemberRequest``."""

    def decorate(
        view: Callable[Concatenate[MemberRequest, P], R],
    ) -> Callable[Concatenate[HttpRequest, P], R]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())  # type: ignore[return-value]
            rule.require(request, current_member(request))
            return view(request, *args, **kwargs)  # type: ignore[arg-type]

        guarded.access_rule = rule  # type: ignore[attr-defined]  # read by the access matrix
        return guarded

    return decorate


# --- the questions rules are declared from ----------------------------------------------------


def anyone(membership: Membership) -> bool:
    """Every active member of the organisation."""
    return True


def roles(*allowed: Role) -> Callable[[Membership], bool]:
    """Members holding any of these roles."""

    def holds(membership: Membership) -> bool:
        return membership.has_role(*allowed)

    holds.__doc__ = "Members holding any of: " + ", ".join(role.label for role in allowed)
    return holds


def is_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN)
