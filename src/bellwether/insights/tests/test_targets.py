"""Where each KPI target comes from (admin > agreed at a workshop > framework), and the
adopted vision on the home pages and the KPI dashboard."""

from __future__ import annotations

from typing import cast

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bellwether.assessments.tests.factories import make_cycle, record_result
from bellwether.development import services as development
from bellwether.development.models import Workshop
from bellwether.development.tests import factories
from bellwether.insights import periods, selectors, services
from bellwether.insights.sources import Scope
from bellwether.insights.vision import vision_for
from bellwether.people.models import Person
from bellwether.testing.factories import PersonFactory, api_client_for

pytestmark = pytest.mark.django_db

FLUENCY = "kpi.executive_fluency"


def _held_workshop(org, person: Person) -> Workshop:
    return factories.workshop(
        org, [person.pk], session="vision.vision_and_strategy", days_ago=7, hours=7, held=True
    )


def _agree(org, person: Person, words: str, key: str = FLUENCY) -> Workshop:
    workshop = _held_workshop(org, person)
    development.add_metric(workshop=workshop, actor=None, kpi_key=key, target=words, due=None)
    return workshop


def test_admin_beats_agreed_beats_framework(org, members, leader_person) -> None:
    admin = members["admin"].user
    default = selectors.targets_for(org)[FLUENCY]
    assert (default.value, default.source, default.source_text) == (
        90,
        "framework",
        "framework default",
    )
    workshop = _agree(org, leader_person, "75% by year end")
    agreed = selectors.targets_for(org)[FLUENCY]
    day = timezone.localtime(workshop.starts_at).date()
    assert (agreed.value, agreed.source, agreed.own, agreed.workshop_id) == (
        75,
        "workshop",
        False,
        workshop.pk,
    )
    assert agreed.source_text == (
        f"agreed at AI Vision and Strategy Development on {day.day} {day:%b %Y}"
    )
    assert "75% by year end" in agreed.text
    services.set_target(organisation=org, kpi_key=FLUENCY, target_value=60, actor=admin)
    own = selectors.targets_for(org)[FLUENCY]
    assert (own.value, own.source, own.source_text, own.own) == (60, "admin", "set by admin", True)
    # Removing the admin's target falls back to the agreed one, not the framework's.
    services.reset_target(organisation=org, kpi_key=FLUENCY, actor=admin)
    assert selectors.targets_for(org)[FLUENCY].source == "workshop"
    # Other KPIs keep the framework's.
    assert selectors.targets_for(org)["kpi.employee_confidence"].source == "framework"


def test_a_metric_of_a_workshop_not_yet_held_is_not_a_target(org, leader_person) -> None:
    workshop = factories.workshop(org, [leader_person.pk], days_ago=-7)
    development.add_metric(workshop=workshop, actor=None, kpi_key=FLUENCY, target="50%", due=None)
    assert selectors.targets_for(org)[FLUENCY].source == "framework"


def test_the_dashboard_status_uses_the_agreed_target(org, unit, leader_person) -> None:
    cycle = make_cycle(organisation=org)
    for total in (85, 80, 40):
        person = cast(Person, PersonFactory(organisation=org, org_unit=unit, leader_level="senior"))
        record_result(organisation=org, person=person, total=total, cycle=cycle)
    period = periods.containing(periods.MONTH, timezone.localdate())

    def fluency():
        rows = selectors.dashboard(org, period=period, scope=Scope(), history=1)
        return next(m for m in rows if m.key == FLUENCY)

    before = fluency()
    assert (before.figure.value, before.status, before.target_value) == (66.7, "behind", 90)
    _agree(org, leader_person, "60% of leaders by year end")
    after = fluency()
    assert (after.status, after.target_value) == ("met", 60)
    assert after.target_source.startswith("agreed at AI Vision and Strategy Development on ")


