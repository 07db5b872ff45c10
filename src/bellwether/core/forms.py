"""Showing a service's refusal on the form or page that asked for it (the one form-error
helper, ``submit``, ``announce`` and ``refused_form``), the confirmation step before what
can't be undone (``confirmation``), and the fields the launch forms share."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
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
        if every_problem:
            show_refusal(request, exc)
        else:
            messages.error(request, exc.message)
    else:
        messages.success(request, success if isinstance(success, str) else success(result))


def error_messages(error: DomainError) -> list[str]:
    """The refusal as sentences, for a page that shows it as messages: its message,
    then each field's problems."""
    return [error.message, *(p for problems in error.field_errors.values() for p in problems)]


def show_refusal(request: HttpRequest, error: DomainError) -> None:
    """Say why a page's button was refused, when the page has no form to show it on: the
    refusal's message and each field's problems, as one error message."""
    messages.error(request, " ".join(error_messages(error)))


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


def optional_date(text: str) -> dt.date | None:
    """A date typed as YYYY-MM-DD, or None when the field is empty or not a date: for
    the optional dates of a page's small forms, where the service takes "no date" as
    today's or none."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


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


# --- person pickers: a type-ahead over the people search, a plain e-mail field without JS ------

PERSON_SEARCH_URL = "people:search"  # the search the type-ahead asks (``people.views``)
_SEPARATORS = re.compile(r"[\s,;]+")


class PersonPicker(forms.TextInput):
    """A text field the shared script (``bellwether/person_picker.js``) turns into an
    ARIA combobox: typing asks the people search, arrows and Enter pick, and the field
    then holds the person's e-mail. Without the script it is a plain e-mail field.
    ``multiple``: several addresses separated by commas."""

    def __init__(
        self, *, multiple: bool = False, leaders: bool = False, attrs: dict[str, Any] | None = None
    ) -> None:
        self.multiple = multiple
        self.leaders = leaders
        super().__init__(attrs)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        url = reverse(PERSON_SEARCH_URL) + ("?leaders=1" if self.leaders else "")
        widget_attrs.update(
            {
                "data-person-picker": "multiple" if self.multiple else "one",
                "data-search-url": url,
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": widget_attrs.get(
                    "placeholder", "Type a name or e-mail" + ("s" if self.multiple else "")
                ),
            }
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple and hasattr(data, "getlist"):
            return ", ".join(str(v) for v in data.getlist(name) if str(v).strip())
        return super().value_from_datadict(data, files, name)


def _by_address(queryset: QuerySet[Any], handles: Iterable[str]) -> dict[str, list[Any]]:
    """The rows of ``queryset`` whose e-mail or employee ID is one of ``handles`` (any
    case), by handle as typed (lower case)."""
    wanted = {h.strip().lower() for h in handles if h.strip()}
    found: dict[str, list[Any]] = {h: [] for h in wanted}
    rows = queryset.annotate(
        picker_email=Lower("email"), picker_employee=Lower("employee_id")
    ).filter(Q(picker_email__in=wanted) | Q(picker_employee__in=wanted))
    for row in rows:
        for key in {row.picker_email, row.picker_employee} & wanted:
            found[key].append(row)
    return found


def _rows_of(field: forms.ModelChoiceField[Any]) -> QuerySet[Any]:
    queryset = field.queryset
    assert queryset is not None  # the form narrows it to the organisation
    return queryset


def _one_for(handle: str, rows: list[Any]) -> Any:
    if not rows:
        raise forms.ValidationError(
            f"Nobody who can be chosen here has the e-mail or employee ID “{handle}”: "
            "type part of a name and pick from the list, or type the exact e-mail."
        )
    if len(rows) > 1:
        names = ", ".join(sorted(str(r) for r in rows)[:3])
        raise forms.ValidationError(
            f"“{handle}” is the e-mail of several people ({names}): use the employee ID."
        )
    return rows[0]


class PersonField(forms.ModelChoiceField):
    """One person of ``queryset`` (narrowed to the organisation by the form), typed by
    e-mail or employee ID, or picked in the type-ahead. Never renders its choices."""

    def __init__(self, queryset: QuerySet[Any], *, leaders: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PersonPicker(leaders=leaders))
        super().__init__(queryset, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if hasattr(value, "_meta"):
            return value.email or value.employee_id
        if isinstance(value, int):
            row = _rows_of(self).filter(pk=value).values_list("email", flat=True).first()
            return row or ""
        return value

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        handle = str(value).strip()
        return _one_for(handle, _by_address(_rows_of(self), [handle]).get(handle.lower(), []))

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return str(self.prepare_value(initial) or "") != str(data or "").strip()


class PeopleField(forms.ModelMultipleChoiceField):
    """Several people of ``queryset``, typed as e-mails or employee IDs separated by
    commas, or picked one after another in the type-ahead."""

    def __init__(self, queryset: QuerySet[Any], *, leaders: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PersonPicker(multiple=True, leaders=leaders))
        super().__init__(queryset, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        items = list(value or [])
        ids = [v for v in items if isinstance(v, int)]
        emails = [v.email for v in items if hasattr(v, "_meta")]
        if ids:
            emails += list(_rows_of(self).filter(pk__in=ids).values_list("email", flat=True))
        return ", ".join(e for e in emails if e)

    def clean(self, value: Any) -> QuerySet[Any]:
        handles = [h for h in _SEPARATORS.split(str(value or "")) if h]
        if not handles:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return _rows_of(self).none()
        found = _by_address(_rows_of(self), handles)
        errors, ids = [], []
        for handle in dict.fromkeys(handles):
            try:
                ids.append(_one_for(handle, found.get(handle.lower(), [])).pk)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return _rows_of(self).filter(pk__in=ids)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return str(self.prepare_value(initial) or "") != str(data or "").strip()


def picked_people(queryset: QuerySet[Any], text: str, *, field: str) -> list[Any]:
    """The people typed in a picker outside a form (e-mails or employee IDs separated by
    commas), or a ``DomainError`` naming each one not found in ``queryset`` on ``field``."""
    try:
        return list(PeopleField(queryset, required=False).clean(text))
    except forms.ValidationError as error:
        raise DomainError(
            " ".join(error.messages), code="unknown_person", field_errors={field: error.messages}
        ) from error


def picked_person(queryset: QuerySet[Any], text: str, *, field: str) -> Any:
    """The one person typed in a picker outside a form, None when left empty, or a
    ``DomainError`` when nobody (or several) of ``queryset`` has that address."""
    try:
        return PersonField(queryset, required=False).clean(text)
    except forms.ValidationError as error:
        raise DomainError(
            " ".join(error.messages), code="unknown_person", field_errors={field: error.messages}
        ) from error
