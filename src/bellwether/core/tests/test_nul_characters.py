"""A NUL character cannot be stored or compared by PostgreSQL: it is refused at the
door with a clear 400, wherever it hides, and nothing changes."""

import pytest
from django.test import Client

from bellwether.people.models import Person


@pytest.mark.parametrize("url", ["/people/?q=a%00b", "/audit/?actor=x%00", "/people/?org_unit=%00"])
def test_a_nul_in_a_page_filter_gets_a_clear_400(client_for, url):
    response = client_for("admin").get(url)
    assert response.status_code == 400
    assert b"contains a NUL character" in response.content


@pytest.mark.parametrize("url", ["/api/v1/people?q=a%00b", "/api/v1/org-units?q=%00"])
def test_a_nul_in_an_api_query_gets_the_api_error_format(token_client, url):
    response = token_client.get(url)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "NUL" in response.json()["error"]["message"]


def test_a_nul_in_a_json_body_is_refused_and_nothing_is_written(token_client):
    response = token_client.post(
        "/api/v1/people/batch",
        data={"records": [{"employee_id": "N1", "name": "Nul\u0000Name"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Person.objects.filter(employee_id="N1").exists()


def test_a_nul_in_a_form_field_is_refused(db):
    response = Client().post("/accounts/sign-in/", {"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400
