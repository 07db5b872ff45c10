"""Influence map: pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bellwether.accounts import permissions


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    permissions.require(
        request,
        membership,
        permissions.can_view_influence_map(membership),
        check="can_view_influence_map",
    )
    return render(request, "influence/home.html", {})
