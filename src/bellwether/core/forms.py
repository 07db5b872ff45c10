"""Showing a service's refusal on the form or page that asked for it (the one form-error
helper, ``submit``, ``announce`` and ``refused_form``), the confirmation step before what
can't be undone (``confirmation``), and the fields the launch forms share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from bellwether.core.errors import DomainError

T = TypeVar("T")


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


def submit(
    form: forms.Form,
    action: Callable[[], T],
    *,
    field_map: Mapping[str, str | None] | None = None,
) -> T | None:
    """What ``action`` (a service call) returns, or None once its refusal is on ``form``
    (``add_domain_error`` with ``field_map``)."""
    try:
        return action()
    except DomainError as exc:
        add_domain_error(form, exc, field_map=field_map)
        return None


def saved(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], T],
    *,
    to: str | Callable[[T], str],
    message: str | Callable[[T], str] | None = None,
    on_error: Callable[[], object] | None = None,
    fallback: str | None = None,
) -> HttpResponse | None:
    """A form page's valid submission: run ``save`` (a service call), then say ``message``
    and redirect to ``to`` (either may be made from what ``save`` returns). None when there
    is nothing to save, or when the service refused: its refusal is then on ``form``
    (``add_domain_error`` with ``fallback``) and ``on_error`` has run."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except DomainError as error:
        add_domain_error(form, error, fallback=fallback)
        if on_error is not None:
            on_error()
        return None
    if message is not None:
        messages.success(request, message if isinstance(message, str) else message(result))
    return redirect(to if isinstance(to, str) else to(result))


def form_status(form: forms.Form) -> int:
    """A form page's status: 400 when the submitted form is refused, else 200."""
    return 400 if form.is_bound and form.errors else 200


def announce(
    request: HttpRequest,
    action: Callable[[], T],
    success: str | Callable[[T], str],
    *,
    every_problem: bool = False,
) -> None:
    """Run ``action`` (a service call) for a page's button: its refusal's message (with
    ``every_problem``, followed by each field's problems) as an error, or ``success`` (or
    ``success`` of what it returns) as a success."""
    try:
        result = action()
    except DomainError as exc:
        messages.error(request, " ".join(error_messages(exc)) if every_problem else exc.message)
    else:
        messages.success(request, success if isinstance(success, str) else success(result))


def error_messages(error: DomainError) -> list[str]:
    """The refusal as sentences, for a page that shows it as messages: its message,
    then each field's problems."""
    return [error.message, *(p for problems in error.field_errors.values() for p in problems)]


def refused_form(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    error: DomainError | str | None = None,
    submit_label: str = "Try again",
    status: int = 400,
) -> HttpResponse:
    """The answer to a refused form that lives on a page of many forms (a detail page):
    the form again, on a page of its own, with what was typed and why it was refused in
    words (``error``, a service's refusal or a sentence, added to ``form``), posting to
    the same address. Never a bare "Not allowed" and never lost input."""
    reasons = [error.message] if isinstance(error, DomainError) else []
    if isinstance(error, DomainError):
        add_domain_error(form, error)
    elif error:
        form.add_error(None, error)
    for name, problems in form.errors.items():
        field = form.fields.get(name)
        shown = field is not None and not field.widget.is_hidden
        for problem in problems:
            if shown and field is not None:
                reasons.append(f"{field.label or name.replace('_', ' ').capitalize()}: {problem}")
            elif not reasons or not isinstance(error, DomainError):
                reasons.append(str(problem))  # the top of the form, or a hidden field's
    return render(
        request,
        "core/refused_form.html",
        {
            "form": form,
            "title": title,
            "reasons": reasons,
            "action": request.get_full_path(),
            "back": back,
            "submit_label": submit_label,
        },
        status=status,
    )


#: The field a confirmed POST carries (the confirmation page's button, or the page's own
#: button once ``data-confirm``'s dialog was answered yes).
CONFIRM_FIELD = "confirmed"


def confirmation(
    request: HttpRequest,
    *,
    question: str,
    consequence: str,
    back: str,
    confirm_label: str = "Yes, go ahead",
) -> HttpResponse | None:
    """None when the POST was confirmed; otherwise the confirmation step: a page asking
    ``question``, saying ``consequence`` (what can't be undone), that posts the same fields
    again with the confirmation, or goes ``back`` changing nothing.

    A view of an action that can't be undone asks this first, before changing anything;
    its button carries ``data-confirm`` so that with JavaScript a dialog asks instead."""
    if request.method != "POST" or request.POST.get(CONFIRM_FIELD) == "yes":
        return None
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "core/confirm.html",
        {
            "question": question,
            "consequence": consequence,
            "fields": fields,
            "action": request.get_full_path(),
            "back": back,
            "confirm_label": confirm_label,
            "confirm_field": CONFIRM_FIELD,
        },
    )


# --- fields a launch form shares (a window in a time zone, an audience) -----------------------


def datetime_local_field(label: str) -> forms.DateTimeField:
    """A date and time typed in the browser's own picker."""
    return forms.DateTimeField(
        label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


def time_zone_field() -> forms.CharField:
    """An IANA time zone name, UTC unless changed; check it with ``clean_time_zone``."""
    return forms.CharField(max_length=64, initial="UTC", label="Time zone")


def in_time_zone(value: dt.datetime, zone_name: str) -> dt.datetime:
    """``value`` as typed in ``zone_name`` (unless it already carries its zone)."""
    if timezone.is_aware(value):
        return value
    return value.replace(tzinfo=ZoneInfo(zone_name))


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
