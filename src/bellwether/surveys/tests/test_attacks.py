"""An insider against a pulse: each test is an attack class of issue 12, played as an
admin who knows every person's HR attributes and who answered (the invitations page),
sees every released figure, and can read the database.

The attacker's tool (``recoverable``) is independent of the release code: it rebuilds
what every shown cell covers in terms of *people* and asks, by brute force over small
groups, whether any group of 1..minimum−1 people is a linear combination of the shown
cells (so its answers follow by adding and subtracting released figures).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any, cast

import numpy as np
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.core import confidentiality
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.people.models import Person
from bellwether.surveys import definitions, selectors, services
from bellwether.surveys.models import (
    Ballot,
    Campaign,
    Completion,
    Invitation,
    Release,
    Response,
)
from bellwether.surveys.release_payload import cell_keys
from bellwether.surveys.services import releases
from bellwether.surveys.tests.helpers import (
    answer,
    close,
    confidence_version,
    launch,
    org_unit,
    person,
    token_for,
)
from bellwether.testing.factories import api_client_for


def shown_cells(campaign: Campaign) -> list[tuple[str, str]]:
    release = Release.objects.get(campaign=campaign)
    if not release.payload.get("total_shown"):
        return []
    cells = [("total", "")]
    for breakdown in release.payload["breakdowns"]:
        for cell in breakdown["cells"]:
            if cell["shown"]:
                cells.append((breakdown["segment"], cell["key"]))
    return cells


def people_by_cell(campaign: Campaign) -> dict[tuple[str, str], set[int]]:
    """What the attacker can rebuild: each cell's members among those who answered,
    from HR data (the person's unit at the campaign's depth, level, tenure)."""
    out: dict[tuple[str, str], set[int]] = {}
    # The cut-back values on the completions are exactly what an attacker recomputes from
    # HR data and the public cutting rule: use them as the attacker's knowledge.
    for completion in Completion.objects.filter(campaign=campaign).select_related("invitation"):
        atom = (completion.org_unit_path, completion.leader_level, completion.tenure_band)
        for key in cell_keys(atom, campaign.segments):
            out.setdefault(key, set()).add(completion.invitation.person_id)
    return out


def recoverable(cells: list[set[int]], minimum: int) -> list[tuple[int, ...]]:
    """Groups of 1..minimum−1 people in the span of the shown cells (brute force)."""
    people = sorted(set().union(*cells)) if cells else []
    if not people:
        return []
    matrix = np.array([[1.0 if p in c else 0.0 for p in people] for c in cells])
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for size in range(1, minimum):
        for group in itertools.combinations(range(len(people)), size):
            v = np.zeros(len(people))
            v[list(group)] = 1
            if np.linalg.matrix_rank(np.vstack([matrix, v])) == rank:
                found.append(tuple(people[i] for i in group))
    return found


def attack(campaign: Campaign, minimum: int = 5) -> list[tuple[int, ...]]:
    members = people_by_cell(campaign)
    return recoverable([members[c] for c in shown_cells(campaign) if c in members], minimum)


# --- 1. chained remainders, across every table at once --------------------------------------


def test_people_at_the_root_and_without_a_unit_are_not_left_as_a_remainder(org) -> None:
    root = org_unit(org, name="Group")
    sales = org_unit(org, name="Sales", parent=root)
    legal = org_unit(org, name="Legal", parent=root)
    everyone = (
        [person(org, org_unit=sales) for _ in range(6)]
        + [person(org, org_unit=legal) for _ in range(6)]
        + [person(org, org_unit=root) for _ in range(2)]  # the CEO's office, at the root
        + [person(org, org_unit=None)]  # a contractor with no unit
    )
    campaign = launch(org, people=everyone, segments=("org_unit",))
    for p in everyone:
        answer(campaign, p, 1 if p.org_unit in (root, None) else 4)
    close(campaign)
    assert attack(campaign) == []
    # Not everything is hidden: one of the two units is still released.
    shown = shown_cells(campaign)
    assert ("org_unit", sales.path) in shown or ("org_unit", legal.path) in shown


def _old_per_table_release(atoms: dict[tuple[str, str], int], minimum: int) -> list[set]:
    """Yesterday's rule, table by table: each segment suppressed on its own."""
    released: list[set] = [set(atoms)]
    for position in (0, 1):
        counts: dict[str, int] = {}
        for atom, n in atoms.items():
            if atom[position]:
                counts[atom[position]] = counts.get(atom[position], 0) + n
        cells = [confidentiality.Cell("T", sum(atoms.values()), fixed=True)]
        cells += [confidentiality.Cell(v, n, "T") for v, n in counts.items()]
        decision = confidentiality.suppress(cells, minimum)
        for value in counts:
            if decision.is_shown(value):
                released.append({a for a in atoms if a[position] == value})
    return released


