"""Access rules: who may do what, declared once per domain and asked by pages and the API.

Each app declares its rules in ``<app>/access.py``, one line per rule::

    VIEW_PLANS = Rule("engagement.view_plans", roles(Role.ADMIN, Role.SPONSOR, Role.COACH))
    EDIT_PLAN = ObjectRule("engagement.edit_plan", may_edit_plan)

A page asks ``@page(VIEW_PLANS)`` (``accounts/access.py``); an API endpoint asks
``VIEW_PLANS.check(request)``; both get the same membership back or the same refusal.
Two kinds of refusal, both written to the audit log by ``refuse``:

* an object outside the member's organisation, or one they may not see, is reported as
  missing (404), so nobody learns what exists elsewhere;
* a page or action their role does not allow is refused outright (403).

Generic over the member type: this module imports no app (``accounts`` supplies the
membership and the typed request).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from bellwether.core import audit

if TYPE_CHECKING:
    from django.http import HttpRequest


# The membership type (``accounts.models.Membership``): anything with ``organisation``,
# ``organisation_id``, ``user``, ``is_active`` and ``has_role``.
M = TypeVar("M")
T = TypeVar("T", bound=Model)

#: Every rule declared in any app, by name: the access-matrix tests walk it.
RULES: dict[str, Rule[Any] | ObjectRule[Any, Any]] = {}


def _register(rule: Rule[Any] | ObjectRule[Any, Any]) -> None:
    if rule.name in RULES and RULES[rule.name] is not rule:
        raise ValueError(f"The access rule {rule.name!r} is declared twice.")
    RULES[rule.name] = rule


def member_of_request(request: HttpRequest | None) -> Any:
    """The membership the request acts as (set by the tenant middleware for pages and by
    the token auth for the API), or None."""
    if request is None:
        return None
    return getattr(request, "auth", None) or getattr(request, "membership", None)


def refuse(
    request: HttpRequest | None,
    member: Any,
    *,
    rule: str,
    target: str = "",
    not_found: bool = False,
) -> NoReturn:
    """Record a refused access check and raise 403 (or 404 for a hidden object)."""
    record_refusal(request, member, rule=rule, target=target, not_found=not_found)
    if not_found:
        raise Http404("Not found")
    raise PermissionDenied("You do not have access to this page.")


def record_refusal(
    request: HttpRequest | None,
    member: Any,
    *,
    rule: str,
    target: str = "",
    not_found: bool = False,
) -> None:
    """Record a refused access check (``permission.denied``) without raising: for a page
    that answers the refusal itself, with the form and its input kept."""
    user = member.user if member is not None else None
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    event = audit.record(
        action="permission.denied",
        organisation=member.organisation if member is not None else None,
        actor=user,
        target_label=target,
        details={
            "check": rule,
            "path": audit.redacted_path(request.path) if request is not None else "",
            "method": request.method if request is not None else "",
            "refused_as": "404" if not_found else "403",
        },
        request=request,
    )
    audit.mark_refusal_audited(request, event)  # the refusal middleware need not repeat it


@dataclass(frozen=True, eq=False)
class Rule(Generic[M]):
    """A question about the member alone: "may this member open the plans list?"."""

    name: str
    test: Callable[[M], bool] = field(repr=False)

    def __post_init__(self) -> None:
        _register(self)

    def allows(self, member: M | None) -> bool:
        return (
            member is not None and bool(getattr(member, "is_active", False)) and self.test(member)
        )

    def require(self, request: HttpRequest | None, member: M | None) -> M:
        """The member, if the rule allows them; otherwise 403 (audited)."""
        if member is None or not self.allows(member):
            refuse(request, member, rule=self.name)
        return member

    def check(self, request: HttpRequest) -> M:
        """The request's member if the rule allows them; otherwise 403 (audited). The
        dependency an API endpoint asks first."""
        return self.require(request, member_of_request(request))


@dataclass(frozen=True, eq=False)
class ObjectRule(Generic[M, T]):
    """A question about a member and one object: "may this member see this plan?".

    The member's organisation is always checked first: an object of another tenant is
    never allowed, whatever ``test`` says.
    """

    name: str
    test: Callable[[M, T], bool] = field(repr=False)

    def __post_init__(self) -> None:
        _register(self)

    def allows(self, member: M | None, obj: T) -> bool:
        if member is None or not getattr(member, "is_active", False):
            return False
        organisation_id = getattr(member, "organisation_id", None)
        if getattr(obj, "organisation_id", organisation_id) != organisation_id:
            return False
        return self.test(member, obj)

    def require(self, request: HttpRequest | None, member: M | None, obj: T) -> M:
        """The member, if they may act on ``obj``; otherwise 403 (audited)."""
        if member is None or not self.allows(member, obj):
            refuse(request, member, rule=self.name, target=_label(obj))
        return member

    def get(
        self,
        request: HttpRequest | None,
        member: M | None,
        rows: QuerySet[T],
        pk: Any,
        *,
        label: str = "",
    ) -> T:
        """The row with this id among ``rows`` in the member's organisation if the rule
        allows it; otherwise 404 (audited), the same answer as for an id that does not
        exist."""
        obj = None
        if member is not None:
            try:
                obj = rows.filter(
                    pk=pk, organisation_id=getattr(member, "organisation_id", None)
                ).first()
            except (TypeError, ValueError):
                obj = None
        if obj is None or not self.allows(member, obj):
            name = label or rows.model._meta.verbose_name
            refuse(request, member, rule=self.name, target=f"{name} {pk}", not_found=True)
        return obj


def _label(obj: Model) -> str:
    return f"{obj._meta.verbose_name} {obj.pk}"
