"""A cycle's page is paged: the calibration groups and the completion list, each a page
at a time (SQL LIMIT), in the same number of queries on every page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.reviews import selectors, services
from bellwether.reviews.models import Review
from bellwether.testing.factories import OrgUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def test_the_cycle_page_pages_calibration_and_completion(org, unit, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "REVIEWS_PER_PAGE", 3)
    monkeypatch.setattr(selectors, "CALIBRATION_PER_PAGE", 2)
    for n in range(5):
        home = OrgUnitFactory(organisation=org, parent=unit, code=f"U{n}", name=f"Unit {n}")
        PersonFactory(organisation=org, org_unit=home, employee_id=f"N{n}", leader_level="senior")
    cycle = services.open_cycle(organisation=org, quarter="2026-Q3", actor=None)
    total = Review.objects.filter(cycle=cycle).count()
    groups = len(selectors.calibration(cycle))
    assert total >= 5
    assert groups >= 5
    admin = client_for("admin")
    url = reverse("reviews:cycle", args=[cycle.pk])
    admin.get(url)  # the session's first request costs more
    first, few = _get(admin, url)
    assert len(first.context["rows"]) == 3
    assert first.context["page"].paginator.count == total
    assert len(first.context["calibration"]) == 2
    assert first.context["calibration"].paginator.count == groups
    assert f"of {total} shared" in first.content.decode()
    last, queries = _get(admin, url, page=first.context["page"].paginator.num_pages, cpage=2)
    assert queries == few
    assert last.context["calibration"].object_list == selectors.calibration(cycle)[2:4]
    shown = [r.pk for r, _ in first.context["rows"]] + [r.pk for r, _ in last.context["rows"]]
    assert len(set(shown)) == len(shown)


def test_the_reviews_list_is_paged(org, unit, client_for, monkeypatch):
    monkeypatch.setattr(selectors, "REVIEWS_PER_PAGE", 2)
    for n in range(3):
        PersonFactory(organisation=org, org_unit=unit, employee_id=f"H{n}", leader_level="senior")
    services.open_cycle(organisation=org, quarter="2026-Q3", actor=None)
    total = Review.objects.count()
    admin = client_for("admin")
    first, few = _get(admin, reverse("reviews:home"))
    assert len(first.context["rows"]) == 2
    assert first.context["page"].paginator.count == total
    last, queries = _get(
        admin, reverse("reviews:home"), page=first.context["page"].paginator.num_pages
    )
    assert queries <= few
    assert len(last.context["rows"]) == total - 2 * (first.context["page"].paginator.num_pages - 1)
