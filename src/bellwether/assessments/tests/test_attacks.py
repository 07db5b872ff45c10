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
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

import numpy as np
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.assessments import release, services
from bellwether.assessments.models import LeaderResult, Rater, RaterChange, ReadinessCycle
from bellwether.assessments.tests.helpers import launch, make_team, open_now
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.people.models import LeaderLevel, OrgUnit, Person
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Answer, Ballot, Campaign, Completion, Invitation, Response
from bellwether.testing.factories import PersonFactory, api_client_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/readiness"
KEYS = [item.key for item in catalogue.instrument_items()]


# --- the attacker's tools --------------------------------------------------------------------


def pattern(seed: int) -> dict[str, int]:
    """A rater's answers, distinct for each seed (so they can be recognised anywhere)."""
    return {key: 1 + (seed * 7 + i * (seed + 3)) % 5 for i, key in enumerate(KEYS)}


def submit(
    cycle: ReadinessCycle, rater: Person, leader: Person, answers: Mapping[str, int]
) -> None:
    invitation = Invitation.objects.get(campaign=cycle.campaign, person=rater, subject=leader)
    survey_services.submit_response(
        token=survey_services.invitation_token(invitation),
        answers={k: [str(v)] for k, v in answers.items()},
    )


def answered(cycle: ReadinessCycle, leader: Person) -> dict[str, set[int]]:
    """Who answered about the leader, per category: what an admin's rater page shows."""
    out: dict[str, set[int]] = {}
    for category, person in Completion.objects.filter(
        campaign=cycle.campaign, invitation__subject=leader
    ).values_list("invitation__category", "invitation__person_id"):
        out.setdefault(category, set()).add(person)
    return out


Equation = tuple[frozenset[int], np.ndarray]  # raters, and the sum of their answers


def equations(report: Mapping[str, Any], who: Mapping[str, set[int]]) -> list[Equation]:
    """Every sum a reader gets from one report (the API's JSON): each rater group shown
    (mean × n over its categories' raters) and the others' score (mean × count over
    every non-self rater)."""
    out: list[Equation] = []
    items = {i["key"]: i for i in report["items"]}
    for group in report["groups"]:
        if group["key"] == "self":
            continue
        members = frozenset().union(*(who.get(c, set()) for c in group["categories"]))
        values = [items[k]["groups"][group["key"]] for k in KEYS]
        if any(v is None for v in values):
            continue
        out.append((members, np.array(values, dtype=float) * group["n"]))
    if report["others_total"] is not None and not report["self_reported"]:
        members = frozenset(p for c, people in who.items() if c != "self" for p in people)
        values = [items[k]["others"] for k in KEYS]
        out.append((members, np.array(values, dtype=float) * report["others_count"]))
    return out


def recovered(
    found: Sequence[Equation], target: int, known: Mapping[int, Mapping[str, int]]
) -> np.ndarray | None:
    """The target rater's answers if the published sums determine them (the attacker
    subtracts every rater whose answers they know), else None."""
    people = sorted({p for members, _ in found for p in members} - set(known) - {target})
    columns = [target, *people]
    if not found:
        return None
    matrix = np.array([[1.0 if p in members else 0.0 for p in columns] for members, _ in found])
    sums = np.array(
        [
            total
            - sum(np.array([known[p][k] for k in KEYS], dtype=float) for p in members if p in known)
            for members, total in found
        ]
    )
    # The target is determined iff e_target lies in the row space of the matrix.
    unit = np.zeros(len(columns))
    unit[0] = 1.0
    weights = np.linalg.lstsq(matrix.T, unit, rcond=None)[0]
    if not np.allclose(matrix.T @ weights, unit, atol=1e-7):
        return None
    return np.round(weights @ sums, 6)


def as_vector(answers: Mapping[str, int]) -> np.ndarray:
    return np.array([answers[k] for k in KEYS], dtype=float)


