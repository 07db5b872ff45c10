"""Shared set-ups for readiness tests: a small team, a launched cycle, answered ratings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.utils import timezone

from bellwether.assessments import services
from bellwether.assessments.models import Rater, ReadinessCycle
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.people.models import LeaderLevel, OrgUnit, Person
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Campaign, Invitation
from bellwether.testing.factories import PersonFactory


@dataclass
class Team:
    boss: Person
    leaders: list[Person]  # leaders[0] is the one with reports
    reports: list[Person]


def make_team(org: Organisation, unit: OrgUnit, *, lead: Person | None = None) -> Team:
    def person(**extra: Any) -> Person:
        return cast(Person, PersonFactory(organisation=org, org_unit=unit, **extra))

    boss = person(name="Bo Boss", leader_level=LeaderLevel.EXECUTIVE)
    first = lead or person(name="Ada Leader", leader_level=LeaderLevel.SENIOR)
    if lead is not None:
        Person.objects.filter(pk=lead.pk).update(manager=boss)
        first.refresh_from_db()
    else:
        first.manager = boss
        first.save()
    peers = [
        person(name=f"Peer {i}", leader_level=LeaderLevel.SENIOR, manager=boss) for i in range(3)
    ]
    reports = [person(name=f"Report {i}", manager=first) for i in range(3)]
    return Team(boss=boss, leaders=[first, *peers], reports=reports)


def launch(
    org: Organisation,
    people: list[Person],
    *,
    rater_mode: str = "assigned",
    name: str = "Spring readiness",
    send_email: bool = False,
    actor: Any = None,
    scheduled: bool = False,
    suggested_raters: bool = False,
) -> ReadinessCycle:
    """A cycle open since an hour ago, or (``scheduled``) opening in an hour: raters
    chosen before ``open_now`` are its fixed set, not late changes."""
    now = timezone.now()
    return services.launch_cycle(
        organisation=org,
        actor=actor,
        name=name,
        leaders={"person_ids": [p.pk for p in people]},
        opens_at=now + dt.timedelta(hours=1) if scheduled else now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=14),
        time_zone="Europe/London",
        rater_mode=rater_mode,
        send_email=send_email,
        suggested_raters=suggested_raters,
    )


def add_raters(
    cycle: ReadinessCycle,
    leader: Person,
    *,
    actor: Any = None,
    send_email: bool = False,
    **by_category: Iterable[Person],
) -> list[Rater]:
    """An administrator adds ``leader``'s raters by category, in the order given, e.g.
    ``add_raters(cycle, lead, direct_report=team.reports, manager=[team.boss])``. No mail
    unless ``send_email``."""
    return services.assign_raters(
        cycle=cycle,
        actor=actor,
        leader=leader,
        raters=[(p.pk, category) for category, people in by_category.items() for p in people],
        send_email=send_email,
    )


def open_now(cycle: ReadinessCycle) -> ReadinessCycle:
    """The scheduled cycle opens (as if its opening time had come)."""
    opens = timezone.now() - dt.timedelta(minutes=1)
    Campaign.objects.filter(pk=cycle.campaign_id).update(opens_at=opens)
    ReadinessCycle.objects.filter(pk=cycle.pk).update(opens_at=opens)
    cycle.refresh_from_db()
    cycle.campaign.refresh_from_db()
    return cycle


def answers(value: int) -> dict[str, list[str]]:
    return {item.key: [str(value)] for item in catalogue.instrument_items()}


def rate(cycle: ReadinessCycle, rater: Person, leader: Person, value: int) -> None:
    invitation = Invitation.objects.get(campaign=cycle.campaign, person=rater, subject=leader)
    survey_services.submit_response(
        token=survey_services.invitation_token(invitation), answers=answers(value)
    )


def close(cycle: ReadinessCycle) -> None:
    services.close_cycle(cycle=cycle, actor=None)
    cycle.refresh_from_db()
