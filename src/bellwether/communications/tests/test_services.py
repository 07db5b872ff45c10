"""Plans and the delivery log: generated from the catalogue, edited, and bad input
refused with a clear message and nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bellwether.communications import selectors, services
from bellwether.communications.models import CommunicationPlan, Delivery
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.framework.catalogue import CATALOGUE

DAILY = "cadence.operational.experimentation"
WEEKLY = "cadence.operational.tool_usage"


def _log(person, **overrides):
    values = {
        "person": person,
        "actor": None,
        "delivered_at": timezone.now() - dt.timedelta(hours=1),
        "channel": "channel.team_meeting",
        "audiences": ["audience.employees"],
        "messages": ["message.imperative"],
        "cadence_key": WEEKLY,
    }
    values.update(overrides)
    return services.log_delivery(**values)


def test_generated_plan_follows_template_2_and_the_level(coachee) -> None:
    plan = services.generate_plan(person=coachee, actor=None)
    template = CATALOGUE.communication_plan
    assert set(plan.supporting) == {f.key for f in template.supporting_messages}
    assert plan.audiences["audience.investors"] == "Highlight ROI and competitive advantage"
    assert set(plan.calendar) == {
        "calendar.week_1",
        "calendar.week_2",
        "calendar.monthly",
        "calendar.quarterly",
    }
    assert plan.cadence_keys == [c.key for c in selectors.cadences_for("operational")]
    assert AuditEvent.objects.filter(action="communications.plan_generated").count() == 1


def test_regenerating_keeps_the_leaders_words(coachee) -> None:
    plan = services.generate_plan(person=coachee, actor=None)
    services.update_plan(
        plan=plan,
        actor=None,
        objective="Make AI normal",
        primary_message="We learn together",
        supporting={"supporting_message.necessity": "Our customers expect it"},
        audiences={"audience.employees": "Show the time saved"},
        channels=["channel.chat"],
    )
    again = services.generate_plan(person=coachee, actor=None)
    assert again.objective == "Make AI normal"
    assert again.supporting["supporting_message.necessity"] == "Our customers expect it"
    assert again.audiences == {"audience.employees": "Show the time saved"}
    assert again.revision == 3


def test_a_person_who_is_not_a_leader_gets_no_plan(bystander) -> None:
    with pytest.raises(DomainError, match="not a leader"):
        services.generate_plan(person=bystander, actor=None)
    assert not CommunicationPlan.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("audiences", {"audience.martians": "x"}, "Unknown audience"),
        ("channels", ["channel.carrier_pigeon"], "Unknown channel"),
        ("supporting", {"supporting_message.nope": "x"}, "Unknown supporting message"),
        ("audiences", {}, "at least one audience"),
    ],
)
def test_plan_edits_with_unknown_keys_save_nothing(coachee, field, value, message) -> None:
    plan = services.generate_plan(person=coachee, actor=None)
    values = {
        "objective": "changed",
        "primary_message": "changed",
        "supporting": {},
        "audiences": {"audience.employees": ""},
        "channels": [],
        field: value,
    }
    with pytest.raises(DomainError, match=message):
        services.update_plan(plan=plan, actor=None, **values)
    plan.refresh_from_db()
    assert plan.objective != "changed"
    assert plan.revision == 1


def test_a_delivery_fulfils_the_slot_of_its_day_in_the_organisations_zone(coachee) -> None:
    org = coachee.organisation
    org.time_zone = "Asia/Tokyo"
    org.save()
    # Sunday 23:30 UTC is Monday 08:30 in Tokyo: the new week's slot.
    moment = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    delivery = _log(coachee, delivered_at=moment)
    assert delivery.delivered_on == dt.date(2026, 3, 2)
    assert delivery.slot_start == dt.date(2026, 3, 2)
    assert delivery.messages == ["message.imperative"]


def test_a_naive_time_is_read_in_the_organisations_zone(coachee) -> None:
    org = coachee.organisation
    org.time_zone = "America/New_York"
    org.save()
    delivery = _log(coachee, delivered_at=dt.datetime(2026, 3, 6, 21, 0))
    assert delivery.delivered_at == dt.datetime(2026, 3, 7, 2, 0, tzinfo=dt.UTC)
    assert delivery.delivered_on == dt.date(2026, 3, 6)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"delivered_at": timezone.now() + dt.timedelta(hours=2)}, "cannot be in the future"),
        ({"channel": "channel.smoke_signals"}, "Unknown channel"),
        ({"audiences": ["audience.aliens"]}, "Unknown audience"),
        ({"audiences": []}, "Choose the audience"),
        ({"messages": ["message.nope"]}, "Unknown core message"),
        ({"cadence_key": "cadence.executive.vision_address"}, "not one of this leader"),
        ({"link": "javascript:alert(1)"}, "https://"),
        ({"title": "x" * 201}, "too long"),
    ],
)
def test_bad_deliveries_are_refused_and_save_nothing(coachee, overrides, message) -> None:
    with pytest.raises(DomainError, match=message):
        _log(coachee, **overrides)
    assert not Delivery.objects.exists()
    assert not AuditEvent.objects.filter(action="communications.delivery_logged").exists()


def test_an_extra_delivery_fulfils_no_slot(coachee) -> None:
    delivery = _log(coachee, cadence_key="")
    assert delivery.slot_start is None


def test_one_tap_logs_the_current_slot_once(coachee) -> None:
    services.generate_plan(person=coachee, actor=None)
    first = services.tap_delivered(person=coachee, actor=None, cadence_key=WEEKLY)
    second = services.tap_delivered(person=coachee, actor=None, cadence_key=WEEKLY)
    assert first.pk == second.pk
    assert first.channel == "channel.all_hands"  # the plan's first channel
    assert first.audiences == ["audience.employees"]
    assert Delivery.objects.count() == 1


def test_one_tap_is_only_for_daily_and_weekly(leader_person) -> None:
    with pytest.raises(DomainError, match="daily and weekly"):
        services.tap_delivered(
            person=leader_person, actor=None, cadence_key="cadence.senior.collaboration_report"
        )
    assert not Delivery.objects.exists()


def test_rhythm_for_counts_delivered_and_expected_slots(coachee, leader_person, bystander) -> None:
    # Coachee (operational): weekly and daily; deliver the weekly slot of 2 March.
    _log(coachee, delivered_at=dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC))
    _log(coachee, delivered_at=dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC))  # same week
    result = selectors.rhythm_for(
        organisation=coachee.organisation,
        person_ids=[coachee.pk, leader_person.pk, bystander.pk],
        start=dt.date(2026, 3, 2),
        end=dt.date(2026, 3, 13),
    )
    # Two weeks (1 delivered) and ten working days (none delivered).
    assert result[coachee.pk] == (1, 12)
    # Senior: one fortnight due in range? Fortnights anchored 2024-01-01 end on Sundays.
    assert result[leader_person.pk][0] == 0
    assert bystander.pk not in result


def test_effectiveness_share_is_none_without_ratings(org) -> None:
    assert (
        selectors.effectiveness_share(
            organisation=org, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
        )
        is None
    )


def test_a_second_delivery_for_the_same_slot_is_logged_but_counted_once(coachee) -> None:
    first = _log(coachee, delivered_at=dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC))
    second = _log(coachee, delivered_at=dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC))
    assert (first.fulfils, second.fulfils) == (True, False)
    assert first.slot_start == second.slot_start
    assert Delivery.objects.count() == 2
