"""No browser or proxy keeps a Bellwether answer (a respondent's survey above all);
static files alone stay cacheable."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from bellwether.core.security import NoStoreMiddleware
from bellwether.surveys.tests.helpers import launch, people_in, token_for
from bellwether.testing.factories import api_client_for


def assert_no_store(response, *, status: int | None = None) -> None:  # a test client's response
    """``response`` (answered ``status``, when given) tells no one to keep it."""
    if status is not None:
        assert response.status_code == status
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


@pytest.fixture
def respondent_token(org, unit) -> str:
    person = people_in(org, unit, 1)[0]
    return token_for(launch(org, people=[person]), person)


def test_a_respondents_survey_page_is_not_stored(respondent_token) -> None:
    assert_no_store(Client().get(reverse("surveys:respond", args=[respondent_token])), status=200)


def test_a_respondents_saved_draft_answer_is_not_stored(respondent_token) -> None:
    assert_no_store(
        Client().post(reverse("surveys:save_draft", args=[respondent_token]), {"clarity": "2"}),
        status=200,
    )


def test_a_dead_respondent_link_page_is_not_stored(db) -> None:
    assert_no_store(Client().get(reverse("surveys:respond", args=["12.abc~nope"])), status=410)


def test_the_public_respondent_api_is_not_stored(respondent_token) -> None:
    answer = Client().get(f"/api/v1/surveys/respond/{respondent_token}")
    assert answer.status_code == 200
    assert "questions" in answer.json()
    assert_no_store(answer)


def test_an_authenticated_api_answer_is_not_stored(members) -> None:
    assert_no_store(api_client_for(members["admin"]).get("/api/v1/people"), status=200)
    assert_no_store(Client().get("/api/v1/people"), status=401)


def test_signed_in_and_anonymous_pages_and_errors_are_not_stored(client_for) -> None:
    assert_no_store(client_for("admin").get("/"))
    assert_no_store(Client().get("/accounts/sign-in/"), status=200)
    assert_no_store(Client().get("/no-such-page/"), status=404)


def test_static_files_stay_cacheable(db) -> None:
    response = Client().get("/static/bellwether/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response


def _through_the_middleware(path: str, body: str, cache_control: str) -> HttpResponse:
    """A view's answer at ``path`` that set its own ``cache_control``, as it leaves
    ``NoStoreMiddleware``."""

    def view(request):
        response = HttpResponse(body)
        response["Cache-Control"] = cache_control
        return response

    return NoStoreMiddleware(view)(RequestFactory().get(path))


def test_a_views_own_caching_is_replaced_by_no_store() -> None:
    response = _through_the_middleware("/readiness/reports/1/", "report", "public, max-age=600")
    assert_no_store(response)


def test_a_static_path_answered_by_django_is_left_alone() -> None:
    response = _through_the_middleware("/static/bellwether/app.css", "body{}", "max-age=60")
    assert response["Cache-Control"] == "max-age=60"
