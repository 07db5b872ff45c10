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

from collections.abc import Callable, Sequence
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_http_methods
from ninja.errors import AuthenticationError

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, Rule, member_of_request, refuse

if TYPE_CHECKING:
    from bellwether.accounts.models import ApiToken, MembershipInvitation, User


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


# --- the rules ---------------------------------------------------------------------------------

#: The organisation's home page (and any page every member may open).
VIEW_HOME = Rule("accounts.view_home", anyone)
VIEW_AUDIT_LOG = Rule("accounts.view_audit_log", roles(Role.ADMIN))
#: The installation's scheduled jobs: last and next run, failures (core/scheduler.py).
VIEW_SCHEDULED_JOBS = Rule("accounts.view_scheduled_jobs", roles(Role.ADMIN))
MANAGE_MEMBERS = Rule("accounts.manage_members", roles(Role.ADMIN))
#: Personal API tokens (settings page and /api/v1/tokens).
USE_API = Rule("accounts.use_api", anyone)

MANAGE_MEMBER: ObjectRule[Membership, Membership] = ObjectRule(
    "accounts.manage_member", lambda membership, member: MANAGE_MEMBERS.allows(membership)
)
WITHDRAW_INVITATION: ObjectRule[Membership, MembershipInvitation] = ObjectRule(
    "accounts.withdraw_invitation",
    lambda membership, invitation: MANAGE_MEMBERS.allows(membership),
)
#: A member sees and revokes only their own tokens; anyone else's is reported missing.
OWN_API_TOKEN: ObjectRule[Membership, ApiToken] = ObjectRule(
    "accounts.own_api_token", lambda membership, token: token.membership_id == membership.pk
)
#: The invited person's side: their own open invitation (they may not be a member yet).
OWN_OPEN_INVITATION = "accounts.own_open_invitation"


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
    *,
    methods: Sequence[str] | None = None,
) -> Callable[
    [Callable[Concatenate[MemberRequest, P], R]], Callable[Concatenate[HttpRequest, P], R]
]:
    """A page that needs a signed-in member whom ``rule`` allows: anonymous visitors go to
    sign in, members the rule refuses get 403 (audited), the view gets a ``MemberRequest``.

    ``methods`` (such as ``["POST"]``) answers any other method with 405, after the sign-in
    and before the rule, as ``@login_required`` over ``@require_http_methods`` did.
    """

    def decorate(
        view: Callable[Concatenate[MemberRequest, P], R],
    ) -> Callable[Concatenate[HttpRequest, P], R]:
        def ruled(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
            rule.require(request, current_member(request))
            return view(request, *args, **kwargs)  # type: ignore[arg-type]

        # Django's own method check (405, logged), between the sign-in and the rule.
        checked = require_http_methods(list(methods))(ruled) if methods is not None else ruled

        @wraps(view)
        def guarded(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())  # type: ignore[return-value]
            return checked(request, *args, **kwargs)

        guarded.access_rule = rule  # type: ignore[attr-defined]  # read by the access matrix
        return guarded

    return decorate


# --- objects, or 404 (audited) -----------------------------------------------------------------


def get_member_for(request: HttpRequest, membership: Membership, pk: int) -> Membership:
    """A membership of the admin's organisation; otherwise 404 (audited)."""
    from bellwether.accounts import selectors

    return MANAGE_MEMBER.get(
        request, membership, selectors.members_of(membership.organisation), pk, label="membership"
    )


def get_invitation_for(
    request: HttpRequest, membership: Membership, pk: int
) -> MembershipInvitation:
    """An open invitation of the admin's organisation; otherwise 404 (audited)."""
    from bellwether.accounts import selectors

    return WITHDRAW_INVITATION.get(
        request,
        membership,
        selectors.pending_invitations_of(membership.organisation),
        pk,
        label="invitation",
    )


def get_api_token_for(request: HttpRequest, membership: Membership, pk: int) -> ApiToken:
    """One of the member's own API tokens; anyone else's is missing (404, audited)."""
    from bellwether.accounts import selectors

    return OWN_API_TOKEN.get(
        request, membership, selectors.api_tokens_with_organisation(), pk, label="api token"
    )


def require_own_invitation(request: HttpRequest, user: User, pk: int) -> None:
    """The user's own open invitation; someone else's, or one no longer open, is
    reported missing (404, audited)."""
    from bellwether.accounts import selectors

    if not selectors.pending_invitations_for(user).filter(pk=pk).exists():
        refuse(
            request,
            current_member(request),
            rule=OWN_OPEN_INVITATION,
            target=f"invitation {pk}",
            not_found=True,
        )