def test_two_tables_that_each_look_safe_cannot_be_combined(org) -> None:
    # Executives: 5 in the Exec office and 1 in Sales; units and levels each look safe
    # on their own, but "executives" minus "Exec office" is the one executive in Sales.
    root = org_unit(org, name="Group")
    office = org_unit(org, name="Exec office", parent=root)
    sales = org_unit(org, name="Sales", parent=root)
    execs = [person(org, org_unit=office, leader_level="executive") for _ in range(5)]
    lone = person(org, org_unit=sales, leader_level="executive")
    staff = [person(org, org_unit=sales) for _ in range(8)]
    atoms = {("office", "executive"): 5, ("sales", "executive"): 1, ("sales", ""): 8}
    old = _old_per_table_release(atoms, 5)
    people_of_atom = {("office", "executive"): 5, ("sales", "executive"): 1, ("sales", ""): 8}
    # On the old rule the lone executive is recoverable: office (5) and executives (6)
    # were both shown, and executives − office = 1 person.
    assert {("office", "executive")} in old
    assert {("office", "executive"), ("sales", "executive")} in old
    assert people_of_atom[("sales", "executive")] == 1
    everyone = [*execs, lone, *staff]
    campaign = launch(org, people=everyone, segments=("org_unit", "leader_level"))
    for p in everyone:
        answer(campaign, p, 1 if p == lone else 4)
    close(campaign)
    assert attack(campaign) == []


@pytest.mark.parametrize("seed", range(6))
def test_random_organisations_release_nothing_recoverable(org, seed) -> None:
    rng = random.Random(seed)
    root = org_unit(org, name="Group")
    units = [org_unit(org, name=f"U{i}", parent=root) for i in range(3)]
    levels = ["", "", "operational", "senior", "executive"]
    everyone = [
        person(org, org_unit=rng.choice([*units, root]), leader_level=rng.choice(levels))
        for _ in range(rng.randint(9, 16))
    ]
    campaign = launch(org, people=everyone, segments=("org_unit", "leader_level"))
    for p in everyone:
        if rng.random() < 0.85:
            answer(campaign, p, rng.randint(1, 5))
    close(campaign)
    assert attack(campaign) == []


# --- 2 and 3. filters only select released cells, by identity --------------------------------


def test_no_filter_shows_a_hidden_cell_or_a_view_that_was_not_released(org) -> None:
    root = org_unit(org, name="Group")
    big = org_unit(org, name="Big", parent=root)
    small = org_unit(org, name="Small", parent=root)
    people = [person(org, org_unit=big) for _ in range(9)] + [
        person(org, org_unit=small) for _ in range(3)
    ]
    campaign = launch(org, people=people, segments=("org_unit", "leader_level"))
    for p in people:
        answer(campaign, p, 4)
    close(campaign)
    outcome = selectors.campaign_results(campaign)
    for breakdown in outcome.breakdowns:
        for cell in breakdown.cells:
            got = selectors.filtered_favourable(campaign, filters={breakdown.segment: cell.key})
            assert (got is not None) == cell.shown
    # Two segments at once, a raw prefix, the root's prefix of a sibling: all refused,
    # whatever was opened before.
    assert selectors.filtered_favourable(campaign, filters={"org_unit": big.path[:-1]}) is None
    assert selectors.filtered_favourable(campaign, filters={"org_unit": "/"}) is None
    both = {"org_unit": big.path, "leader_level": ""}
    assert selectors.filtered_favourable(campaign, filters=both) is None


