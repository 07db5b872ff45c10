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
