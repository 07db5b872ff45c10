"""Communications: pages and API operations for the access matrix.

The coachee (an operational leader) is coached by the coach member, who reads but does
not edit; the leader member sees only their own communications (the coachee's are 404
for them); reviewers have no communications pages (403); sponsors read everything and
edit nothing; the calendar feed is for leaders, and a token that does not exist is 404
for everyone, signed in or not.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bellwether.communications import services
from bellwether.communications.models import (
    CommunicationPlan,
    Delegation,
    Delivery,
    QuarterMeasure,
    RatingRequest,
)
from bellwether.surveys.models import Campaign
from bellwether.testing.access import Operation, Page, World, api_only, everyone, only, pk_of
from bellwether.testing.factories import PersonFactory, make_member

BASE = "/api/v1/communications"
DAILY = "cadence.operational.experimentation"


def build(world: World) -> None:
    coachee = world["coachee"]
    services.generate_plan(person=coachee, actor=None)
    services.generate_plan(person=world["leader_person"], actor=None)
    world["delivery"] = services.log_delivery(
        person=coachee,
        actor=None,
        delivered_at=timezone.now() - dt.timedelta(days=2),
        channel="channel.team_meeting",
        audiences=["audience.employees"],
        cadence_key=DAILY,
    )
    # The coachee's assistant (a member with no role): only the coachee's pages.
    assistant = make_member(coachee.organisation, email="assistant@acme.test")
    world["delegation"] = services.grant_delegation(
        leader=coachee, assistant_email=assistant.user.email, actor=None
    )
    # An audience large enough to be asked for a rating (the minimum is 5).
    for i in range(5):
        PersonFactory(
            organisation=coachee.organisation, org_unit=coachee.org_unit, name=f"Listener {i}"
        )


_coachee = pk_of("coachee")
_leader = pk_of("leader_person")
_coachee_api = pk_of("coachee", "person_id")


def _undo_deliveries(world: World) -> None:
    Delivery.objects.exclude(pk=world["delivery"].pk).delete()


def _undo_attachment(world: World) -> None:
    for delivery in Delivery.objects.exclude(attachment=""):
        delivery.attachment.delete(save=False)
    Delivery.objects.update(attachment="", attachment_name="")


# The world's delivery has no file: those who may see it get 404 (downloads are tested in
# test_attachments.py).
NO_FILE = {"admin": 404, "sponsor": 404, "coach": 404, "leader": 404}


def _undo_measures(world: World) -> None:
    QuarterMeasure.objects.all().delete()


def _undo_assistants(world: World) -> None:
    Delegation.objects.exclude(pk=world["delegation"].pk).delete()
    Delegation.objects.filter(pk=world["delegation"].pk).update(revoked_at=None)


def _delegated(world: World) -> dict[str, int]:
    return {"pk": world["coachee"].pk, "delegation": world["delegation"].pk}


def _delegated_api(world: World) -> dict[str, int]:
    return {"person_id": world["coachee"].pk, "delegation_id": world["delegation"].pk}


def _undo_rating(world: World) -> None:
    campaigns = list(RatingRequest.objects.values_list("campaign_id", flat=True))
    RatingRequest.objects.all().delete()
    Campaign.objects.filter(pk__in=campaigns).delete()


def _rated(world: World) -> dict[str, int]:
    return {"pk": world["coachee"].pk, "delivery": world["delivery"].pk}


def _rated_api(world: World) -> dict[str, int]:
    return {"person_id": world["coachee"].pk, "delivery_id": world["delivery"].pk}


def _undo_plan(world: World) -> None:
    CommunicationPlan.objects.filter(person=world["coachee"]).update(revision=1)


READERS = ("admin", "sponsor", "coach")  # of the coachee's communications
COACHEE_VIEW = only(READERS, outsider=404) | {"leader": 404}
COACHEE_EDIT = only(("admin",), outsider=404) | {"leader": 404}
COACHEE_VIEW_API = api_only(READERS, outsider=404) | {"leader": 404}
COACHEE_EDIT_API = api_only(("admin",), outsider=404) | {"leader": 404}
COACHEE_CREATE_API = api_only(("admin",), outsider=404, ok=201) | {"leader": 404}

PAGES: list[Page] = [
    Page("communications:home", only(("admin", "sponsor", "coach", "leader"))),
    Page("communications:leader", COACHEE_VIEW, kwargs=_coachee, is_object_page=True),
    Page(
        "communications:leader",
        only(("admin", "sponsor", "leader"), outsider=404) | {"coach": 404},
        kwargs=_leader,
        is_object_page=True,
    ),
    Page("communications:calendar", COACHEE_VIEW, kwargs=_coachee, is_object_page=True),
    Page("communications:ratings", COACHEE_VIEW, kwargs=_coachee, is_object_page=True),
    Page("communications:rate", everyone(405), kwargs=_rated, is_object_page=True),
    Page("communications:assistants", COACHEE_EDIT, kwargs=_coachee, is_object_page=True),
    Page(
        "communications:attachment",
        only((), outsider=404) | NO_FILE,
        kwargs=_rated,
        is_object_page=True,
    ),
    Page(
        "communications:revoke_assistant",
        everyone(405),
        kwargs=_delegated,
        is_object_page=True,
    ),
    Page("communications:edit", COACHEE_EDIT, kwargs=_coachee, is_object_page=True),
    Page("communications:log", COACHEE_EDIT, kwargs=_coachee, is_object_page=True),
    *(
        Page(f"communications:{name}", everyone(405), kwargs=_coachee, is_object_page=True)
        for name in ("generate", "tap")
    ),
    Page("communications:org_calendar", only(("admin", "sponsor"))),
    Page("communications:rhythm", only(("admin", "sponsor"))),
    Page("communications:feed", only(("leader",), outsider=403)),
    Page(
        "communications:ical",
        everyone(404, anonymous=404),
        kwargs=lambda world: {"token": "forged-token-that-does-not-exist"},
    ),
    Page("communications:preferences", everyone(200)),
]

OPERATIONS: list[Operation] = [
    Operation(
        "get",
        f"{BASE}/leaders/{{person_id}}",
        COACHEE_VIEW_API,
        params=_coachee_api,
        is_object=True,
    ),
    Operation(
        "put",
        f"{BASE}/leaders/{{person_id}}/plan",
        COACHEE_EDIT_API,
        params=_coachee_api,
        body=lambda w: {"objective": "Weekly AI wins", "audiences": {"audience.employees": ""}},
        is_object=True,
        restore=_undo_plan,
    ),
    Operation(
        "post",
        f"{BASE}/leaders/{{person_id}}/deliveries",
        COACHEE_CREATE_API,
        params=_coachee_api,
        body=lambda w: {
            "delivered_at": "2026-01-05T09:00:00Z",
            "channel": "channel.email",
            "audiences": ["audience.employees"],
        },
        is_object=True,
        restore=_undo_deliveries,
    ),
    Operation(
        "post",
        f"{BASE}/leaders/{{person_id}}/tap",
        COACHEE_EDIT_API,
        params=_coachee_api,
        body=lambda w: {"cadence_key": DAILY},
        is_object=True,
        restore=_undo_deliveries,
    ),
    Operation(
        "get",
        f"{BASE}/leaders/{{person_id}}/ratings",
        COACHEE_VIEW_API,
        params=_coachee_api,
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/leaders/{{person_id}}/deliveries/{{delivery_id}}/rating",
        COACHEE_CREATE_API,
        params=_rated_api,
        body=lambda w: {"open_days": 7},
        is_object=True,
        restore=_undo_rating,
    ),
    Operation(
        "get",
        f"{BASE}/leaders/{{person_id}}/assistants",
        COACHEE_EDIT_API,
        params=_coachee_api,
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/leaders/{{person_id}}/assistants",
        COACHEE_CREATE_API,
        params=_coachee_api,
        body=lambda w: {"email": "admin@acme.test"},
        is_object=True,
        restore=_undo_assistants,
    ),
    Operation(
        "post",
        f"{BASE}/leaders/{{person_id}}/assistants/{{delegation_id}}/revoke",
        COACHEE_EDIT_API,
        params=_delegated_api,
        is_object=True,
        restore=_undo_assistants,
    ),
    Operation(
        "put",
        f"{BASE}/leaders/{{person_id}}/deliveries/{{delivery_id}}/attachment",
        COACHEE_EDIT_API,
        params=_rated_api,
        body=lambda w: {"filename": "notes.txt", "content_base64": "SGVsbG8="},
        is_object=True,
        restore=_undo_attachment,
    ),
    Operation(
        "get",
        f"{BASE}/leaders/{{person_id}}/deliveries/{{delivery_id}}/attachment",
        api_only((), outsider=404) | NO_FILE,
        params=_rated_api,
        is_object=True,
    ),
    Operation(
        "get",
        f"{BASE}/leaders/{{person_id}}/measures",
        COACHEE_VIEW_API,
        params=_coachee_api,
        is_object=True,
    ),
    Operation(
        "put",
        f"{BASE}/leaders/{{person_id}}/measures",
        COACHEE_EDIT_API,
        params=_coachee_api,
        body=lambda w: {"quarter": "2026-Q1", "behaviour_change": "More AI use in stand-ups"},
        is_object=True,
        restore=_undo_measures,
    ),
    Operation("get", f"{BASE}/rhythm", api_only(("admin", "sponsor"))),
    Operation("get", f"{BASE}/calendar", api_only(("admin", "sponsor"))),
]
