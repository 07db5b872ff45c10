"""A sponsor's journey in a real Chromium: register an initiative, fill its package, upload
gate evidence, try to move to scale-ready, read what is missing, complete it."""

from __future__ import annotations

import pytest

from bellwether.accounts.roles import Role
from bellwether.initiatives.models import GateReview, Initiative
from bellwether.people.models import LeaderLevel
from bellwether.testing.browser import DESKTOP, PHONE, screenshot
from bellwether.testing.factories import (
    TEST_PASSWORD,
    OrganisationFactory,
    PersonFactory,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "eve@acme.test"


@pytest.fixture
def sponsor(transactional_db):
    org = OrganisationFactory(name="Acme Corp", slug="acme")
    person = PersonFactory(
        organisation=org,
        employee_id="X001",
        name="Eve Executive",
        title="Chief Customer Officer",
        leader_level=LeaderLevel.EXECUTIVE,
    )
    make_member(org, Role.SPONSOR, email=EMAIL, person=person)
    return person


def sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    form = page.locator("form:has(input[type=password])")
    form.get_by_label("Email address").fill(EMAIL)
    form.get_by_label("Password").fill(TEST_PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


def add_metric(page, base: str, pk: int, **fields: str) -> None:
    page.goto(f"{base}/initiatives/{pk}/metrics/new/")
    page.get_by_label("Name").fill(fields["name"])
    page.get_by_label("Layer").select_option(fields["layer"])
    page.get_by_label("Direction").select_option(fields["direction"])
    for label, key in (
        ("Baseline value", "baseline"),
        ("Baseline period", "period"),
        ("Guardrail", "guardrail"),
    ):
        if key in fields:
            page.get_by_label(label).fill(fields[key])
    if "comparison" in fields:
        page.get_by_label("Comparison").select_option(fields["comparison"])
    page.get_by_role("button", name="Add the metric").click()
    page.wait_for_url(f"{base}/initiatives/{pk}/")


def complete_gate(page, base: str, pk: int, key: str, tmp_path) -> None:
    page.goto(f"{base}/initiatives/{pk}/gates/{key}/")
    page.get_by_label("Evidence").fill(f"Evidence for {key}")
    evidence = tmp_path / f"{key}.txt"
    evidence.write_text("signed off")
    page.get_by_label("File").set_input_files(str(evidence))
    page.get_by_role("button", name="Submit evidence").click()
    page.wait_for_url(f"{base}/initiatives/{pk}/")
    page.goto(f"{base}/initiatives/{pk}/gates/{key}/")
    page.get_by_role("button", name="Endorse").click()
    page.wait_for_url(f"{base}/initiatives/{pk}/")


def test_a_sponsor_fills_a_package_is_told_what_is_missing_and_completes_it(
    page_at,
    live_server,
    sponsor,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    page = page_at(DESKTOP)
    sign_in(page, base)

    page.goto(f"{base}/initiatives/")
    page.get_by_role("link", name="Register an initiative").click()
    page.get_by_label("Name").fill("GenAI support assistant")
    page.get_by_label("Archetype").select_option("archetype.genai_customer_facing")
    page.get_by_label("Sponsor").select_option(str(sponsor.pk))
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/initiatives/*/")
    pk = Initiative.objects.get().pk

    page.get_by_role("link", name="Edit chain").click()
    steps = [
        ("chain.ai_output", "Drafted replies with citations"),
        ("chain.decision_or_workflow_step", "Agent reviews and sends"),
        ("chain.operational_metric", "Handling time"),
        ("chain.business_risk_outcome", "Cost-to-serve"),
    ]
    for n, (kind, text) in enumerate(steps, start=1):
        page.get_by_label(f"Step {n}", exact=True).select_option(kind)
        page.get_by_label(f"Step {n}: what happens").fill(text)
    page.get_by_role("button", name="Save the chain").click()
    page.wait_for_url(f"{base}/initiatives/{pk}/")
    assert page.locator(".chain-box").count() == 4

    add_metric(
        page,
        base,
        pk,
        name="Handling time",
        layer="layer.operational",
        direction="decrease",
        baseline="11.5",
        period="Q4",
        comparison="comparison.ab_test",
    )
    add_metric(
        page,
        base,
        pk,
        name="Cost to serve",
        layer="layer.business_risk_outcome",
        direction="decrease",
        baseline="4.2",
        period="Q4",
        comparison="comparison.before_after",
    )
    add_metric(
        page,
        base,
        pk,
        name="Repeat contact",
        layer="layer.counter_metric",
        direction="decrease",
        guardrail="12",
    )
    complete_gate(page, base, pk, "gate.data_rights", tmp_path)

    page.get_by_label("Move to stage").select_option("stage.scale_ready")
    page.get_by_role("button", name="Change stage").click()
    refusal = page.locator("#stage-refusal")
    assert "can't be scale-ready yet" in refusal.inner_text()
    missing = refusal.locator("li").all_inner_texts()
    assert missing == [
        "Gate 2: Workflow instrumentation is open.",
        "Gate 3: Integration and production support is open.",
        "Gate 4: Governance controls is open.",
        "Gate 5: Named operational ownership is open.",
        "Non-negotiable: Decision logging is open.",
        "Non-negotiable: Monitoring ownership is open.",
        "Non-negotiable: Incident process is open.",
    ]
    screenshot(page, "initiatives-scale-ready-refused-desktop")

    for gate in GateReview.objects.filter(initiative_id=pk).exclude(key="gate.data_rights"):
        complete_gate(page, base, pk, gate.key, tmp_path)
    page.get_by_label("Move to stage").select_option("stage.scale_ready")
    page.get_by_role("button", name="Change stage").click()
    page.wait_for_url(f"{base}/initiatives/{pk}/")
    assert page.get_by_text("The initiative is now Scale-ready.").is_visible()
    assert Initiative.objects.get().stage == "stage.scale_ready"
    assert page.js_errors == []
    screenshot(page, "initiatives-detail-desktop")

    phone = page_at(PHONE)
    sign_in(phone, base)
    phone.goto(f"{base}/initiatives/{pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "initiatives-detail-phone")
    assert phone.js_errors == []