def total(given: Iterable[Mapping[str, int]]) -> np.ndarray:
    """The sum of several raters' answers, item by item."""
    return np.sum([as_vector(a) for a in given], axis=0)


def peer(org: Organisation, unit: OrgUnit, name: str, **extra: Any) -> Person:
    return cast(
        Person,
        PersonFactory(
            organisation=org, org_unit=unit, name=name, leader_level=LeaderLevel.SENIOR, **extra
        ),
    )


def close_now(cycle: ReadinessCycle) -> None:
    services.close_cycle(cycle=cycle, actor=None)
    cycle.refresh_from_db()


def report_of(
    client: Client, leader: Person, cycle: ReadinessCycle | None = None
) -> dict[str, Any]:
    query = f"?cycle_id={cycle.pk}" if cycle is not None else ""
    response = client.get(f"{BASE}/leaders/{leader.pk}/report{query}")
    assert response.status_code == 200, response.content
    return response.json()


def _page(html: str) -> str:
    """A page as a reader compares it: without the per-response CSRF token, and without
    the completion counts (who answered is no secret from an administrator; what they
    answered is)."""
    html = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", html)
    return re.sub(r'<table class="score-table" id="completion">.*?</table>', "", html, flags=re.S)


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
    services.assign_raters(
        cycle=cycle,
        actor=None,
        leader=leader_person,
        raters=[(p.pk, "direct_report") for p in team.reports]
        + [(p.pk, "peer") for p in team.leaders[1:]]
        + [(team.boss.pk, "manager")],
        send_email=False,
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
        out: dict[str, Any] = {k: _page(r.content.decode()) for k, r in pages.items()}
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
    services.assign_raters(
        cycle=cycle,
        actor=None,
        leader=leader_person,
        raters=[(p.pk, "direct_report") for p in team.reports],
        send_email=False,
    )
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
    services.assign_raters(
        cycle=cycle,
        actor=None,
        leader=leader_person,
        raters=[(p.pk, "peer") for p in peers] + [(p.pk, "direct_report") for p in team.reports],
        send_email=False,
    )
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


# --- class 17: raters the administrator controls ----------------------------------------------


@pytest.fixture
def admin_person(members: dict[str, Membership], org, unit) -> Person:
    person = peer(org, unit, "Ada Admin", email="admin@acme.test")
    Membership.objects.filter(pk=members["admin"].pk).update(person=person)
    members["admin"].refresh_from_db()
    return person


def test_an_administrator_cannot_rate_or_use_their_own_mailbox(
    members, org, unit, leader_person, admin_person
) -> None:
    team = make_team(org, unit, lead=leader_person)
    actor = members["admin"].user
    cycle = launch(org, [leader_person], actor=actor, scheduled=True)
    alias = peer(org, unit, "Not Really", email="Admin+peer1@acme.test")
    other_admin_box = peer(org, unit, "Shared", email=team.leaders[1].email.upper())
    no_email = peer(org, unit, "Nobody", email="")
    attempts = {
        "the launching admin": (admin_person, "admin_as_rater"),
        "an alias of the admin's mailbox": (alias, "shared_mailbox"),
        "the leader": (leader_person, "self_as_rater"),
        "no mailbox": (no_email, "no_email"),
    }
    for what, (person, code) in attempts.items():
        with pytest.raises(DomainError) as refused:
            services.assign_raters(
                cycle=cycle, actor=actor, leader=leader_person, raters=[(person.pk, "peer")]
            )
        assert refused.value.code == code, what
    services.assign_raters(
        cycle=cycle, actor=actor, leader=leader_person, raters=[(team.leaders[1].pk, "peer")]
    )
    with pytest.raises(DomainError) as refused:
        services.assign_raters(
            cycle=cycle, actor=actor, leader=leader_person, raters=[(other_admin_box.pk, "peer")]
        )
    assert refused.value.code == "shared_mailbox"
    # A leader cannot nominate the administrator either (nominated cycles).
    nominated = launch(org, [leader_person], actor=actor, rater_mode="nominated", name="N")
    with pytest.raises(DomainError):
        services.nominate_raters(
            cycle=nominated, actor=None, leader=leader_person, raters=[(admin_person.pk, "peer")]
        )
    # Nothing was stored by the refused calls.
    assert set(Rater.objects.values_list("person_id", flat=True)) == {team.leaders[1].pk}


def test_an_administrator_signed_in_cannot_answer_through_a_raters_link(
    client_for: Callable[[str], Client], members, org, unit, leader_person
) -> None:
    team = make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person])
    services.assign_raters(
        cycle=cycle,
        actor=None,
        leader=leader_person,
        raters=[(team.reports[0].pk, "direct_report")],
        send_email=False,
    )
    invitation = Invitation.objects.get(campaign=cycle.campaign, person=team.reports[0])
    url = reverse("surveys:respond", args=[survey_services.invitation_token(invitation)])
    response = client_for("admin").post(url, {k: ["3"] for k in KEYS})
    assert response.status_code == 403
    assert not Completion.objects.filter(invitation=invitation).exists()
    assert not Ballot.objects.filter(campaign=cycle.campaign).exists()


