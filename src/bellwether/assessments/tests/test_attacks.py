"""Adversarial tests for the 360 (issue 12, §1 classes 5, 9, 16 and 17), written as an
insider would attack: an administrator who knows who was asked and who answered (the
rater pages say so), a leader reading their own report, someone with the database.

Each attack is run against what the application publishes now, and — as a control that
the attack itself works — against what the old behaviour published. The attacker's
tool is the strongest one: every published figure is a mean over a known set of raters,
each rater is assumed to answer alike in every cycle, and a rater's answers are
recovered when they are a linear combination of the published sums (``recovered``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.assessments.models import LeaderResult, ReadinessCycle
from bellwether.assessments.tests.attack_tools import (
    BASE,
    KEYS,
    as_vector,
    close_now,
    page_as_compared,
    pattern,
    report_of,
    submit,
    total,
)
from bellwether.assessments.tests.helpers import add_raters, launch, make_team, open_now
from bellwether.surveys.models import Answer, Ballot, Campaign, Completion, Response
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db


# --- class 9: live re-scoring -----------------------------------------------------------------


def test_one_more_rating_while_open_changes_nothing_anyone_can_read(
    members: dict[str, Membership], client_for: Callable[[str], Client], org, unit, leader_person
) -> None:
    """Old behaviour: each submission re-scored the leader at once, so an admin (or the
    leader) reading the report before and after one more rater answered got that rater's
    answers as (n+1)·after − n·before. Now every page, export and API answer that a
    reader can open is the same before and after, and holds no rater-based figure."""
    team = make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person, team.leaders[1]], scheduled=True)
    add_raters(
        cycle, leader_person, direct_report=team.reports, peer=team.leaders[1:], manager=[team.boss]
    )
    open_now(cycle)
    submit(cycle, leader_person, leader_person, pattern(1))
    submit(cycle, team.boss, leader_person, pattern(2))
    for n, person in enumerate([*team.reports, *team.leaders[1:3]]):
        submit(cycle, person, leader_person, pattern(3 + n))
    admin_api, leader_api = api_client_for(members["admin"]), api_client_for(members["leader"])
    admin, leader, sponsor = client_for("admin"), client_for("leader"), client_for("sponsor")

    def everything() -> dict[str, Any]:
        pages = {
            "report (admin)": admin.get(reverse("assessments:report", args=[leader_person.pk])),
            "report (leader)": leader.get(reverse("assessments:report", args=[leader_person.pk])),
            "report of the cycle": admin.get(
                reverse("assessments:report", args=[leader_person.pk]) + f"?cycle={cycle.pk}"
            ),
            "organisation": sponsor.get(reverse("assessments:organisation") + f"?cycle={cycle.pk}"),
            "home (leader)": leader.get(reverse("assessments:home")),
        }
        out: dict[str, Any] = {k: page_as_compared(r.content.decode()) for k, r in pages.items()}
        for k, r in pages.items():
            assert r.status_code == 200, k
        out["report api (admin)"] = report_of(admin_api, leader_person, cycle)
        out["report api (leader)"] = report_of(leader_api, leader_person)
        out["bands api"] = admin_api.get(f"{BASE}/bands").json()
        out["share api"] = admin_api.get(f"{BASE}/organisation/share-70").json()
        heat = admin_api.get(f"{BASE}/organisation/heatmap?cycle_id={cycle.pk}")
        out["heatmap api"] = (heat.status_code, heat.json())
        out["results rows"] = list(LeaderResult.objects.filter(cycle=cycle).values())
        return out

    before = everything()
    # One more rater answers: the last peer.
    submit(cycle, team.leaders[3], leader_person, pattern(9))
    after = everything()
    assert after == before
    # And nothing rater-based is in any of it while the cycle is open.
    report = after["report api (admin)"]
    assert report["released"] is False
    assert report["total"] is None
    assert report["others_total"] is None
    assert all(i["self"] is None and i["others"] is None for i in report["items"])
    assert "is open until" in report["pending"]
    assert after["heatmap api"][0] == 409
    assert after["bands api"] == []
    assert after["results rows"] == []
    # The leader's own self-assessment is sealed too: not shown to anyone, them included.
    assert "Results come when the cycle closes" in after["report (leader)"]
    assert "sealed" in after["report (leader)"]

    # The attack, on what the old behaviour published: the report of record before and
    # after (others' means over 6 and 7 raters) gave the new rater's answers exactly.
    def old_others(n: int) -> np.ndarray:
        given = [pattern(2), *(pattern(3 + i) for i in range(5)), pattern(9)][:n]
        return total(given) / n

    assert np.allclose(7 * old_others(7) - 6 * old_others(6), as_vector(pattern(9)))
    # Now: the report of record has no others' score before or after.
    assert before["report api (leader)"]["others_total"] is None

    # Once the cycle closes, the results appear, once, for everyone at the same time.
    close_now(cycle)
    released = report_of(admin_api, leader_person, cycle)
    assert released["released"] is True
    assert released["others_count"] == 7


def test_a_closed_cycle_is_released_by_the_first_page_that_reads_it(
    client_for: Callable[[str], Client], members, org, unit, leader_person
) -> None:
    """A cycle whose window has passed is released by the page that reads it (the worker;
    tests run jobs at once), never shown half-released."""
    team = make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person], scheduled=True)
    add_raters(cycle, leader_person, direct_report=team.reports)
    open_now(cycle)
    for n, person in enumerate(team.reports):
        submit(cycle, person, leader_person, pattern(n))
    past = timezone.now() - dt.timedelta(seconds=1)
    ReadinessCycle.objects.filter(pk=cycle.pk).update(closes_at=past)
    Campaign.objects.filter(pk=cycle.campaign_id).update(closes_at=past)
    assert not ReadinessCycle.objects.get(pk=cycle.pk).is_released
    body = client_for("sponsor").get(reverse("assessments:organisation")).content.decode()
    cycle.refresh_from_db()
    assert cycle.is_released
    assert cycle.name in body
    result = LeaderResult.objects.get(cycle=cycle, person=leader_person)
    assert result.others_count == 3
    assert result.self_reported is False


# --- class 16: the database -------------------------------------------------------------------


def _rows_with(answers: Mapping[str, int]) -> list[str]:
    """Every row of every table holding these answers: as Answer rows of one response, or
    as a mapping item -> value anywhere in a JSON column."""
    found: list[str] = []
    target = dict(answers)

    def walk(value: Any) -> bool:
        if isinstance(value, dict):
            if all(value.get(k) == v for k, v in target.items()):
                return True
            return any(walk(v) for v in value.values())
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return False

    for model in apps.get_models():
        json_fields = [
            f.name for f in model._meta.concrete_fields if f.get_internal_type() == "JSONField"
        ]
        text_fields = [
            f.name for f in model._meta.concrete_fields if f.get_internal_type() == "TextField"
        ]
        for row in (
            model._default_manager.values(*json_fields, *text_fields)
            if json_fields or text_fields
            else []
        ):
            for name, value in row.items():
                if isinstance(value, str) and value.startswith("{"):
                    try:
                        value = json.loads(value)
                    except ValueError:
                        continue
                if walk(value):
                    found.append(f"{model._meta.label}.{name}")
    by_response: dict[Any, dict[str, Any]] = {}
    for response_id, key, value in Answer.objects.values_list(
        "response_id", "question__key", "value"
    ):
        by_response.setdefault(response_id, {})[key] = value
    found += [f"answers of response {pk}" for pk, got in by_response.items() if got == target]
    return found


def test_the_database_does_not_link_a_rater_to_their_ratings(org, unit, leader_person) -> None:
    """Old behaviour: each 360 completion pointed at its response, so anyone reading the
    database got every rater's ratings by name (completion → invitation → person). Now:
    the completion has no link to any answer; while open an answer is a sealed ballot;
    once released the individual answers are gone and only published means are kept."""
    assert "response" not in {f.name for f in Completion._meta.get_fields()}
    assert "ballot" not in {f.name for f in Completion._meta.get_fields()}
    team = make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person], scheduled=True)
    peers = team.leaders[1:]
    add_raters(cycle, leader_person, peer=peers, direct_report=team.reports)
    open_now(cycle)
    given = {p.pk: pattern(20 + n) for n, p in enumerate([*peers, *team.reports])}
    for person in [*peers, *team.reports]:
        submit(cycle, person, leader_person, given[person.pk])
    # While open: nobody's answers are readable anywhere in the database.
    for answers in given.values():
        assert _rows_with(answers) == []
    assert Ballot.objects.filter(campaign=cycle.campaign).count() == 6
    close_now(cycle)
    # Released: no response, answer or ballot of the cycle is left; the means are.
    assert not Response.objects.filter(campaign=cycle.campaign).exists()
    assert not Ballot.objects.filter(campaign=cycle.campaign).exists()
    for person_id, answers in given.items():
        assert _rows_with(answers) == [], person_id
    result = LeaderResult.objects.get(cycle=cycle, person=leader_person)
    peer_column = next(c for c in result.groups["columns"] if c["key"] == "peer")
    expected = np.mean([as_vector(given[p.pk]) for p in peers], axis=0)
    assert np.allclose([peer_column["items"][k] for k in KEYS], expected.round(2), atol=0.006)
    # The result rows say nothing about who was in a group beyond its categories.
    assert set(result.groups) == {
        "base_minimum",
        "minimum_others",
        "others_shown",
        "columns",
        "note",
        "suppressed",
        "across_cycles",
        "changes",
        "published",
    }
    assert all(set(g) == {"key", "categories"} for g in result.groups["published"])
    assert all(
        set(c) == {"key", "label", "categories", "n", "items"} for c in result.groups["columns"]
    )
