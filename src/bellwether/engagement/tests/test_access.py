"""The engagement rules: each refusal names its rule in the audit log, a leader the member
may not see is missing (404), and a refused write changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bellwether.core.models import AuditEvent
from bellwether.engagement import services
from bellwether.engagement.models import BarrierMark, EngagementPlan

pytestmark = pytest.mark.django_db


def _check() -> str:
    event = AuditEvent.objects.filter(action="permission.denied").latest("id")
    return str(event.details["check"])


def test_a_sponsor_reads_a_plan_but_a_refused_edit_changes_nothing(client_for, coachee):
    plan = services.generate_plan(person=coachee, actor=None)
    sponsor = client_for("sponsor")
    assert sponsor.get(reverse("engagement:plan", args=[coachee.pk])).status_code == 200
    response = sponsor.post(reverse("engagement:status", args=[coachee.pk]), {"status": "active"})
    assert response.status_code == 403
    assert _check() == "engagement.edit_plan"
    assert EngagementPlan.objects.get(pk=plan.pk).status == plan.status


def test_a_leader_fills_their_own_checklist_only(client_for, coachee, leader_person):
    leader = client_for("leader")
    own = reverse("engagement:barriers", args=[leader_person.pk])
    assert leader.post(own, {"mark-barrier.change_fatigue": "primary"}).status_code == 302
    theirs = reverse("engagement:barriers", args=[coachee.pk])
    assert leader.post(theirs, {"mark-barrier.change_fatigue": "primary"}).status_code == 404
    assert _check() == "engagement.view_leader"
    assert list(BarrierMark.objects.values_list("person_id", flat=True)) == [leader_person.pk]


def test_a_reviewer_has_no_plans(client_for, coachee):
    reviewer = client_for("reviewer")
    assert reviewer.get(reverse("engagement:home")).status_code == 403
    assert _check() == "engagement.view_plans"
    assert reviewer.get(reverse("engagement:frequency")).status_code == 403
    assert _check() == "engagement.view_barrier_frequency"