def test_raters_added_after_opening_cannot_isolate_a_real_peer(
    members, org, unit, leader_person
) -> None:
    """Old behaviour: an admin added two people whose mailboxes they control as peers of
    a leader, answered both links (in a private window), and one real peer answered: the
    peer group of 3 met the minimum, and 3·mean − the admin's two answers gave the real
    peer's ratings. Now each late addition raises the peer minimum by one and counts as
    known: the real peer's ratings follow from nothing published."""
    team = make_team(org, unit, lead=leader_person)
    actor = members["admin"].user
    cycle = launch(org, [leader_person], actor=actor, scheduled=True)
    real = team.leaders[1]
    reports = team.reports
    services.assign_raters(
        cycle=cycle,
        actor=actor,
        leader=leader_person,
        raters=[(real.pk, "peer"), *[(p.pk, "direct_report") for p in reports]],
        send_email=False,
    )
    open_now(cycle)
    # After the cycle opened: two people records with mailboxes the admin reads.
    plants = [
        peer(org, unit, f"Plant {i}", email=f"plant{i}@mailbox-the-admin-reads.test")
        for i in range(2)
    ]
    services.assign_raters(
        cycle=cycle,
        actor=actor,
        leader=leader_person,
        raters=[(p.pk, "peer") for p in plants],
        send_email=False,
    )
    assert RaterChange.objects.filter(kind="added").count() == 2
    known = {p.pk: pattern(40 + i) for i, p in enumerate(plants)}
    for p in plants:
        submit(cycle, p, leader_person, known[p.pk])
    submit(cycle, real, leader_person, pattern(50))
    for n, person in enumerate(reports):
        submit(cycle, person, leader_person, pattern(60 + n))
    close_now(cycle)
    who = answered(cycle, leader_person)

    # The attack on the old behaviour: a peer column over the three peers.
    old_peer_sum = total([*known.values(), pattern(50)])
    old = recovered([(frozenset(who["peer"]), old_peer_sum)], real.pk, known)
    assert old is not None
    assert np.allclose(old, as_vector(pattern(50)))

    report = report_of(api_client_for(members["admin"]), leader_person, cycle)
    assert "peer" not in {g["key"] for g in report["groups"]}
    assert recovered(equations(report, who), real.pk, known) is None
    # Nor any direct report's.
    for person in reports:
        assert recovered(equations(report, who), person.pk, known) is None
    assert report["rater_changes"]["added"] == 2
    assert "2 raters were added" in report["rater_changes_note"]
    page = Client()
    page.force_login(members["leader"].user)
    body = page.get(
        reverse("assessments:report", args=[leader_person.pk]) + f"?cycle={cycle.pk}"
    ).content.decode()
    assert "2 raters were added" in body