def test_a_unit_filter_is_by_identity_not_by_string_prefix(org) -> None:
    root = org_unit(org, name="Group")
    # Paths are built from ids: make sure one id is a string prefix of another.
    units = [org_unit(org, name=f"U{i}", parent=root) for i in range(12)]
    first = units[0]
    longer = [u for u in units if u.path.startswith(first.path[:-1]) and u != first]
    people = [person(org, org_unit=u) for u in units for _ in range(5)]
    campaign = launch(org, people=people, segments=("org_unit",))
    for p in people:
        answer(campaign, p, 5 if p.org_unit == first else 1)
    close(campaign)
    shares = selectors.filtered_favourable(campaign, filters={"org_unit": first.path})
    assert shares is not None
    assert shares["confidence"] == 100.0  # exactly the unit, none of its look-alikes
    assert all(not u.path.startswith(first.path) for u in longer)


# --- 4. optional questions are tables of their own ---------------------------------------------


def test_few_answers_to_an_optional_question_stay_hidden_in_a_shown_cell(org) -> None:
    version = services.publish_instrument_version(
        organisation=org,
        actor=None,
        key="optional",
        name="Optional",
        questions=[
            definitions.QuestionSpec("core", "Core", "likert5", favourable_min=4),
            definitions.QuestionSpec("extra", "Extra", "likert5", required=False, favourable_min=4),
        ],
    )
    root = org_unit(org, name="Group")
    a = org_unit(org, name="A", parent=root)
    b = org_unit(org, name="B", parent=root)
    people = [person(org, org_unit=a) for _ in range(6)] + [
        person(org, org_unit=b) for _ in range(6)
    ]
    campaign = launch(org, people=people, version=version, segments=("org_unit",))
    for i, p in enumerate(people):
        given = {"core": 4}
        if p.org_unit == b or i < 2:  # only two people of A answer "extra"
            given["extra"] = 1 if p.org_unit == a else 5
        services.submit_response(token=token_for(campaign, p), answers=given)
    close(campaign)
    cells = {c.key: c for c in selectors.campaign_results(campaign).breakdowns[0].cells}
    assert cells[a.path].shown is True
    assert cells[a.path].favourable["core"] == 100.0
    assert cells[a.path].favourable["extra"] is None
    # … and B's "extra" would give A's two by difference from the total: hidden too.
    total_extra = next(
        q for q in selectors.campaign_results(campaign).questions if q.key == "extra"
    )
    assert total_extra.shown is True
    assert cells[b.path].favourable["extra"] is None


# --- 5. across campaigns --------------------------------------------------------------------


def test_two_campaigns_differing_by_one_joiner_do_not_give_the_joiner_away(org, unit) -> None:
    version = confidence_version(org)
    staff = [person(org, org_unit=unit) for _ in range(8)]
    joiner = person(org, org_unit=unit)
    first = launch(org, people=staff, version=version, name="March")
    for p in staff:
        answer(first, p, 4)
    close(first)
    second = launch(org, people=[*staff, joiner], version=version, name="April")
    for p in staff:
        answer(second, p, 4)
    answer(second, joiner, 1)
    outcome = selectors.campaign_results(close(second))
    assert selectors.campaign_results(first).total_shown is True
    assert outcome.total_shown is False
    assert "earlier campaign" in outcome.reason
    assert outcome.questions == []
    points = selectors.trend(org, instrument_key="pulse-confidence", question_key="confidence")
    assert [p.favourable for p in points] == [100.0, None]


