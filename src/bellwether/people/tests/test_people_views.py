from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.accounts.roles import Role
from bellwether.core.models import AuditEvent
from bellwether.people.models import LeaderLevel, Person
from bellwether.testing.factories import OrgUnitFactory, PersonFactory, make_member

LIST = reverse("people:list")


def _detail(pk: int) -> str:
    return reverse("people:detail", args=[pk])


def _snapshot() -> list[tuple]:
    return list(Person.objects.order_by("pk").values_list("pk", "name", "active", "manager_id"))


def _names(response) -> list[str]:
    return [p.name for p in response.context["page"]]


# --- the people list: who may use it -------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "sponsor"])
def test_admins_and_sponsors_see_everyone_active(client_for, bystander, role):
    response = client_for(role).get(LIST)
    assert response.status_code == 200
    assert _names(response) == ["Bea Bystander", "Colin Coachee", "Lena Leader"]


@pytest.mark.parametrize("role", ["coach", "reviewer"])
def test_coaches_and_reviewers_see_only_the_people_assigned_to_them(client_for, bystander, role):
    response = client_for(role).get(LIST)
    assert response.status_code == 200
    assert _names(response) == ["Colin Coachee"]
    assert b"Bea Bystander" not in response.content
    # The unit picker (which names every unit) is for those who may see the org chart.
    assert b'name="org_unit"' not in response.content


def test_a_leader_is_refused_the_directory_and_the_refusal_is_audited(
    client_for, members, bystander
):
    before_people = _snapshot()
    before = AuditEvent.objects.filter(action="permission.denied").count()
    response = client_for("leader").get(LIST)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="permission.denied").count() == before + 1
    event = AuditEvent.objects.filter(action="permission.denied").latest("id")
    assert event.details["check"] == "people.browse_people"
    assert _snapshot() == before_people


def test_an_outsider_sees_only_their_own_organisation(client_for, bystander, other_org):
    PersonFactory.create(organisation=other_org, name="Gus Globex")
    response = client_for("outsider").get(LIST)
    assert response.status_code == 200
    assert _names(response) == ["Gus Globex"]
    assert b"Bea Bystander" not in response.content


def test_the_directory_requires_sign_in(db):
    response = Client().get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


# --- the people list: what it shows ---------------------------------------------------


def test_rows_show_name_link_title_unit_level_manager_and_location(client_for, coachee):
    coachee.location = "Lisbon"
    coachee.save()
    content = client_for("admin").get(LIST).content.decode()
    assert f'href="{_detail(coachee.pk)}">Colin Coachee</a>' in content
    assert "Team Lead" in content
    assert "Headquarters" in content
    assert '<span class="badge badge-operational">Operational</span>' in content
    assert "Lena Leader" in content
    assert "Lisbon" in content


def test_search_filters_by_name_email_employee_id_and_title(client_for, bystander):
    client = client_for("admin")
    assert _names(client.get(LIST, {"q": "BEA"})) == ["Bea Bystander"]
    assert _names(client.get(LIST, {"q": "c001"})) == ["Colin Coachee"]
    assert _names(client.get(LIST, {"q": "b001@example"})) == ["Bea Bystander"]
    assert _names(client.get(LIST, {"q": "head of"})) == ["Lena Leader"]


def test_unit_filter_includes_descendant_units(client_for, org, unit, bystander):
    child = OrgUnitFactory.create(organisation=org, name="Lab", parent=unit)
    grandchild = OrgUnitFactory.create(organisation=org, name="Bench", parent=child)
    other = OrgUnitFactory.create(organisation=org, name="Elsewhere")
    PersonFactory.create(organisation=org, name="Deep Down", org_unit=grandchild)
    PersonFactory.create(organisation=org, name="Far Away", org_unit=other)
    client = client_for("admin")
    assert _names(client.get(LIST, {"org_unit": child.pk})) == ["Deep Down"]
    assert _names(client.get(LIST, {"org_unit": unit.pk})) == [
        "Bea Bystander",
        "Colin Coachee",
        "Deep Down",
        "Lena Leader",
    ]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("senior", ["Lena Leader"]),
        ("operational", ["Colin Coachee"]),
        ("executive", []),
        ("leaders", ["Colin Coachee", "Lena Leader"]),
        ("none", ["Bea Bystander"]),
    ],
)
def test_level_filter(client_for, bystander, level, expected):
    assert _names(client_for("admin").get(LIST, {"level": level})) == expected


