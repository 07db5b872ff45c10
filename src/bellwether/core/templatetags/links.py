"""``{{ value|web_link }}``: the link if it is an http(s) address, else "".

Links are refused at the door (core/links.py); this keeps one stored before that rule
(a ``javascript:`` link) from becoming clickable: the page shows it as text instead."""

from __future__ import annotations

from django import template

from bellwether.core.links import clean_link

register = template.Library()


@register.filter
def web_link(value: object) -> str:
    try:
        return clean_link(str(value or ""))
    except ValueError:
        return ""
