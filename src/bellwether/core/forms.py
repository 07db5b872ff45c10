"""Showing a service's refusal on the form that asked for it (the one form-error helper),
and the fields the launch forms share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.db.models import QuerySet

from bellwether.core.errors import DomainError


def add_domain_error(
    form: forms.Form,
    error: DomainError,
    *,
    fallback: str | None = None,
    field_map: Mapping[str, str | None] | None = None,
) -> None:
    """Put ``error`` on ``form``: each of its ``field_errors`` next to its field (the
    service's name for a field translated by ``field_map``; a field the form lacks goes
    to the top of the form), or, when it names no field, its message on the ``fallback``
    field (the top of the form when None)."""
    if not error.field_errors:
        form.add_error(fallback if fallback in form.fields else None, error.message)
        return
    for name, problems in error.field_errors.items():
        name = (field_map or {}).get(name) or name
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def error_messages(error: DomainError) -> list[str]:
    """The refusal as sentences, for a page that shows it as messages: its message,
    then each field's problems."""
    return [error.message, *(p for problems in error.field_errors.values() for p in problems)]


# --- fields a launch form shares (a window in a time zone, an audience) -----------------------


def datetime_local_field(label: str) -> forms.DateTimeField:
    """A date and time typed in the browser's own picker."""
    return forms.DateTimeField(
        label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


def time_zone_field() -> forms.CharField:
    """An IANA time zone name, UTC unless changed; check it with ``clean_time_zone``."""
    return forms.CharField(max_length=64, initial="UTC", label="Time zone")


def clean_time_zone(value: str) -> str:
    """``value`` if it names a time zone; otherwise the form's error."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise forms.ValidationError("Choose a time zone such as Europe/London.") from exc
    return value


def optional_rows_field(queryset: QuerySet[Any], label: str) -> forms.ModelMultipleChoiceField:
    """An optional choice of rows; the form narrows ``queryset`` to the organisation."""
    return forms.ModelMultipleChoiceField(queryset=queryset, required=False, label=label)


def optional_checkboxes_field(
    choices: Iterable[tuple[str, str]], label: str
) -> forms.MultipleChoiceField:
    """An optional choice among ``choices``, as checkboxes."""
    return forms.MultipleChoiceField(
        choices=choices, required=False, widget=forms.CheckboxSelectMultiple, label=label
    )


def set_choices(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    """Narrow the rows ``form``'s field ``name`` offers (a model choice field) to
    ``queryset``, the organisation's."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # ModelMultipleChoiceField is one
    field.queryset = queryset
