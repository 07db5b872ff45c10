"""Users: created, read, filtered, paged, replaced, patched, deactivated and deleted,
each mapped onto a person through the people app's services."""

from __future__ import annotations

import pytest

from bellwether.core.models import AuditEvent
from bellwether.integrations.scim.models import ScimUser
from bellwether.integrations.scim.tests.conftest import ENTERPRISE, PATCH, user_body
from bellwether.people.models import OrgUnit, Person


def test_create_user_makes_a_person(scim, org):
    response = scim.post(
        "Users",
        user_body(
            "bjensen",
            externalId="ext-1",
            title="CTO",
            **{ENTERPRISE: {"employeeNumber": "E100", "department": "Engineering"}},
        ),
    )
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/scim+json"
    data = response.json()
    assert response["Location"] == data["meta"]["location"]
    person = Person.objects.get(organisation=org, employee_id="E100")
    assert person.name == "Barbara Jensen"
    assert person.email == "bjensen@example.com"
    assert person.title == "CTO"
    assert person.org_unit == OrgUnit.objects.get(organisation=org, name="Engineering")
    assert data["userName"] == "bjensen"
    assert data["name"] == {"givenName": "Barbara", "familyName": "Jensen"}
    assert data[ENTERPRISE]["employeeNumber"] == "E100"
    assert data[ENTERPRISE]["department"] == "Engineering"
    assert AuditEvent.objects.filter(organisation=org, action="scim.user_created").count() == 1
    got = scim.get(f"Users/{data['id']}")
    assert got.status_code == 200
    assert got.json()["emails"] == [
        {"value": "bjensen@example.com", "type": "work", "primary": True}
    ]


def _create(scim, user_name, **extra):
    response = scim.post("Users", user_body(user_name, **extra))
    assert response.status_code == 201, response.content
    return response.json()


def _state(org):
    return (
        list(Person.objects.filter(organisation=org).order_by("pk").values()),
        list(ScimUser.objects.order_by("pk").values()),
        list(OrgUnit.objects.filter(organisation=org).order_by("pk").values()),
    )


def test_create_adopts_a_person_the_csv_import_made(scim, org, leader_person):
    data = _create(scim, "lena", **{ENTERPRISE: {"employeeNumber": "L001"}})
    assert ScimUser.objects.get(scim_id=data["id"]).person == leader_person
    assert Person.objects.filter(organisation=org).count() == 2  # the fixtures: nobody new
    # A second User for the same person, or the same userName in another case: 409.
    again = scim.post("Users", user_body("other", **{ENTERPRISE: {"employeeNumber": "L001"}}))
    assert again.status_code == 409
    assert again.json()["scimType"] == "uniqueness"
    same_name = scim.post("Users", user_body("LENA"))
    assert same_name.status_code == 409


def test_manager_and_groups_map_to_reporting_line_and_unit(scim, org):
    boss = _create(scim, "boss", displayName="Big Boss")
    report = _create(scim, "report", **{ENTERPRISE: {"manager": {"value": boss["id"]}}})
    person = ScimUser.objects.get(scim_id=report["id"]).person
    assert person.manager == ScimUser.objects.get(scim_id=boss["id"]).person
    assert report[ENTERPRISE]["manager"]["value"] == boss["id"]
    group = scim.post("Groups", {"displayName": "Finance", "members": [{"value": report["id"]}]})
    assert group.status_code == 201, group.content
    person.refresh_from_db()
    assert person.org_unit.name == "Finance"
    assert scim.get(f"Users/{report['id']}").json()["groups"][0]["value"] == group.json()["id"]
    # Replacing the members takes the others out of the unit.
    replaced = scim.put(
        f"Groups/{group.json()['id']}",
        {"displayName": "Finance & Risk", "members": [{"value": boss["id"]}]},
    )
    assert replaced.status_code == 200, replaced.content
    person.refresh_from_db()
    assert person.org_unit is None
    assert OrgUnit.objects.get(organisation=org, name="Finance & Risk")


def test_filters(scim, org):
    first = _create(scim, "alice", externalId="A-1", displayName="Alice Archer")
    _create(scim, "bob", externalId="B-2", displayName="Bob Baker")
    _create(scim, "carol", displayName="Carol Cook", active=False)

    def found(text):
        response = scim.get("Users", filter=text)
        assert response.status_code == 200, response.content
        return sorted(user["userName"] for user in response.json()["Resources"])

    assert found('userName eq "ALICE"') == ["alice"]
    assert found('externalId eq "B-2"') == ["bob"]
    assert found('externalId eq "b-2"') == []  # caseExact
    assert found('emails.value eq "carol@example.com"') == ["carol"]
    assert found('emails[value eq "bob@example.com"]') == ["bob"]
    assert found('displayName eq "alice archer"') == ["alice"]
    assert found('displayName co "a" and active eq true') == ["alice", "bob"]
    assert found('userName sw "a" or userName ew "ol"') == ["alice", "carol"]
    assert found('not (userName eq "alice")') == ["bob", "carol"]
    assert found(f'id eq "{first["id"]}"') == ["alice"]
    assert found("externalId pr") == ["alice", "bob"]


