"""Text no database can store (a lone UTF-16 surrogate, NUL) and numbers JSON does not have
(NaN, Infinity) are refused at the door with a clear 400, and nothing changes: on the
public respondent API, on an admin API, in a form post and in a query string."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.client import BOUNDARY
from django.urls import reverse

from bellwether.core.models import AuditEvent
from bellwether.core.textguard import json_body_problem, text_problem
from bellwether.initiatives import services as initiative_services
from bellwether.initiatives.services import ARCHETYPES
from bellwether.people.models import Person
from bellwether.surveys import services
from bellwether.surveys.models import Invitation, Response
from bellwether.surveys.tests.helpers import launch, people_in, token_for

LONE = "\ud800"
# A JSON body with an escaped lone surrogate, exactly as a client would send it.
LONE_JSON = '"bad \\ud800 text"'


@pytest.fixture
def invitation_token(org, unit) -> str:
    person = people_in(org, unit, 1)[0]
    return token_for(launch(org, people=[person]), person)


def _refused(response, words: str = "lone UTF-16 surrogate") -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"]["code"] == "invalid"
    assert words in body["error"]["message"]
    assert "Nothing was changed" in body["error"]["message"]
    return body


# --- the checks themselves -------------------------------------------------------------------


def test_a_lone_surrogate_or_a_nul_is_bad_text_and_a_pair_is_not():
    assert text_problem("a" + LONE) is not None
    assert text_problem("\udfff") is not None
    assert text_problem("a\x00b") is not None
    assert text_problem("emoji 😀 and ü") is None


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": "\\ud800"}',
        b'{"a": "\\uDC00x"}',
        b'{"a": ["ok", {"b": "\\ud83d"}]}',  # the high half of a pair, alone
        b'{"\\ud800": 1}',  # in a key
        b'{"a": "\\u0000"}',
        b'{"a": NaN}',
        b'{"a": -Infinity}',
        '{"a": "x"}'.encode("utf-16"),
        b'{"a": "\xed\xa0\x80"}',  # a surrogate encoded as UTF-8 bytes
    ],
)
def test_json_bodies_that_cannot_be_stored_are_caught(body):
    assert json_body_problem(body) is not None


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": "\\ud83d\\ude00"}',  # an escaped pair: one emoji
        '{"a": "😀 NaN Infinity"}'.encode(),  # the words, inside text
        b'{"a": "\\\\ud800"}',  # a backslash followed by the letters u d 8 0 0
        b"not json at all",  # left for the endpoint to refuse
    ],
)
def test_json_bodies_that_can_be_stored_pass(body):
    assert json_body_problem(body) is None


# --- the public respondent API ---------------------------------------------------------------


def test_the_respondent_api_refuses_a_lone_surrogate_in_a_draft_and_keeps_the_old_one(
    invitation_token,
):
    client = Client()
    url = f"/api/v1/surveys/respond/{invitation_token}/draft"
    saved = client.put(url, {"answers": {"comment": "fine"}}, content_type="application/json")
    assert saved.status_code == 200
    body = '{"answers": {"comment": ' + LONE_JSON + "}}"
    _refused(client.put(url, body, content_type="application/json"))
    assert services.open_draft(Invitation.objects.get()) == {"comment": "fine"}
    # The page that shows the draft still renders.
    page = client.get(reverse("surveys:respond", args=[invitation_token]))
    assert page.status_code == 200


def test_the_respondent_api_refuses_a_lone_surrogate_in_a_submission(invitation_token):
    body = '{"answers": {"confidence": 4, "clarity": 4, "comment": ' + LONE_JSON + "}}"
    response = Client().post(
        f"/api/v1/surveys/respond/{invitation_token}", body, content_type="application/json"
    )
    _refused(response)
    assert Response.objects.count() == 0


def test_whatever_the_content_type_says_a_json_body_is_checked(invitation_token):
    # The API parses every non-form body as JSON, so the check cannot trust the header.
    body = '{"answers": {"comment": ' + LONE_JSON + "}}"
    response = Client().put(
        f"/api/v1/surveys/respond/{invitation_token}/draft", body, content_type="text/plain"
    )
    _refused(response)
    assert services.open_draft(Invitation.objects.get()) == {}


def test_an_escaped_surrogate_pair_is_an_emoji_and_is_saved(invitation_token):
    response = Client().put(
        f"/api/v1/surveys/respond/{invitation_token}/draft",
        '{"answers": {"comment": "great \\ud83d\\ude00"}}',
        content_type="application/json",
    )
    assert response.status_code == 200
    assert services.open_draft(Invitation.objects.get()) == {"comment": "great 😀"}


def test_a_body_that_is_not_utf8_is_refused(invitation_token):
    # Python's JSON reader would decode these bytes (a surrogate encoded as UTF-8) to a
    # lone surrogate; the body is refused as a whole.
    response = Client().put(
        f"/api/v1/surveys/respond/{invitation_token}/draft",
        b'{"answers": {"comment": "\xed\xa0\x80"}}',
        content_type="application/json",
    )
    _refused(response, "must be UTF-8")
    assert services.open_draft(Invitation.objects.get()) == {}


# --- an admin API ----------------------------------------------------------------------------


def test_an_initiative_patch_with_a_lone_surrogate_in_the_raci_changes_nothing(
    token_client, members, leader_person
):
    initiative = initiative_services.create_initiative(
        organisation=members["admin"].organisation,
        actor=None,
        name="Triage",
        archetype=sorted(ARCHETYPES)[0],
        sponsor=leader_person,
    )
    events = AuditEvent.objects.count()
    body = '{"raci": {"monitoring": {"responsible": ' + LONE_JSON + "}}}"
    response = token_client.patch(
        f"/api/v1/initiatives/{initiative.pk}", body, content_type="application/json"
    )
    _refused(response)
    initiative.refresh_from_db()
    assert initiative.raci == {}
    assert AuditEvent.objects.count() == events
    assert token_client.get(f"/api/v1/initiatives/{initiative.pk}").status_code == 200


def test_a_batch_with_nan_is_refused_before_any_import(token_client, members):
    response = token_client.post(
        "/api/v1/people/batch",
        '{"records": [{"employee_id": "N1", "name": "N", "active": NaN}]}',
        content_type="application/json",
    )
    _refused(response, "NaN or Infinity")
    assert not Person.objects.filter(employee_id="N1").exists()


# --- forms and query strings -------------------------------------------------------------------


def test_a_form_post_whose_charset_decodes_to_a_lone_surrogate_is_refused(invitation_token):
    # UTF-7 can spell a lone surrogate (b"+2AA-" is U+D800), and Django decodes multipart
    # form fields with the charset the client names. Sent as raw bytes, as a client would.
    fields = {"confidence": "4", "action": "save", "comment": "+2AA-"}
    body = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    response = Client().generic(
        "POST",
        reverse("surveys:respond", args=[invitation_token]),
        (body + f"--{BOUNDARY}--\r\n").encode("ascii"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}; charset=utf-7",
    )
    assert response.status_code == 400
    assert b"lone UTF-16 surrogate" in response.content
    assert services.open_draft(Invitation.objects.get()) == {}


def test_a_query_string_that_decodes_to_a_lone_surrogate_is_refused(client_for):
    response = client_for("admin").get(
        "/people/?q=%2B2AA-", CONTENT_TYPE="text/plain; charset=utf-7"
    )
    assert response.status_code == 400
    assert b"lone UTF-16 surrogate" in response.content


def test_an_api_query_string_with_a_lone_surrogate_gets_the_api_error_format(token_client):
    response = token_client.get(
        "/api/v1/people?q=%2B2AA-", CONTENT_TYPE="text/plain; charset=utf-7"
    )
    _refused(response)


def test_an_ordinary_form_post_is_untouched(invitation_token):
    response = Client().post(
        reverse("surveys:respond", args=[invitation_token]),
        {"confidence": "4", "action": "save", "comment": "Grüße 😀"},
    )
    assert response.status_code == 302
    assert services.open_draft(Invitation.objects.get())["comment"] == "Grüße 😀"