def test_status_filter_shows_inactive_people_only_when_asked(client_for, org, bystander):
    PersonFactory.create(organisation=org, name="Ivy Inactive", active=False)
    client = client_for("admin")
    assert "Ivy Inactive" not in _names(client.get(LIST))
    assert _names(client.get(LIST, {"status": "inactive"})) == ["Ivy Inactive"]
    assert len(_names(client.get(LIST, {"status": "all"}))) == 4


def test_manager_filter_lists_direct_reports(client_for, leader_person, coachee, bystander):
    response = client_for("admin").get(LIST, {"manager": leader_person.pk})
    assert _names(response) == ["Colin Coachee"]
    assert b"Direct reports of Lena Leader" in response.content


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"org_unit": "abc"}, "org_unit", "Enter a whole number."),
        ({"org_unit": "999999"}, "org_unit", "There is no such org unit."),
        (
            {"level": "wizard"},
            "level",
            "Select a valid choice. wizard is not one of the available choices.",
        ),
        ({"manager": "999999"}, "manager", "There is no such person."),
    ],
)
def test_a_bad_filter_is_explained_and_matches_nobody(
    client_for, bystander, params, field, message
):
    response = client_for("admin").get(LIST, params)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert _names(response) == []


def test_another_organisations_unit_is_an_unknown_filter(client_for, other_org, bystander):
    foreign = OrgUnitFactory.create(organisation=other_org)
    PersonFactory.create(organisation=other_org, org_unit=foreign)
    response = client_for("admin").get(LIST, {"org_unit": foreign.pk})
    assert response.context["form"].errors["org_unit"] == ["There is no such org unit."]
    assert _names(response) == []


def test_pages_of_fifty_keep_the_filters(client_for, org, members):
    for i in range(60):
        PersonFactory.create(
            organisation=org, name=f"Op {i:02d}", leader_level=LeaderLevel.OPERATIONAL
        )
    client = client_for("admin")
    first = client.get(LIST, {"level": "operational", "q": "op"})
    assert len(_names(first)) == 50
    assert first.context["page"].paginator.count == 60
    assert b"Page 1 of 2 (60 in all)" in first.content
    # The next page is a keyset cursor after the last row, the filters kept.
    after = first.context["page"].next
    assert f"?level=operational&amp;q=op&amp;after={quote(after)}".encode() in first.content
    second = client.get(LIST, {"level": "operational", "q": "op", "after": after})
    assert _names(second) == [f"Op {i:02d}" for i in range(50, 60)]
    assert second.context["page"].next is None
    # ... and back: the page before the second is the first.
    back = client.get(
        LIST, {"level": "operational", "q": "op", "before": second.context["page"].previous}
    )
    assert _names(back) == _names(first)
    assert back.context["page"].previous is None
    # Old page-number links still work.
    numbered = client.get(LIST, {"level": "operational", "q": "op", "page": 2})
    assert _names(numbered) == [f"Op {i:02d}" for i in range(50, 60)]


@pytest.mark.parametrize(
    "cursor", ["nonsense", "W10:1abc:def", "a" * 400, '["people", ["Op 01", 1]]']
)
def test_a_changed_or_foreign_cursor_is_a_clear_400(client_for, org, cursor):
    PersonFactory.create(organisation=org, name="Op 01")
    for key in ("after", "before"):
        response = client_for("admin").get(LIST, {key: cursor})
        assert response.status_code == 400
        assert b"Start again from the first page" in response.content


