"""``{{ "Period|Value"|column_names }}``: a chart table's column headings
(templates/includes/chart.html), written in a template as one string."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

register = template.Library()


@register.filter
def column_names(value: str | Iterable[object] | None) -> list[str]:
    if isinstance(value, str):
        return value.split("|")
    return [str(name) for name in value or []]
