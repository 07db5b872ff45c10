"""Initiatives' pages and API operations for the access matrix (tests/test_access_matrix.py).

The world's initiative is sponsored by an executive who is not a member; the leader is its
operational owner (so sees it but may not edit it); no member is an executive, so
endorsing and aligning are refused for every role (their success is tested in test_api.py).
"""

from __future__ import annotations

from typing import Any

from bellwether.initiatives import services
from bellwether.initiatives.models import BottleneckTeam, DecisionLogEntry, Initiative, Metric
from bellwether.initiatives.tests.factories import (
    add_repeat_contact,
    add_reply_right,
    make_executive,
)
from bellwether.testing.access import Operation, Page, World, api_only, everyone, only

BASE = "/api/v1/initiatives"


def build(world: World) -> None:
    org = world["org"]
    executive = make_executive(org, "IX01", "Ines Exec")
    initiative = services.create_initiative(
        organisation=org,
        actor=None,
        name="Support assistant",
        archetype="archetype.genai_customer_facing",
        sponsor=executive,
    )
    services.update_initiative(
        initiative=initiative, actor=None, changes={"operational_owner": world["leader_person"]}
    )
    world["initiative_executive"] = executive
    world["initiative"] = initiative
    world["metric"] = add_repeat_contact(initiative)
    world["team"] = BottleneckTeam.objects.create(organisation=org, name="Legal", cap=5)
    world["impact"] = services.add_change_impact(
        initiative=initiative,
        actor=None,
        impact_type="impact.workload_redistribution",
        affected_group="Agents",
        owner=executive,
        mitigation="Rebalance the queues",
    )
    world["right"] = add_reply_right(initiative)
    world["decision"] = services.request_decision(
        organisation=org, actor=None, title="Fund the eval harness", initiative=initiative
    )


def _ids(world: World) -> dict[str, Any]:
    return {"initiative_id": world["initiative"].pk}


def _gate(world: World) -> dict[str, Any]:
    return {"initiative_id": world["initiative"].pk, "gate_key": "gate.data_rights"}


def _team(world: World) -> dict[str, Any]:
    return {"initiative_id": world["initiative"].pk, "team_id": world["team"].pk}


def _back_to_idea(world: World) -> None:
    Initiative.objects.filter(pk=world["initiative"].pk).update(stage="stage.idea")


def _drop_matrix_metric(world: World) -> None:
    Metric.objects.filter(name="Matrix metric").delete()


def _undecide(world: World) -> None:
    DecisionLogEntry.objects.filter(pk=world["decision"].pk).update(
        decided_at=None, decided_by=None, outcome=""
    )


def _finish(world: World) -> None:
    services.finish_team_work(initiative=world["initiative"], team=world["team"], actor=None)


EDITORS = ("admin", "sponsor")
VIEWERS = ("admin", "sponsor", "leader")

