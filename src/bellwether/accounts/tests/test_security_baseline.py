"""Sessions, headers and audit of refusals: the ASVS level 2 baseline."""

from datetime import timedelta

import pytest
from django.test import Client

from bellwether.accounts.tests.helpers import age_session, signed_in_user_id
from bellwether.core.models import AuditEvent


def test_an_idle_session_ends_after_thirty_minutes(client_for, members):
    client = client_for("admin")
    age_session(client, signed_in_ago=timedelta(hours=1), last_seen_ago=timedelta(minutes=31))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
    assert signed_in_user_id(client) is None
    event = AuditEvent.objects.get(action="session.expired")
    assert (event.actor, event.details) == (members["admin"].user, {"reason": "idle"})


def test_a_session_ends_twelve_hours_after_sign_in_even_when_busy(client_for, members):
    client = client_for("admin")
    age_session(client, signed_in_ago=timedelta(hours=12, minutes=1), last_seen_ago=timedelta(0))
    response = client.get("/")
    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    assert AuditEvent.objects.get(action="session.expired").details == {"reason": "absolute"}


def test_activity_within_the_idle_window_keeps_the_session(client_for):
    client = client_for("admin")
    age_session(client, signed_in_ago=timedelta(hours=11), last_seen_ago=timedelta(minutes=29))
    assert client.get("/").status_code == 200
    # The visit counts as activity: 29 more minutes later it is still alive.
    age_session(
        client, signed_in_ago=timedelta(hours=11, minutes=29), last_seen_ago=timedelta(minutes=29)
    )
    assert client.get("/").status_code == 200
    assert not AuditEvent.objects.filter(action="session.expired").exists()


def test_a_visit_moves_the_last_seen_time_forward(client_for):
    client = client_for("admin")
    age_session(client, signed_in_ago=timedelta(hours=1), last_seen_ago=timedelta(minutes=20))
    client.get("/")
    age_session_last_seen = client.session["bw_last_seen_at"]
    assert client.session["bw_signed_in_at"] < age_session_last_seen
    import time

    assert abs(age_session_last_seen - time.time()) < 5


def test_the_sign_in_page_has_a_strict_content_security_policy(db):
    response = Client().get("/accounts/sign-in/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_no_page_carries_an_inline_script_or_style(client_for):
    import re

    for url in ["/accounts/sign-in/", "/accounts/sign-in/code/"]:
        html = Client().get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html, url
        assert "hx-on" not in html, url
    client = client_for("admin")
    for url in ["/accounts/settings/", "/accounts/members/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html, url
        assert "hx-on" not in html, url


@pytest.mark.parametrize("url", ["/", "/accounts/settings/", "/accounts/members/"])
def test_signed_in_pages_are_never_stored(client_for, url):
    response = client_for("admin").get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_the_sign_in_page_is_not_cached_either(db):
    assert "no-store" in Client().get("/accounts/sign-in/")["Cache-Control"]


def test_a_refused_permission_check_is_audited(client_for, members, org):
    response = client_for("leader").get("/audit/")
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="permission.denied")
    assert (event.organisation, event.actor) == (org, members["leader"].user)
    assert event.details == {
        "check": "accounts.view_audit_log",
        "path": "/audit/",
        "method": "GET",
        "refused_as": "403",
    }


def test_security_headers_are_sent(db):
    response = Client().get("/accounts/sign-in/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