@pytest.mark.parametrize(
    "text",
    ["userName eq", 'nickName eq "x"', 'active eq "yes"', 'userName eq "a" and', "((("],
)
def test_bad_filters_are_invalid_filter_errors(scim, text):
    response = scim.get("Users", filter=text)
    assert response.status_code == 400
    body = response.json()
    assert body["scimType"] == "invalidFilter"
    assert body["status"] == "400"
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["detail"]


def test_pagination_is_bounded(scim):
    for number in range(5):
        _create(scim, f"user{number}")
    page = scim.get("Users", startIndex=2, count=2).json()
    assert page["totalResults"] == 5
    assert page["startIndex"] == 2
    assert page["itemsPerPage"] == 2
    assert [user["userName"] for user in page["Resources"]] == ["user1", "user2"]
    assert scim.get("Users", startIndex=0, count=-3).json()["itemsPerPage"] == 0
    assert scim.get("Users", count=100000).json()["itemsPerPage"] == 5
    bad = scim.get("Users", count="many")
    assert bad.status_code == 400
    assert bad.json()["scimType"] == "invalidValue"
    only = scim.get("Users", attributes="userName").json()["Resources"][0]
    assert set(only) == {"schemas", "id", "userName"}


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        ({"userName": "x", "favouriteColour": "blue"}, "invalidSyntax"),
        ({"userName": "x", "active": "perhaps"}, "invalidValue"),
        ({"userName": "x", "emails": "x@example.com"}, "invalidValue"),
        ({"userName": "x", "emails": [{"value": "not an address"}]}, "invalidValue"),
        ({"displayName": "No user name"}, "invalidValue"),
        ({"userName": "x", "title": "t" * 201}, "invalidValue"),
        ({"userName": "x", ENTERPRISE: {"manager": {"value": "nobody"}}}, "invalidValue"),
        ("[1, 2]", "invalidSyntax"),
        ("{not json", "invalidSyntax"),
    ],
)
def test_bad_bodies_change_nothing(scim, org, body, scim_type):
    before = _state(org)
    response = scim.post("Users", body)
    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == scim_type
    assert response.json()["detail"]
    assert _state(org) == before


def test_put_patch_and_deactivation_keep_history(scim, org):
    data = _create(scim, "dora", displayName="Dora", title="Analyst")
    link = ScimUser.objects.get(scim_id=data["id"])
    put = scim.put(f"Users/{data['id']}", user_body("dora", displayName="Dora Explorer"))
    assert put.status_code == 200, put.content
    link.person.refresh_from_db()
    assert (link.person.name, link.person.title) == ("Dora Explorer", "")  # title removed
    patch = scim.patch(
        f"Users/{data['id']}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]},
    )
    assert patch.status_code == 200, patch.content
    assert patch.json()["active"] is False
    link.person.refresh_from_db()
    assert link.person.active is False
    # Entra's dialect: "Replace", a value object without a path, booleans as strings.
    entra = scim.patch(
        f"Users/{data['id']}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "Replace", "value": {"active": "True", "title": "Lead"}}],
        },
    )
    assert entra.status_code == 200, entra.content
    link.person.refresh_from_db()
    assert (link.person.active, link.person.title) == (True, "Lead")
    bad = scim.patch(
        f"Users/{data['id']}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "nickName2", "value": "x"}]},
    )
    assert bad.status_code == 400
    deleted = scim.delete(f"Users/{data['id']}")
    assert deleted.status_code == 204
    link.refresh_from_db()
    link.person.refresh_from_db()
    assert link.deleted_at is not None
    assert link.person.active is False  # deactivated, never deleted
    assert scim.get(f"Users/{data['id']}").status_code == 404
    assert scim.get("Users", filter='userName eq "dora"').json()["totalResults"] == 0
    actions = set(AuditEvent.objects.filter(organisation=org).values_list("action", flat=True))
    assert {
        "scim.user_created",
        "scim.user_updated",
        "scim.user_deleted",
        "person.created",
        "person.updated",
    } <= actions
    # Provisioned again: the same person comes back, with a new id.
    again = _create(scim, "dora")
    assert again["id"] != data["id"]
    assert ScimUser.objects.get(scim_id=again["id"]).person == link.person


def test_unknown_ids_and_paths_are_scim_404s(scim):
    for path in [
        "Users/3f1b5a0e-0000-0000-0000-000000000000",
        "Users/not-a-uuid",
        "Groups/x",
        "Nothing",
    ]:
        response = scim.get(path)
        assert response.status_code == 404
        assert response.json()["status"] == "404"


def test_the_imports_refusals_name_the_scim_attribute(scim, org):
    long_name = scim.post("Users", user_body("x", displayName="n" * 201))
    assert long_name.json()["detail"].startswith("displayName: Too long: at most 200 characters")
    long_title = scim.post("Users", user_body("x", title="t" * 201))
    assert long_title.json()["detail"].startswith("title: Too long: at most 200 characters")
    # A loop in the reporting line, made by two Users naming each other.
    ann = _create(scim, "ann")
    bob = _create(scim, "bob", **{ENTERPRISE: {"manager": {"value": ann["id"]}}})
    before = _state(org)
    loop = scim.patch(
        f"Users/{ann['id']}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "path": f"{ENTERPRISE}:manager", "value": bob["id"]}],
        },
    )
    assert loop.status_code == 400, loop.content
    assert loop.json()["scimType"] == "invalidValue"
    assert loop.json()["detail"].startswith("manager: Manager chain loops back on itself")
    assert _state(org) == before
