"""The framework catalogue as JSON: ``/api/v1/framework`` and a few slices of it.

The response schemas are the catalogue's own dataclasses, so the OpenAPI document
describes exactly what ``catalogue.CATALOGUE.to_dict()`` produces.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from bellwether.accounts.access import membership_of
from bellwether.framework import catalogue
from bellwether.framework.access import VIEW_CATALOGUE
from bellwether.framework.catalogue import (
    Band,
    Behaviour,
    Catalogue,
    Gate,
    Instrument,
    Kpi,
)

router = Router(tags=["framework"])


def _allow(request: HttpRequest) -> None:
    """401 without a member (the token auth answers first), 403 (audited) if the rule refuses."""
    VIEW_CATALOGUE.require(request, membership_of(request))


@router.get("", response=Catalogue, summary="The whole framework catalogue", url_name="framework")
def framework(request: HttpRequest) -> Catalogue:
    """Every part of the framework Bellwether runs on, with its version."""
    _allow(request)
    return catalogue.CATALOGUE


@router.get("/instrument", response=Instrument, summary="The readiness scorecard")
def instrument(request: HttpRequest) -> Instrument:
    """The Executive AI Readiness Scorecard: 4 dimensions × 5 items on a 1–5 scale, and its bands."""
    _allow(request)
    return catalogue.INSTRUMENT


@router.get("/bands", response=list[Band], summary="Engagement bands")
def bands(request: HttpRequest) -> tuple[Band, ...]:
    """Champion 85–100 down to Resistant 20–39; bounds are inclusive."""
    _allow(request)
    return catalogue.INSTRUMENT.bands


@router.get("/behaviours", response=list[Behaviour], summary="The 15 leadership behaviours")
def behaviours(request: HttpRequest) -> tuple[Behaviour, ...]:
    _allow(request)
    return catalogue.CATALOGUE.behaviours


@router.get("/kpis", response=list[Kpi], summary="Primary and secondary KPIs with targets")
def kpis(request: HttpRequest) -> tuple[Kpi, ...]:
    _allow(request)
    return (*catalogue.CATALOGUE.primary_kpis, *catalogue.CATALOGUE.secondary_kpis)


@router.get("/gates", response=list[Gate], summary="Initiative gates")
def gates(request: HttpRequest) -> tuple[Gate, ...]:
    _allow(request)
    return catalogue.CATALOGUE.gates
