"""The package's forms on the initiative page: change impacts, decision rights, RACI, the
before/after view, metric edits, adoption weeks, CSV import and the decision log. Each
saves through its service; bad input shows a clear error and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.core.models import AuditEvent
from bellwether.initiatives import services
from bellwether.initiatives.models import (
    AdoptionSample,
    ChangeImpact,
    DecisionLogEntry,
    DecisionRight,
    Initiative,
    Measurement,
    Metric,
)
from bellwether.initiatives.tests.factories import (
    add_impact,
    add_reply_right,
    adoption_weeks,
    make_scale_ready,
)

pytestmark = pytest.mark.django_db


def _url(name: str, initiative: Initiative, **kwargs: int) -> str:
    return reverse(f"initiatives:{name}", kwargs={"pk": initiative.pk, **kwargs})


def _snapshot(initiative: Initiative) -> tuple:
    initiative.refresh_from_db()
    return (
        initiative.raci,
        initiative.before_after,
        list(ChangeImpact.objects.values_list("impact_type", "affected_group", "status")),
        list(DecisionRight.objects.values_list("decision", "mode", "accountable")),
        list(Metric.objects.values_list("name", "target", "baseline_value", "comparison")),
        list(AdoptionSample.objects.values_list("cohort", "week", "accepted")),
        Measurement.objects.count(),
    )


def test_the_initiative_page_links_to_every_form(client_for, initiative, executive) -> None:
    make_scale_ready(initiative, executive)
    impact = add_impact(initiative, executive)
    right = add_reply_right(initiative)
    metric = initiative.metrics.first()
    html = client_for("sponsor").get(_url("detail", initiative)).content.decode()
    for url in (
        _url("edit", initiative),
        _url("chain", initiative),
        _url("metric_new", initiative),
        _url("metric_edit", initiative, metric_pk=metric.pk),
        _url("impact_new", initiative),
        _url("impact_edit", initiative, impact_pk=impact.pk),
        _url("right_new", initiative),
        _url("right_edit", initiative, right_pk=right.pk),
        _url("raci", initiative),
        _url("before_after", initiative),
        _url("adoption", initiative),
        _url("measurements", initiative),
    ):
        assert f'href="{url}' in html or f'action="{url}' in html, url


def test_a_viewer_sees_no_form_links(client_for, initiative, members) -> None:
    services.update_initiative(
        initiative=initiative,
        actor=None,
        changes={"operational_owner": members["leader"].person},
    )
    html = client_for("leader").get(_url("detail", initiative)).content.decode()
    assert _url("impact_new", initiative) not in html
    assert _url("raci", initiative) not in html
    assert _url("adoption", initiative) not in html


def test_the_sponsor_registers_edits_and_closes_a_change_impact(
    client_for, initiative, executive
) -> None:
    client = client_for("sponsor")
    response = client.post(
        _url("impact_new", initiative),
        {
            "impact_type": "impact.workload_redistribution",
            "affected_group": "Tier-1 agents",
            "owner": executive.email,
            "mitigation": "Rebalance queues",
            "status": "open",
        },
    )
    assert response.status_code == 302
    impact = ChangeImpact.objects.get()
    assert (impact.affected_group, impact.owner_id) == ("Tier-1 agents", executive.pk)
    response = client.post(
        _url("impact_edit", initiative, impact_pk=impact.pk),
        {
            "impact_type": "impact.workload_redistribution",
            "affected_group": "Tier-1 agents",
            "owner": executive.email,
            "mitigation": "Queues rebalanced",
            "status": "mitigated",
        },
    )
    assert response.status_code == 302
    impact.refresh_from_db()
    assert (impact.status, impact.mitigation) == ("mitigated", "Queues rebalanced")
    assert AuditEvent.objects.filter(action="initiative.change_impact_updated").exists()
    html = client.get(_url("detail", initiative)).content.decode()
    assert "Mitigated" in html


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"impact_type": "impact.nope", "affected_group": "A", "status": "open"}, "impact_type"),
        ({"impact_type": "impact.decision_rights", "affected_group": "", "status": "open"}, None),
        ({"impact_type": "impact.decision_rights", "affected_group": "A", "status": "x"}, None),
        (
            {
                "impact_type": "impact.decision_rights",
                "affected_group": "A",
                "status": "open",
                "owner": "nobody@nowhere.example",
            },
            None,
        ),
    ],
)
def test_a_bad_change_impact_is_refused_and_changes_nothing(
    client_for, initiative, data, field_error
) -> None:
    before = _snapshot(initiative)
    response = client_for("sponsor").post(_url("impact_new", initiative), data)
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert _snapshot(initiative) == before


def test_an_impact_of_another_initiative_is_not_found(client_for, org, initiative, executive):
    other = services.create_initiative(
        organisation=org, actor=None, name="Other", archetype="archetype.other", sponsor=executive
    )
    impact = add_impact(other, executive)
    response = client_for("sponsor").get(_url("impact_edit", initiative, impact_pk=impact.pk))
    assert response.status_code == 404


def test_the_sponsor_registers_and_edits_a_decision_right(client_for, initiative) -> None:
    client = client_for("sponsor")
    data = {
        "decision": "Set a credit limit",
        "decided_by_before": "Underwriter",
        "decided_by_after": "Underwriter with ML",
        "mode": "advisory",
        "accountable": "Head of Underwriting",
        "override_handling": "Logged with a reason",
    }
    assert client.post(_url("right_new", initiative), data).status_code == 302
    right = DecisionRight.objects.get()
    assert (
        client.post(
            _url("right_edit", initiative, right_pk=right.pk), data | {"mode": "binding"}
        ).status_code
        == 302
    )
    right.refresh_from_db()
    assert right.mode == "binding"
    before = _snapshot(initiative)
    response = client.post(
        _url("right_edit", initiative, right_pk=right.pk), data | {"accountable": "  "}
    )
    assert response.status_code == 400
    assert "Say who is accountable" in response.content.decode() or "required" in (
        response.content.decode()
    )
    assert _snapshot(initiative) == before


def test_the_raci_form_saves_every_activity(client_for, initiative) -> None:
    client = client_for("sponsor")
    data = {
        f"{activity}__{role}": f"{activity}-{role}"
        for activity in ("monitoring", "incidents", "retraining", "change_approval")
        for role in ("responsible", "accountable", "consulted", "informed")
    }
    assert client.post(_url("raci", initiative), data).status_code == 302
    initiative.refresh_from_db()
    assert initiative.raci["change_approval"]["accountable"] == "change_approval-accountable"
    page = client.get(_url("raci", initiative)).content.decode()
    assert 'value="retraining-informed"' in page
    before = _snapshot(initiative)
    response = client.post(_url("raci", initiative), data | {"incidents__responsible": "x" * 201})
    assert response.status_code == 400
    assert _snapshot(initiative) == before


def test_the_before_after_view_is_saved_and_shown(client_for, initiative) -> None:
    client = client_for("sponsor")
    response = client.post(
        _url("before_after", initiative),
        {
            "before_after_decision_flow__before": "Agents answer alone",
            "before_after_decision_flow__after": "Agents edit AI drafts",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative.refresh_from_db()
    assert initiative.before_after == {
        "before_after.decision_flow": {
            "before": "Agents answer alone",
            "after": "Agents edit AI drafts",
        }
    }
    assert "Agents edit AI drafts" in client.get(_url("detail", initiative)).content.decode()


def test_the_sponsor_edits_a_metric_and_bad_input_changes_nothing(
    client_for, initiative, executive
) -> None:
    make_scale_ready(initiative, executive)
    metric = initiative.metrics.get(name="Handling time")
    client = client_for("sponsor")
    page = client.get(_url("metric_edit", initiative, metric_pk=metric.pk)).content.decode()
    assert 'value="Handling time"' in page
    data = {
        "name": "Handling time",
        "layer": "layer.operational",
        "unit": "min",
        "direction": "decrease",
        "target": "8",
        "baseline_value": "12",
        "baseline_period": "Q4 2025",
        "baseline_source": "Zendesk",
        "comparison": "comparison.matched_cohorts",
        "guardrail": "",
    }
    response = client.post(_url("metric_edit", initiative, metric_pk=metric.pk), data)
    assert response.status_code == 302
    metric.refresh_from_db()
    assert (metric.target, metric.baseline_source, metric.comparison) == (
        8.0,
        "Zendesk",
        "comparison.matched_cohorts",
    )
    before = _snapshot(initiative)
    for bad in (
        {"target": "eight"},
        {"baseline_period": ""},  # a baseline needs its period
        {"name": "Cost to serve"},  # the name of another metric
        {"layer": "layer.nope"},
    ):
        response = client.post(_url("metric_edit", initiative, metric_pk=metric.pk), data | bad)
        assert response.status_code == 400, bad
        assert 'class="field-error"' in response.content.decode(), bad
        assert _snapshot(initiative) == before


def test_a_metric_of_another_initiative_is_not_found(client_for, org, initiative, executive):
    other = services.create_initiative(
        organisation=org, actor=None, name="Other", archetype="archetype.other", sponsor=executive
    )
    metric = services.add_metric(
        initiative=other, actor=None, name="M", layer="layer.operational", direction="increase"
    )
    url = _url("metric_edit", initiative, metric_pk=metric.pk)
    assert client_for("sponsor").get(url).status_code == 404


def test_adoption_weeks_are_entered_and_replaced(client_for, initiative) -> None:
    client = client_for("sponsor")
    data = {
        "cohort": "majority",
        "week": "3",
        "active_users": "40",
        "suggestions": "100",
        "accepted": "50",
        "overridden": "20",
    }
    assert client.post(_url("adoption", initiative), data).status_code == 302
    assert client.post(_url("adoption", initiative), data | {"accepted": "60"}).status_code == 302
    assert list(AdoptionSample.objects.values_list("week", "accepted")) == [(3, 60)]
    before = _snapshot(initiative)
    for bad in ({"accepted": "90"}, {"week": "0"}, {"cohort": "laggards"}, {"suggestions": "-1"}):
        response = client.post(_url("adoption", initiative), data | bad)
        assert response.status_code == 400, bad
        assert _snapshot(initiative) == before


def test_the_adoption_chart_data_and_the_majority_wall(client_for, initiative) -> None:
    services.record_adoption(
        initiative=initiative, actor=None, samples=adoption_weeks([80] * 8, [40] * 8)
    )
    response = client_for("sponsor").get(_url("detail", initiative))
    html = response.content.decode()
    assert 'id="adoption-chart"' in html
    assert 'id="majority-wall"' in html
    assert "not a verdict on the technology" in html
    chart = response.context["adoption_chart"]
    assert chart["weeks"] == list(range(1, 9))
    assert chart["wall_weeks"] == [5, 6, 7, 8]
    majority = next(c for c in chart["cohorts"] if c["key"] == "majority")
    assert majority["acceptance"] == [40.0] * 8


def test_csv_import_is_idempotent_and_reports_line_numbers(
    client_for, initiative, executive
) -> None:
    make_scale_ready(initiative, executive)
    client = client_for("sponsor")
    good = (
        b"metric,measured_at,value\n"
        b"Handling time,2026-01-05T09:00:00Z,11.5\n"
        b"Cost to serve,2026-01-05T09:00:00Z,4.0\n"
    )

    def upload(content: bytes) -> str:
        response = client.post(
            _url("measurements", initiative),
            {"file": SimpleUploadedFile("m.csv", content, content_type="text/csv")},
            follow=True,
        )
        return response.content.decode()

    assert "2 new, 0 corrected, 0 already recorded" in upload(good)
    assert "0 new, 0 corrected, 2 already recorded" in upload(good)
    assert Measurement.objects.count() == 2
    html = upload(good + b"Nope,2026-01-06T09:00:00Z,1\nHandling time,yesterday,x\n")
    assert "nothing was imported" in html
    assert "line 4" in html
    assert "line 5" in html
    assert Measurement.objects.count() == 2


def test_the_decision_log_filters_paginates_and_records(
    client_for, org, initiative, executive
) -> None:
    t0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for n in range(30):
        entry = services.request_decision(
            organisation=org,
            actor=None,
            title=f"Decision {n:02d}",
            initiative=initiative if n % 2 else None,
            requested_at=t0 + datetime.timedelta(days=n),
        )
        if n < 10:
            services.record_decision(
                entry=entry, actor=None, decided_by=executive, outcome=f"Agreed {n}"
            )
    client = client_for("sponsor")
    url = reverse("initiatives:decisions")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 30
    assert len(page.context["page"].object_list) == 25
    assert "Decision 29" in page.content.decode()
    assert "Decision 04" in client.get(url, {"page": 2}).content.decode()
    decided = client.get(url, {"status": "decided"}).context["page"]
    assert decided.paginator.count == 10
    waiting = client.get(url, {"status": "open", "initiative": initiative.pk}).context["page"]
    assert waiting.paginator.count == 10
    assert client.get(url, {"q": "Agreed 3"}).context["page"].paginator.count == 1
    # A nonsense filter is ignored, not an error.
    assert client.get(url, {"status": "maybe", "page": "x"}).status_code == 200
    # Log a request, then record its decision.
    assert client.post(url, {"title": "Fund the pilot"}).status_code == 302
    entry = DecisionLogEntry.objects.get(title="Fund the pilot")
    assert client.post(url, {"title": ""}).status_code == 400
    decide = reverse("initiatives:decision", kwargs={"decision_pk": entry.pk})
    response = client.post(decide, {"outcome": "", "decided_by": executive.email})
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.decided_at is None
    response = client.post(decide, {"outcome": "Funded", "decided_by": executive.email})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.outcome, entry.decided_by_id) == ("Funded", executive.pk)


def test_the_decision_log_takes_a_fixed_number_of_queries(
    client_for, org, initiative, executive, django_assert_max_num_queries
) -> None:
    client = client_for("admin")
    url = reverse("initiatives:decisions")

    def log(n: int) -> None:
        for k in range(n):
            entry = services.request_decision(
                organisation=org, actor=None, title=f"D{k}", initiative=initiative
            )
            services.record_decision(entry=entry, actor=None, decided_by=executive, outcome="Y")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"status": "decided"}).status_code == 200
        return len(ctx.captured_queries)

    log(1)
    count()  # the first request of a session does extra work once
    one = count()
    log(40)
    assert count() == one
    with django_assert_max_num_queries(14):
        client.get(url)
