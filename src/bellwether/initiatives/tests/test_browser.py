"""A sponsor's journey in a real Chromium: register an initiative, fill its package, upload
gate evidence, try to move to scale-ready, read what is missing, complete it."""

from __future__ import annotations

import pytest

from bellwether.accounts.roles import Role
from bellwether.initiatives import services
from bellwether.initiatives.models import ChangeImpact, GateReview, Initiative, Metric
from bellwether.initiatives.tests.factories import OPEN_AFTER_DATA_RIGHTS
from bellwether.people.models import LeaderLevel
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import (
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
    media_root,
):
    base = live_server.url
    page = page_at(DESKTOP)
    sign_in(page, base, EMAIL)

    page.goto(f"{base}/initiatives/")
    page.get_by_role("link", name="Register an initiative").click()
    page.get_by_label("Name").fill("GenAI support assistant")
    page.get_by_label("Archetype").select_option("archetype.genai_customer_facing")
    page.get_by_label("Sponsor").fill(sponsor.email)
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
    assert missing == OPEN_AFTER_DATA_RIGHTS
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

    # The sponsor records a change impact through its form, after one refused attempt.
    page.get_by_role("link", name="Register a change impact").click()
    page.get_by_label("Predictable impact").select_option("impact.workload_redistribution")
    page.get_by_role("button", name="Register the impact").click()
    assert page.locator(".field-error").first.is_visible()
    assert not ChangeImpact.objects.exists()
    # The refused form comes back as 400 (not a page error; see conftest's console watch).
    assert page.js_errors == []
    page.js_errors.clear()
    page.get_by_label("Affected group").fill("Tier-1 support agents")
    page.get_by_label("Owner").fill(sponsor.email)
    page.get_by_label("Mitigation").fill("Rebalance queues; coach on editing AI drafts")
    screenshot(page, "initiatives-change-impact-form-desktop")
    page.get_by_role("button", name="Register the impact").click()
    page.wait_for_url(f"{base}/initiatives/{pk}/#impacts")
    assert page.get_by_text("The change impact is registered.").is_visible()
    assert ChangeImpact.objects.get().affected_group == "Tier-1 support agents"

    # … and edits a metric: a target and a better comparison method.
    page.get_by_role("link", name="Edit the metric “Handling time”").click()
    page.get_by_label("Target").fill("9")
    page.get_by_label("Comparison").select_option("comparison.matched_cohorts")
    page.get_by_role("button", name="Save the metric").click()
    page.wait_for_url(f"{base}/initiatives/{pk}/#metrics")
    metric = Metric.objects.get(name="Handling time")
    assert (metric.target, metric.comparison) == (9.0, "comparison.matched_cohorts")
    assert page.js_errors == []

    phone = page_at(PHONE)
    sign_in(phone, base, EMAIL)
    phone.goto(f"{base}/initiatives/{pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "initiatives-detail-phone")
    assert phone.js_errors == []


def test_the_adoption_curve_is_drawn_with_the_majority_wall(page_at, live_server, sponsor):
    initiative = services.create_initiative(
        organisation=sponsor.organisation,
        actor=None,
        name="GenAI support assistant",
        archetype="archetype.genai_customer_facing",
        sponsor=sponsor,
    )
    samples = []
    for week in range(1, 11):
        samples.append(
            {"cohort": "early_adopters", "week": week, "suggestions": 1000, "accepted": 760}
        )
        samples.append(
            {
                "cohort": "majority",
                "week": week,
                "suggestions": 1000,
                "accepted": 380 + 10 * week,
                "overridden": 300,
            }
        )
    services.record_adoption(initiative=initiative, actor=None, samples=samples)
    base = live_server.url
    page = page_at(DESKTOP)
    sign_in(page, base, EMAIL)
    page.goto(f"{base}/initiatives/{initiative.pk}/#adoption")
    assert "not a verdict on the technology" in page.locator("#majority-wall").inner_text()
    # Chart.js drew on the canvas.
    assert page.evaluate("!!Chart.getChart(document.getElementById('adoption-chart'))")
    page.locator("#adoption").screenshot(
        path=str(screenshot(page, "initiatives-adoption-desktop").with_suffix(".section.png"))
    )
    assert page.js_errors == []

    # The decision log: log a request, then record who decided what.
    page.goto(f"{base}/initiatives/decisions/")
    page.get_by_role("textbox", name="Decision to take").fill(
        "Fund coaching for the majority cohort"
    )
    page.locator("#id_initiative").select_option(str(initiative.pk))
    page.get_by_role("button", name="Log the request").click()
    page.wait_for_url(f"{base}/initiatives/decisions/")
    page.get_by_role("link", name="Record the decision").click()
    page.get_by_label("Outcome").fill("Funded for one quarter")
    page.get_by_label("Decided by").fill(sponsor.email)
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(f"{base}/initiatives/decisions/")
    assert page.get_by_role("cell", name="Funded for one quarter").is_visible()
    screenshot(page, "initiatives-decision-log-desktop")
    assert page.js_errors == []
