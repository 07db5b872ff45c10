"""Predictable passwords are refused with a message saying why; real passphrases pass."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from bellwether.accounts import password_rules, services
from bellwether.accounts.tests.test_passwords import PASSPHRASE_64, PASSPHRASE_100
from bellwether.accounts.validators import PredictablePasswordValidator
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.testing.factories import TEST_PASSWORD

ONLY_DIGITS = "This password is only digits."
RUN = (
    "Too much of this password is a run of keys, letters or digits (like qwerty, abcdef or 123456)."
)
REPEATS = (
    "This password repeats the same character, pattern or word (like aaaa, abab or hellohello)."
)
ADVICE = "Add something less predictable: a few unrelated words make a strong passphrase."


def refusal_for(members, password: str) -> list[str]:
    """What the leader is told on choosing ``password``; the old password must still work
    and nothing be audited."""
    user = members["leader"].user
    with pytest.raises(DomainError) as refusal:
        services.change_password(user=user, old_password=TEST_PASSWORD, new_password=password)
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    assert not AuditEvent.objects.filter(action="password.changed").exists()
    assert list(refusal.value.field_errors) == ["new_password1"]
    return refusal.value.field_errors["new_password1"]


def test_the_issues_example_123456789012_is_refused(members) -> None:
    assert refusal_for(members, "123456789012") == [f"{ONLY_DIGITS} {ADVICE}"]


@pytest.mark.parametrize(
    "password", ["314159265358", "2024-05-17 14:30", "0471 123 456 789", "000000000000000"]
)
def test_digits_only_are_refused_even_with_separators(members, password) -> None:
    assert refusal_for(members, password) == [f"{ONLY_DIGITS} {ADVICE}"]


@pytest.mark.parametrize(
    "password",
    [
        "abcdefghijklmn",
        "zyxwvutsrqponm",
        "qwertyuiopasdf",
        "qwertzuiop!@#$",
        "azertyuiop1234",
        "1qaz2wsx3edc4rfv",
        "qweasdzxc!@#123",
        "asdf1234Zz!x",
        "MyDog!qwerty123",
    ],
)
def test_keyboard_and_alphabet_runs_are_refused(members, password) -> None:
    assert f"{RUN} {ADVICE}" in refusal_for(members, password)


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaaaa", "abababababab", "abc1abc1abc1", "passwordpassword", "aaaa1111bbbb", "Zz" * 40],
)
def test_repeated_characters_and_patterns_are_refused(members, password) -> None:
    assert f"{REPEATS} {ADVICE}" in refusal_for(members, password)


@pytest.mark.parametrize(
    ("password", "found"),
    [
        ("acme-roadrunner-1987", "acme"),
        ("AcmeCorp rocks hard", "acmecorp"),
        ("4cm3 ladder winter", "acme"),
    ],
)
def test_the_organisations_name_is_refused_however_written(members, password, found) -> None:
    # The leader belongs to "Acme Corp" (slug "acme").
    assert refusal_for(members, password) == [
        f"This password contains “{found}”, the name of your organisation. Choose one without it."
    ]


def test_the_application_name_is_refused(members) -> None:
    assert refusal_for(members, "my Bellwether login!") == [
        "This password contains “bellwether”, the name of this application. Choose one without it."
    ]


def test_the_email_address_name_is_refused(members) -> None:
    # leader@acme.test
    assert refusal_for(members, "trusted leader of men") == [
        "This password contains “leader”, from your email address. Choose one without it."
    ]


def test_a_name_part_of_the_email_address_is_refused(members) -> None:
    user = members["leader"].user
    user.email = "jane.dobrowski@acme.test"
    user.save()
    assert refusal_for(members, "Dobrowski family 1990") == [
        "This password contains “dobrowski”, from your email address. Choose one without it."
    ]


def test_every_broken_rule_is_listed(members) -> None:
    assert refusal_for(members, "acmeacmeacme") == [
        f"{REPEATS} {ADVICE}",
        "This password contains “acme”, the name of your organisation. Choose one without it.",
    ]


@pytest.mark.parametrize(
    "password",
    [
        TEST_PASSWORD,
        PASSPHRASE_64,
        PASSPHRASE_100,
        "Xk7#pQ2mZ9!r",
        "party liberty rests",
        "bookkeeper committee",
        "Summer2024!! lights",
        "mississippi river",
    ],
)
def test_passphrases_and_random_passwords_are_accepted(members, password) -> None:
    user = members["leader"].user
    services.change_password(user=user, old_password=TEST_PASSWORD, new_password=password)
    user.refresh_from_db()
    assert user.check_password(password)


def test_the_settings_page_refuses_123456789012_with_the_reason(client_for, members) -> None:
    response = client_for("leader").post(
        "/accounts/settings/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "123456789012",
            "new_password2": "123456789012",
        },
    )
    assert response.status_code == 400
    assert ONLY_DIGITS in response.content.decode()
    members["leader"].user.refresh_from_db()
    assert members["leader"].user.check_password(TEST_PASSWORD)


def test_the_settings_page_explains_the_rules(client_for) -> None:
    page = client_for("leader").get("/accounts/settings/").content.decode()
    assert "can&#x27;t be only digits, a run of keys or letters" in page


def test_djangos_common_password_list_stays_on_beside_these_rules():
    names = [validator["NAME"] for validator in settings.AUTH_PASSWORD_VALIDATORS]
    assert "django.contrib.auth.password_validation.CommonPasswordValidator" in names
    assert "bellwether.accounts.validators.PredictablePasswordValidator" in names
    with pytest.raises(ValidationError) as refusal:
        validate_password("password123456")
    assert "This password is too common." in refusal.value.messages


def test_a_user_not_yet_saved_is_checked_on_the_names_it_has() -> None:
    class NewUser:
        email = "sam.okafor@example.com"
        pk = None

    with pytest.raises(ValidationError) as refusal:
        PredictablePasswordValidator().validate("okafor and sons 77", NewUser())
    assert refusal.value.messages == [
        "This password contains “okafor”, from your email address. Choose one without it."
    ]
    PredictablePasswordValidator().validate("quiet harbour lanterns", NewUser())


def test_passwords_past_the_length_limit_are_left_to_that_validator() -> None:
    PredictablePasswordValidator(max_length=1024).validate("a" * 1025)


# --- the rules themselves --------------------------------------------------------------


def test_predictability_counts_runs_repeats_and_the_rest() -> None:
    assert password_rules.predictability("qwerty123") == password_rules.Predictability(
        in_runs=9, in_repeats=0, unpredictable=0
    )
    assert password_rules.predictability("aaaa") == password_rules.Predictability(
        in_runs=0, in_repeats=3, unpredictable=1
    )
    # Three letters in a row occur in words (pa*rty*, fi*rst*); they are not a run.
    assert password_rules.predictability("party first") == password_rules.Predictability(
        in_runs=0, in_repeats=0, unpredictable=11
    )


def test_a_repeat_must_cover_a_whole_chunk_to_count() -> None:
    # "e" five letters after another "e" is chance; "abcabc" repeats "abc".
    assert password_rules.predictability("bellwether").in_repeats == 0
    assert password_rules.predictability("xyzqxyzq").in_repeats == 4


def test_repeats_itself_needs_the_whole_password_periodic() -> None:
    assert password_rules.repeats_itself("hellohello")
    assert password_rules.repeats_itself("abcabcab")
    assert not password_rules.repeats_itself("hellohelp")


def test_name_terms_skip_generic_and_short_parts() -> None:
    assert password_rules.name_terms("The Globex Corporation") == [
        "theglobexcorporation",
        "globex",
    ]
    assert password_rules.name_terms("al") == []
    assert password_rules.name_terms("acme-eu", whole_only=True) == ["acmeeu"]


def test_long_passwords_are_refused_and_repeats_are_looked_for_a_bounded_way_back() -> None:
    # The speed of this check on long passwords is measured in benchmarks/bench_passwords.py;
    # here, what keeps it quick: repeats are looked for at most MAX_PERIOD characters back.
    for password in ("ab" * 512, "a" * 1023 + "b", "qwertyuiop" * 102, PASSPHRASE_100 * 10):
        with pytest.raises(ValidationError):
            PredictablePasswordValidator().validate(password[:1024])
    chunk = "7k2q9x4m1v8z5j3w6h0r" + "cyfpbndlgtues"  # no two characters alike
    period = password_rules.MAX_PERIOD
    assert len(set(chunk)) == len(chunk) > period
    assert password_rules.predictability(chunk[:period] * 2).in_repeats == period
    assert password_rules.predictability(chunk[: period + 1] * 2).in_repeats == 0
