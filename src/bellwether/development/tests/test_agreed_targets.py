"""Agreed success metrics as KPI targets, and the adopted vision other apps show."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.development import selectors, services
from bellwether.development.models import VisionMetric, VisionStatement, Workshop
from bellwether.development.targets import target_number, tracked_value
from bellwether.development.tests import factories
from bellwether.framework.catalogue import kpi
from bellwether.people.models import Person


@pytest.mark.parametrize(
    ("text", "lower_is_better", "value"),
    [
        ("80% by year end", False, 80.0),
        ("by 2027 reach 85%", False, 85.0),
        ("1.5 per month", False, 1.5),
        ("50% reduction", True, -50.0),
        ("50% reduction", False, 50.0),
        ("-40%", True, -40.0),
        ("+20%", True, 20.0),
        ("1,000", False, 1000.0),
        ("8000", False, None),
        ("most leaders", False, None),
    ],
)
def test_the_tracked_number_is_read_from_the_agreed_words(
    text: str, lower_is_better: bool, value: float | None
) -> None:
    assert target_number(text, lower_is_better=lower_is_better) == value


def test_time_to_decision_reads_a_reduction_as_negative() -> None:
    assert tracked_value("50% reduction", kpi("kpi.time_to_decision")) == -50.0
    assert tracked_value("200% increase", kpi("kpi.cross_functional_collaboration")) == 200.0


def _held(org: Organisation, session: str, days_ago: int, person: Person) -> Workshop:
    return factories.workshop(org, [person.pk], session=session, days_ago=days_ago, held=True)


@pytest.mark.django_db
def test_a_metric_needs_a_kpi_and_a_number(org: Organisation, leader_person: Person) -> None:
    workshop = _held(org, "vision.reality_and_opportunity", 3, leader_person)
    with pytest.raises(DomainError, match="Choose a KPI of the framework"):
        services.add_metric(
            workshop=workshop, actor=None, kpi_key="kpi.nope", target="80%", due=None
        )
    with pytest.raises(DomainError, match="with a number in % of leaders") as refused:
        services.add_metric(
            workshop=workshop,
            actor=None,
            kpi_key="kpi.executive_fluency",
            target="most leaders, soon",
            due=None,
        )
    assert refused.value.field_errors == {"target": [str(refused.value)]}
    assert not VisionMetric.objects.exists()


@pytest.mark.django_db
def test_the_latest_metric_of_a_held_workshop_is_the_agreed_target(
    org: Organisation, other_org: Organisation, leader_person: Person, django_assert_num_queries
) -> None:
    first = _held(org, "vision.reality_and_opportunity", 30, leader_person)
    second = _held(org, "vision.vision_and_strategy", 10, leader_person)
    upcoming = factories.workshop(org, [leader_person.pk], days_ago=-5)
    for workshop, words in ((second, "85% by Q4"), (first, "70%"), (upcoming, "99%")):
        services.add_metric(
            workshop=workshop,
            actor=None,
            kpi_key="kpi.executive_fluency",
            target=words,
            due=None,
        )
    services.add_metric(
        workshop=first,
        actor=None,
        kpi_key="kpi.time_to_decision",
        target="halve it: 50% reduction",
        due=None,
    )
    with django_assert_num_queries(1):
        agreed = selectors.agreed_metric_targets(org)
    assert set(agreed) == {"kpi.executive_fluency", "kpi.time_to_decision"}
    fluency = agreed["kpi.executive_fluency"]
    # The session held last wins; a workshop not yet held does not count.
    assert (fluency.value, fluency.text, fluency.workshop_id) == (85.0, "85% by Q4", second.pk)
    assert fluency.workshop_name == "AI Vision and Strategy Development"
    assert fluency.agreed_on == second.starts_at.astimezone(ZoneInfo(org.time_zone or "UTC")).date()
    assert agreed["kpi.time_to_decision"].value == -50.0
    assert selectors.agreed_metric_targets(other_org) == {}


@pytest.mark.django_db
def test_the_vision_is_the_version_adopted_last(
    org: Organisation, leader_person: Person, django_assert_num_queries
) -> None:
    assert selectors.adopted_vision(org) is None
    workshop = _held(org, "vision.vision_and_strategy", 3, leader_person)
    older = services.propose_vision(organisation=org, actor=None, text="One", workshop=workshop)
    newer = services.propose_vision(organisation=org, actor=None, text="Two", workshop=workshop)
    services.adopt_vision(statement=newer, actor=None)
    services.adopt_vision(statement=older, actor=None)
    VisionStatement.objects.filter(pk=newer.pk).update(
        adopted_at=timezone.now() - datetime.timedelta(days=1)
    )
    with django_assert_num_queries(1):
        vision = selectors.adopted_vision(org)
        assert vision is not None
        assert (vision.text, vision.workshop) == ("One", workshop)