def test_a_link_sent_again_or_an_email_changed_after_opening_counts_as_known(
    members, org, unit, leader_person, mailoutbox
) -> None:
    """The admin sends a real peer a new link after changing their address to one they
    read (or just changes the address and lets the reminder carry the link): that peer's
    answers are the admin's, and may not protect the last real peer."""
    team = make_team(org, unit, lead=leader_person)
    actor = members["admin"].user
    cycle = launch(org, [leader_person], actor=actor, scheduled=True)
    a, b, c = team.leaders[1:4]
    services.assign_raters(
        cycle=cycle,
        actor=actor,
        leader=leader_person,
        raters=[(p.pk, "peer") for p in (a, b, c)],
        send_email=False,
    )
    open_now(cycle)
    Person.objects.filter(pk=a.pk).update(email="a-now-read-by-admin@acme.test")
    rater_a = Rater.objects.get(person=a)
    services.resend_link(rater=rater_a, actor=actor, send_email=False)
    Person.objects.filter(pk=b.pk).update(email="b-now-read-by-admin@acme.test")
    services.send_reminders(cycle=cycle, actor=actor, everyone=True)
    services.deliver_cycle_emails(cycle_id=cycle.pk, kind="reminder")
    assert any(m.to == ["b-now-read-by-admin@acme.test"] for m in mailoutbox)
    kinds = sorted(RaterChange.objects.values_list("kind", flat=True))
    assert kinds == ["email_changed", "resent"]
    known = {a.pk: pattern(70), b.pk: pattern(71)}
    submit(cycle, a, leader_person, known[a.pk])
    submit(cycle, b, leader_person, known[b.pk])
    submit(cycle, c, leader_person, pattern(72))
    close_now(cycle)
    report = report_of(api_client_for(members["admin"]), leader_person, cycle)
    who = answered(cycle, leader_person)
    old = recovered(
        [(frozenset(who["peer"]), total(pattern(n) for n in (70, 71, 72)))], c.pk, known
    )
    assert old is not None  # the old peer column gave c away
    assert recovered(equations(report, who), c.pk, known) is None
    assert report["others_total"] is None  # the others' score would have given c too
    assert report["rater_changes"] == {"added": 0, "removed": 0, "resent": 1, "email_changed": 1}


def test_a_rater_who_can_read_the_report_counts_as_known(members, org, unit, leader_person) -> None:
    """A sponsor (who reads every report) rating a leader knows their own answers: with
    two other peers, the peer mean would give the other two's sum. The sponsor counts as
    known, so the group needs one more rater."""
    team = make_team(org, unit, lead=leader_person)
    sponsor_person = peer(org, unit, "Sam Sponsor")
    Membership.objects.filter(pk=members["sponsor"].pk).update(person=sponsor_person)
    cycle = launch(org, [leader_person], scheduled=True)
    a, b = team.leaders[1:3]
    services.assign_raters(
        cycle=cycle,
        actor=None,
        leader=leader_person,
        raters=[(p.pk, "peer") for p in (a, b, sponsor_person)],
        send_email=False,
    )
    open_now(cycle)
    for n, person in enumerate((a, b, sponsor_person)):
        submit(cycle, person, leader_person, pattern(80 + n))
    close_now(cycle)
    report = report_of(api_client_for(members["admin"]), leader_person, cycle)
    assert report["groups"] == []
    assert report["others_total"] is None
    assert report["others_count"] == 3


# --- class 5: two cycles ----------------------------------------------------------------------


