from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("people")


@login_required
def org_chart(request: HttpRequest) -> HttpResponse:
    return HttpResponse("org chart")


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("person")