def test_another_lists_cursor_is_refused(client_for, org):
    from bellwether.core import cursor

    PersonFactory.create(organisation=org, name="Op 01")
    foreign = cursor.encode(["Op 01", 1], scope="readiness.bands")
    assert client_for("admin").get(LIST, {"after": foreign}).status_code == 400


def test_a_deep_cursor_page_costs_the_queries_of_the_first(
    client_for, org, unit, django_assert_max_num_queries
):
    for i in range(120):
        PersonFactory.create(organisation=org, org_unit=unit, name=f"P {i:03d}")
    client = client_for("admin")
    first = client.get(LIST)
    with CaptureQueriesContext(connection) as on_first:
        first = client.get(LIST)
    second = client.get(LIST, {"after": first.context["page"].next})
    with CaptureQueriesContext(connection) as on_third:
        third = client.get(LIST, {"after": second.context["page"].next})
    expected = list(Person.objects.filter(organisation=org).order_by("name", "id"))[100:150]
    assert list(third.context["page"]) == expected
    assert len(on_third) == len(on_first)


def test_the_list_costs_the_same_queries_for_5_or_50_rows(
    client_for, org, unit, leader_person, django_assert_max_num_queries
):
    client = client_for("admin")

    def add(n: int) -> None:
        for _ in range(n):
            PersonFactory.create(organisation=org, org_unit=unit, manager=leader_person)

    add(3)  # plus Lena and Colin: 5 rows
    client.get(LIST)  # the first request after sign-in also touches the session
    with CaptureQueriesContext(connection) as five:
        assert len(_names(client.get(LIST))) == 5
    add(45)
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as fifty:
        assert len(_names(client.get(LIST))) == 50
    assert len(fifty) == len(five)


def test_the_coach_list_query_count_is_constant_too(
    client_for, org, unit, members, django_assert_max_num_queries
):
    from bellwether.accounts.models import Assignment
    from bellwether.testing.factories import assign

    client = client_for("coach")
    client.get(LIST)  # the first request after sign-in also touches the session
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _ in range(10):
        assign(
            members["coach"],
            PersonFactory.create(organisation=org, org_unit=unit),
            Assignment.Kind.COACHEE,
        )
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as eleven:
        assert len(_names(client.get(LIST))) == 11
    assert len(eleven) == len(one)


# --- a person's page ---------------------------------------------------------------------

# A person outside the member's reach (not theirs, not a coachee): the page and the API
# answer alike, and a refusal is a 404 that does not say the person exists.
BYSTANDER_ANSWERS = [
    ("admin", 200),
    ("sponsor", 200),
    ("leader", 404),
    ("coach", 404),
    ("reviewer", 404),
    ("outsider", 404),
]


@pytest.mark.parametrize(("role", "status"), BYSTANDER_ANSWERS)
def test_who_may_open_a_bystanders_page(client_for, bystander, role, status):
    before = _snapshot()
    response = client_for(role).get(_detail(bystander.pk))
    assert response.status_code == status
    if status == 404:
        assert b"Bea Bystander" not in response.content
        event = AuditEvent.objects.filter(action="permission.denied").latest("id")
        assert event.details["refused_as"] == "404"
    assert _snapshot() == before


@pytest.mark.parametrize("role", ["admin", "sponsor", "coach", "reviewer"])
def test_who_may_open_a_coachees_page(client_for, coachee, role):
    response = client_for(role).get(_detail(coachee.pk))
    assert response.status_code == 200
    assert b"Colin Coachee" in response.content


def test_a_leader_sees_their_own_page(client_for, leader_person):
    response = client_for("leader").get(_detail(leader_person.pk))
    assert response.status_code == 200
    assert b"Lena Leader" in response.content


def test_an_outsider_gets_404_for_a_person_of_another_organisation(client_for, leader_person):
    assert client_for("outsider").get(_detail(leader_person.pk)).status_code == 404


def test_a_missing_person_is_404(client_for, members):
    assert client_for("admin").get(_detail(987654)).status_code == 404


