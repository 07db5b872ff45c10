"""The demo, sign_in_help and create_admin commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from bellwether.core.models import Organisation
from bellwether.people.models import Person


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_demo_builds_and_says_how_to_sign_in(db):
    output = run("demo", "--people-only", "--seed", "3")
    assert "Built Northwind Group (seed 3, small)" in output
    assert (
        "3,000 people in 151 org units; 150 leaders (12 executive, 30 senior, 108 operational)"
        in output
    )
    assert (
        f"Open {settings.BELLWETHER_BASE_URL}/ and sign in as admin@northwind.example "
        "/ password: lantern-harbour-demo"
    ) in output
    assert "reviewer@northwind.example" in output


def test_if_empty_builds_once_and_then_does_nothing(db):
    first = run("demo", "--people-only", "--if-empty")
    assert "Built Northwind Group" in first
    # `make run` prints the sign-in details itself, once.
    assert "sign in as" not in first
    output = run("demo", "--people-only", "--if-empty")
    assert output == "An organisation already exists; the demo was not built.\n"
    assert Organisation.objects.count() == 1
    assert Person.objects.count() == 3_000


def test_if_empty_leaves_an_installation_with_an_organisation_alone(org):
    run("demo", "--people-only", "--if-empty")
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["acme"]


def test_demo_refuses_an_existing_slug_without_replace(db):
    run("demo", "--people-only")
    with pytest.raises(CommandError, match="use --replace"):
        run("demo", "--people-only")


def test_sign_in_help_lists_the_demo_accounts(db):
    run("demo", "--people-only")
    output = run("sign_in_help")
    assert output.startswith(
        f"Open {settings.BELLWETHER_BASE_URL}/ and sign in as admin@northwind.example / password: lantern-harbour-demo\n"
    )
    assert "coach@northwind.example" in output
    assert "console email backend" in output


def test_sign_in_help_without_a_demo_explains_create_admin(db):
    output = run("sign_in_help")
    assert "There is no demo organisation" in output
    assert "bellwether create_admin --org-name" in output


def create_admin(*options: str) -> str:
    """``bellwether create_admin`` for ada@acme.example in Acme Ltd, with ``options``."""
    return run("create_admin", "--org-name", "Acme Ltd", "--email", "ada@acme.example", *options)


def test_create_admin_with_a_password(db):
    output = create_admin("--password", "a long enough passphrase")
    assert output == "ada@acme.example is an admin of Acme Ltd (slug acme-ltd).\n"
    assert Client().login(email="ada@acme.example", password="a long enough passphrase")


def test_create_admin_asks_for_the_password(db, monkeypatch):
    answers = iter(["a long enough passphrase", "a long enough passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    create_admin()
    assert Client().login(email="ada@acme.example", password="a long enough passphrase")


def test_create_admin_refuses_mismatched_passwords(db, monkeypatch):
    answers = iter(["a long enough passphrase", "another passphrase!!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="do not match"):
        create_admin()
    assert not Organisation.objects.exists()


def test_create_admin_refuses_a_weak_password(db):
    with pytest.raises(CommandError, match="too short"):
        create_admin("--password", "short")
    assert not Organisation.objects.exists()


def test_demo_replace_refuses_an_organisation_it_did_not_build(org, unit):
    from bellwether.core import audit
    from bellwether.core.models import AuditEvent

    Person.objects.create(organisation=org, employee_id="E1", name="Ada Real", org_unit=unit)
    audit.record(action="member.admin_created", organisation=org, actor_label="someone")

    with pytest.raises(
        CommandError, match="“Acme Corp” \\(slug “acme”\\) is not a demo organisation"
    ):
        run("demo", "--people-only", "--slug", "acme", "--replace")

    assert list(Organisation.objects.values_list("slug", flat=True)) == ["acme"]
    assert Person.objects.filter(organisation=org).count() == 1
    assert AuditEvent.objects.filter(organisation=org).count() == 1


def test_demo_replace_rebuilds_a_demo_organisation(db):
    run("demo", "--people-only", "--slug", "trial")
    first = Organisation.objects.get(slug="trial")
    output = run("demo", "--people-only", "--slug", "trial", "--replace", "--seed", "4")
    assert "Built Northwind Group (seed 4, small)" in output
    rebuilt = Organisation.objects.get(slug="trial")
    assert rebuilt.pk != first.pk
    assert rebuilt.is_demo is True
