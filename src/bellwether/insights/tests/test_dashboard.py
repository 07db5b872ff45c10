"""The KPI dashboard's figures, drill-down, filters, targets and exports."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bellwether.assessments.tests.factories import make_cycle, record_result
from bellwether.core.models import AuditEvent
from bellwether.initiatives.models import DecisionLogEntry
from bellwether.insights import periods, selectors, services
from bellwether.insights.filters import parse
from bellwether.insights.models import KpiTarget
from bellwether.insights.sources import Scope
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys.tests import helpers as pulse
from bellwether.testing.factories import OrgUnitFactory, PersonFactory, api_client_for


def _leader(org, unit, level: str = "senior") -> Person:
    return cast(Person, PersonFactory(organisation=org, org_unit=unit, leader_level=level))


pytestmark = pytest.mark.django_db


def _this_month() -> periods.Period:
    return periods.containing(periods.MONTH, timezone.localdate())


def _by_key(rows):
    return {m.key: m for m in rows}


def test_kpi_one_counts_each_leaders_result_of_record(org, unit) -> None:
    other_unit = OrgUnitFactory(organisation=org, name="Legal")
    cycle = make_cycle(organisation=org)
    leaders = [_leader(org, unit, "senior") for _ in range(3)]
    legal = _leader(org, other_unit, "executive")
    for person, total in zip([*leaders, legal], [85, 69.5, 60, 90], strict=True):
        record_result(organisation=org, person=person, total=total, cycle=cycle)
    rows = _by_key(selectors.dashboard(org, period=_this_month(), scope=Scope()))
    fluency = rows["kpi.executive_fluency"]
    # 69.5 is shown as 70 and counts; 60 does not.
    assert (fluency.figure.numerator, fluency.figure.denominator) == (3, 4)
    assert fluency.figure.value == 75.0
    assert fluency.status == "behind"
    in_unit = _by_key(selectors.dashboard(org, period=_this_month(), scope=Scope(unit=unit)))
    assert in_unit["kpi.executive_fluency"].figure.denominator == 3
    executives = selectors.dashboard(org, period=_this_month(), scope=Scope(level="executive"))
    assert _by_key(executives)["kpi.executive_fluency"].figure.value == 100.0
    detail = selectors.detail(org, "kpi.executive_fluency", period=_this_month(), scope=Scope())
    assert not detail.anonymous
    assert sorted(float(str(r[3])) for r in detail.rows) == [60, 69.5, 85, 90]


def test_a_past_period_ignores_cycles_closed_after_it(org, unit) -> None:
    person = _leader(org, unit, "senior")
    closes = timezone.now() - dt.timedelta(days=5)
    recent = make_cycle(organisation=org, opens_at=closes - dt.timedelta(days=14), closes_at=closes)
    record_result(organisation=org, person=person, total=80, cycle=recent)
    long_ago = periods.containing(periods.MONTH, (closes - dt.timedelta(days=70)).date())
    rows = _by_key(selectors.dashboard(org, period=long_ago, scope=Scope()))
    assert rows["kpi.executive_fluency"].figure.value is None
    assert rows["kpi.executive_fluency"].status == "no_data"


def _released_pulse(org, *, sales: int, legal: int):
    _root, sales_unit, legal_unit = pulse.two_units(org)
    sales_people = pulse.people_in(org, sales_unit, sales)
    legal_people = pulse.people_in(org, legal_unit, legal)
    campaign = pulse.launch(org, people=[*sales_people, *legal_people])
    for p in sales_people:
        pulse.answer(campaign, p, confidence=5)
    for p in legal_people:
        pulse.answer(campaign, p, confidence=1)
    pulse.close(campaign)
    return sales_unit, legal_unit


def _confidence(org, scope: Scope):
    return _by_key(selectors.dashboard(org, period=_this_month(), scope=scope))[
        "kpi.employee_confidence"
    ].figure


def test_pulse_kpi_for_a_unit_is_its_released_cell(org) -> None:
    sales, legal = _released_pulse(org, sales=6, legal=6)
    assert _confidence(org, Scope()).value == 50.0
    assert _confidence(org, Scope(unit=sales)).value == 100.0
    assert _confidence(org, Scope(unit=legal)).value == 0.0
    detail = selectors.detail(org, "kpi.employee_confidence", period=_this_month(), scope=Scope())
    assert detail.anonymous
    assert detail.rows == ()
    assert ("Favourable share", "50.0%") in detail.aggregates


def test_a_small_units_pulse_kpi_cannot_be_had_by_difference(org) -> None:
    sales, legal = _released_pulse(org, sales=6, legal=2)
    whole = _confidence(org, Scope())
    assert whole.value == 75.0
    # Legal has two answers, below the minimum; showing Sales beside the whole would
    # give Legal's by subtraction, so the release withheld Sales too.
    for unit in (legal, sales):
        figure = _confidence(org, Scope(unit=unit))
        assert figure.value is None
        assert "Too few" in figure.reason
    both = _confidence(org, Scope(unit=sales, level="senior"))
    assert both.value is None
    assert "never both" in both.reason
    detail = selectors.detail(
        org, "kpi.employee_confidence", period=_this_month(), scope=Scope(unit=legal)
    )
    assert detail.rows == ()
    assert all("%" not in value for _, value in detail.aggregates)


def test_time_to_decision_against_the_organisations_baseline(org, members) -> None:
    now = timezone.now()
    for days in (4, 6, 8):
        DecisionLogEntry.objects.create(
            organisation=org,
            title=f"Decision {days}",
            requested_at=now - dt.timedelta(days=days),
            decided_at=now,
        )
    period = _this_month()
    before = _by_key(selectors.dashboard(org, period=period, scope=Scope()))
    assert before["kpi.time_to_decision"].figure.value is None
    assert "set a baseline" in before["kpi.time_to_decision"].figure.reason
    services.set_target(
        organisation=org,
        kpi_key="kpi.time_to_decision",
        target_value=-50,
        baseline_value=12,
        actor=members["admin"].user,
    )
    after = _by_key(selectors.dashboard(org, period=period, scope=Scope()))
    # Median 6 days against a 12-day baseline: −50%, which meets "−50%".
    assert after["kpi.time_to_decision"].figure.value == -50.0
    assert after["kpi.time_to_decision"].status == "met"


def test_set_target_is_audited_and_refuses_nonsense(org, members) -> None:
    admin = members["admin"].user
    services.set_target(
        organisation=org, kpi_key="kpi.executive_fluency", target_value=80, actor=admin
    )
    assert selectors.targets_for(org)["kpi.executive_fluency"].value == 80
    assert AuditEvent.objects.filter(action="insights.target_set").count() == 1
    for bad in (float("nan"), 5000.0):
        with pytest.raises(Exception, match="between"):
            services.set_target(
                organisation=org, kpi_key="kpi.executive_fluency", target_value=bad, actor=admin
            )
    with pytest.raises(Exception, match="no KPI"):
        services.set_target(organisation=org, kpi_key="kpi.nope", target_value=1, actor=admin)
    assert KpiTarget.objects.get().target_value == 80
    services.reset_target(organisation=org, kpi_key="kpi.executive_fluency", actor=admin)
    assert not selectors.targets_for(org)["kpi.executive_fluency"].own


def test_filters_refuse_bad_values(org, other_org) -> None:
    foreign = cast(OrgUnit, OrgUnitFactory(organisation=other_org))
    cases: tuple[tuple[dict[str, Any], str], ...] = (
        ({"kind": "month", "period": "2026-13"}, "2026-11"),
        ({"kind": "month", "period": "2999-01"}, "not started"),
        ({"unit": str(foreign.pk)}, "no such unit"),
        ({"unit": "abc"}, "no such unit"),
        ({"level": "emperor"}, "not a leader level"),
    )
    for kwargs, message in cases:
        with pytest.raises(Exception, match=message):
            parse(org, **kwargs)


def test_the_dashboard_page_shows_every_kpi_with_its_definition(client_for, org) -> None:
    response = client_for("sponsor").get(reverse("insights:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in (
        "Executive AI Fluency",
        "Employee Confidence in AI Leadership",
        "Time-to-decision on AI initiatives",
        "How it is computed",
    ):
        assert name in body


def test_the_dashboard_page_reads_a_bounded_number_of_queries(
    client_for, org, unit, django_assert_max_num_queries
) -> None:
    cycle = make_cycle(organisation=org)
    for _ in range(30):
        person = _leader(org, unit, "senior")
        record_result(organisation=org, person=person, total=75, cycle=cycle)
    client = client_for("admin")
    # Ten KPIs × six periods, each source a fixed number of queries: no query per leader.
    with django_assert_max_num_queries(120):
        assert client.get(reverse("insights:dashboard")).status_code == 200


def test_a_bad_filter_keeps_the_page_and_says_why(client_for) -> None:
    response = client_for("admin").get(reverse("insights:dashboard") + "?kind=month&period=2026-13")
    assert response.status_code == 400
    assert "write it like 2026-11" in response.content.decode()


def test_exports_are_audited_downloads(client_for, org, unit) -> None:
    record_result(
        organisation=org,
        total=80,
        person=_leader(org, unit, "senior"),
    )
    client = client_for("admin")
    response = client.get(reverse("insights:dashboard") + "?format=xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A2"].value == "Executive AI Fluency"
    assert sheet["B2"].value == 100.0
    pdf = client.get(reverse("insights:dashboard") + "?format=pdf")
    assert pdf.content.startswith(b"%PDF")
    rows = client.get(reverse("insights:kpi", args=["kpi.executive_fluency"]) + "?format=csv")
    assert b"Leader" in rows.content
    assert AuditEvent.objects.filter(action__startswith="insights.").count() == 3


def test_an_unknown_kpi_is_404(client_for) -> None:
    assert client_for("admin").get(reverse("insights:kpi", args=["kpi.nope"])).status_code == 404


def test_the_targets_form_keeps_input_and_says_why(client_for, org) -> None:
    client = client_for("admin")
    response = client.post(
        reverse("insights:targets"),
        {"kpi": "kpi.executive_fluency", "target_value": "lots", "note": "board asked"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "must be a number" in body
    assert "board asked" in body
    assert not KpiTarget.objects.exists()
    ok = client.post(
        reverse("insights:targets"), {"kpi": "kpi.executive_fluency", "target_value": "85"}
    )
    assert ok.status_code == 302
    assert KpiTarget.objects.get().target_value == 85


def test_the_api_answers_the_same_figures(org, unit, members) -> None:
    record_result(
        organisation=org,
        total=80,
        person=_leader(org, unit, "senior"),
    )
    client = api_client_for(members["sponsor"])
    body = client.get("/api/v1/insights/kpis", {"kind": "quarter"}).json()
    assert body["kind"] == "quarter"
    fluency = next(k for k in body["kpis"] if k["key"] == "kpi.executive_fluency")
    assert (fluency["value"], fluency["numerator"], fluency["denominator"]) == (100.0, 1, 1)
    assert len(fluency["history"]) == selectors.HISTORY
    assert fluency["definition"]["source"].startswith("Readiness")
    detail = client.get("/api/v1/insights/kpis/kpi.executive_fluency/detail").json()
    assert detail["rows"][0][3] == 80
    bad = client.get("/api/v1/insights/kpis", {"period": "2026-13"})
    assert bad.status_code == 400
    assert "2026-11" in bad.json()["error"]["message"]
    refused = client.put(
        "/api/v1/insights/targets/kpi.executive_fluency",
        {"target_value": 80},
        content_type="application/json",
    )
    assert refused.status_code == 403
    admin = api_client_for(members["admin"])
    ok = admin.put(
        "/api/v1/insights/targets/kpi.executive_fluency",
        {"target_value": 80},
        content_type="application/json",
    )
    assert ok.json() == {
        "key": "kpi.executive_fluency",
        "target": 80.0,
        "baseline": None,
        "own": True,
        "source": "admin",
        "source_text": "set by admin",
    }


def test_thought_leadership_counts_external_contributions_per_month(org, unit) -> None:
    from bellwether.communications import services as communications
    from bellwether.framework.catalogue import CHANNEL_EXTERNAL

    executive = _leader(org, unit, "executive")
    now = timezone.now()
    for days in (1, 2):
        communications.log_delivery(
            person=executive,
            actor=None,
            delivered_at=now - dt.timedelta(hours=days),
            channel=CHANNEL_EXTERNAL,
            audiences=["audience.customers"],
        )
    month = _this_month()
    figure = _by_key(selectors.dashboard(org, period=month, scope=Scope()))[
        "kpi.thought_leadership"
    ].figure
    # Both deliveries fall in this month unless it began within the last two hours.
    assert figure.numerator in {1, 2}
    assert figure.value == figure.numerator
    quarter = periods.containing(periods.QUARTER, month.start)
    per_quarter = _by_key(selectors.dashboard(org, period=quarter, scope=Scope()))
    assert per_quarter["kpi.thought_leadership"].figure.denominator == 3.0


def test_the_board_pack_pdf_groups_the_kpis_and_shows_each_trend(
    client_for, org, unit, monkeypatch
) -> None:
    record_result(organisation=org, total=80, person=_leader(org, unit, "senior"))
    rendered: dict[str, str] = {}

    def capture(template: str, context: dict, request=None) -> bytes:
        from django.template.loader import render_to_string

        rendered["html"] = render_to_string(template, context, request=request)
        return b"%PDF-1.7 captured"

    monkeypatch.setattr("bellwether.insights.views.core_pdf.render_pdf", capture)
    response = client_for("admin").get(
        reverse("insights:dashboard") + "?kind=month&period=2026-11&format=pdf"
    )
    assert response.content.startswith(b"%PDF")
    html = rendered["html"]
    assert html.index("Primary KPIs") < html.index("Executive AI Fluency")
    assert html.index("Executive AI Fluency") < html.index("Secondary indicators")
    assert "June 2026 to November 2026" in html
    # The fluency figure of record: 1 of 1 leaders at 70+, and its six-period trend.
    assert "1 of 1" in html
    assert html.count('<table class="history">') == 10