def test_the_page_shows_every_field_and_the_unit_breadcrumbs(client_for, org, unit):
    team = OrgUnitFactory.create(organisation=org, name="Platform Team", parent=unit)
    person = PersonFactory.create(
        organisation=org,
        employee_id="E-77",
        name="Pia Platform",
        email="pia@acme.example",
        title="Staff Engineer",
        org_unit=team,
        leader_level=LeaderLevel.OPERATIONAL,
        location="Porto",
        start_date="2021-03-04",
    )
    content = client_for("admin").get(_detail(person.pk)).content.decode()
    for text in [
        "E-77",
        "pia@acme.example",
        "Staff Engineer",
        "Porto",
        "4 March 2021",
        "Operational",
    ]:
        assert text in content
    hq_crumb = f'<a href="{reverse("people:org_chart")}?unit={unit.pk}">Headquarters</a>'
    assert hq_crumb in content
    assert content.index("Headquarters") < content.index("Platform Team")
    assert "Not assessed yet" in content


def test_the_page_shows_the_manager_chain_to_the_top(client_for, org, leader_person, coachee):
    ceo = PersonFactory.create(
        organisation=org, name="Carla Chief", leader_level=LeaderLevel.EXECUTIVE
    )
    leader_person.manager = ceo
    leader_person.save()
    response = client_for("admin").get(_detail(coachee.pk))
    assert [p.name for p in response.context["chain"]] == ["Carla Chief", "Lena Leader"]


def test_direct_reports_are_capped_with_a_link_to_the_full_list(client_for, org, leader_person):
    for i in range(30):
        PersonFactory.create(organisation=org, name=f"Report {i:02d}", manager=leader_person)
    response = client_for("admin").get(_detail(leader_person.pk))
    assert len(response.context["reports"]) == 25
    assert response.context["report_count"] == 31  # and Colin Coachee
    link = f'href="{LIST}?manager={leader_person.pk}">All 31 direct reports</a>'
    assert link in response.content.decode()


def test_the_person_page_query_count_does_not_grow_with_reports(client_for, org, leader_person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("admin")
    client.get(
        _detail(leader_person.pk)
    )  # the first request after sign-in also touches the session
    for _ in range(30):
        PersonFactory.create(organisation=org, manager=leader_person)
    with CaptureQueriesContext(connection) as before:
        assert client.get(_detail(leader_person.pk)).status_code == 200
    for _ in range(30):
        PersonFactory.create(organisation=org, manager=leader_person)
    with CaptureQueriesContext(connection) as after:
        assert client.get(_detail(leader_person.pk)).status_code == 200
    assert len(after) == len(before)
    # The page itself and each module's panel (readiness, influence, engagement) ask a
    # fixed number of questions.
    assert len(after) <= 20


def test_only_admins_see_the_roles_a_person_holds(client_for, leader_person):
    admin_page = client_for("admin").get(_detail(leader_person.pk))
    assert admin_page.context["roles"] == ["Leader"]
    assert b"Roles: Leader" in admin_page.content
    sponsor_page = client_for("sponsor").get(_detail(leader_person.pk))
    assert b"Bellwether access" not in sponsor_page.content
    own_page = client_for("leader").get(_detail(leader_person.pk))
    assert b"Bellwether access" not in own_page.content


def test_a_coach_sees_the_coachee_but_not_the_org_structure_around_them(client_for, coachee):
    response = client_for("coach").get(_detail(coachee.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Reporting line" not in content
    assert "Direct reports" not in content
    # The manager's name is one of the coachee's fields; their page is not linked.
    assert "Lena Leader" in content
    assert _detail(coachee.manager_id) not in content


def test_a_person_without_an_account_says_so_to_admins(client_for, bystander):
    response = client_for("admin").get(_detail(bystander.pk))
    assert b"No Bellwether account." in response.content


def test_roles_from_several_grants_are_listed(client_for, org, bystander):
    make_member(org, Role.COACH, Role.REVIEWER, email="bea@acme.test", person=bystander)
    response = client_for("admin").get(_detail(bystander.pk))
    assert response.context["roles"] == ["Coach", "Reviewer"]