def _two_cycles(
    org: Organisation,
    leader: Person,
    first: Sequence[tuple[Person, str]],
    second: Sequence[tuple[Person, str]],
    answers: Mapping[int, Mapping[str, int]],
) -> tuple[ReadinessCycle, ReadinessCycle]:
    cycles = []
    for n, raters in enumerate((first, second)):
        cycle = launch(org, [leader], scheduled=True, name=f"Cycle {n + 1}")
        services.assign_raters(
            cycle=cycle,
            actor=None,
            leader=leader,
            raters=[(p.pk, category) for p, category in raters],
            send_email=False,
        )
        open_now(cycle)
        # Later cycles open later.
        shift = dt.timedelta(days=100 * (1 - n))
        ReadinessCycle.objects.filter(pk=cycle.pk).update(opens_at=cycle.opens_at - shift)
        Campaign.objects.filter(pk=cycle.campaign_id).update(opens_at=cycle.opens_at - shift)
        cycle.refresh_from_db()
        submit(cycle, leader, leader, pattern(1))
        for person, _ in raters:
            submit(cycle, person, leader, answers[person.pk])
        close_now(cycle)
        cycles.append(cycle)
    return cycles[0], cycles[1]


def _all_equations(
    client: Client, leader: Person, cycles: Iterable[ReadinessCycle]
) -> list[Equation]:
    found: list[Equation] = []
    for cycle in cycles:
        found += equations(report_of(client, leader, cycle), answered(cycle, leader))
    return found


def test_two_cycles_differing_by_one_peer_do_not_give_that_peer_away(
    members, org, unit, leader_person
) -> None:
    """Old behaviour: peers {A, B, C} in one cycle and {A, B, C, D} in the next, all
    answering alike both times: 4·peers(2) − 3·peers(1) gave D's answers, and so did
    the others' scores. Now neither the peer column nor the others' score of the later
    cycle is shown; the trend shows the later band as self-reported."""
    team = make_team(org, unit, lead=leader_person)
    a, b, c = team.leaders[1:4]
    d = peer(org, unit, "Dee Newcomer", email="dee@acme.test")
    answers = {p.pk: pattern(90 + n) for n, p in enumerate([a, b, c, d, *team.reports])}
    reports = [(p, "direct_report") for p in team.reports]
    first, second = _two_cycles(
        org,
        leader_person,
        [(a, "peer"), (b, "peer"), (c, "peer"), *reports],
        [(a, "peer"), (b, "peer"), (c, "peer"), (d, "peer"), *reports],
        answers,
    )
    client = api_client_for(members["admin"])
    # Control: what the old behaviour published gives D away.
    old = [
        (frozenset({a.pk, b.pk, c.pk}), total(answers[p.pk] for p in (a, b, c))),
        (frozenset({a.pk, b.pk, c.pk, d.pk}), total(answers[p.pk] for p in (a, b, c, d))),
    ]
    control = recovered(old, d.pk, {})
    assert control is not None
    assert np.allclose(control, as_vector(answers[d.pk]))
    # Now: from everything both reports publish, nobody's answers follow.
    found = _all_equations(client, leader_person, [first, second])
    for person in [a, b, c, d, *team.reports]:
        assert recovered(found, person.pk, {}) is None, person.name
    later = report_of(client, leader_person, second)
    assert "peer" not in {g["key"] for g in later["groups"]}
    assert later["others_total"] is None
    assert later["self_reported"] is True
    assert "earlier cycle" in later["groups_note"]
    # The direct reports, the same people both times, are still shown.
    assert "direct_report" in {g["key"] for g in later["groups"]}
    trend = {t["cycle_id"]: t for t in later["trend"]}
    assert trend[second.pk]["self_reported"] is True
    assert trend[first.pk]["self_reported"] is False


