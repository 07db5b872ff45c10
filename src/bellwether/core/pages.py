"""Plumbing the apps' pages share beyond the form helpers of ``core.forms``: the answer to
a form posted from a page of many forms (``posted_form``) and where to go next after
signing in (``safe_next``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from bellwether.core.errors import DomainError
from bellwether.core.forms import refused_form

T = TypeVar("T")


def posted_form(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], T],
    *,
    title: str,
    back: str,
    success: str | Callable[[T], str],
    to: str | Callable[[T], str] | None = None,
    invalid: str | None = None,
) -> HttpResponse:
    """A form posted from a detail page (a page of many forms) to a view of its own.

    Refused, by the form (with ``invalid`` as its reason, when given) or by ``save`` (a
    service call raising ``DomainError``): the form again on a page of its own,
    ``refused_form`` with ``title`` and ``back``, keeping what was typed. Saved: say
    ``success`` and go to ``to`` (``back`` when None); either may be made from what ``save``
    returned."""
    if not form.is_valid():
        return refused_form(request, form, title=title, back=back, error=invalid)
    try:
        result = save()
    except DomainError as error:
        return refused_form(request, form, title=title, back=back, error=error)
    messages.success(request, success if isinstance(success, str) else success(result))
    if to is None:
        return redirect(back)
    return redirect(to if isinstance(to, str) else to(result))


def safe_next(request: HttpRequest) -> str:
    """The ``next`` address the request carries (the form's field, else the query's), when
    it stays on this site: never another host (an open redirect), nor http from a page
    served over https. Otherwise ""; the caller chooses where to go instead."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
