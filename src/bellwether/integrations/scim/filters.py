"""SCIM filters (RFC 7644 §3.4.2.2) as database queries.

scim2-models parses the filter; this turns its tree into a ``Q`` over the links
(``ScimUser`` / ``ScimGroup``) for the attributes Bellwether can filter on. Any other
attribute, or an operator the attribute cannot take, is an ``invalidFilter`` error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from scim2_models import Group, InvalidFilterException, ScimFilter
from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterVisitor,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)

from bellwether.integrations.scim.resources import ENTERPRISE, UserResource

MAX_FILTER_LENGTH = 2000


@dataclass(frozen=True)
class Field:
    """A filterable attribute: its column, and how its values compare."""

    column: str
    kind: str = "text"  # text (case-insensitive), exact (caseExact), bool, date, uuid
    fold: Callable[[str], str] | None = None


USER_FIELDS: dict[str, Field] = {
    "id": Field("scim_id", "uuid"),
    "username": Field("user_name_key", "exact", fold=str.casefold),
    "externalid": Field("external_id", "exact"),
    "displayname": Field("person__name"),
    "name.formatted": Field("person__name"),
    "title": Field("person__title"),
    "emails": Field("person__email"),
    "emails.value": Field("person__email"),
    "active": Field("person__active", "bool"),
    "meta.lastmodified": Field("updated_at", "date"),
    "meta.created": Field("created_at", "date"),
    f"{ENTERPRISE.lower()}:employeenumber": Field("person__employee_id", "exact"),
    "employeenumber": Field("person__employee_id", "exact"),
}
GROUP_FIELDS: dict[str, Field] = {
    "id": Field("scim_id", "uuid"),
    "externalid": Field("external_id", "exact"),
    "displayname": Field("org_unit__name"),
    "meta.lastmodified": Field("updated_at", "date"),
    "meta.created": Field("created_at", "date"),
}

USER_FILTERABLE = (
    "id, userName, externalId, displayName, name.formatted, title, emails.value, active, "
    "employeeNumber, meta.created, meta.lastModified"
)
GROUP_FILTERABLE = "id, externalId, displayName, meta.created, meta.lastModified"

_TEXT_LOOKUPS = {
    CompareOperator.eq: "iexact",
    CompareOperator.co: "icontains",
    CompareOperator.sw: "istartswith",
    CompareOperator.ew: "iendswith",
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}
_EXACT_LOOKUPS = {
    CompareOperator.eq: "exact",
    CompareOperator.co: "contains",
    CompareOperator.sw: "startswith",
    CompareOperator.ew: "endswith",
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}
_ORDER = {
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}


def _refuse(detail: str, text: str = "") -> InvalidFilterException:
    return InvalidFilterException(detail=detail, filter=text)


def _key(path: AttrPath) -> str:
    return str(path).lower()


class _ToQ(FilterVisitor[Q]):
    def __init__(self, fields: dict[str, Field], prefix: str = "") -> None:
        self.fields = fields
        self.prefix = prefix

    def _field(self, path: AttrPath) -> Field:
        key = self.prefix + _key(path)
        field = self.fields.get(key)
        if field is None:
            names = USER_FILTERABLE if self.fields is USER_FIELDS else GROUP_FILTERABLE
            raise _refuse(f"Filtering on “{path}” is not supported. Filter on one of: {names}.")
        return field

    def visit_comparison(self, node: Comparison) -> Q:
        field = self._field(node.attr_path)
        value = self._value(field, node)
        if field.kind in {"bool", "uuid"} and node.op not in {
            CompareOperator.eq,
            CompareOperator.ne,
        }:
            raise _refuse(f"“{node.attr_path}” can only be compared with eq or ne.")
        if field.kind == "date":
            if node.op in {CompareOperator.co, CompareOperator.sw, CompareOperator.ew}:
                raise _refuse(f"“{node.attr_path}” is a date: use eq, ne, gt, ge, lt or le.")
            lookup = _ORDER.get(node.op, "exact")
        elif field.kind == "text":
            lookup = _TEXT_LOOKUPS.get(node.op, "iexact")
        else:
            lookup = _EXACT_LOOKUPS.get(node.op, "exact")
        query = Q(**{f"{field.column}__{lookup}": value})
        return ~query if node.op == CompareOperator.ne else query

    def _value(self, field: Field, node: Comparison) -> Any:
        value = node.value
        if field.kind == "bool":
            if not isinstance(value, bool):
                raise _refuse(f"“{node.attr_path}” is true or false.")
            return value
        if field.kind == "date":
            try:
                return datetime.fromisoformat(str(value))
            except ValueError:
                raise _refuse(f"“{value}” is not a date and time (RFC 3339).") from None
        if not isinstance(value, str):
            raise _refuse(f"“{node.attr_path}” is compared with a string.")
        if field.kind == "uuid":
            return value.lower()
        return field.fold(value) if field.fold is not None else value

    def visit_present(self, node: Present) -> Q:
        field = self._field(node.attr_path)
        if field.kind in {"text", "exact"}:
            return ~Q(**{f"{field.column}__isnull": True}) & ~Q(**{field.column: ""})
        return ~Q(**{f"{field.column}__isnull": True})

    def visit_not(self, node: Not) -> Q:
        return ~self.visit(node.expr)

    def visit_logical_expr(self, node: LogicalExpr) -> Q:
        queries = [self.visit(term) for term in node.terms]
        result = queries[0]
        for query in queries[1:]:
            result = result & query if node.op == LogicalOperator.and_ else result | query
        return result

    def visit_value_path(self, node: ValuePath) -> Q:
        # emails[value eq "x"], members[value eq "…"]: the sub-attribute of the one
        # stored value.
        return _ToQ(self.fields, prefix=_key(node.attr_path) + ".").visit(node.val_filter)


def to_query(text: str, *, groups: bool = False) -> Q:
    """The ``Q`` of a filter on Users (or Groups); ``InvalidFilterException`` if it
    cannot be read or names what Bellwether cannot filter on."""
    if len(text) > MAX_FILTER_LENGTH:
        raise _refuse(f"A filter has at most {MAX_FILTER_LENGTH} characters.", text)
    try:
        parsed = ScimFilter[Group](text) if groups else ScimFilter[UserResource](text)
    except InvalidFilterException as exc:
        raise _refuse(f"The filter cannot be read: {exc}.", text) from None
    except ValueError as exc:
        raise _refuse(f"The filter cannot be read: {exc}.", text) from None
    return _ToQ(GROUP_FIELDS if groups else USER_FIELDS).visit(parsed.ast)
