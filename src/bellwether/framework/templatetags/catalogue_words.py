"""``{{ value|words }}``: a catalogue key becomes its words (a list, each of its items);
anything else is shown as it is. Pages never show a catalogue key."""

from __future__ import annotations

from typing import Any

from django import template

from bellwether.framework.catalogue import label

register = template.Library()


@register.filter
def words(value: Any) -> Any:
    if isinstance(value, str):
        return label(value) or value
    if isinstance(value, (list, tuple)):
        return ", ".join(str(words(v)) for v in value)
    return value
