import pytest
from django.test import Client

from bellwether.accounts import services
from bellwether.accounts.tests.helpers import post_password, signed_in_user_id
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.testing.factories import TEST_PASSWORD

PASSPHRASE_64 = "the quick brown fox jumps over the lazy dog near the river bank!"
PASSPHRASE_100 = "a hundred characters is long for a password but a passphrase like this one is easy to remember ok!!!"


def test_the_passphrases_used_here_are_exactly_64_and_100_characters():
    assert (len(PASSPHRASE_64), len(PASSPHRASE_100)) == (64, 100)


@pytest.mark.parametrize("passphrase", [PASSPHRASE_64, PASSPHRASE_100])
def test_long_passphrases_are_accepted_and_work_for_sign_in(members, passphrase):
    user = members["leader"].user
    services.change_password(user=user, old_password=TEST_PASSWORD, new_password=passphrase)
    client = Client()
    post_password(client, user.email, passphrase)
    assert signed_in_user_id(client) == str(user.pk)


@pytest.mark.parametrize("common", ["password123456", "qwertyuiop123"])
def test_common_passwords_are_refused(members, common):
    user = members["leader"].user
    with pytest.raises(DomainError) as refusal:
        services.change_password(user=user, old_password=TEST_PASSWORD, new_password=common)
    assert list(refusal.value.field_errors) == ["new_password1"]
    assert "This password is too common." in refusal.value.field_errors["new_password1"]
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_short_passwords_are_refused(members):
    with pytest.raises(DomainError) as refusal:
        services.change_password(
            user=members["leader"].user, old_password=TEST_PASSWORD, new_password="Xk7#pQ"
        )
    assert refusal.value.field_errors["new_password1"] == [
        "This password is too short. It must contain at least 12 characters."
    ]


def test_absurdly_long_passwords_are_refused(members):
    with pytest.raises(DomainError) as refusal:
        services.change_password(
            user=members["leader"].user, old_password=TEST_PASSWORD, new_password="x" * 1025
        )
    assert "at most 1024 characters" in refusal.value.field_errors["new_password1"][0]


def test_the_current_password_must_be_given_to_change_it(members):
    user = members["leader"].user
    with pytest.raises(DomainError) as refusal:
        services.change_password(user=user, old_password="wrong", new_password=PASSPHRASE_64)
    assert refusal.value.field_errors == {"old_password": ["Your current password is not right."]}
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    assert not AuditEvent.objects.filter(action="password.changed").exists()


def test_someone_without_a_password_can_set_one(members):
    user = members["leader"].user
    user.set_unusable_password()
    user.save()
    services.change_password(user=user, old_password="", new_password=PASSPHRASE_64)
    user.refresh_from_db()
    assert user.check_password(PASSPHRASE_64)


def test_the_settings_page_changes_the_password_and_keeps_the_session(client_for, members):
    client = client_for("leader")
    response = client.post(
        "/accounts/settings/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": PASSPHRASE_64,
            "new_password2": PASSPHRASE_64,
        },
    )
    assert response.status_code == 302
    assert client.get("/accounts/settings/").status_code == 200
    members["leader"].user.refresh_from_db()
    assert members["leader"].user.check_password(PASSPHRASE_64)
    assert AuditEvent.objects.filter(action="password.changed").count() == 1


def test_the_settings_page_shows_the_validators_help_and_errors(client_for, members):
    client = client_for("leader")
    page = client.get("/accounts/settings/").content.decode()
    assert "at least 12 characters" in page
    assert "up to 1024 characters" in page
    response = client.post(
        "/accounts/settings/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "password123456",
            "new_password2": "password123456",
        },
    )
    assert response.status_code == 400
    assert "This password is too common." in response.content.decode()
    members["leader"].user.refresh_from_db()
    assert members["leader"].user.check_password(TEST_PASSWORD)


def test_mismatched_new_passwords_are_refused(client_for, members):
    response = client_for("leader").post(
        "/accounts/settings/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": PASSPHRASE_64,
            "new_password2": PASSPHRASE_100,
        },
    )
    assert response.status_code == 400
    assert "The two new passwords are not the same." in response.content.decode()