OPERATIONS: list[Operation] = [
    Operation("get", BASE, api_only(VIEWERS)),
    Operation(
        "post",
        BASE,
        # The outsider names a person of another organisation: refused as invalid.
        api_only(EDITORS, ok=201, outsider=400),
        body=lambda w: {
            "name": "Matrix initiative",
            "archetype": "archetype.other",
            "sponsor_id": w["initiative_executive"].pk,
        },
    ),
    Operation("get", f"{BASE}/capacity", api_only(EDITORS)),
    Operation("get", f"{BASE}/decisions", api_only(EDITORS)),
    Operation(
        "post",
        f"{BASE}/decisions",
        # The outsider logs a decision in their own organisation.
        api_only(EDITORS, ok=201, outsider=201),
        body=lambda w: {"title": "Agree the pilot scope"},
    ),
    Operation(
        "post",
        f"{BASE}/decisions/{{decision_id}}/decide",
        api_only(EDITORS, outsider=404),
        params=lambda w: {"decision_id": w["decision"].pk},
        body=lambda w: {"outcome": "Agreed", "decided_by_id": w["initiative_executive"].pk},
        is_object=True,
        restore=_undecide,
    ),
    Operation("get", f"{BASE}/alignment", api_only(EDITORS)),
    Operation("get", f"{BASE}/time-to-decision", api_only(EDITORS)),
    Operation(
        "get",
        f"{BASE}/{{initiative_id}}",
        api_only(VIEWERS, outsider=404),
        params=_ids,
        is_object=True,
    ),
    Operation(
        "patch",
        f"{BASE}/{{initiative_id}}",
        api_only(EDITORS, outsider=404),
        params=_ids,
        body=lambda w: {"on_call": "Support ops rota"},
        is_object=True,
    ),
    Operation(
        "put",
        f"{BASE}/{{initiative_id}}/chain",
        api_only(EDITORS, outsider=404),
        params=_ids,
        body=lambda w: {"links": [{"kind": "chain.ai_output", "text": "Drafts"}]},
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/metrics",
        api_only(EDITORS, ok=201, outsider=404),
        params=_ids,
        body=lambda w: {
            "name": "Matrix metric",
            "layer": "layer.operational",
            "direction": "increase",
        },
        is_object=True,
        restore=_drop_matrix_metric,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/measurements",
        api_only(EDITORS, outsider=404),
        params=_ids,
        body=lambda w: {
            "measurements": [
                {"metric_id": w["metric"].pk, "measured_at": "2026-01-05T00:00:00Z", "value": 9}
            ]
        },
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/gates/{{gate_key}}/evidence",
        api_only(EDITORS, outsider=404),
        params=_gate,
        body=lambda w: {"text": "DPA signed"},
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/gates/{{gate_key}}/endorse",
        api_only((), outsider=404),
        params=_gate,
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/gates/{{gate_key}}/waive",
        api_only((), outsider=404),
        params=_gate,
        body=lambda w: {"reason": "Pilot"},
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/stage",
        # The sponsor role is not this initiative's sponsor: only the admin may move it.
        api_only(("admin",), outsider=404),
        params=_ids,
        body=lambda w: {"stage": "stage.learning_only_pilot"},
        is_object=True,
        restore=_back_to_idea,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/alignment",
        api_only((), outsider=404),
        params=_ids,
        body=lambda w: {"element": "alignment.gates", "agrees": True},
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/change-impacts",
        api_only(EDITORS, ok=201, outsider=404),
        params=_ids,
        body=lambda w: {
            "impact_type": "impact.workload_redistribution",
            "affected_group": "Agents",
            "owner_id": w["initiative_executive"].pk,
            "mitigation": "Rebalance the queues",
        },
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/decision-rights",
        api_only(EDITORS, ok=201, outsider=404),
        params=_ids,
        body=lambda w: {
            "decision": "Send a reply",
            "decided_by_before": "Agent",
            "decided_by_after": "Agent with AI draft",
            "mode": "advisory",
            "accountable": "Head of Support",
        },
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/adoption",
        api_only(EDITORS, outsider=404),
        params=_ids,
        body=lambda w: {
            "samples": [{"cohort": "majority", "week": 1, "suggestions": 10, "accepted": 5}]
        },
        is_object=True,
    ),
    Operation(
        "patch",
        f"{BASE}/{{initiative_id}}/metrics/{{metric_id}}",
        api_only(EDITORS, outsider=404),
        params=lambda w: {"initiative_id": w["initiative"].pk, "metric_id": w["metric"].pk},
        body=lambda w: {"target": 10},
        is_object=True,
    ),
    Operation(
        "patch",
        f"{BASE}/{{initiative_id}}/change-impacts/{{impact_id}}",
        api_only(EDITORS, outsider=404),
        params=lambda w: {"initiative_id": w["initiative"].pk, "impact_id": w["impact"].pk},
        body=lambda w: {"status": "mitigating"},
        is_object=True,
    ),
    Operation(
        "patch",
        f"{BASE}/{{initiative_id}}/decision-rights/{{right_id}}",
        api_only(EDITORS, outsider=404),
        params=lambda w: {"initiative_id": w["initiative"].pk, "right_id": w["right"].pk},
        body=lambda w: {"mode": "binding"},
        is_object=True,
    ),
    Operation(
        "put",
        f"{BASE}/{{initiative_id}}/before-after",
        api_only(EDITORS, outsider=404),
        params=_ids,
        body=lambda w: {
            "dimensions": {"before_after.decision_flow": {"before": "Agent", "after": "AI"}}
        },
        is_object=True,
    ),
    Operation(
        "put",
        f"{BASE}/{{initiative_id}}/signatories",
        api_only(EDITORS, outsider=404),
        params=_ids,
        body=lambda w: {"person_ids": [w["initiative_executive"].pk]},
        is_object=True,
    ),
    Operation(
        "get",
        f"{BASE}/{{initiative_id}}/adoption",
        api_only(VIEWERS, outsider=404),
        params=_ids,
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/teams/{{team_id}}/start",
        api_only(EDITORS, outsider=404),
        params=_team,
        body=lambda w: {},
        is_object=True,
        restore=_finish,
    ),
    Operation(
        "post",
        f"{BASE}/{{initiative_id}}/teams/{{team_id}}/finish",
        api_only(EDITORS, outsider=404),
        params=_team,
        is_object=True,
    ),
]


