"""Schemathesis against the OpenAPI document the server serves: every operation, as an
organisation admin, a leader and an outsider (an admin of another organisation), with
schema-valid and schema-violating requests, then stateful sequences as the admin.

Every answer must be documented: no server error, a status code the document lists, a
body matching the schema it gives for that code, and every schema-violating request
refused (strict inputs). The one built-in check left out is ``positive_data_acceptance``:
a request the schema allows can still be refused, by design, for what it means (an id
nobody has, a closing date in the past), with a documented 400.

The world (a cycle, an initiative with its parts, a plan, a tie, a pulse …) is built once
per module and rolled back at the end; each test's changes are rolled back after it. Ids
in paths are drawn from the world half of the time, so requests reach the code behind
the lookups instead of stopping at 404.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from bellwether.accounts.models import ApiToken
from bellwether.accounts.roles import Role
from bellwether.accounts.tokens import digest, display_prefix, new_secret
from bellwether.assessments import services as readiness
from bellwether.core.models import Organisation
from bellwether.engagement import services as engagement
from bellwether.influence import services as influence
from bellwether.influence.models import PlannerRun
from bellwether.initiatives import alignment
from bellwether.initiatives import services as initiatives
from bellwether.people.models import LeaderLevel, OrgUnit
from bellwether.surveys import services as surveys
from bellwether.surveys.models import Invitation
from bellwether.testing.factories import (
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    make_member,
)

MAX_ID = 2**63 - 1
ON_CI = bool(os.environ.get("CI"))
EXCLUDED_CHECKS = [positive_data_acceptance]
SUPPRESSED = list(HealthCheck)


# Each role's API token is fixed when the module loads: schemathesis builds some cases
# (its coverage phase) while collecting, before any fixture runs.
TOKENS = {role: new_secret() for role in ("admin", "leader", "outsider")}


@dataclass
class World:
    # Path parameter name -> ids (or keys) of real objects in the admin's organisation.
    ids: dict[str, list[Any]] = field(default_factory=dict)


def _token(membership: Any, role: str) -> None:
    secret = TOKENS[role]
    ApiToken.objects.create(
        membership=membership, name="fuzz", prefix=display_prefix(secret), digest=digest(secret)
    )


def _build_world() -> World:
    org = cast(Organisation, OrganisationFactory(name="Acme Corp", slug="acme"))
    other = cast(Organisation, OrganisationFactory(name="Globex", slug="globex"))
    unit = cast(OrgUnit, OrgUnitFactory(organisation=org, code="HQ", name="Headquarters"))
    OrgUnitFactory(organisation=other, code="HQ", name="Globex HQ")

    def person(**extra: Any) -> Any:
        return PersonFactory(organisation=org, org_unit=unit, **extra)

    boss = person(name="Bo Boss", leader_level=LeaderLevel.EXECUTIVE)
    lena = person(name="Lena Leader", leader_level=LeaderLevel.SENIOR, manager=boss)
    peer = person(name="Pia Peer", leader_level=LeaderLevel.SENIOR, manager=boss)
    report = person(name="Rob Report", manager=lena)
    admin = make_member(org, Role.ADMIN, email="fuzz-admin@acme.test")
    leader = make_member(org, Role.LEADER, email="fuzz-leader@acme.test", person=lena)
    outsider = make_member(other, Role.ADMIN, email="fuzz-admin@globex.test")
    for membership, role in ((admin, "admin"), (leader, "leader"), (outsider, "outsider")):
        _token(membership, role)
    spare = ApiToken.objects.create(
        membership=admin, name="spare", prefix="bw_spare", digest=digest(new_secret())
    )

    now = timezone.now()
    cycle = readiness.launch_cycle(
        organisation=org,
        actor=None,
        name="Spring readiness",
        leaders={"person_ids": [boss.pk, lena.pk, peer.pk]},
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=14),
        rater_mode="nominated",
        send_email=False,
    )
    readiness.nominate_raters(
        cycle=cycle, actor=None, leader=lena, raters=[(report.pk, "direct_report")]
    )
    pulse = surveys.launch_campaign(
        organisation=org,
        actor=None,
        version=surveys.install_ready_pulses(organisation=org)[0],
        name="May pulse",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
        audience={"person_ids": [report.pk, peer.pk]},
        send_email=False,
    )
    invitation_tokens = [
        surveys.invitation_token(invitation)
        for invitation in Invitation.objects.filter(campaign__in=[pulse, cycle.campaign])
    ]

    initiative = initiatives.create_initiative(
        organisation=org,
        actor=None,
        name="Claims triage",
        archetype=sorted(initiatives.ARCHETYPES)[0],
        sponsor=boss,
    )
    metric = initiatives.add_metric(
        initiative=initiative,
        actor=None,
        name="Handling time",
        layer=sorted(alignment.LAYERS)[0],
        direction="decrease",
    )
    impact = initiatives.add_change_impact(
        initiative=initiative,
        actor=None,
        impact_type=sorted(initiatives.IMPACT_TYPES)[0],
        affected_group="Claims handlers",
        owner=boss,
        mitigation="Pair handlers with the model for a month",
    )
    right = initiatives.add_decision_right(
        initiative=initiative,
        actor=None,
        decision="Approve a claim",
        decided_by_before="Handler",
        decided_by_after="Model, reviewed by handler",
        mode="advisory",
        accountable="Head of claims",
    )
    teams = initiatives.ensure_bottleneck_teams(organisation=org, actor=None)
    decision = initiatives.request_decision(
        organisation=org, actor=None, title="Buy the model?", initiative=initiative
    )
    gates = list(initiative.gates.values_list("key", flat=True))

    engagement.generate_plan(person=lena, actor=None)
    tie = influence.add_tie(organisation=org, actor=None, source=boss, target=lena)
    run = PlannerRun.objects.create(organisation=org, k=2, runs=100, seed=1)

    return World(
        ids={
            "person_id": [lena.pk, boss.pk, peer.pk, report.pk],
            "unit_id": [unit.pk],
            "cycle_id": [cycle.pk],
            "campaign_id": [pulse.pk, cycle.campaign_id],
            "token": invitation_tokens,
            "token_id": [spare.pk],
            "initiative_id": [initiative.pk],
            "metric_id": [metric.pk],
            "impact_id": [impact.pk],
            "right_id": [right.pk],
            "team_id": [t.pk for t in teams],
            "decision_id": [decision.pk],
            "gate_key": gates,
            "tie_id": [tie.pk],
            "run_id": [run.pk],
        }
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at its end; each
    test runs in a savepoint of it (pytest-django's ``db``), so tests never see each
    other's changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def no_client_throttling(settings: Any) -> None:
    """The fuzzer sends thousands of requests with bad credentials from one address; the
    per-IP throttle would (rightly) answer 429 to the rest, which is tested on its own
    (accounts/tests/test_throttling.py). Here every bad token must get its 401/403."""
    settings.BELLWETHER_THROTTLE_TOKEN_FAILURES = 10**9
    settings.BELLWETHER_THROTTLE_SIGN_IN_FAILURES = 10**9
    settings.BELLWETHER_THROTTLE_LINK_REQUESTS = 10**9


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Schemathesis calls the WSGI app directly, and Django closes the database
    connection at the end of each request, which would end the test's transaction
    (and, with the PostgreSQL pool, hand the connection back). Django's own test
    client avoids this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _use_real_ids(case: Any, world: World) -> None:
    """Swap a generated path parameter for a real object's id or key half of the time.

    The choice is made from the generated value itself, so it is as deterministic (and
    shrinks) as the value. Schema-violating values are left alone; schemathesis checks
    the case again after the swap."""
    for name, value in list(case.path_parameters.items()):
        real = world.ids.get(name)
        if not real:
            continue
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
            if value % 2 == 0:
                case.path_parameters[name] = real[(value // 2) % len(real)]
        elif isinstance(value, str) and isinstance(real[0], str) and len(value) % 2 == 0:
            case.path_parameters[name] = real[len(value) % len(real)]


def _config(*, max_examples: int, coverage: bool) -> Any:
    return schemathesis.Config.from_dict(
        {
            "generation": {
                "max-examples": max_examples,
                "deterministic": ON_CI,
                # The token comes from RoleToken, never from generated headers.
                "with-security-parameters": False,
            },
            "phases": {"coverage": {"enabled": coverage}, "stateful": {"max-steps": 8}},
        }
    )


def _schema(config: Any) -> Any:
    # Loaded through the app itself, so the test checks the document the server serves.
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", get_wsgi_application(), config=config
    )


def _provider(role: str) -> type:
    class RoleToken:
        """The role's API token as schemathesis's auth provider, so that its
        ``ignored_auth`` check can also send each request without it, and with a wrong one."""

        def get(self, case: Any, context: Any) -> str:
            return TOKENS[role]

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers["Authorization"] = f"Bearer {data}"

    return RoleToken


def _schema_for(role: str, *, max_examples: int, coverage: bool) -> Any:
    schema = _schema(_config(max_examples=max_examples, coverage=coverage))
    schema.auth(refresh_interval=None)(_provider(role))
    return schema


# The admin reaches every code path: more examples, and the coverage phase's boundary
# values. The leader and the outsider are mostly refused early: fewer examples suffice.
admin_schema = _schema_for("admin", max_examples=25, coverage=True)
leader_schema = _schema_for("leader", max_examples=6, coverage=False)
outsider_schema = _schema_for("outsider", max_examples=6, coverage=False)


def _call_and_validate(case: Any, world: World) -> None:
    _use_real_ids(case, world)
    case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)


@admin_schema.parametrize()
@settings(deadline=None, suppress_health_check=SUPPRESSED)
def test_every_operation_as_an_admin(case: Any, world: World, db: None) -> None:
    _call_and_validate(case, world)


@leader_schema.parametrize()
@settings(deadline=None, suppress_health_check=SUPPRESSED)
def test_every_operation_as_a_leader(case: Any, world: World, db: None) -> None:
    _call_and_validate(case, world)


@outsider_schema.parametrize()
@settings(deadline=None, suppress_health_check=SUPPRESSED)
def test_every_operation_as_an_outsider(case: Any, world: World, db: None) -> None:
    _call_and_validate(case, world)


class AdminWorkflow(admin_schema.as_state_machine()):  # type: ignore[misc]
    """Sequences of calls chained by the links schemathesis infers from the document
    (create an initiative, then change it, then read it …), as the admin."""

    def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
        case.validate_response(
            response,
            excluded_checks=EXCLUDED_CHECKS,
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )


def test_stateful_sequences_as_an_admin(world: World, db: None) -> None:
    AdminWorkflow.run(
        settings=settings(
            max_examples=15,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=SUPPRESSED,
            derandomize=ON_CI,
            database=None,
        )
    )
