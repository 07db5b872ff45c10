"""Every refused request is in the audit log, once: who, which path, when."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden
from django.test import Client, RequestFactory

from bellwether.accounts.middleware import RefusalAuditMiddleware
from bellwether.core import audit
from bellwether.core.access import refuse
from bellwether.core.models import AuditEvent
from bellwether.testing.factories import UserFactory

REFUSALS = ("permission.denied", "request.refused", "token.auth_failed")


def refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=REFUSALS).order_by("id"))


def test_a_refused_page_is_logged_once_by_the_access_helper(client_for, members, org):
    assert client_for("coach").get("/accounts/members/").status_code == 403
    [event] = refusals()
    assert (event.action, event.organisation, event.actor) == (
        "permission.denied",
        org,
        members["coach"].user,
    )
    assert event.details["path"] == "/accounts/members/"


def test_a_csrf_refusal_is_logged_with_who_what_and_where(members, org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(members["admin"].user)
    response = client.post("/accounts/members/", {"email": "x@acme.test", "roles": ["leader"]})
    assert response.status_code == 403
    [event] = refusals()
    assert (event.action, event.organisation, event.actor, event.ip_address) == (
        "request.refused",
        org,
        members["admin"].user,
        "127.0.0.1",
    )
    assert event.details == {"status": 403, "method": "POST", "path": "/accounts/members/"}
    assert event.created_at is not None


def test_an_api_call_without_a_token_is_logged_in_no_organisation(db):
    assert Client().get("/api/v1/people").status_code == 401
    [event] = refusals()
    assert (event.action, event.organisation, event.actor) == ("request.refused", None, None)
    assert event.details == {"status": 401, "method": "GET", "path": "/api/v1/people"}


def test_a_signed_in_member_without_an_organisation_is_logged(db):
    user = UserFactory(email="lonely@example.com")
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 403
    [event] = refusals()
    assert (event.actor, event.organisation, event.details["status"]) == (user, None, 403)


def test_a_signed_in_404_is_logged_and_an_anonymous_one_is_not(client_for, members, org):
    assert Client().get("/no-such-page/").status_code == 404
    assert refusals() == []
    assert client_for("leader").get("/no-such-page/").status_code == 404
    [event] = refusals()
    assert (event.organisation, event.actor, event.details["status"]) == (
        org,
        members["leader"].user,
        404,
    )


def test_object_refusals_of_another_organisation_are_logged_in_the_outsiders_own(
    client_for, members, other_org
):
    target = members["sponsor"].pk
    assert client_for("outsider").get(f"/accounts/members/{target}/").status_code == 404
    [event] = refusals()
    assert (event.action, event.organisation, event.details["refused_as"]) == (
        "permission.denied",
        other_org,
        "404",
    )


def test_secret_looking_parts_of_a_path_are_not_copied_into_the_log(client_for):
    secret = "Zq7fK2pLmN8xR4tV1wY6bC3dE9gH5jA0sU"
    client_for("leader").get(f"/r/{secret}/")
    client_for("leader").get("/accounts/members/")
    logged = " ".join(str(event.details) for event in refusals())
    assert secret not in logged
    assert "/r/…/" in logged
    assert "/accounts/members/" in logged


def test_ordinary_words_in_paths_are_kept():
    path = "/readiness/organisation-heatmap-for-the-whole-programme/12/"
    assert audit.redacted_path(path) == path
    assert audit.redacted_path("/s/abcdefghijklmnopqrstuvwxyz0123456789ab/") == "/s/…/"


def test_a_refusal_whose_row_was_rolled_back_is_written_by_the_middleware(members, org):
    membership = members["coach"]

    def view(request):
        try:
            with transaction.atomic():
                refuse(request, membership, rule="can_do_it")
        except PermissionDenied:
            return HttpResponseForbidden()
        return HttpResponse()

    request = RequestFactory().get("/somewhere/")
    request.user = membership.user
    request.membership = membership
    response = RefusalAuditMiddleware(view)(request)
    assert response.status_code == 403
    [event] = refusals()
    assert (event.action, event.organisation, event.details["path"]) == (
        "request.refused",
        org,
        "/somewhere/",
    )


def test_allowed_requests_write_nothing(client_for):
    assert client_for("admin").get("/accounts/members/").status_code == 200
    assert refusals() == []
