"""build_demo_organisation and create_admin on the database."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.test import Client

from bellwether.accounts.models import Assignment, Membership
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent, Organisation
from bellwether.demo.accounts import DEMO_PASSWORD
from bellwether.demo.services import build_demo_organisation, create_admin
from bellwether.people.models import OrgUnit, Person


@pytest.fixture
def demo(db):
    return build_demo_organisation(seed=7, size="small", modules=False)


def test_the_demo_password_passes_the_password_validators():
    validate_password(DEMO_PASSWORD)


def test_it_builds_the_small_company_with_its_tree(demo):
    assert (demo.name, demo.slug) == ("Northwind Group", "northwind")
    people = Person.objects.filter(organisation=demo)
    assert people.count() == 3_000
    assert people.exclude(leader_level="").count() == 150
    ceo = people.get(manager__isnull=True)
    assert ceo.title == "Chief Executive Officer"
    assert people.filter(manager=ceo, leader_level="executive").count() == 11
    assert not people.filter(org_unit__isnull=True).exists()
    units = {u.pk: u for u in OrgUnit.objects.filter(organisation=demo)}
    assert len(units) == 151
    for unit in units.values():
        parent = units.get(unit.parent_id) if unit.parent_id else None
        assert unit.path == f"{parent.path if parent else '/'}{unit.pk}/"
        assert unit.depth == (parent.depth + 1 if parent else 0)
    assert AuditEvent.objects.filter(organisation=demo, action="demo.built").count() == 1


@pytest.mark.parametrize(
    ("local_part", "roles"),
    [
        ("admin", {"admin"}),
        ("ceo", {"sponsor", "leader"}),
        ("leader", {"leader"}),
        ("coach", {"coach"}),
        ("reviewer", {"reviewer"}),
    ],
)
def test_each_demo_account_signs_in_with_the_demo_password(demo, local_part, roles):
    email = f"{local_part}@northwind.example"
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD) is True
    membership = Membership.objects.get(user__email=email, organisation=demo)
    assert {r.value for r in membership.roles} == roles
    assert client.get("/").status_code == 200


def test_accounts_are_linked_to_people_and_assignments(demo):
    ceo = Membership.objects.get(user__email="ceo@northwind.example")
    assert ceo.person is not None
    assert ceo.person.title == "Chief Executive Officer"
    leader = Membership.objects.get(user__email="leader@northwind.example")
    assert leader.person is not None
    assert leader.person.org_unit is not None
    assert leader.person.leader_level == "senior"
    assert leader.person.org_unit.path.startswith(
        OrgUnit.objects.get(organisation=demo, code="AID").path
    )
    coach = Membership.objects.get(user__email="coach@northwind.example")
    reviewer = Membership.objects.get(user__email="reviewer@northwind.example")
    assert Assignment.objects.filter(membership=coach, kind="coachee").count() == 5
    assert Assignment.objects.filter(membership=reviewer, kind="reviewee").count() == 5
    assert Assignment.objects.filter(membership=reviewer, person=leader.person).exists()


def test_an_existing_slug_is_refused_and_nothing_changes(demo):
    with pytest.raises(DomainError, match="already exists"):
        build_demo_organisation(seed=8, modules=False)
    assert Organisation.objects.count() == 1
    assert Person.objects.count() == 3_000


def test_replace_rebuilds_the_organisation(demo):
    rebuilt = build_demo_organisation(seed=8, replace=True, modules=False)
    assert rebuilt.pk != demo.pk
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["northwind"]
    assert Person.objects.count() == 3_000
    assert Membership.objects.filter(organisation=rebuilt).count() == 5
    assert Client().login(email="admin@northwind.example", password=DEMO_PASSWORD)


def test_create_admin_creates_the_organisation_and_its_admin(db):
    membership = create_admin(
        organisation_name="Acme Ltd", email="Ada@Acme.example", password="a long enough passphrase"
    )
    assert (membership.organisation.slug, membership.user.email) == ("acme-ltd", "ada@acme.example")
    assert {r.value for r in membership.roles} == {"admin"}
    assert Client().login(email="ada@acme.example", password="a long enough passphrase")
    again = create_admin(organisation_name="Acme Ltd", email="ada@acme.example", password=None)
    assert again.pk == membership.pk
    assert Organisation.objects.count() == 1


def test_create_admin_refuses_a_weak_password_and_creates_nothing(db):
    with pytest.raises(DomainError, match="too short"):
        create_admin(organisation_name="Acme Ltd", email="ada@acme.example", password="short")
    assert not Organisation.objects.exists()


def test_each_module_adds_its_own_demo_data_in_app_order(db, monkeypatch):
    import sys
    import types

    from bellwether.demo import services

    calls = []
    fake = types.ModuleType("bellwether.framework.demo")

    def build_demo(*, organisation, seed):
        calls.append((organisation.slug, seed))
        return "framework: 1 thing"

    fake.build_demo = build_demo
    monkeypatch.setitem(sys.modules, "bellwether.framework.demo", fake)
    org = services.build_demo_organisation(seed=11, size="small", slug="modules")
    assert calls == [("modules", 11)]
    event = org.audit_events.get(action="demo.built")
    # INSTALLED_APPS order: framework comes before the modules that build on it.
    assert event.details["modules"][0] == "framework: 1 thing"


def test_replace_also_clears_module_data_that_protects_its_records(demo):
    from bellwether.initiatives.demo import build_demo as build_initiatives
    from bellwether.initiatives.models import Initiative

    build_initiatives(organisation=demo, seed=7)
    assert Initiative.objects.filter(organisation=demo).exists()
    rebuilt = build_demo_organisation(seed=8, replace=True, modules=False)
    assert not Initiative.objects.filter(organisation=demo.pk).exists()
    assert rebuilt.slug == "northwind"


def test_the_demo_marks_its_organisation_and_create_admin_does_not(demo):
    assert demo.is_demo is True
    membership = create_admin(
        organisation_name="Acme Ltd", email="ada@acme.example", password="a long enough passphrase"
    )
    assert membership.organisation.is_demo is False


@pytest.mark.parametrize("replace", [True, False])
def test_a_real_organisation_is_never_replaced_and_nothing_is_deleted(db, replace):
    membership = create_admin(
        organisation_name="Acme Ltd", email="ada@acme.example", password="a long enough passphrase"
    )
    real = membership.organisation
    Person.objects.create(organisation=real, employee_id="E1", name="Ada Real")
    events = list(AuditEvent.objects.filter(organisation=real).values_list("pk", flat=True))
    assert events

    with pytest.raises(DomainError, match="is not a demo organisation") as refused:
        build_demo_organisation(slug=real.slug, replace=replace, modules=False)

    assert refused.value.code == "not_demo"
    assert "Nothing was changed" in refused.value.message
    assert list(Organisation.objects.values_list("pk", "slug", "is_demo")) == [
        (real.pk, "acme-ltd", False)
    ]
    assert list(Person.objects.values_list("organisation_id", "name")) == [(real.pk, "Ada Real")]
    assert list(Membership.objects.values_list("pk", flat=True)) == [membership.pk]
    assert list(AuditEvent.objects.values_list("pk", flat=True).order_by("pk")) == sorted(events)


def test_the_delete_helper_itself_refuses_a_real_organisation(org):
    from bellwether.demo.services import _delete_organisation

    with pytest.raises(DomainError, match="not a demo organisation"):
        _delete_organisation(org)
    assert Organisation.objects.filter(pk=org.pk).exists()


def test_the_migration_marks_organisations_the_demo_built_before_the_mark(db):
    import importlib

    from django.apps import apps

    from bellwether.core import audit

    migration = importlib.import_module(
        "bellwether.core.migrations.0004_mark_existing_demo_organisations"
    )
    built = Organisation.objects.create(name="Old demo", slug="old-demo")
    real = Organisation.objects.create(name="Real", slug="real")
    audit.record(action="demo.built", organisation=built, actor_label="bellwether demo")
    audit.record(action="member.admin_created", organisation=real, actor_label="x")

    migration.mark_demo_organisations(apps, None)

    assert dict(Organisation.objects.values_list("slug", "is_demo")) == {
        "old-demo": True,
        "real": False,
    }
