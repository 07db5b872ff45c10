"""Numbers too large for the database (ids, offsets, page numbers) in URLs, filters and
forms get a 4xx answer, never a database error: PostgreSQL refuses them outright."""

import pytest
from django.test import Client

from bellwether.accounts.models import ApiToken
from bellwether.accounts.tokens import digest, display_prefix, new_secret

BIG = "99999999999999999999999"


@pytest.fixture
def admin(members) -> Client:
    secret = new_secret()
    ApiToken.objects.create(
        membership=members["admin"], name="t", prefix=display_prefix(secret), digest=digest(secret)
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.force_login(members["admin"].user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        f"/people/{BIG}/",
        f"/people/?org_unit={BIG}",
        f"/people/?manager={BIG}",
        f"/people/?page={BIG}",
        f"/people/org-chart/?unit={BIG}",
        f"/people/import/{BIG}/",
        f"/accounts/members/{BIG}/",
        f"/api/v1/people/{BIG}",
        f"/api/v1/org-units/{BIG}",
        f"/api/v1/people?org_unit={BIG}",
        f"/api/v1/people?offset={BIG}",
        f"/api/v1/people?limit={BIG}",
        f"/api/v1/org-units?offset={BIG}",
        f"/api/v1/readiness/cycles/{BIG}",
        f"/api/v1/readiness/cycles/{BIG}/leaders?limit={BIG}",
        f"/api/v1/readiness/bands/{BIG}",
        f"/api/v1/readiness/leaders/{BIG}/report?cycle_id={BIG}",
        f"/api/v1/readiness/organisation/transitions?from_cycle_id={BIG}",
        f"/api/v1/initiatives/{BIG}",
        f"/api/v1/initiatives/{BIG}/adoption",
        f"/api/v1/engagement/plans/{BIG}",
        f"/api/v1/engagement/barriers/{BIG}",
        f"/api/v1/engagement/plans?offset={BIG}",
        f"/api/v1/influence/profiles/{BIG}",
        f"/api/v1/influence/planner-runs/{BIG}",
        f"/api/v1/surveys/campaigns/{BIG}/results",
    ],
)
def test_a_huge_number_in_a_url_is_answered_without_a_server_error(admin, url):
    status = admin.get(url).status_code
    # 200 where the number is simply treated as "no such filter" or an empty page.
    assert status == 200 or 400 <= status < 500


@pytest.mark.parametrize(
    "url",
    [f"/accounts/members/{BIG}/deactivate/", f"/accounts/settings/tokens/{BIG}/revoke/"],
)
def test_a_huge_id_in_a_form_action_is_not_found(admin, url):
    assert admin.post(url).status_code == 404


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/v1/initiatives/decisions", {"title": "T", "initiative_id": int(BIG)}),
        ("post", "/api/v1/influence/ties", {"source_id": int(BIG), "target_id": 1}),
        ("post", "/api/v1/readiness/cycles/1/nominations/decision", {"rater_ids": [int(BIG)]}),
        ("delete", f"/api/v1/tokens/{BIG}", None),
        ("delete", f"/api/v1/influence/ties/{BIG}", None),
    ],
)
def test_a_huge_number_in_an_api_body_or_path_is_refused(admin, method, url, body):
    kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
    response = getattr(admin, method)(url, **kwargs)
    assert response.status_code in {404, 422}, response.content
    assert response.json()["error"]["message"]


def test_switching_to_a_huge_organisation_id_changes_nothing(admin):
    response = admin.post("/organisation/switch/", {"organisation": BIG})
    assert response.status_code == 302
    assert admin.get("/").context["membership"].organisation.name == "Acme Corp"
