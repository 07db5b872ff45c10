"""A plan's PDF download is audited."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bellwether.core.models import AuditEvent
from bellwether.engagement import services

pytestmark = pytest.mark.django_db


def test_the_plan_pdf_download_is_audited(client_for, coachee, members):
    services.generate_plan(person=coachee, actor=None, start=datetime.date(2026, 1, 5))
    response = client_for("coach").get(reverse("engagement:pdf", args=[coachee.pk]))
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="engagement.plan_downloaded")
    assert (event.actor, event.target_id) == (members["coach"].user, str(coachee.pk))
    assert event.details == {"format": "pdf", "filters": {}}


def test_no_plan_no_download_recorded(client_for, coachee):
    assert client_for("admin").get(reverse("engagement:pdf", args=[coachee.pk])).status_code == 302
    assert not AuditEvent.objects.filter(action="engagement.plan_downloaded").exists()
