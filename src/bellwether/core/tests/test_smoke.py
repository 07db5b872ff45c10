from django.test import Client


def test_healthz_answers_ok(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_home_requires_sign_in(db):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_admin_sees_home(client_for):
    response = client_for("admin").get("/")
    assert response.status_code == 200
    assert b"Acme Corp" in response.content
    assert response["Cache-Control"] == "no-store"


def test_the_openapi_document_and_its_docs_page_are_served(db):
    client = Client()
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    assert document.json()["info"]["title"] == "Bellwether API"
    assert "/api/v1/people" in document.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_the_favicon_address_points_at_the_icon(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/bellwether/favicon.svg"