def test_a_rater_who_left_is_not_given_away_by_the_combined_others_score(
    members, org, unit, leader_person
) -> None:
    """Peers and direct reports each too few to show alone, but the others' score shown:
    others {M, A, B, R1, R2} in one cycle and {M, A, B, R1} in the next gave R2's
    answers by difference. The later others' score is withheld."""
    team = make_team(org, unit, lead=leader_person)
    a, b = team.leaders[1:3]
    r1, r2 = team.reports[:2]
    answers = {p.pk: pattern(100 + n) for n, p in enumerate([team.boss, a, b, r1, r2])}
    first, second = _two_cycles(
        org,
        leader_person,
        [
            (team.boss, "manager"),
            (a, "peer"),
            (b, "peer"),
            (r1, "direct_report"),
            (r2, "direct_report"),
        ],
        [(team.boss, "manager"), (a, "peer"), (b, "peer"), (r1, "direct_report")],
        answers,
    )
    client = api_client_for(members["admin"])
    old_first = total(answers[p.pk] for p in (team.boss, a, b, r1, r2))
    old_second = total(answers[p.pk] for p in (team.boss, a, b, r1))
    members_first = frozenset(p.pk for p in (team.boss, a, b, r1, r2))
    members_second = members_first - {r2.pk}
    control = recovered([(members_first, old_first), (members_second, old_second)], r2.pk, {})
    assert control is not None
    assert np.allclose(control, as_vector(answers[r2.pk]))
    found = _all_equations(client, leader_person, [first, second])
    manager_known = {team.boss.pk: answers[team.boss.pk]}  # the manager was told
    for person in (a, b, r1, r2):
        assert recovered(found, person.pk, manager_known) is None, person.name
    assert report_of(client, leader_person, second)["self_reported"] is True


@pytest.mark.parametrize("size", [3, 4])
def test_the_same_raters_in_both_cycles_are_shown_in_both(
    members, org, unit, leader_person, size: int
) -> None:
    """The rule withholds only what a comparison gives away: the same raters twice (the
    difference is nobody) show every group both times."""
    team = make_team(org, unit, lead=leader_person)
    extra = [peer(org, unit, f"Peer extra {i}", email=f"extra{i}@acme.test") for i in range(2)]
    peers = [*team.leaders[1:4], *extra][:size]
    answers = {p.pk: pattern(120 + n) for n, p in enumerate([*peers, *team.reports, team.boss])}
    raters = [
        (team.boss, "manager"),
        *[(p, "peer") for p in peers],
        *[(p, "direct_report") for p in team.reports],
    ]
    first, second = _two_cycles(org, leader_person, raters, raters, answers)
    client = api_client_for(members["admin"])
    for cycle in (first, second):
        report = report_of(client, leader_person, cycle)
        assert {g["key"] for g in report["groups"]} == {"self", "manager", "peer", "direct_report"}
        assert report["self_reported"] is False
    found = _all_equations(client, leader_person, [first, second])
    manager_known = {team.boss.pk: answers[team.boss.pk]}
    for person in [*peers, *team.reports]:
        assert recovered(found, person.pk, manager_known) is None


def test_a_lower_minimum_later_never_reshows_a_released_group(
    org, unit, leader_person, members
) -> None:
    """A released decision is final: the cycle's minimum was taken at launch."""
    from bellwether.surveys.models import ConfidentialitySettings

    ConfidentialitySettings.objects.create(
        organisation=org, min_360_group=4, min_group=5, min_comments=10
    )
    team = make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person], scheduled=True)
    a, b, c = team.leaders[1:4]
    services.assign_raters(
        cycle=cycle,
        actor=None,
        leader=leader_person,
        raters=[(p.pk, "peer") for p in (a, b, c)],
        send_email=False,
    )
    open_now(cycle)
    for n, person in enumerate((a, b, c)):
        submit(cycle, person, leader_person, pattern(140 + n))
    ConfidentialitySettings.objects.filter(organisation=org).update(min_360_group=3)
    close_now(cycle)
    report = report_of(api_client_for(members["admin"]), leader_person, cycle)
    assert report["others_total"] is None
    assert "peer" not in {g["key"] for g in report["groups"]}
    assert "fewer than 4" in report["groups_note"]
    assert release.release_due_cycles() == 0
