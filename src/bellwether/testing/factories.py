"""factory_boy factories for tests and benchmarks."""

from __future__ import annotations

from typing import Any, cast

import factory
from django.test import Client
from django.utils.text import slugify

from bellwether.accounts.models import ApiToken, Assignment, Membership, RoleGrant, User
from bellwether.accounts.roles import Role
from bellwether.accounts.tokens import digest, display_prefix, new_secret
from bellwether.core.models import Organisation
from bellwether.people.models import OrgUnit, Person

TEST_PASSWORD = "correct horse battery staple 42"  # noqa: S105 (test accounts only)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class OrgUnitFactory(factory.django.DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    parent = None

    @factory.post_generation
    def set_path(obj: OrgUnit, create: bool, extracted: Any, **kwargs: Any) -> None:
        parent_path = obj.parent.path if obj.parent else "/"
        obj.path = f"{parent_path}{obj.pk}/"
        obj.depth = obj.parent.depth + 1 if obj.parent else 0
        if create:
            obj.save(update_fields=["path", "depth"])


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    employee_id = factory.Sequence(lambda n: f"E{n:06d}")
    name = factory.Faker("name")
    email = factory.LazyAttribute(lambda p: f"{p.employee_id.lower()}@example.com")
    title = "Manager"
    leader_level = ""
    active = True


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def make_member(
    organisation: Organisation,
    *roles: Role,
    email: str | None = None,
    person: Person | None = None,
) -> Membership:
    """A user in ``organisation`` holding ``roles``."""
    user = cast(User, UserFactory(email=email) if email else UserFactory())
    membership = Membership.objects.create(user=user, organisation=organisation, person=person)
    RoleGrant.objects.bulk_create(
        [RoleGrant(membership=membership, role=role.value) for role in roles]
    )
    return membership


def assign(membership: Membership, person: Person, kind: str) -> Assignment:
    return Assignment.objects.create(
        organisation=membership.organisation, membership=membership, person=person, kind=kind
    )


def api_client_for(membership: Membership) -> Client:
    """A test client calling the API with a fresh personal token of ``membership``."""
    secret = new_secret()
    ApiToken.objects.create(
        membership=membership, name="test", prefix=display_prefix(secret), digest=digest(secret)
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