def test_campaigns_with_many_new_respondents_are_compared_and_shown(org, unit) -> None:
    version = confidence_version(org)
    first_people = [person(org, org_unit=unit) for _ in range(6)]
    second_people = [person(org, org_unit=unit) for _ in range(6)]
    first = launch(org, people=first_people, version=version, name="March")
    for p in first_people:
        answer(first, p, 4)
    close(first)
    second = launch(org, people=second_people, version=version, name="April")
    for p in second_people:
        answer(second, p, 2)
    assert selectors.campaign_results(close(second)).total_shown is True


# --- 6 and 15. drafts are sealed, and belong to one link -------------------------------------


def test_a_reissued_link_never_returns_the_previous_holders_draft(org, unit) -> None:
    people = [person(org, org_unit=unit) for _ in range(5)]
    campaign = launch(org, people=people)
    old = token_for(campaign, people[0])
    services.save_draft(token=old, answers={"confidence": 1, "comment": "my private words"})
    invitation = Invitation.objects.get(campaign=campaign, person=people[0])
    sealed = invitation.sealed_draft
    assert sealed
    assert "private" not in sealed
    assert "confidence" not in sealed  # not JSON in clear either
    services.reissue_invitation(invitation=invitation, actor=None, send_email=False)
    invitation.refresh_from_db()
    assert services.open_draft(invitation) == {}
    assert invitation.sealed_draft == ""
    # Even copied back onto the row, the old sealed draft does not open with the new link.
    Invitation.objects.filter(pk=invitation.pk).update(sealed_draft=sealed)
    invitation.refresh_from_db()
    assert services.open_draft(invitation) == {}
    html = Client().get(reverse("surveys:respond", args=[token_for(campaign, people[0])]))
    assert "my private words" not in html.content.decode()


# --- 7. a pulse is anonymous, full stop ------------------------------------------------------


def test_a_pulse_cannot_be_launched_in_confidential_mode(org, unit) -> None:
    people = [person(org, org_unit=unit) for _ in range(5)]
    with pytest.raises(DomainError, match="always anonymous"):
        launch(org, people=people, mode=Campaign.Mode.CONFIDENTIAL)
    assert Campaign.objects.count() == 0


# --- 8. n−1: links answered by someone else ---------------------------------------------------


def test_an_admin_signed_in_cannot_answer_someone_elses_link(org, unit, client_for) -> None:
    people = [person(org, org_unit=unit) for _ in range(5)]
    campaign = launch(org, people=people)
    admin = client_for("admin")
    url = reverse("surveys:respond", args=[token_for(campaign, people[0])])
    page = admin.get(url)
    assert page.status_code == 403
    assert "sent to someone else" in page.content.decode()
    posted = admin.post(url, {"confidence": "4", "clarity": "4"})
    assert posted.status_code == 403
    api = admin.post(
        f"/api/v1/surveys/respond/{token_for(campaign, people[0])}",
        data={"answers": {"confidence": 4, "clarity": 4}},
        content_type="application/json",
    )
    assert api.status_code == 403
    services.save_draft(token=token_for(campaign, people[0]), answers={"confidence": 2})
    peek = admin.get(f"/api/v1/surveys/respond/{token_for(campaign, people[0])}")
    assert peek.status_code == 403
    assert "draft" not in peek.json()
    assert Completion.objects.count() == Ballot.objects.count() == 0


