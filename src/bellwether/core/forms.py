"""Showing a service's refusal on the form that asked for it: the one form-error helper."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

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
