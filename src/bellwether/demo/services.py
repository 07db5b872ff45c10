"""Building the demo organisation, and creating the first admin of a real one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, ProtectedError
from django.utils import timezone
from django.utils.text import slugify

from bellwether.accounts.models import Assignment, Membership, RoleGrant, User
from bellwether.accounts.roles import Role
from bellwether.core import audit
from bellwether.core.app_modules import app_modules
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.demo.accounts import DEMO_ACCOUNTS, DEMO_NAME, DEMO_PASSWORD, DEMO_SLUG
from bellwether.demo.generator import SIZES, Company, PersonRow, generate_company
from bellwether.people.models import OrgUnit, Person

BATCH_SIZE = 2_000
# How many coachees the demo coach has, and reviewees the demo reviewer.
ASSIGNMENTS_PER_ACCOUNT = 5


@dataclass(frozen=True, slots=True)
class DemoSummary:
    organisation: Organisation
    people: int
    org_units: int
    leaders_by_level: dict[str, int]


@transaction.atomic
def build_demo_organisation(
    *,
    seed: int = 7,
    size: str = "small",
    name: str = DEMO_NAME,
    slug: str = DEMO_SLUG,
    replace: bool = False,
    modules: bool = True,
) -> Organisation:
    """Create the demo organisation: its org units, people and one account per role.

    Refuses when ``slug`` is taken unless ``replace``, which deletes that
    organisation first, and only if this function built it (``is_demo``): a real
    organisation is never deleted. The accounts are ``<role>@<slug>.example`` with
    ``DEMO_PASSWORD``; existing users with those addresses are reused.
    """
    if size not in SIZES:
        raise DomainError(f"Size must be one of: {', '.join(SIZES)}.", code="invalid_size")
    existing = Organisation.objects.select_for_update().filter(slug=slug).first()
    if existing is not None:
        if not existing.is_demo:
            raise DomainError(
                f"“{existing.name}” (slug “{slug}”) is not a demo organisation: "
                "`bellwether demo` did not create it, so it will not delete or replace it. "
                "Nothing was changed. Choose another --slug for the demo.",
                code="not_demo",
            )
        if not replace:
            raise DomainError(
                f"An organisation with the slug “{slug}” already exists; "
                "use --replace to rebuild it.",
                code="exists",
            )
        _delete_organisation(existing)

    company = generate_company(seed=seed, size=size, domain=f"{slug}.example")
    organisation = Organisation.objects.create(
        name=name, slug=slug, time_zone="Europe/London", is_demo=True
    )
    unit_ids = _create_units(organisation, company)
    person_ids = _create_people(organisation, company, unit_ids)
    _create_accounts(organisation, company, person_ids)
    # ``modules=False`` builds only the people and accounts (quick, for tests of those).
    module_summaries = build_module_demos(organisation=organisation, seed=seed) if modules else []
    audit.record(
        action="demo.built",
        organisation=organisation,
        actor_label="bellwether demo",
        target=organisation,
        details={
            "seed": seed,
            "size": size,
            "people": len(company.people),
            "org_units": len(company.units),
            "modules": module_summaries,
        },
    )
    return organisation


def build_module_demos(*, organisation: Organisation, seed: int) -> list[str]:
    """Let each module add its own demo data (``bellwether.<app>.demo.build_demo``), in
    INSTALLED_APPS order so a module can build on the ones before it."""
    return [
        module.build_demo(organisation=organisation, seed=seed)
        for module in app_modules("demo", besides="bellwether.demo")
    ]


def summarise(organisation: Organisation) -> DemoSummary:
    people = Person.objects.filter(organisation=organisation)
    by_level = dict(
        people.exclude(leader_level="")
        .order_by()
        .values("leader_level")
        .annotate(count=Count("id"))
        .values_list("leader_level", "count")
    )
    return DemoSummary(
        organisation=organisation,
        people=people.count(),
        org_units=OrgUnit.objects.filter(organisation=organisation).count(),
        leaders_by_level=by_level,
    )


def _delete_organisation(organisation: Organisation) -> None:
    # The one guard that matters: only ever delete what the demo built.
    if not organisation.is_demo:
        raise DomainError(f"“{organisation.name}” is not a demo organisation; it was not deleted.")
    _delete_module_data(organisation)
    # Cut the manager and parent links first so the cascade needn't walk 100,000 rows one by one.
    Person.objects.filter(organisation=organisation).update(manager=None)
    OrgUnit.objects.filter(organisation=organisation).update(parent=None)
    organisation.delete()


def _delete_module_data(organisation: Organisation) -> None:
    """Delete the modules' rows before the organisation itself: modules protect their
    records (a campaign its instrument, an initiative its sponsor) against cascades,
    so they go first, in whatever order their protections allow."""
    foundation = {"core", "accounts", "people", "framework", "demo"}
    pending = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("bellwether.")
        and model._meta.app_label not in foundation
        and any(field.name == "organisation" for field in model._meta.fields)
    ]
    for _ in range(len(pending) + 1):
        blocked = []
        for model in pending:
            try:
                with transaction.atomic():
                    model._default_manager.filter(organisation=organisation).delete()
            except ProtectedError:
                blocked.append(model)
        if not blocked:
            return
        pending = blocked
    raise DomainError(
        "The demo organisation could not be deleted: "
        + ", ".join(model._meta.label for model in pending)
        + " still hold protected records."
    )


def _create_units(organisation: Organisation, company: Company) -> dict[str, int]:
    """Insert the tree parents-first, then fill in each unit's materialised path."""
    ids: dict[str, int] = {}
    depth: dict[str, int] = {}
    for row in company.units:
        depth[row.code] = 0 if row.parent_code is None else depth[row.parent_code] + 1
    for level in sorted(set(depth.values())):
        batch = [
            OrgUnit(
                organisation=organisation,
                code=row.code,
                name=row.name,
                parent_id=ids[row.parent_code] if row.parent_code else None,
                depth=level,
            )
            for row in company.units
            if depth[row.code] == level
        ]
        OrgUnit.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        ids.update(
            OrgUnit.objects.filter(organisation=organisation, depth=level).values_list("code", "id")
        )
    paths: dict[str, str] = {}
    for row in company.units:
        parent_path = paths[row.parent_code] if row.parent_code else "/"
        paths[row.code] = f"{parent_path}{ids[row.code]}/"
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.executemany(
            # Identifiers from model metadata, values as parameters.
            "UPDATE {} SET {} = %s WHERE {} = %s".format(  # noqa: S608
                ops.quote_name(OrgUnit._meta.db_table), ops.quote_name("path"), ops.quote_name("id")
            ),
            [(paths[code], ids[code]) for code in paths],
        )
    return ids