def test_the_pages_and_the_api_say_where_each_target_comes_from(
    org, members, leader_person, client_for
) -> None:
    workshop = _agree(org, leader_person, "70%")
    services.set_target(
        organisation=org,
        kpi_key="kpi.employee_confidence",
        target_value=65,
        actor=members["admin"].user,
    )
    page = client_for("admin").get(reverse("insights:targets")).content.decode()
    assert "Source: agreed at AI Vision and Strategy Development on" in page
    assert reverse("development:workshop", args=[workshop.pk]) in page
    assert "Source: set by admin" in page
    assert "Source: framework default" in page
    dashboard = client_for("sponsor").get(reverse("insights:dashboard")).content.decode()
    assert "(agreed at AI Vision and Strategy Development on" in dashboard
    assert "(set by admin)" in dashboard
    assert "(framework default)" in dashboard
    detail = client_for("sponsor").get(reverse("insights:kpi", args=[FLUENCY])).content.decode()
    assert "70 % of leaders (agreed: 70%)" in detail
    assert "(agreed at AI Vision and Strategy Development on" in detail
    rows = api_client_for(members["sponsor"]).get("/api/v1/insights/targets").json()
    by_key = {r["key"]: r for r in rows}
    assert by_key[FLUENCY]["source"] == "workshop"
    assert by_key[FLUENCY]["target"] == 70
    assert by_key[FLUENCY]["source_text"].startswith("agreed at AI Vision and Strategy")
    assert (
        by_key["kpi.employee_confidence"]["source"],
        by_key["kpi.employee_confidence"]["own"],
    ) == (
        "admin",
        True,
    )
    assert by_key["kpi.thought_leadership"]["source_text"] == "framework default"
    kpis = api_client_for(members["sponsor"]).get("/api/v1/insights/kpis").json()["kpis"]
    assert next(k for k in kpis if k["key"] == FLUENCY)["target_source"].startswith("agreed at")


def _adopt(org, person: Person, text: str) -> Workshop:
    workshop = _held_workshop(org, person)
    statement = development.propose_vision(
        organisation=org, actor=None, text=text, workshop=workshop
    )
    development.adopt_vision(statement=statement, actor=None)
    return workshop


VISION = "Every leader uses AI to decide faster by 2028."


def test_every_role_sees_the_adopted_vision_on_its_home(
    org, members, leader_person, client_for
) -> None:
    workshop = _adopt(org, leader_person, VISION)
    link = reverse("development:workshop", args=[workshop.pk])
    for role in ("admin", "sponsor", "leader", "coach", "reviewer"):
        page = client_for(role).get(reverse("core:home")).content.decode()
        assert VISION in page, role
        assert "Our AI vision" in page
        # The workshop is linked for those who may open the workshops.
        assert (link in page) == (role in {"admin", "sponsor", "leader"}), role
    outsider = client_for("outsider").get(reverse("core:home")).content.decode()
    assert VISION not in outsider


def test_without_an_adopted_vision_only_admins_are_told(org, members, client_for) -> None:
    admin = client_for("admin").get(reverse("core:home")).content.decode()
    assert "No vision has been adopted yet" in admin
    assert reverse("development:workshops") in admin
    for role in ("sponsor", "leader", "coach"):
        page = client_for(role).get(reverse("core:home")).content.decode()
        assert "Our AI vision" not in page, role
    sponsor_dashboard = client_for("sponsor").get(reverse("insights:dashboard")).content.decode()
    assert "Our AI vision" not in sponsor_dashboard
    admin_dashboard = client_for("admin").get(reverse("insights:dashboard")).content.decode()
    assert "No vision has been adopted yet" in admin_dashboard


def test_the_dashboard_its_kpis_and_the_pdf_show_the_vision(
    org, members, leader_person, client_for
) -> None:
    _adopt(org, leader_person, VISION)
    sponsor = client_for("sponsor")
    assert VISION in sponsor.get(reverse("insights:dashboard")).content.decode()
    assert VISION in sponsor.get(reverse("insights:kpi", args=[FLUENCY])).content.decode()
    html = render_to_string(
        "insights/dashboard_pdf.html",
        {
            "rows": [],
            "filters": None,
            "organisation": org,
            "vision": vision_for(members["sponsor"]),
        },
    )
    assert VISION in html
    assert "AI Vision and Strategy Development" in html
    pdf = client_for("admin").get(reverse("insights:dashboard") + "?format=pdf")
    assert pdf.content.startswith(b"%PDF")
