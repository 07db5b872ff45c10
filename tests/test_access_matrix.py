"""Every page and every API operation × every role, including the refusals.

Two guarantees are checked here for the whole site rather than page by page:

* each role gets exactly the answer the permission module promises (200, or 403
  for a page the role may not open, or 404 for an object it may not see);
* a member of another organisation gets 404 for every object of this one, on
  every URL and API operation that takes an object id, and the refused request
  changes nothing.

A new URL or API operation fails ``test_every_url_is_in_the_matrix`` until it is
added here, so nothing ships without its access rules being tested.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bellwether.accounts.models import ApiToken, Membership
from bellwether.accounts.tokens import digest, display_prefix, new_secret
from bellwether.core.models import AuditEvent
from bellwether.people.models import ImportJob, Person
from bellwether.testing.access import (
    MEMBER_ROLES,
    ROLES,
    Operation,
    Page,
    World,
    api_everyone,
    api_only,
    collect,
    everyone,
    only,
)

# The foundation's pages and operations are listed here; every other app lists its
# own in bellwether/<app>/tests/access.py and they are collected below.

PAGES: list[Page] = [
    Page("core:home", everyone(200)),
    Page("core:audit_log", only(("admin",))),
    Page("core:scheduled_jobs", only(("admin",))),
    Page("core:switch_organisation", everyone(405)),
    Page("core:healthz", everyone(200, anonymous=200)),
    Page("core:readyz", everyone(200, anonymous=200)),
    # The test client's address (127.0.0.1) is in the default allow-list; a request from
    # elsewhere without the token is refused (core/tests/test_operations.py).
    Page("core:metrics", everyone(200, anonymous=200)),
    Page("accounts:sign_in", everyone(302, anonymous=200)),
    # POST-only; a stray GET is sent back to the sign-in page.
    Page("accounts:request_link", everyone(302, anonymous=302)),
    Page(
        "accounts:sign_in_link",
        everyone(410, anonymous=410),
        kwargs=lambda world: {"token": "forged-token-that-does-not-exist"},
    ),
    Page("accounts:sign_in_code", everyone(200, anonymous=200)),
    Page("accounts:sign_out", everyone(405, anonymous=405)),
    Page("accounts:settings", everyone(200)),
    Page("accounts:create_token", everyone(405)),
    Page(
        "accounts:revoke_token",
        everyone(405),
        kwargs=lambda world: {"token_id": world["token"].pk},
        is_object_page=True,
    ),
    Page("accounts:members", only(("admin",))),
    Page(
        "accounts:member_detail",
        only(("admin",), outsider=404),
        kwargs=lambda world: {"member_id": world["members"]["sponsor"].pk},
        is_object_page=True,
    ),
    Page(
        "accounts:deactivate_member",
        everyone(405),
        kwargs=lambda world: {"member_id": world["members"]["sponsor"].pk},
        is_object_page=True,
    ),
    Page("people:list", only(("admin", "sponsor", "coach", "reviewer"))),
    Page("people:org_chart", only(("admin", "sponsor"))),
    Page("people:unit_search", only(("admin", "sponsor"))),
    Page("people:search", everyone(200)),
    Page(
        "people:detail",
        only(("admin", "sponsor"), refused=404, outsider=404),
        kwargs=lambda world: {"pk": world["bystander"].pk},
        is_object_page=True,
    ),
    Page(
        "people:detail",
        only(("admin", "sponsor", "coach", "reviewer"), refused=404, outsider=404),
        kwargs=lambda world: {"pk": world["coachee"].pk},
        is_object_page=True,
    ),
    Page(
        "people:detail",
        only(("admin", "sponsor", "leader"), refused=404, outsider=404),
        kwargs=lambda world: {"pk": world["leader_person"].pk},
        is_object_page=True,
    ),
    Page("people:export", only(("admin",)), kwargs=lambda world: {"fmt": "csv"}),
    Page("people:export", only(("admin",)), kwargs=lambda world: {"fmt": "xlsx"}),
    Page("people:import", only(("admin",))),
    Page(
        "people:import_job",
        only(("admin",), outsider=404),
        kwargs=lambda world: {"pk": world["import_job"].pk},
        is_object_page=True,
    ),
    Page(
        "people:import_progress",
        only(("admin",), outsider=404),
        kwargs=lambda world: {"pk": world["import_job"].pk},
        is_object_page=True,
    ),
    Page("framework:catalogue", everyone(200)),
]

COLLECTED = collect()
PAGES += COLLECTED.pages

# URL names that are not pages of their own.
NOT_PAGES = {"core:favicon"}


def _named_patterns(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "api":
                continue  # the API is covered operation by operation below
            names |= _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern))
    return names


def test_every_url_is_in_the_matrix() -> None:
    covered = {page.name for page in PAGES} | NOT_PAGES
    assert _named_patterns(get_resolver()) - covered == set()


@pytest.fixture
def world(
    members: dict[str, Membership],
    bystander: Person,
    coachee: Person,
    leader_person: Person,
    org,
    other_org,
    unit,
) -> World:  # type: ignore[no-untyped-def]
    secret = new_secret()
    token = ApiToken.objects.create(
        membership=members["admin"],
        name="matrix",
        prefix=display_prefix(secret),
        digest=digest(secret),
    )
    job = ImportJob.objects.create(
        organisation=org,
        created_by=members["admin"].user,
        filename="people.csv",
        content=b"employee_id,name\n",
        status=ImportJob.Status.SUCCEEDED,
    )
    world: World = {
        "org": org,
        "other_org": other_org,
        "unit": unit,
        "members": members,
        "bystander": bystander,
        "coachee": coachee,
        "leader_person": leader_person,
        "token": token,
        "import_job": job,
    }
    for build in COLLECTED.builders:
        build(world)
    return world


# Caches any read may fill for the reader's own organisation (the influence network's
# version stamp); they hold nothing that is not already stored elsewhere.
READ_CACHES = {"influence.VersionStamp"}


def _state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every Bellwether table except the audit log (refusals add to it) and
    the read caches above."""
    from django.apps import apps

    state = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in READ_CACHES:
            continue
        if model._meta.app_label in {"core", "sessions"} and model.__name__ != "Organisation":
            continue
        if not model.__module__.startswith("bellwether."):
            continue
        state[label] = list(model.objects.order_by("pk").values())
    return state


