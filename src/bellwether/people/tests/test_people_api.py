from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bellwether.accounts.models import Membership
from bellwether.api import api
from bellwether.core.models import AuditEvent
from bellwether.people.models import LeaderLevel, OrgUnit, Person
from bellwether.people.tests.test_people_views import BYSTANDER_ANSWERS
from bellwether.testing.factories import OrgUnitFactory, PersonFactory, api_client_for

ROLES = ["admin", "sponsor", "leader", "coach", "reviewer", "outsider"]


class Api:
    """A test client speaking to /api/v1 (with one member's API token, or none)."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(f"/api/v1{path}", params or {})

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(f"/api/v1{path}", body, content_type="application/json")


@pytest.fixture
def api_for(members: dict[str, Membership]) -> Callable[[str], Api]:
    def make(role: str) -> Api:
        return Api(api_client_for(members[role]))

    return make


def _snapshot() -> tuple[list[tuple], list[tuple]]:
    return (
        list(Person.objects.order_by("pk").values_list("pk", "employee_id", "name", "active")),
        list(OrgUnit.objects.order_by("pk").values_list("pk", "code", "name", "parent_id")),
    )


def _denials() -> int:
    return AuditEvent.objects.filter(action="permission.denied").count()


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    return body["error"]


# --- authentication -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/people"),
        ("get", "/people/1"),
        ("post", "/people/batch"),
        ("get", "/org-units"),
        ("get", "/org-units/1"),
        ("post", "/org-units/batch"),
    ],
)
def test_every_endpoint_requires_a_token(db, method, path):
    client = Api(Client())
    response = client.get(path) if method == "get" else client.post(path, {"records": []})
    _error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_wrong_token_is_401(db):
    _error(
        Api(Client(HTTP_AUTHORIZATION="Bearer bw_not-a-real-token")).get("/people"),
        401,
        "unauthenticated",
    )


# --- GET /people ------------------------------------------------------------------------


def test_admin_lists_active_people_with_their_fields(api_for, coachee, bystander):
    body = api_for("admin").get("/people").json()
    assert body["count"] == 3
    assert (body["limit"], body["offset"]) == (50, 0)
    assert [p["name"] for p in body["items"]] == ["Bea Bystander", "Colin Coachee", "Lena Leader"]
    colin = body["items"][1]
    assert colin == {
        "id": coachee.pk,
        "employee_id": "C001",
        "name": "Colin Coachee",
        "email": "c001@example.com",
        "title": "Team Lead",
        "org_unit": {"id": coachee.org_unit_id, "code": "HQ", "name": "Headquarters"},
        "manager": {"id": coachee.manager_id, "employee_id": "L001", "name": "Lena Leader"},
        "leader_level": "operational",
        "location": "",
        "start_date": None,
        "active": True,
    }


@pytest.mark.parametrize(
    ("role", "names"),
    [
        ("admin", ["Bea Bystander", "Colin Coachee", "Lena Leader"]),
        ("sponsor", ["Bea Bystander", "Colin Coachee", "Lena Leader"]),
        ("coach", ["Colin Coachee"]),
        ("reviewer", ["Colin Coachee"]),
        ("outsider", []),
    ],
)
def test_each_role_lists_only_the_people_it_may_see(api_for, bystander, role, names):
    response = api_for(role).get("/people")
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["items"]] == names
    assert response.json()["count"] == len(names)


def test_a_leader_may_not_list_people_and_the_refusal_is_audited(api_for, bystander):
    client = api_for("leader")
    before = _denials()
    _error(client.get("/people"), 403, "forbidden")
    assert _denials() == before + 1


def test_people_filters(api_for, org, unit, bystander):
    lab = OrgUnitFactory.create(organisation=org, code="LAB", name="Lab", parent=unit)
    PersonFactory.create(organisation=org, name="Luis Lab", org_unit=lab)
    PersonFactory.create(organisation=org, name="Ivy Inactive", active=False)
    client = api_for("admin")

    def names(**params: Any) -> list[str]:
        response = client.get("/people", params)
        assert response.status_code == 200, response.content
        return [p["name"] for p in response.json()["items"]]

    assert names(q="LENA") == ["Lena Leader"]
    assert names(q="b001") == ["Bea Bystander"]
    assert names(org_unit=lab.pk) == ["Luis Lab"]
    assert names(org_unit=unit.pk) == ["Bea Bystander", "Colin Coachee", "Lena Leader", "Luis Lab"]
    assert names(leader_level="senior") == ["Lena Leader"]
    assert names(leader_level="leaders") == ["Colin Coachee", "Lena Leader"]
    assert names(leader_level="none") == ["Bea Bystander", "Luis Lab"]
    assert names(active="false") == ["Ivy Inactive"]
    assert len(names(active="all")) == 5


def test_people_pages_by_limit_and_offset(api_for, org, members):
    for i in range(8):
        PersonFactory.create(organisation=org, name=f"Page {i}")
    client = api_for("admin")
    body = client.get("/people", {"q": "page", "limit": 3, "offset": 6}).json()
    assert body["count"] == 8
    assert [p["name"] for p in body["items"]] == ["Page 6", "Page 7"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 501}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"leader_level": "wizard"}, "leader_level"),
        ({"active": "maybe"}, "active"),
        ({"org_unit": "abc"}, "org_unit"),
    ],
)
def test_bad_list_parameters_are_explained(api_for, members, params, field):
    error = _error(api_for("admin").get("/people", params), 422, "invalid")
    assert field in error["fields"]


def test_an_unknown_or_foreign_org_unit_filter_is_400(api_for, other_org, members):
    foreign = OrgUnitFactory.create(organisation=other_org)
    error = _error(api_for("admin").get("/people", {"org_unit": foreign.pk}), 400, "invalid")
    assert error["fields"] == {"org_unit": ["There is no such org unit."]}


def test_the_people_list_costs_the_same_queries_for_few_or_many(
    api_for, org, unit, leader_person, django_assert_max_num_queries
):
    client = api_for("admin")
    client.get("/people")  # the first call also stamps the token's last use
    with CaptureQueriesContext(connection) as few:
        client.get("/people")
    for _ in range(40):
        PersonFactory.create(organisation=org, org_unit=unit, manager=leader_person)
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as many:
        assert len(client.get("/people").json()["items"]) == 42
    assert len(many) == len(few)


# --- GET /people/{id} ---------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), BYSTANDER_ANSWERS)
def test_who_may_read_a_bystander(api_for, bystander, role, status):
    client = api_for(role)
    before = _denials()
    response = client.get(f"/people/{bystander.pk}")
    if status == 200:
        assert response.status_code == 200
        assert response.json()["employee_id"] == "B001"
    else:
        _error(response, 404, "not_found")
        assert _denials() == before + 1


@pytest.mark.parametrize("role", ["admin", "sponsor", "leader", "coach", "reviewer"])
def test_who_may_read_a_coachee_or_their_own_record(api_for, coachee, leader_person, role):
    target = leader_person if role == "leader" else coachee
    response = api_for(role).get(f"/people/{target.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == target.pk


def test_a_missing_person_is_404(api_for, members):
    _error(api_for("admin").get("/people/987654"), 404, "not_found")


# --- GET /org-units ------------------------------------------------------------------------


@pytest.fixture
def units(org, unit):
    sales = OrgUnitFactory.create(organisation=org, code="SALES", name="Sales", parent=unit)
    emea = OrgUnitFactory.create(organisation=org, code="EMEA", name="Sales EMEA", parent=sales)
    return {"hq": unit, "sales": sales, "emea": emea}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_list_org_units(api_for, units, other_org, role):
    OrgUnitFactory.create(organisation=other_org, code="GLOBEX")
    client = api_for(role)
    before = _denials()
    response = client.get("/org-units")
    if role in {"admin", "sponsor"}:
        assert response.status_code == 200
        assert [u["code"] for u in response.json()["items"]] == ["HQ", "SALES", "EMEA"]
    elif role == "outsider":
        assert [u["code"] for u in response.json()["items"]] == ["GLOBEX"]
    else:
        _error(response, 403, "forbidden")
        assert _denials() == before + 1


def test_org_units_filter_by_parent_roots_and_search(api_for, units):
    client = api_for("admin")

    def codes(**params: Any) -> list[str]:
        response = client.get("/org-units", params)
        assert response.status_code == 200, response.content
        return [u["code"] for u in response.json()["items"]]

    assert codes(parent=units["sales"].pk) == ["EMEA"]
    assert codes(roots=True) == ["HQ"]
    assert codes(q="sales") == ["SALES", "EMEA"]
    assert codes(q="emea sales") == ["EMEA"]
    body = client.get("/org-units", {"limit": 1, "offset": 1}).json()
    assert body["count"] == 3
    assert body["items"] == [
        {
            "id": units["sales"].pk,
            "code": "SALES",
            "name": "Sales",
            "parent_id": units["hq"].pk,
            "path": units["sales"].path,
            "depth": 1,
        }
    ]


def test_a_foreign_parent_filter_is_400(api_for, other_org, members):
    foreign = OrgUnitFactory.create(organisation=other_org)
    error = _error(api_for("admin").get("/org-units", {"parent": foreign.pk}), 400, "invalid")
    assert error["fields"] == {"parent": ["There is no such org unit."]}


# --- GET /org-units/{id} ------------------------------------------------------------------


def test_an_org_unit_has_its_subtree_counts_and_head(api_for, org, units, leader_person, coachee):
    PersonFactory.create(organisation=org, name="Eve", org_unit=units["emea"])
    body = api_for("admin").get(f"/org-units/{units['hq'].pk}").json()
    assert body == {
        "id": units["hq"].pk,
        "code": "HQ",
        "name": "Headquarters",
        "parent_id": None,
        "path": units["hq"].path,
        "depth": 0,
        "people": 3,
        "leaders": 2,
        "children": 1,
        "head": {"id": leader_person.pk, "employee_id": "L001", "name": "Lena Leader"},
    }
    emea = api_for("sponsor").get(f"/org-units/{units['emea'].pk}").json()
    assert (emea["people"], emea["leaders"], emea["head"]) == (1, 0, None)


@pytest.mark.parametrize("role", ["leader", "coach", "reviewer", "outsider"])
def test_others_get_404_for_an_org_unit(api_for, units, role):
    client = api_for(role)
    before = _denials()
    _error(client.get(f"/org-units/{units['sales'].pk}"), 404, "not_found")
    assert _denials() == before + 1


def test_a_missing_org_unit_is_404(api_for, members):
    _error(api_for("admin").get("/org-units/987654"), 404, "not_found")


# --- POST /people/batch and /org-units/batch --------------------------------------------


def test_admin_creates_and_updates_people_in_one_batch(api_for, org, unit, leader_person):
    client = api_for("admin")
    response = client.post(
        "/people/batch",
        {
            "records": [
                {"employee_id": "N001", "name": "Nina New", "org_unit": "HQ", "manager": "L001"},
                {"employee_id": "L001", "name": "Lena Leader", "title": "COO"},
            ]
        },
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "ok": True,
        "dry_run": False,
        "total": 2,
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "deactivated": 0,
    }
    nina = Person.objects.get(organisation=org, employee_id="N001")
    assert (nina.name, nina.org_unit_id, nina.manager_id) == ("Nina New", unit.pk, leader_person.pk)
    leader_person.refresh_from_db()
    assert leader_person.title == "COO"
    assert leader_person.leader_level == LeaderLevel.SENIOR  # left out: kept


def test_a_dry_run_counts_but_changes_nothing(api_for, members):
    client = api_for("admin")
    before = _snapshot()
    response = client.post(
        "/people/batch", {"records": [{"employee_id": "N1", "name": "N"}], "dry_run": True}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["dry_run"], response.json()["created"]) == (True, 1)
    assert _snapshot() == before


def test_a_batch_with_bad_records_is_refused_whole_with_each_problem(api_for, members):
    client = api_for("admin")
    before = _snapshot()
    response = client.post(
        "/people/batch",
        {
            "records": [
                {"employee_id": "OK1", "name": "Fine"},
                {"employee_id": "X2", "name": "Bad", "leader_level": "emperor"},
                {"employee_id": "X3", "shoe_size": 44},
            ]
        },
    )
    error = _error(response, 400, "invalid_records")
    assert "nothing was changed" in error["message"]
    assert set(error["fields"]) >= {"records[2].leader_level", "records[3].shoe_size"}
    assert all(isinstance(m, list) and m for m in error["fields"].values())
    assert _snapshot() == before


def test_admin_upserts_org_units_in_a_batch(api_for, org, unit):
    client = api_for("admin")
    response = client.post(
        "/org-units/batch",
        {"records": [{"code": "R&D", "name": "Research", "parent_code": "HQ"}]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    research = OrgUnit.objects.get(organisation=org, code="R&D")
    assert research.parent_id == unit.pk


def test_a_bad_org_unit_batch_is_refused(api_for, members):
    before = _snapshot()
    response = api_for("admin").post("/org-units/batch", {"records": [{"code": "X"}]})
    error = _error(response, 400, "invalid_records")
    assert error["fields"]
    assert _snapshot() == before


@pytest.mark.parametrize("path", ["/people/batch", "/org-units/batch"])
def test_a_batch_over_5000_records_is_413(api_for, members, path):
    before = _snapshot()
    records = [{"employee_id": f"E{i}", "name": "x", "code": f"C{i}"} for i in range(5001)]
    error = _error(api_for("admin").post(path, {"records": records}), 413, "too_large")
    assert "At most 5,000 records per call; this call has 5,001." in error["message"]
    assert _snapshot() == before


@pytest.mark.parametrize("path", ["/people/batch", "/org-units/batch"])
def test_an_empty_batch_is_400(api_for, members, path):
    error = _error(api_for("admin").post(path, {"records": []}), 400, "invalid")
    assert error["fields"] == {"records": ["Empty."]}


@pytest.mark.parametrize("path", ["/people/batch", "/org-units/batch"])
def test_a_batch_without_records_is_422(api_for, members, path):
    error = _error(api_for("admin").post(path, {"dry_run": True}), 422, "invalid")
    assert error["fields"] == {"records": ["Field required"]}


@pytest.mark.parametrize("role", ["sponsor", "leader", "coach", "reviewer"])
@pytest.mark.parametrize(
    ("path", "record"),
    [
        ("/people/batch", {"employee_id": "Z1", "name": "Zed"}),
        ("/org-units/batch", {"code": "ZU", "name": "Zed Unit"}),
    ],
)
def test_only_admins_may_batch_and_a_refusal_changes_nothing(api_for, members, role, path, record):
    client = api_for(role)
    before, denials = _snapshot(), _denials()
    _error(client.post(path, {"records": [record]}), 403, "forbidden")
    assert _snapshot() == before
    assert _denials() == denials + 1


def test_an_outsiders_batch_lands_in_their_own_organisation_only(api_for, org, other_org, members):
    response = api_for("outsider").post(
        "/people/batch", {"records": [{"employee_id": "L001", "name": "Not Lena"}]}
    )
    assert response.status_code == 200
    assert response.json()["created"] == 1
    assert Person.objects.get(organisation=org, employee_id="L001").name == "Lena Leader"
    assert Person.objects.get(organisation=other_org, employee_id="L001").name == "Not Lena"


# --- the OpenAPI document -----------------------------------------------------------------------


def test_the_openapi_document_describes_every_endpoint():
    schema = api.get_openapi_schema()
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/people", "get"),
        ("/api/v1/people/{person_id}", "get"),
        ("/api/v1/people/batch", "post"),
        ("/api/v1/org-units", "get"),
        ("/api/v1/org-units/{unit_id}", "get"),
        ("/api/v1/org-units/batch", "post"),
    ]:
        responses = {str(status) for status in paths[path][method]["responses"]}
        assert {"200", "401", "403", "404", "422"} <= responses
    list_params = {p["name"] for p in paths["/api/v1/people"]["get"]["parameters"]}
    assert list_params == {"q", "org_unit", "leader_level", "active", "limit", "offset", "cursor"}


# --- keyset pages ---------------------------------------------------------------------------


def test_people_pages_by_cursor_cover_everyone_once(api_for, org) -> None:
    for i in range(7):
        PersonFactory.create(organisation=org, name=f"Same name {i % 2}")
    api = api_for("admin")
    seen, cursor = [], None
    while True:
        body = api.get("/people", {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        assert body["count"] == Person.objects.filter(organisation=org, active=True).count()
        seen += [p["id"] for p in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    expected = list(
        Person.objects.filter(organisation=org, active=True)
        .order_by("name", "id")
        .values_list("pk", flat=True)
    )
    assert seen == expected


def test_a_changed_people_cursor_is_a_400_that_says_what_to_do(api_for, org) -> None:
    PersonFactory.create(organisation=org)
    api = api_for("admin")
    good = api.get("/people", {"limit": 1}).json()["next"]
    for bad in ("x", good[:-2] + "zz", good + "x"):
        error = _error(api.get("/people", {"cursor": bad}), 400, "invalid_cursor")
        assert "first page" in error["message"]
    both = api.get("/people", {"cursor": good, "offset": 5})
    assert both.status_code == 400


def test_a_cursor_page_costs_the_queries_of_the_first(api_for, org) -> None:
    for i in range(30):
        PersonFactory.create(organisation=org, name=f"P {i:02d}")
    api = api_for("admin")
    api.get("/people", {"limit": 5})
    with CaptureQueriesContext(connection) as first:
        cursor = api.get("/people", {"limit": 5}).json()["next"]
    with CaptureQueriesContext(connection) as later:
        api.get("/people", {"limit": 5, "cursor": cursor})
    assert len(later) == len(first)