def _pk(world: World) -> dict[str, Any]:
    return {"pk": world["initiative"].pk}


PAGES: list[Page] = [
    Page("initiatives:portfolio", only(VIEWERS)),
    Page("initiatives:capacity", only(EDITORS)),
    Page("initiatives:new", only(EDITORS)),
    Page("initiatives:decisions", only(EDITORS)),
    Page(
        "initiatives:decision",
        only(EDITORS, outsider=404),
        kwargs=lambda w: {"decision_pk": w["decision"].pk},
        is_object_page=True,
    ),
    Page("initiatives:detail", only(VIEWERS, outsider=404), kwargs=_pk, is_object_page=True),
    Page("initiatives:edit", only(EDITORS, outsider=404), kwargs=_pk, is_object_page=True),
    Page("initiatives:chain", only(EDITORS, outsider=404), kwargs=_pk, is_object_page=True),
    Page("initiatives:metric_new", only(EDITORS, outsider=404), kwargs=_pk, is_object_page=True),
    Page(
        "initiatives:metric_edit",
        only(EDITORS, outsider=404),
        kwargs=lambda w: {"pk": w["initiative"].pk, "metric_pk": w["metric"].pk},
        is_object_page=True,
    ),
    Page(
        "initiatives:impact_edit",
        only(EDITORS, outsider=404),
        kwargs=lambda w: {"pk": w["initiative"].pk, "impact_pk": w["impact"].pk},
        is_object_page=True,
    ),
    Page(
        "initiatives:right_edit",
        only(EDITORS, outsider=404),
        kwargs=lambda w: {"pk": w["initiative"].pk, "right_pk": w["right"].pk},
        is_object_page=True,
    ),
    *(
        Page(f"initiatives:{name}", only(EDITORS, outsider=404), kwargs=_pk, is_object_page=True)
        for name in ("impact_new", "right_new", "raci", "before_after", "adoption", "signatories")
    ),
    Page(
        "initiatives:gate",
        only(VIEWERS, outsider=404),
        kwargs=lambda w: {"pk": w["initiative"].pk, "key": "gate.data_rights"},
        is_object_page=True,
    ),
    Page(
        "initiatives:evidence_file",
        # The world's gate has no file: viewers get 404 (the download is in test_views.py).
        only((), refused=403, outsider=404) | {"admin": 404, "sponsor": 404, "leader": 404},
        kwargs=lambda w: {"pk": w["initiative"].pk, "key": "gate.data_rights"},
        is_object_page=True,
    ),
    Page("initiatives:pdf", only(VIEWERS, outsider=404), kwargs=_pk, is_object_page=True),
    # POST-only forms of the initiative's page.
    *(
        Page(f"initiatives:{name}", everyone(405), kwargs=_pk, is_object_page=True)
        for name in ("measurements", "stage", "align", "start_team")
    ),
]
