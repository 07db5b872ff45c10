"""The person pickers: one type-ahead over a bounded, tenant-scoped people search, and
fields that resolve what was typed (an e-mail or employee ID) without the script; the
pages that picked from thousands of options ship none."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.urls import reverse

from bellwether.core.forms import PeopleField, PersonField
from bellwether.people.models import LeaderLevel, Person
from bellwether.people.selectors import PICKER_RESULTS
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("people:search")


@pytest.fixture
def crowd(org, other_org, unit) -> list[Any]:
    people = [
        PersonFactory(
            organisation=org, name=f"Sam Crowd {i:02}", org_unit=unit, employee_id=f"S{i:03}"
        )
        for i in range(PICKER_RESULTS + 5)
    ]
    PersonFactory(organisation=org, name="Sam Gone", employee_id="G001", active=False)
    PersonFactory(organisation=other_org, name="Sam Elsewhere", employee_id="E001")
    return people


def test_the_search_answers_a_few_active_people_of_the_members_organisation(
    client_for, crowd
) -> None:
    answer = client_for("admin").get(SEARCH, {"q": "sam"}).json()
    names = [row["name"] for row in answer["results"]]
    assert len(names) == PICKER_RESULTS
    assert answer["more"] is True
    assert names == sorted(names)
    assert "Sam Gone" not in names
    assert "Sam Elsewhere" not in names
    one = client_for("leader").get(SEARCH, {"q": "crowd 03"}).json()["results"]
    assert [(r["name"], r["value"]) for r in one] == [("Sam Crowd 03", "s003@example.com")]
    assert client_for("admin").get(SEARCH, {"q": "s"}).json()["results"] == []
    outsider = client_for("outsider").get(SEARCH, {"q": "sam"}).json()["results"]
    assert [r["name"] for r in outsider] == ["Sam Elsewhere"]  # their own organisation only


def test_the_search_can_ask_for_leaders_only(client_for, crowd) -> None:
    Person.objects.filter(pk=crowd[1].pk).update(leader_level=LeaderLevel.SENIOR)
    rows = client_for("admin").get(SEARCH, {"q": "crowd", "leaders": "1"}).json()["results"]
    assert [r["name"] for r in rows] == ["Sam Crowd 01"]


def test_the_search_refuses_visitors_who_are_not_members(client) -> None:
    response = client.get(SEARCH, {"q": "sam"})
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response.url
    assert client.post(SEARCH, {"q": "sam"}).status_code in {302, 405}


class _Form(forms.Form):
    owner = PersonField(Person.objects.none(), required=False)
    invited = PeopleField(Person.objects.none(), required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(organisation=organisation, active=True)
        self.fields["owner"].queryset = people
        self.fields["invited"].queryset = people


def test_the_fields_resolve_e_mails_and_employee_ids_of_the_organisation_only(org, crowd) -> None:
    form = _Form(
        {"owner": "S001@EXAMPLE.com", "invited": "s002@example.com, S004"}, organisation=org
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["owner"] == crowd[1]
    assert set(form.cleaned_data["invited"]) == {crowd[2], crowd[4]}
    refused = _Form({"owner": "e001@example.com", "invited": "g001@example.com"}, organisation=org)
    assert not refused.is_valid()
    assert (
        "Nobody who can be chosen here has the e-mail or employee ID “e001@example.com”"
        in refused.errors["owner"][0]
    )
    assert "g001@example.com" in refused.errors["invited"][0]


def test_the_fields_never_render_the_organisations_people(org, crowd) -> None:
    html = str(_Form(initial={"owner": crowd[0], "invited": [crowd[1].pk]}, organisation=org))
    assert "<option" not in html
    assert 'role="combobox"' not in html  # the script adds the ARIA roles it implements
    assert 'data-person-picker="one"' in html
    assert 'data-person-picker="multiple"' in html
    assert 'value="s000@example.com"' in html
    assert 'value="s001@example.com"' in html
    assert SEARCH in html


# --- scope: what each caller may pick, and no more than the picker needs ----------------------


def test_each_suggestion_carries_only_what_the_callers_picker_needs(
    client_for, crowd, unit
) -> None:
    Person.objects.filter(pk=crowd[3].pk).update(title="Head of Claims")
    admin = client_for("admin").get(SEARCH, {"q": "crowd 03"})
    assert "no-store" in admin["Cache-Control"]  # never kept by a shared cache
    (row,) = admin.json()["results"]
    assert row == {
        "value": "s003@example.com",
        "name": "Sam Crowd 03",
        "detail": "Head of Claims · Headquarters",
        "email": "s003@example.com",
    }
    # A leader picks a colleague to recognise: the name and unit are enough.
    (row,) = client_for("leader").get(SEARCH, {"q": "crowd 03"}).json()["results"]
    assert row == {"value": "s003@example.com", "name": "Sam Crowd 03", "detail": "Headquarters"}
    assert "Head of Claims" not in str(row)


def test_a_member_without_a_person_is_offered_only_the_people_assigned_to_them(
    client_for, crowd, coachee, leader_person
) -> None:
    # The coach and the reviewer of the fixtures have no person of their own; both are
    # assigned Colin Coachee. They cannot list the organisation through the picker.
    for role in ("coach", "reviewer"):
        client = client_for(role)
        assert client.get(SEARCH, {"q": "sam"}).json() == {"results": [], "more": False}
        assert client.get(SEARCH, {"q": "lena"}).json()["results"] == []
        rows = client.get(SEARCH, {"q": "colin"}).json()["results"]
        assert [r["name"] for r in rows] == ["Colin Coachee"]
        assert set(rows[0]) == {"value", "name", "detail"}


def test_no_caller_ever_gets_another_organisations_people(client_for, members, crowd) -> None:
    for role in ("admin", "sponsor", "leader", "coach", "reviewer"):
        rows = client_for(role).get(SEARCH, {"q": "elsewhere"}).json()["results"]
        assert rows == [], role
        rows = client_for(role).get(SEARCH, {"q": "E001"}).json()["results"]
        assert rows == [], role
