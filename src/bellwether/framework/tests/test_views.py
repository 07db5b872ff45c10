"""The Framework page."""

from __future__ import annotations

import pytest
from django.test import Client

from bellwether.accounts.models import User
from bellwether.core.models import AuditEvent
from bellwether.framework.access import VIEW_CATALOGUE


@pytest.mark.parametrize("role", ["admin", "sponsor", "leader", "coach", "reviewer"])
def test_every_member_sees_the_framework(client_for, role):
    response = client_for(role).get("/framework/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Version 2026.1" in body
    assert 'href="#readiness"' in body
    assert 'id="readiness"' in body
    assert "Champion" in body
    assert "85–100" in body
    assert "Below 40" in body
    assert "Complexity Overwhelm" in body
    assert "Personal Development" not in body  # the seed's wording is "Personal AI Development"
    assert "Personal AI Development" in body


def test_page_shows_tier_hours_weights_and_kpi_targets(client_for):
    body = client_for("leader").get("/framework/").content.decode()
    assert '<span class="badge">29 hours</span>' in body
    assert '<span class="badge">20 hours</span>' in body
    assert '<span class="badge">26 hours</span>' in body
    assert '<th class="num">47</th>' not in body  # Template 3 total is stated in prose
    assert "Three months, 47 hours." in body
    assert '<span class="badge">40%</span>' in body
    assert "<strong>≥ 90</strong>" in body
    assert "(≤ -50 % change from baseline)" in body
    assert "framework/framework.css" in body


def test_anonymous_visitor_is_sent_to_sign_in(db):
    response = Client().get("/framework/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=/framework/"


def test_a_user_without_membership_is_refused_and_audited(db):
    client = Client()
    client.force_login(User.objects.create_user("nobody@example.com"))
    response = client.get("/framework/")
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="permission.denied")
    assert event.details["check"] == VIEW_CATALOGUE.name == "framework.view_catalogue"
    assert event.actor_label == "nobody@example.com"
