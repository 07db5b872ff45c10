"""The demo: programmes for the demo coach's coachees, carried items, one off track."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bellwether.coaching import selectors
from bellwether.coaching.models import ActionItem, AssignmentRecord, Programme, Session
from bellwether.demo.services import build_demo_organisation

pytestmark = pytest.mark.django_db


def test_the_demo_has_programmes_carried_items_and_one_coachee_off_track():
    organisation = build_demo_organisation(seed=7, modules=False)
    from bellwether.coaching.demo import build_demo

    summary = build_demo(organisation=organisation, seed=7)
    assert summary.startswith("coaching: ")
    assert AssignmentRecord.objects.filter(organisation=organisation).count() >= 2
    assert Programme.objects.filter(organisation=organisation).count() >= 2
    assert Session.objects.filter(programme__organisation=organisation).count() >= 4
    assert ActionItem.objects.filter(programme__organisation=organisation, carries__gte=1).exists()
    rows = selectors.programmes_of_organisation(organisation, timezone.localdate())
    assert sum(1 for row in rows if row.off_track) >= 1