def test_a_link_refused_to_someone_elses_browser_is_audited_once_by_campaign(
    org, unit, client_for
) -> None:
    people = [person(org, org_unit=unit) for _ in range(5)]
    campaign = launch(org, people=people)
    token = token_for(campaign, people[0])
    admin = client_for("admin")
    refusals = AuditEvent.objects.filter(action__in=("permission.denied", "request.refused"))
    before = refusals.count()
    assert admin.get(reverse("surveys:respond", args=[token])).status_code == 403
    assert admin.post(reverse("surveys:save_draft", args=[token]), {}).status_code == 403
    api = admin.put(
        f"/api/v1/surveys/respond/{token}/draft",
        data={"answers": {"confidence": 4}},
        content_type="application/json",
    )
    assert api.status_code == 403
    events = list(refusals.order_by("pk"))[before:]
    assert [e.details["check"] for e in events] == ["surveys.answer_by_link"] * 3
    # The campaign is named, never the invitation (that would tie a person to a link).
    assert {e.target_label for e in events} == {f"campaign {campaign.pk}"}
    assert all(token not in e.details["path"] for e in events)


def test_each_link_sent_again_after_launch_raises_the_minimum(org, unit, client_for) -> None:
    people = [person(org, org_unit=unit) for _ in range(5)]
    campaign = launch(org, people=people)
    # The admin re-sends one link (say, after changing that person's email to a mailbox
    # they control) and answers through it: one real person would be the remainder.
    invitation = Invitation.objects.get(campaign=campaign, person=people[0])
    services.reissue_invitation(invitation=invitation, actor=None, send_email=False)
    for p in people:
        answer(campaign, p, 4)
    outcome = selectors.campaign_results(close(campaign))
    assert outcome.minimum == 6
    assert outcome.total_shown is False
    assert outcome.changes.resent == 1
    html = client_for("admin").get(reverse("surveys:results", args=[campaign.pk])).content
    assert b"5 + 1 for links sent again after launch" in html


# --- 10. 360 answers are not on the survey pages ---------------------------------------------


def test_a_360_campaign_is_not_reachable_through_the_survey_results(
    org, client_for, members
) -> None:
    people = [person(org, name=f"Rater {i}") for i in range(5)]
    campaign = launch(
        org, people=people, mode=Campaign.Mode.CONFIDENTIAL, confidential_owner="readiness"
    )
    for p in people:
        answer(campaign, p, 4)
    close(campaign, release=False)
    admin = client_for("admin")
    assert admin.get(reverse("surveys:results", args=[campaign.pk])).status_code == 404
    for fmt in ("csv", "xlsx"):
        url = reverse("surveys:results_export", args=[campaign.pk, fmt])
        assert admin.get(url).status_code == 404
    api = api_client_for(members["admin"]).get(f"/api/v1/surveys/campaigns/{campaign.pk}/results")
    assert api.status_code == 404
    assert campaign.pk not in [c.pk for c in selectors.campaigns_for(org)]


# --- 11 and 12. nothing stored links a person, a time or an order to a response ---------------


def _physical_order(campaign: Campaign) -> list[str]:
    column = "ctid" if connection.vendor == "postgresql" else "rowid"
    table = Response._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT leader_level FROM {table} WHERE campaign_id = %s ORDER BY {column}",  # noqa: S608
            [campaign.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def test_stored_responses_follow_no_submission_order_and_share_one_transaction(org, unit) -> None:
    levels = ["executive", "senior", "operational", ""]
    people = [person(org, org_unit=unit, leader_level=levels[i % 4]) for i in range(40)]
    campaign = launch(org, people=people, segments=("leader_level",))
    # While open, the database holds only sealed ballots: no answer can be read.
    for p in people:
        answer(campaign, p, 4, comment=f"note from {p.name}")
    assert Response.objects.count() == 0
    for sealed in Ballot.objects.values_list("sealed", flat=True):
        assert "note from" not in sealed
        assert "leader_level" not in sealed
    submitted = [p.leader_level for p in people]
    close(campaign)
    assert Ballot.objects.count() == 0
    stored = _physical_order(campaign)
    assert sorted(stored) == sorted(submitted)
    assert stored != submitted
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(DISTINCT xmin::text) FROM {Response._meta.db_table}"  # noqa: S608
                " WHERE campaign_id = %s",
                [campaign.pk],
            )
            assert cursor.fetchone()[0] == 1
    names = {f.name for f in Completion._meta.get_fields()}
    assert not names & {"response", "ballot"}