def _create_people(
    organisation: Organisation, company: Company, unit_ids: dict[str, int]
) -> dict[str, int]:
    """Insert people one management layer at a time, so each row is created with its manager.

    Rows go in with ``executemany`` rather than ``bulk_create``: building 100,000 model
    instances costs most of a minute, the insert itself a few seconds.
    """
    layer: dict[str, int] = {}
    layers: dict[int, list[PersonRow]] = defaultdict(list)
    for row in company.people:
        manager = row.manager_employee_id
        layer[row.employee_id] = 0 if manager is None else layer[manager] + 1
        layers[layer[row.employee_id]].append(row)

    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    ids: dict[str, int] = {}

    def values(row: PersonRow) -> dict[str, Any]:
        """The row's stored values, by field name: the insert's columns and parameters."""
        manager = row.manager_employee_id
        return {
            "organisation": organisation.pk,
            "created_at": now,
            "updated_at": now,
            "employee_id": row.employee_id,
            "name": row.name,
            "email": row.email,
            "title": row.title,
            "org_unit": unit_ids[row.org_unit_code],
            "manager": ids[manager] if manager else None,
            "leader_level": row.leader_level,
            "location": row.location,
            "start_date": ops.adapt_datefield_value(row.start_date),
            "active": row.active,
        }

    columns = list(values(layers[0][0]))  # a top-level row: it names no manager yet
    column_of = {f.name: f.column for f in Person._meta.concrete_fields if f.column}
    # Identifiers from model metadata, values as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        ops.quote_name(Person._meta.db_table),
        ", ".join(ops.quote_name(column_of[name]) for name in columns),
        ", ".join(["%s"] * len(columns)),
    )
    for number in sorted(layers):
        params = [tuple(values(row).values()) for row in layers[number]]
        with connection.cursor() as cursor:
            for start in range(0, len(params), BATCH_SIZE):
                cursor.executemany(sql, params[start : start + BATCH_SIZE])
        if number < max(layers):
            # Only leaders manage anyone, so only their ids are needed for the next layer.
            ids.update(
                Person.objects.filter(organisation=organisation)
                .exclude(leader_level="")
                .values_list("employee_id", "id")
            )
    return ids


