"""The plan's success metrics read the leader's own live data (check-ins, initiatives,
their unit's pulse cell), or say which data is missing and where it comes from."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from bellwether.behaviours import services as behaviours
from bellwether.engagement import services
from bellwether.engagement.selectors_metrics import live_metrics
from bellwether.framework.catalogue import BEHAVIOUR_USED_AI_TOOLS
from bellwether.initiatives import services as initiatives

pytestmark = pytest.mark.django_db


def _by_name(metrics):
    return {m["key"].rsplit(".", 1)[1]: m for m in metrics}


def test_without_data_each_metric_says_what_is_missing_and_where_it_comes_from(coachee):
    metrics = _by_name(live_metrics(coachee))
    assert all(m["value"] is None for m in metrics.values())
    assert "Behaviours → Check in" in metrics["behaviour_frequency"]["note"]
    assert "Pulses" in metrics["employee_perception"]["note"]
    assert "No released pulse" in metrics["employee_perception"]["note"]
    assert "Initiatives" in metrics["initiative_support"]["note"]
    assert "used AI tools" in metrics["personal_tool_usage"]["note"]


def test_the_plan_page_shows_the_leaders_own_check_ins_and_initiatives(client_for, coachee, org):
    today = timezone.localdate()
    behaviours.record_check_in(
        person=coachee, day=today, behaviours=[BEHAVIOUR_USED_AI_TOOLS], actor=None, today=today
    )
    initiatives.create_initiative(
        organisation=org,
        actor=None,
        name="Claims triage assistant",
        archetype="archetype.genai_customer_facing",
        sponsor=coachee,
        problem="Slow triage",
    )
    services.generate_plan(person=coachee, actor=None, start=today)
    html = client_for("admin").get(reverse("engagement:plan", args=[coachee.pk])).content.decode()
    assert "Used AI tools on 1 of the last 28 days" in html
    assert "Sponsors 1 (Claims triage assistant)" in html
    assert "Consistency" in html
    assert "Organisation-wide" not in html  # the pulse metric is the leader's unit or missing
    assert "Missing for Headquarters" in html