# --- 13. a released decision is final; a minimum applies from its campaign on -----------------


def test_lowering_the_minimum_never_reshows_a_launched_or_released_campaign(org, unit) -> None:
    root = org_unit(org, name="Group")
    a = org_unit(org, name="A", parent=root)
    b = org_unit(org, name="B", parent=root)
    people = [person(org, org_unit=a) for _ in range(4)] + [
        person(org, org_unit=b) for _ in range(8)
    ]
    campaign = launch(org, people=people, segments=("org_unit",))
    services.update_confidentiality(
        organisation=org, actor=None, min_group=3, min_360_group=3, min_comments=10
    )
    for p in people:
        answer(campaign, p, 4)
    before = selectors.campaign_results(close(campaign))
    assert before.minimum == 5
    cells = {c.key: c.shown for c in before.breakdowns[0].cells}
    assert cells[a.path] is False
    services.update_confidentiality(
        organisation=org, actor=None, min_group=3, min_360_group=3, min_comments=3
    )
    after = selectors.campaign_results(campaign)
    assert {c.key: c.shown for c in after.breakdowns[0].cells} == cells


# --- 14. stored responses carry only combinations shared by the minimum -----------------------


def test_the_only_executive_is_not_identifiable_in_the_database(org, unit) -> None:
    ceo = person(org, org_unit=unit, leader_level="executive", start_date=dt.date(2001, 1, 1))
    staff = [person(org, org_unit=unit, start_date=dt.date(2024, 1, 1)) for _ in range(9)]
    campaign = launch(
        org, people=[ceo, *staff], segments=("org_unit", "leader_level", "tenure_band")
    )
    for p in [ceo, *staff]:
        answer(campaign, p, 4)
    close(campaign)
    groups: dict[tuple[str, str, str], int] = {}
    for row in Response.objects.filter(campaign=campaign).values_list(
        "org_unit_path", "leader_level", "tenure_band"
    ):
        groups[row] = groups.get(row, 0) + 1
    assert all(n >= 5 for n in groups.values()), groups
    assert not Response.objects.filter(leader_level="executive").exists()
    # The completions, which name people, were cut back in the same way.
    assert not Completion.objects.filter(leader_level="executive").exists()


def test_results_of_a_campaign_still_open_are_never_computed(org, unit) -> None:
    people = [person(org, org_unit=unit) for _ in range(6)]
    campaign = launch(org, people=people)
    for p in people:
        answer(campaign, p, 4)
    with pytest.raises(DomainError, match="not closed"):
        releases.release_campaign(campaign=campaign)
    assert Release.objects.count() == 0
    assert Person.objects.filter(organisation=org).count() >= 6


def test_comparing_with_earlier_campaigns_reads_their_answers_in_one_query(org, unit) -> None:
    """Rule 5 reads who answered every earlier campaign at once: an organisation with
    thousands of released ratings must not pay one query per earlier campaign."""
    version = confidence_version(org)
    staff = [person(org, org_unit=unit) for _ in range(5)]

    def released(name: str) -> None:
        campaign = launch(org, people=staff, version=version, name=name)
        for p in staff:
            answer(campaign, p, 4)
        close(campaign)

    def queries_to_compare() -> tuple[int, int]:
        probe = launch(org, people=staff, version=version, name="Probe")
        with CaptureQueriesContext(connection) as ctx:
            found = releases._earlier_cells(probe, {"confidence"})
        probe.delete()
        return len(ctx.captured_queries), len({key[0] for key in cast(Any, found)})

    released("January")
    few = queries_to_compare()
    for month in ("February", "March", "April"):
        released(month)
    many = queries_to_compare()
    assert (few[1], many[1]) == (1, 4)
    assert many[0] == few[0]
