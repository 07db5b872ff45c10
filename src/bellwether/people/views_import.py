from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def export_people(request: HttpRequest, fmt: str) -> HttpResponse:
    return HttpResponse("export")


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    return HttpResponse("import")


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("job")


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("progress")
