"""Coaching: pages and API operations for the access matrix.

The world's coach coaches the coachee, whose programme has a session and an action
item: only that coach sees them (admins 404: they see counts and dates on the
overview, never a session). The leader member has their own programme with a second
coach, so the leader opens their own pre-session form and nobody else does (the
world's coach gets 404). Sponsors and reviewers hold no coaching page (403).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bellwether.accounts.models import Assignment
from bellwether.accounts.roles import Role
from bellwether.coaching import services
from bellwether.coaching.models import (
    ActionItem,
    AssignmentKind,
    AssignmentRecord,
    Milestone,
    Programme,
    Session,
)
from bellwether.testing.access import Operation, Page, World, api_only, everyone, only, pk_of
from bellwether.testing.factories import assign, make_member

BASE = "/api/v1/coaching"


def build(world: World) -> None:
    org = world["org"]
    coach = world["members"]["coach"]
    today = timezone.localdate()
    AssignmentRecord.objects.create(
        organisation=org,
        membership=coach,
        person=world["coachee"],
        kind=AssignmentKind.COACHEE,
        started_at=timezone.now(),
    )
    programme = services.start_programme(
        actor=coach, person=world["coachee"], start_date=today - dt.timedelta(days=7)
    )
    session = services.add_session(actor=coach, programme=programme, date=today)
    services.record_session(
        actor=coach,
        session=session,
        focus_areas=[],
        notes="Private notes",
        notes_shared=False,
        next_session_goals=[],
        metrics={},
        new_items=["Try the assistant daily"],
    )
    world["coaching_programme"] = programme
    world["coaching_session"] = session
    world["coaching_item"] = ActionItem.objects.get(raised_in=session)
    world["coaching_milestone"] = Milestone.objects.create(
        programme=programme, phase_key="coaching.skill_development", text="M", due_week=4
    )
    world["coaching_record"] = AssignmentRecord.objects.get(person=world["coachee"])

    # The leader member's own programme, with a second coach.
    second = make_member(org, Role.COACH, email="coach2@acme.test")
    assign(second, world["leader_person"], Assignment.Kind.COACHEE)
    AssignmentRecord.objects.create(
        organisation=org,
        membership=second,
        person=world["leader_person"],
        kind=AssignmentKind.COACHEE,
        started_at=timezone.now(),
    )
    own = services.start_programme(actor=second, person=world["leader_person"], start_date=today)
    world["coaching_own_session"] = services.add_session(
        actor=second, programme=own, date=today + dt.timedelta(days=3)
    )


_programme = pk_of("coaching_programme")
_session = pk_of("coaching_session")
_own_session = pk_of("coaching_own_session")


# The coachee's programme: its coach only; admins and the leader 404; no-page roles 403.
COACHEES = only(("coach",), outsider=404) | {"admin": 404, "leader": 404}
COACHEES_API = api_only(("coach",), outsider=404) | {"admin": 404, "leader": 404}
OWN = only(("leader",), outsider=404) | {"admin": 404, "coach": 404}
OWN_API = api_only(("leader",), outsider=404) | {"admin": 404, "coach": 404}

PAGES: list[Page] = [
    Page("coaching:home", only(("admin", "coach", "leader"))),
    Page("coaching:overview", only(("admin",))),
    Page("coaching:assignments", only(("admin",))),
    Page("coaching:import", everyone(405)),
    Page("coaching:invite", everyone(405)),
    Page(
        "coaching:end",
        everyone(405),
        kwargs=lambda w: {"pk": w["coaching_record"].pk},
        is_object_page=True,
    ),
    Page(
        "coaching:capacity",
        everyone(405),
        kwargs=lambda w: {"pk": w["members"]["coach"].pk},
        is_object_page=True,
    ),
    Page(
        "coaching:start",
        everyone(405),
        kwargs=lambda w: {"pk": w["bystander"].pk},
        is_object_page=True,
    ),
    Page("coaching:programme", COACHEES, kwargs=_programme, is_object_page=True),
    Page("coaching:calendar", COACHEES, kwargs=_programme, is_object_page=True),
    Page("coaching:session", COACHEES, kwargs=_session, is_object_page=True),
    Page("coaching:session", OWN, kwargs=_own_session, is_object_page=True),
    Page("coaching:prepare", OWN, kwargs=_own_session, is_object_page=True),
    # The coach reads the coachee's session but only the coachee prepares it.
    Page("coaching:prepare", COACHEES | {"coach": 403}, kwargs=_session, is_object_page=True),
    *(
        Page(f"coaching:{name}", everyone(405), kwargs=_programme, is_object_page=True)
        for name in ("plan", "add_session")
    ),
    Page(
        "coaching:milestone_done",
        everyone(405),
        kwargs=lambda w: {"pk": w["coaching_milestone"].pk},
        is_object_page=True,
    ),
    Page(
        "coaching:item",
        everyone(405),
        kwargs=lambda w: {"pk": w["coaching_item"].pk},
        is_object_page=True,
    ),
]


def _undo_assign(world: World) -> None:
    person = world["bystander"]
    AssignmentRecord.objects.filter(person=person).delete()
    Assignment.objects.filter(person=person).delete()


def _undo_session(world: World) -> None:
    programme: Programme = world["coaching_programme"]
    Session.objects.filter(programme=programme, number__gt=1).delete()
    ActionItem.objects.filter(programme=programme).update(carries=0)


def _undo_record(world: World) -> None:
    Session.objects.filter(pk=world["coaching_session"].pk).update(notes="Private notes")


def _undo_pre_session(world: World) -> None:
    Session.objects.filter(pk=world["coaching_own_session"].pk).update(
        pre_session={}, pre_session_at=None
    )


_p = pk_of("coaching_programme", "programme_id")
_s = pk_of("coaching_session", "session_id")


OPERATIONS: list[Operation] = [
    Operation("get", f"{BASE}/assignments", api_only(("admin",))),
    Operation(
        "post",
        f"{BASE}/assignments",
        api_only(("admin",), outsider=404),
        body=lambda w: {
            "membership_id": w["members"]["coach"].pk,
            "person_ids": [w["bystander"].pk],
        },
        is_object=True,
        restore=_undo_assign,
    ),
    Operation("get", f"{BASE}/overview", api_only(("admin",))),
    Operation("get", f"{BASE}/programmes", api_only(("admin", "coach", "leader"))),
    Operation(
        "get",
        f"{BASE}/programmes/{{programme_id}}/sessions",
        COACHEES_API,
        params=_p,
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/programmes/{{programme_id}}/sessions",
        COACHEES_API,
        params=_p,
        body=lambda w: {"date": (timezone.localdate() + dt.timedelta(days=7)).isoformat()},
        is_object=True,
        restore=_undo_session,
    ),
    Operation("get", f"{BASE}/sessions/{{session_id}}", COACHEES_API, params=_s, is_object=True),
    Operation(
        "put",
        f"{BASE}/sessions/{{session_id}}",
        COACHEES_API,
        params=_s,
        body=lambda w: {"notes": "Changed"},
        is_object=True,
        restore=_undo_record,
    ),
    Operation(
        "post",
        f"{BASE}/sessions/{{session_id}}/pre-session",
        OWN_API,
        params=lambda w: {"session_id": w["coaching_own_session"].pk},
        body=lambda w: {"answers": {"coaching.pre_session.wins": "Shipped a pilot"}},
        is_object=True,
        restore=_undo_pre_session,
    ),
]
