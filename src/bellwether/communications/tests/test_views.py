"""The pages: my communications with one tap, the delivery form, the plan editor, the
calendars and the rhythm view with its exports."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from bellwether.communications import services
from bellwether.communications.models import CommunicationPlan, Delivery
from bellwether.core.models import AuditEvent
from bellwether.testing.factories import PersonFactory, api_client_for

SENIOR_FORTNIGHT = "cadence.senior.integration_update"


def _past(hours: int = 2) -> str:
    return (timezone.localtime() - dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_my_communications_shows_the_rhythm_and_the_plan(client_for, leader_person) -> None:
    services.generate_plan(person=leader_person, actor=None)
    response = client_for("leader").get(reverse("communications:home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "My communications" in text
    assert "Bi-weekly department AI integration updates" in text
    assert "Focus on empowerment and opportunity" in text


def test_a_leader_logs_a_delivery_with_the_form(client_for, leader_person) -> None:
    url = reverse("communications:log", args=[leader_person.pk])
    response = client_for("leader").post(
        url,
        {
            "delivered_at": _past(),
            "cadence_key": SENIOR_FORTNIGHT,
            "channel": "channel.all_hands",
            "audiences": ["audience.employees", "audience.partners"],
            "messages": ["message.future"],
            "title": "Q1 AI update",
            "link": "https://intranet.example.com/q1",
        },
    )
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.audiences == ["audience.employees", "audience.partners"]
    assert delivery.link == "https://intranet.example.com/q1"
    assert delivery.logged_by_label == "leader@acme.test"
    page = client_for("leader").get(reverse("communications:leader", args=[leader_person.pk]))
    assert "Q1 AI update" in page.content.decode()


def test_a_future_delivery_is_refused_on_the_page_and_kept_in_the_form(
    client_for, leader_person
) -> None:
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client_for("leader").post(
        reverse("communications:log", args=[leader_person.pk]),
        {
            "delivered_at": future,
            "channel": "channel.email",
            "audiences": ["audience.employees"],
            "title": "Kept",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "cannot be in the future" in text
    assert 'value="Kept"' in text
    assert not Delivery.objects.exists()


def test_unknown_channel_on_the_page_saves_nothing(client_for, leader_person) -> None:
    response = client_for("admin").post(
        reverse("communications:log", args=[leader_person.pk]),
        {"delivered_at": _past(), "channel": "channel.fax", "audiences": ["audience.employees"]},
    )
    assert response.status_code == 400
    assert "Unknown channel" in response.content.decode()
    assert not Delivery.objects.exists()


def test_one_tap_from_my_communications(client_for, members, org, unit):
    operational = PersonFactory(
        organisation=org, org_unit=unit, leader_level="operational", name="Opal Ops"
    )
    membership = members["leader"]
    membership.person = operational
    membership.save()
    client = client_for("leader")
    response = client.post(
        reverse("communications:tap", args=[operational.pk]),
        {"cadence_key": "cadence.operational.tool_usage", "next": reverse("communications:home")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("communications:home")
    delivery = Delivery.objects.get()
    assert delivery.cadence_key == "cadence.operational.tool_usage"
    assert delivery.slot_start == delivery.delivered_on - dt.timedelta(
        days=delivery.delivered_on.weekday()
    )


def test_the_plan_editor_saves_and_refuses_unknown_audiences(client_for, leader_person) -> None:
    client = client_for("leader")
    url = reverse("communications:edit", args=[leader_person.pk])
    assert client.get(url).status_code == 200  # makes the plan from the cadences
    bad = client.post(url, {"objective": "X", "audiences": ["audience.robots"]})
    assert bad.status_code == 400
    assert CommunicationPlan.objects.get().objective != "X"
    good = client.post(
        url,
        {
            "objective": "Make AI everyday work",
            "primary_message": "AI gives us time back",
            "supporting_message.security": "Our data stays ours",
            "audiences": ["audience.employees"],
            "focus:audience.employees": "Show the hours saved",
            "channels": ["channel.chat", "channel.video"],
            "calendar:calendar.monthly": "Monthly AI demo\n\nAsk-me-anything",
        },
    )
    assert good.status_code == 302
    plan = CommunicationPlan.objects.get()
    assert plan.supporting["supporting_message.security"] == "Our data stays ours"
    assert plan.audiences == {"audience.employees": "Show the hours saved"}
    assert plan.channels == ["channel.chat", "channel.video"]
    assert plan.calendar["calendar.monthly"] == ["Monthly AI demo", "Ask-me-anything"]


def test_leader_calendar_month_and_agenda(client_for, leader_person) -> None:
    url = reverse("communications:calendar", args=[leader_person.pk])
    month = client_for("sponsor").get(url, {"month": "2026-03"})
    assert month.status_code == 200
    assert "March 2026" in month.content.decode()
    assert "chip-overdue" in month.content.decode()  # nothing delivered in a past month
    agenda = client_for("sponsor").get(url, {"month": "2026-03", "view": "agenda"})
    assert "Tue 31 Mar" in agenda.content.decode()  # the monthly report's due day


def _leaders(org, unit, count):
    return [
        PersonFactory(organisation=org, org_unit=unit, leader_level=level, name=f"Leader {i}")
        for i, level in zip(
            range(count), ["executive", "senior", "operational"] * count, strict=False
        )
    ]


def test_rhythm_view_filters_exports_and_keeps_its_query_count(
    client_for, org, unit, coachee, django_assert_max_num_queries
) -> None:
    _leaders(org, unit, 12)
    services.log_delivery(
        person=coachee,
        actor=None,
        delivered_at=timezone.now() - dt.timedelta(days=1),
        channel="channel.email",
        audiences=["audience.employees"],
        cadence_key="cadence.operational.experimentation",
    )
    client = client_for("admin")
    url = reverse("communications:rhythm")
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert "Leader 11" in response.content.decode()
    operational = client.get(url, {"level": "operational"}).content.decode()
    assert "Colin Coachee" in operational
    assert "Lena Leader" not in operational
    csv = client.get(url, {"level": "operational", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Employee ID,Name,Level,Unit,Delivered,Expected,Overdue")
    assert len(lines) == 1 + 5  # the coachee and four operational leaders
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="communications.rhythm_exported").count() == 2


def test_org_calendar_counts_per_day_with_filters(
    client_for, org, unit, leader_person, django_assert_max_num_queries
) -> None:
    _leaders(org, unit, 9)
    client = client_for("admin")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("communications:org_calendar"), {"month": "2026-03"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "late" in text
    agenda = client.get(
        reverse("communications:org_calendar"),
        {"month": "2026-03", "view": "agenda", "level": "executive", "unit": str(unit.pk)},
    )
    # Three executives, each with two monthly and one quarterly slot due Tue 31 March.
    assert "<td>Tue 31 Mar</td><td>0</td><td>9</td><td>0</td>" in agenda.content.decode()


def test_the_calendar_api_counts_days_and_refuses_a_long_range(org, unit, members) -> None:
    _leaders(org, unit, 3)
    client = api_client_for(members["admin"])
    ok = client.get("/api/v1/communications/calendar", {"start": "2026-03-01", "end": "2026-03-31"})
    assert ok.status_code == 200
    last = [d for d in ok.json() if d["day"] == "2026-03-31"]
    # Due Tue 31 March: the executive's 2 monthly + 1 quarterly, each senior leader's
    # (2, with the fixture's) monthly + quarterly, each operational leader's daily.
    assert last == [{"day": "2026-03-31", "delivered": 0, "overdue": 3 + 2 * 2 + 2, "planned": 0}]
    bad = client.get(
        "/api/v1/communications/calendar", {"start": "2026-01-01", "end": "2026-12-31"}
    )
    assert bad.status_code == 400
    assert "at most 92 days" in bad.json()["error"]["message"]