def _user(email: str, display_name: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, display_name=display_name)
    user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.save()
    return user


def _create_accounts(
    organisation: Organisation, company: Company, person_ids: dict[str, int]
) -> dict[str, Membership]:
    seniors = company.leaders("senior")
    operational = company.leaders("operational")
    # The demo leader heads a unit in AI & Data when there is one: the story reads best there.
    leader_row = next((p for p in seniors if p.org_unit_code.startswith("AID")), seniors[0])
    linked: dict[str, PersonRow | None] = {
        "admin": None,
        "ceo": company.ceo,
        "leader": leader_row,
        "coach": None,
        "reviewer": None,
    }
    memberships: dict[str, Membership] = {}
    for account in DEMO_ACCOUNTS:
        row = linked[account.local_part]
        user = _user(
            account.email(organisation.slug), row.name if row else account.who.split(":")[0]
        )
        membership = Membership.objects.create(
            user=user,
            organisation=organisation,
            person_id=person_ids[row.employee_id] if row else None,
        )
        RoleGrant.objects.bulk_create(
            [RoleGrant(membership=membership, role=Role(role).value) for role in account.roles]
        )
        memberships[account.local_part] = membership

    # The coach coaches team leads under the demo leader's peers; the reviewer reviews
    # the demo leader and some functional heads, so both have someone to look at.
    coachees = operational[:ASSIGNMENTS_PER_ACCOUNT]
    reviewees = [
        leader_row,
        *[p for p in seniors if p != leader_row][: ASSIGNMENTS_PER_ACCOUNT - 1],
    ]
    Assignment.objects.bulk_create(
        [
            Assignment(
                organisation=organisation,
                membership=memberships[account],
                person_id=person_ids[row.employee_id],
                kind=kind,
            )
            for account, kind, rows in (
                ("coach", Assignment.Kind.COACHEE, coachees),
                ("reviewer", Assignment.Kind.REVIEWEE, reviewees),
            )
            for row in rows
        ]
    )
    return memberships


@transaction.atomic
def create_admin(
    *, organisation_name: str, email: str, password: str | None, slug: str = ""
) -> Membership:
    """Make ``email`` an admin of the organisation called ``organisation_name``.

    Creates the organisation if no organisation has its slug, and the user if
    there is none with that address (a new user needs a ``password``, which
    must pass the password validators). An existing user keeps their password
    unless a new one is given.
    """
    organisation_name = organisation_name.strip()
    email = email.strip().lower()
    slug = slug or slugify(organisation_name)
    if not organisation_name or not slug:
        raise DomainError(
            "The organisation needs a name.",
            code="invalid",
            field_errors={"org_name": ["Required."]},
        )
    if "@" not in email:
        raise DomainError(
            "Give a valid email address.", code="invalid", field_errors={"email": ["Invalid."]}
        )
    organisation, created_org = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": organisation_name}
    )
    user = User.objects.filter(email__iexact=email).first()
    if user is None and not password:
        raise DomainError(
            "A new user needs a password.", code="invalid", field_errors={"password": ["Required."]}
        )
    if password:
        candidate = user or User(email=email)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise DomainError(
                " ".join(exc.messages),
                code="weak_password",
                field_errors={"password": list(exc.messages)},
            ) from exc
    if user is None:
        user = User.objects.create_user(email, password)
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.get_or_create(user=user, organisation=organisation)
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    RoleGrant.objects.get_or_create(membership=membership, role=Role.ADMIN.value)
    audit.record(
        action="member.admin_created",
        organisation=organisation,
        actor_label="bellwether create_admin",
        target=membership,
        target_label=user.email,
        details={"organisation_created": created_org},
    )
    return membership
