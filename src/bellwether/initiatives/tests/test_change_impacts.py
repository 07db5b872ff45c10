"""Issue 19: every change impact has an owner and a mitigation, in the service, the form and
the API; impacts registered before that are shown as incomplete, none is invented."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.initiatives import services
from bellwether.initiatives.models import ChangeImpact
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/initiatives"
OWNER = "Name who owns this impact: every change impact needs an owner."
MITIGATION = "Say how this impact is mitigated: every change impact needs a mitigation."


@pytest.fixture
def legacy(initiative) -> ChangeImpact:
    """An impact saved before owner and mitigation were required."""
    return ChangeImpact.objects.create(
        organisation=initiative.organisation,
        initiative=initiative,
        impact_type="impact.workload_redistribution",
        affected_group="Tier-1 agents",
    )


@pytest.mark.parametrize(
    ("owner", "mitigation", "errors"),
    [
        (False, "Rebalance queues", {"owner": [OWNER]}),
        (True, "  ", {"mitigation": [MITIGATION]}),
        (False, "", {"owner": [OWNER], "mitigation": [MITIGATION]}),
    ],
)
def test_the_service_refuses_an_impact_without_owner_or_mitigation(
    initiative, executive, owner, mitigation, errors
) -> None:
    with pytest.raises(DomainError) as refused:
        services.add_change_impact(
            initiative=initiative,
            actor=None,
            impact_type="impact.decision_rights",
            affected_group="Underwriters",
            owner=executive if owner else None,
            mitigation=mitigation,
        )
    assert refused.value.field_errors == errors
    assert refused.value.code == "incomplete_impact"
    assert not ChangeImpact.objects.exists()
    assert not AuditEvent.objects.filter(action="initiative.change_impact_added").exists()


def test_the_api_answers_400_with_the_reason(members, initiative) -> None:
    response = api_client_for(members["sponsor"]).post(
        f"{BASE}/{initiative.pk}/change-impacts",
        {"impact_type": "impact.decision_rights", "affected_group": "Underwriters"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "incomplete_impact",
        "message": f"{OWNER} {MITIGATION}",
        "fields": {"owner": [OWNER], "mitigation": [MITIGATION]},
    }
    assert not ChangeImpact.objects.exists()


def test_the_form_refuses_keeps_the_input_and_says_why(client_for, initiative) -> None:
    response = client_for("sponsor").post(
        reverse("initiatives:impact_new", args=[initiative.pk]),
        {
            "impact_type": "impact.decision_rights",
            "affected_group": "Underwriters",
            "status": "open",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Name who owns this impact: every change impact needs one." in html
    assert MITIGATION in html
    assert 'value="Underwriters"' in html
    assert not ChangeImpact.objects.exists()


def test_an_impact_saved_without_them_is_shown_as_incomplete(
    client_for, members, initiative, legacy
) -> None:
    html = client_for("sponsor").get(reverse("initiatives:detail", args=[initiative.pk]))
    assert "Incomplete: no owner and no mitigation" in html.content.decode()
    detail = api_client_for(members["sponsor"]).get(f"{BASE}/{initiative.pk}").json()
    assert detail["change_impacts"][0]["missing"] == ["owner", "mitigation"]
    assert detail["change_impacts"][0]["owner"] is None  # nothing invented


def test_an_edit_must_complete_an_incomplete_impact(members, initiative, executive, legacy) -> None:
    client = api_client_for(members["sponsor"])
    url = f"{BASE}/{initiative.pk}/change-impacts/{legacy.pk}"
    refused = client.patch(url, {"status": "mitigating"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"owner": [OWNER], "mitigation": [MITIGATION]}
    legacy.refresh_from_db()
    assert legacy.status == "open"
    done = client.patch(
        url,
        {"status": "mitigating", "owner_id": executive.pk, "mitigation": "Rebalance queues"},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert done.json()["missing"] == []
    # Clearing either again is refused.
    for bad in ({"owner_id": None}, {"mitigation": " "}):
        assert client.patch(url, bad, content_type="application/json").status_code == 400
    legacy.refresh_from_db()
    assert (legacy.owner_id, legacy.mitigation) == (executive.pk, "Rebalance queues")
