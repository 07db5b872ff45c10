"""Every survey page and API operation, for the access matrix (tests/test_access_matrix.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bellwether.surveys import services
from bellwether.surveys.models import Campaign
from bellwether.testing.access import (
    Operation,
    Page,
    World,
    api_everyone,
    api_only,
    everyone,
    only,
    pk_of,
)

FORGED = "1.abc~forged-signature"


def build(world: World) -> None:
    org = world["org"]
    version = services.install_ready_pulses(organisation=org)[0]
    now = timezone.now()
    people = [world["bystander"], world["coachee"], world["leader_person"]]
    open_campaign = services.launch_campaign(
        organisation=org,
        actor=None,
        version=version,
        name="Open pulse",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=5),
        audience={"person_ids": [p.pk for p in people]},
        segments=["org_unit"],
        send_email=False,
    )
    closed = services.launch_campaign(
        organisation=org,
        actor=None,
        version=version,
        name="Closed pulse",
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=1),
        audience={"person_ids": [p.pk for p in people]},
        send_email=False,
    )
    Campaign.objects.filter(pk=closed.pk).update(closes_at=now - dt.timedelta(days=1))
    world["campaign"] = open_campaign
    world["closed_campaign"] = closed
    world["survey_token"] = services.invitation_token(open_campaign.invitations.earliest("pk"))
    world["invitation"] = open_campaign.invitations.latest("pk")
    instrument = services.create_instrument(organisation=org, actor=None, name="Matrix builder")
    services.save_question(
        instrument=instrument,
        actor=None,
        data=services.QuestionInput(key="q1", text="Fine?", scale="yes_no"),
    )
    world["instrument"] = instrument
    world["schedule"] = services.create_schedule(
        organisation=org, actor=None, instrument=version.instrument
    )


_campaign = pk_of("campaign")
_closed = pk_of("closed_campaign")
_invitation = pk_of("invitation")
_instrument_pk = pk_of("instrument")


PAGES: list[Page] = [
    Page("surveys:confidentiality", only(("admin",))),
    Page("surveys:instruments", only(("admin",))),
    Page(
        "surveys:instrument_detail",
        only(("admin",), outsider=404),
        kwargs=_instrument_pk,
        is_object_page=True,
    ),
    Page("surveys:instrument_question", everyone(405), kwargs=_instrument_pk, is_object_page=True),
    Page(
        "surveys:instrument_action",
        everyone(405),
        kwargs=lambda world: {"pk": world["instrument"].pk, "action": "publish"},
        is_object_page=True,
    ),
    Page(
        "surveys:invitations",
        only(("admin",), outsider=404),
        kwargs=_campaign,
        is_object_page=True,
    ),
    Page("surveys:invitation_revoke", everyone(405), kwargs=_invitation, is_object_page=True),
    Page("surveys:invitation_reissue", everyone(405), kwargs=_invitation, is_object_page=True),
    Page("surveys:campaigns", only(("admin", "sponsor"))),
    Page("surveys:schedules", only(("admin",))),
    Page("surveys:schedule_new", only(("admin",))),
    Page(
        "surveys:schedule_edit",
        only(("admin",), outsider=404),
        kwargs=lambda world: {"pk": world["schedule"].pk},
        is_object_page=True,
    ),
    Page(
        "surveys:schedule_active",
        everyone(405),
        kwargs=lambda world: {"pk": world["schedule"].pk},
        is_object_page=True,
    ),
    Page("surveys:campaign_new", only(("admin",))),
    Page("surveys:install_pulses", everyone(405)),
    Page(
        "surveys:campaign_detail",
        only(("admin",), outsider=404),
        kwargs=_campaign,
        is_object_page=True,
    ),
    Page("surveys:campaign_remind", everyone(405), kwargs=_campaign, is_object_page=True),
    Page("surveys:campaign_close", everyone(405), kwargs=_campaign, is_object_page=True),
    # An open anonymous pulse: only the admin; a closed one: the sponsor too.
    Page(
        "surveys:results",
        only(("admin",), outsider=404) | {"sponsor": 404},
        kwargs=_campaign,
        is_object_page=True,
    ),
    Page(
        "surveys:results",
        only(("admin", "sponsor"), outsider=404),
        kwargs=_closed,
        is_object_page=True,
    ),
    Page(
        "surveys:results_export",
        only(("admin", "sponsor"), outsider=404),
        kwargs=lambda world: {"pk": world["closed_campaign"].pk, "fmt": "csv"},
        is_object_page=True,
    ),
    Page(
        "surveys:results_export",
        only(("admin", "sponsor"), outsider=404),
        kwargs=lambda world: {"pk": world["closed_campaign"].pk, "fmt": "xlsx"},
        is_object_page=True,
    ),
    Page("surveys:thanks", everyone(200, anonymous=200)),
    # The personal link works without signing in, for whoever holds it; a browser signed
    # in as anyone but the invitee is refused (the n-1 attack).
    Page(
        "surveys:respond",
        everyone(403, anonymous=200),
        kwargs=lambda world: {"token": world["survey_token"]},
    ),
    Page("surveys:respond", everyone(410, anonymous=410), kwargs=lambda world: {"token": FORGED}),
    Page(
        "surveys:save_draft",
        everyone(405, anonymous=405),
        kwargs=lambda world: {"token": world["survey_token"]},
    ),
]


def _instrument(world: World) -> dict[str, object]:
    return {
        "key": "matrix",
        "name": "Matrix",
        "questions": [{"key": "q1", "text": "Fine?", "scale": "yes_no", "labels": ["No", "Yes"]}],
    }


def _minimums(world: World) -> dict[str, int]:
    return {"min_group": 6, "min_360_group": 3, "min_comments": 12}


OPERATIONS: list[Operation] = [
    Operation("get", "/api/v1/surveys/confidentiality", api_only(("admin",))),
    Operation("put", "/api/v1/surveys/confidentiality", api_only(("admin",)), body=_minimums),
    Operation("get", "/api/v1/surveys/instruments", api_only(("admin",))),
    Operation(
        "post",
        "/api/v1/surveys/instruments",
        api_only(("admin",), ok=201, outsider=201),
        body=_instrument,
    ),
    Operation("get", "/api/v1/surveys/campaigns", api_only(("admin", "sponsor"))),
    Operation(
        "get",
        "/api/v1/surveys/campaigns/{campaign_id}",
        api_only(("admin",), outsider=404),
        params=lambda world: {"campaign_id": world["campaign"].pk},
        is_object=True,
    ),
    Operation(
        "get",
        "/api/v1/surveys/campaigns/{campaign_id}/status",
        api_only(("admin",), outsider=404),
        params=lambda world: {"campaign_id": world["campaign"].pk},
        is_object=True,
    ),
    Operation(
        "get",
        "/api/v1/surveys/campaigns/{campaign_id}/results",
        api_only(("admin", "sponsor"), outsider=404),
        params=lambda world: {"campaign_id": world["closed_campaign"].pk},
        is_object=True,
    ),
    # Personal links: no API token needed; a forged one is gone for everyone.
    Operation(
        "get",
        "/api/v1/surveys/respond/{token}",
        api_everyone(410, anonymous=410),
        params=lambda world: {"token": FORGED},
    ),
    Operation(
        "put",
        "/api/v1/surveys/respond/{token}/draft",
        api_everyone(410, anonymous=410),
        params=lambda world: {"token": FORGED},
        body=lambda world: {"answers": {"confidence": 4}},
    ),
    Operation(
        "post",
        "/api/v1/surveys/respond/{token}",
        api_everyone(410, anonymous=410),
        params=lambda world: {"token": FORGED},
        body=lambda world: {"answers": {"confidence": 4}},
    ),
]
