"""Pages: the plan page and its forms, the lists' query counts, exports, PDF and .ics."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import cast

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.development import services
from bellwether.development.models import PlanItem
from bellwether.development.tests.factories import active_plan
from bellwether.people.models import LeaderLevel, Person
from bellwether.testing.factories import PersonFactory

START = datetime.date(2026, 1, 5)


def _plans(org: object, n: int, *, first: int = 0) -> None:
    for i in range(first, first + n):
        person = cast(
            Person,
            PersonFactory(organisation=org, employee_id=f"Q{i}", leader_level=LeaderLevel.SENIOR),
        )
        services.generate_plan(person=person, actor=None, start=START)


def test_the_cohort_and_plans_pages_take_the_same_queries_for_more_plans(
    client_for: Callable[[str], Client], members: dict[str, Membership], org: object
) -> None:
    admin = client_for("admin")
    _plans(org, 2)
    for url in ("/development/cohort/", "/development/plans/"):
        admin.get(url)  # the first request of a session also saves the session
    counts = []
    for more in (0, 6):
        _plans(org, more, first=100)
        for url in ("/development/cohort/", "/development/plans/"):
            with CaptureQueriesContext(connection) as ctx:
                assert admin.get(url).status_code == 200
            counts.append((url, len(ctx.captured_queries)))
    assert counts[0] == counts[2]
    assert counts[1] == counts[3]


def test_a_coach_sees_only_coachees_plans(
    client_for: Callable[[str], Client],
    members: dict[str, Membership],
    coachee: Person,
    leader_person: Person,
) -> None:
    services.generate_plan(person=coachee, actor=None, start=START)
    services.generate_plan(person=leader_person, actor=None, start=START)
    page = client_for("coach").get("/development/plans/").content.decode()
    assert coachee.name in page
    assert leader_person.name not in page


def test_a_bad_hours_value_is_shown_and_nothing_saved(
    client_for: Callable[[str], Client], members: dict[str, Membership], coachee: Person
) -> None:
    plan = active_plan(coachee)
    item = plan.items.first()
    assert item is not None
    response = client_for("coach").post(
        f"/development/plans/{plan.pk}/act/",
        {"op": "complete", "item": item.pk, "completed_on": "2026-01-20", "hours_spent": "-4"},
        follow=True,
    )
    assert "Hours must be between 0 and 80" in response.content.decode()
    assert not PlanItem.objects.filter(completed_on__isnull=False).exists()


def test_the_cohort_exports_as_csv_and_the_plan_as_pdf(
    client_for: Callable[[str], Client], members: dict[str, Membership], coachee: Person
) -> None:
    plan = services.generate_plan(person=coachee, actor=None, start=START)
    csv = client_for("sponsor").get("/development/cohort/export/?format=csv")
    assert csv.status_code == 200
    assert coachee.name in csv.content.decode("utf-8-sig")
    xlsx = client_for("admin").get("/development/cohort/export/?format=xlsx")
    assert xlsx.content[:2] == b"PK"
    pdf = client_for("coach").get(f"/development/plans/{plan.pk}/plan.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_a_workshop_invitation_is_an_ics_and_its_report_a_pdf(
    client_for: Callable[[str], Client],
    members: dict[str, Membership],
    org: object,
    leader_person: Person,
) -> None:
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    workshop = services.schedule_workshop(
        organisation=org,  # type: ignore[arg-type]
        actor=None,
        session_key="vision.vision_and_strategy",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7),
        location="Board room",
        invited=[leader_person.pk],
    )
    assert len(workshop.agenda) == 5
    assert sum(a["minutes"] for a in workshop.agenda) == 420
    ics = client_for("leader").get(f"/development/workshops/{workshop.pk}/invite.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"AI Vision and Strategy Development" in ics.content
    pdf = client_for("sponsor").get(f"/development/workshops/{workshop.pk}/report.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_workshop_forms_pick_leaders_by_e_mail_not_from_a_list(
    client_for: Callable[[str], Client],
    members: dict[str, Membership],
    org: object,
    leader_person: Person,
) -> None:
    from bellwether.development.models import Commitment, Workshop

    for i in range(5):
        PersonFactory(organisation=org, name=f"Listed Exec {i}", leader_level=LeaderLevel.EXECUTIVE)
    client = client_for("admin")
    page = client.get("/development/workshops/").content.decode()
    assert "Listed Exec" not in page
    assert 'data-person-picker="multiple"' in page
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    form = {
        "session_key": "vision.vision_and_strategy",
        "date": day,
        "start": "09:00",
        "end": "16:00",
        "location": "Board room",
    }
    refused = client.post(
        "/development/workshops/schedule/", {**form, "invited": "nobody@x.example"}, follow=True
    )
    assert (
        "Nobody who can be chosen here has the e-mail or employee ID “nobody@x.example”"
        in refused.content.decode()
    )
    assert not Workshop.objects.exists()
    client.post("/development/workshops/schedule/", {**form, "invited": leader_person.email})
    workshop = Workshop.objects.get()
    assert list(workshop.invites.values_list("person_id", flat=True)) == [leader_person.pk]
    detail = client.get(f"/development/workshops/{workshop.pk}/").content.decode()
    assert "Listed Exec" not in detail
    outcome = f"/development/workshops/{workshop.pk}/outcome/"
    client.post(
        outcome, {"op": "commitment", "person": "L001", "text": "Sponsor a pilot", "due": day}
    )
    assert Commitment.objects.get().person_id == leader_person.pk