REFUSAL_ACTIONS = ("permission.denied", "request.refused", "token.auth_failed")


def _refusals_logged() -> int:
    return AuditEvent.objects.filter(action__in=REFUSAL_ACTIONS).count()


def _assert_refusal_logged_once(role: str, status: int, before: int) -> None:
    """Every 401 and 403, and every 404 answered to a member, is in the audit log once."""
    refused = status in (401, 403) or (status == 404 and role != "anonymous")
    assert _refusals_logged() - before == (1 if refused else 0), (role, status)


def _client(members: dict[str, Membership], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(members[role].user)
    return client


@pytest.mark.parametrize(
    "page", PAGES, ids=[f"{p.name}:{'-'.join(map(str, p.expect.values()))}" for p in PAGES]
)
def test_each_role_gets_the_promised_answer(page: Page, world: World) -> None:
    url = reverse(page.name, kwargs=page.kwargs(world))
    answers = {}
    for role in ROLES:
        logged = _refusals_logged()
        response = _client(world["members"], role).get(url)
        answers[role] = response.status_code
        _assert_refusal_logged_once(role, response.status_code, logged)
    assert answers == page.expect


OBJECT_PAGES = [page for page in PAGES if page.is_object_page]


@pytest.mark.parametrize("page", OBJECT_PAGES, ids=[p.name for p in OBJECT_PAGES])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_of_another_organisation_gets_404_and_changes_nothing(
    page: Page, method: str, world: World
) -> None:
    url = reverse(page.name, kwargs=page.kwargs(world))
    outsider = _client(world["members"], "outsider")
    before = _state()
    response = getattr(outsider, method)(url, {"roles": ["admin"], "name": "x"})
    # A view refuses a method it does not serve (405) before looking anything up, so
    # 405 says nothing about the object; any other answer but 404 would confirm it exists.
    post_only = page.expect["admin"] == 405
    if method == "post":
        allowed = {404} if post_only else {404, 405}
    else:
        allowed = {405} if post_only else {404}
    assert response.status_code in allowed
    assert _state() == before


# --- API ----------------------------------------------------------------------------


def _valid_person_record(world: World) -> dict[str, Any]:
    return {"records": [{"employee_id": "NEW-1", "name": "New Person"}], "dry_run": True}


def _valid_unit_record(world: World) -> dict[str, Any]:
    return {"records": [{"code": "NEWU", "name": "New Unit"}], "dry_run": True}


OPERATIONS: list[Operation] = [
    *[
        Operation("get", f"/api/v1/framework{suffix}", api_everyone(200))
        for suffix in ("", "/instrument", "/bands", "/behaviours", "/kpis", "/gates")
    ],
    Operation("get", "/api/v1/people", api_only(("admin", "sponsor", "coach", "reviewer"))),
    Operation(
        "get",
        "/api/v1/people/{person_id}",
        api_only(("admin", "sponsor"), refused=404, outsider=404),
        params=lambda world: {"person_id": world["bystander"].pk},
        is_object=True,
    ),
    Operation(
        "get",
        "/api/v1/people/{person_id}",
        api_only(("admin", "sponsor", "leader"), refused=404, outsider=404),
        params=lambda world: {"person_id": world["leader_person"].pk},
        is_object=True,
    ),
    Operation("post", "/api/v1/people/batch", api_only(("admin",)), body=_valid_person_record),
    Operation("get", "/api/v1/org-units", api_only(("admin", "sponsor"))),
    Operation(
        "get",
        "/api/v1/org-units/{unit_id}",
        api_only(("admin", "sponsor"), refused=404, outsider=404),
        params=lambda world: {"unit_id": world["leader_person"].org_unit_id},
        is_object=True,
    ),
    Operation("post", "/api/v1/org-units/batch", api_only(("admin",)), body=_valid_unit_record),
    # Tokens are managed by signed-in sessions only (accounts/tests/test_api_tokens.py):
    # a request made with a token is refused before anything is looked up.
    Operation("get", "/api/v1/tokens", api_everyone(403)),
    Operation("post", "/api/v1/tokens", api_everyone(403), body=lambda world: {"name": "ci"}),
    Operation(
        "delete",
        "/api/v1/tokens/{token_id}",
        api_everyone(403),
        params=lambda world: {"token_id": world["token"].pk},
    ),
]

OPERATIONS += COLLECTED.operations


def _openapi_operations() -> set[tuple[str, str]]:
    from bellwether.api import api

    schema = api.get_openapi_schema()
    return {(method, path) for path, ops in schema["paths"].items() for method in ops}


def test_every_api_operation_is_in_the_matrix() -> None:
    assert _openapi_operations() == {(op.method, op.path) for op in OPERATIONS}


@pytest.fixture
def api_clients(world: World) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for role in MEMBER_ROLES:
        secret = new_secret()
        ApiToken.objects.create(
            membership=world["members"][role],
            name=f"{role} matrix",
            prefix=display_prefix(secret),
            digest=digest(secret),
        )
        clients[role] = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return clients


def _call(client: Client, op: Operation, world: World):  # type: ignore[no-untyped-def]
    url = op.path.format(**op.params(world))
    if op.body is None:
        return getattr(client, op.method)(url)
    return getattr(client, op.method)(url, data=op.body(world), content_type="application/json")


@pytest.mark.parametrize(
    "op", OPERATIONS, ids=[f"{op.method.upper()} {op.path}" for op in OPERATIONS]
)
def test_each_role_gets_the_promised_api_answer(
    op: Operation, world: World, api_clients: dict[str, Client]
) -> None:
    answers = {}
    for role in ROLES:
        logged = _refusals_logged()
        response = _call(api_clients[role], op, world)
        answers[role] = response.status_code
        _assert_refusal_logged_once(role, response.status_code, logged)
        if response.status_code >= 400:
            assert set(response.json()) == {"error"}, (role, response.content)
        if response.status_code < 300 and op.restore is not None:
            op.restore(world)
    assert answers == op.expect


@pytest.mark.parametrize(
    "op", [op for op in OPERATIONS if op.is_object], ids=lambda op: f"{op.method.upper()} {op.path}"
)
def test_api_objects_of_another_organisation_are_404_and_unchanged(
    op: Operation, world: World, api_clients: dict[str, Client]
) -> None:
    denied = AuditEvent.objects.filter(action="permission.denied").count()
    before = _state()
    response = _call(api_clients["outsider"], op, world)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    after = _state()
    after.pop("accounts.ApiToken"), before.pop("accounts.ApiToken")  # last_used_at moves
    assert after == before
    # Object refusals are audited like page refusals (tokens are simply not found).
    if "/tokens/" not in op.path:
        assert AuditEvent.objects.filter(action="permission.denied").count() == denied + 1


# --- a refused write changes nothing -----------------------------------------------------------

WRITES = [op for op in OPERATIONS if op.method != "get"]


def _unchanged_state(before: dict[str, list[dict[str, Any]]]) -> None:
    after = _state()
    # Using a token moves its last_used_at; a refused sign-in attempt may count a failure.
    for volatile in ("accounts.ApiToken",):
        after.pop(volatile, None), before.pop(volatile, None)
    assert after == before


@pytest.mark.parametrize("op", WRITES, ids=[f"{op.method.upper()} {op.path}" for op in WRITES])
def test_a_refused_api_write_changes_nothing(
    op: Operation, world: World, api_clients: dict[str, Client]
) -> None:
    refused = [role for role, status in op.expect.items() if status >= 400]
    for role in refused:
        before = _state()
        response = _call(api_clients[role], op, world)
        assert response.status_code == op.expect[role], role
        _unchanged_state(before)


PAGE_WRITES = [
    page for page in PAGES if any(status in (403, 404) for status in page.expect.values())
]


@pytest.mark.parametrize("page", PAGE_WRITES, ids=[p.name for p in PAGE_WRITES])
def test_a_refused_form_post_changes_nothing(page: Page, world: World) -> None:
    """A role the page refuses gets the same refusal for a POST, and nothing is written."""
    url = reverse(page.name, kwargs=page.kwargs(world))
    for role, status in page.expect.items():
        if status not in (403, 404):
            continue
        client = _client(world["members"], role)  # signing in writes last_login: before
        before = _state()
        response = client.post(url, {"confirm": "1", "name": "x"})
        assert response.status_code in (403, 404, 405), (role, response.status_code)
        _unchanged_state(before)
