"""The analytics and planner runs (re-exported from ``services``): queued after a change,
computed by the worker with its progress kept on the run, and stored as rows the pages
read. The computation itself is pure (``network.py``, ``planner.py``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation, org_id_of
from bellwether.influence import network, planner, selectors
from bellwether.influence.models import (
    AnalysisRun,
    Community,
    LeaderFigures,
    PlannerRun,
    RunStatus,
)
from bellwether.influence.selectors import as_pk

if TYPE_CHECKING:
    from bellwether.accounts.models import User

MAX_PICKS = 50


def refuse(field: str, message: str, code: str = "invalid") -> DomainError:
    """A refusal naming the field at fault (shared with ``services``)."""
    return DomainError(message, code=code, field_errors={field: [message]})


# --- analytics and planner runs ------------------------------------------------------------------


def request_analysis(
    *, organisation: Organisation, actor: User | None = None, force: bool = False
) -> AnalysisRun:
    """Make sure the analytics for the network as it is now exist or are on their way.

    Returns the finished run for the current version if there is one (unless ``force``),
    else the pending one, else a new pending run queued for the worker after commit.
    The version is the cheap stamp of ``selectors.network_version`` (one query).
    """
    selectors.forget_version(organisation.pk)
    version = selectors.network_version(organisation)
    runs = AnalysisRun.objects.filter(organisation=organisation, version=version)
    if not force:
        done = runs.filter(status=RunStatus.DONE).first()
        if done is not None:
            return done
    pending = runs.filter(status__in=[RunStatus.PENDING, RunStatus.RUNNING]).first()
    if pending is not None:
        return pending
    run = AnalysisRun.objects.create(
        organisation=organisation, version=version, requested_by=actor, stage="Waiting"
    )
    from bellwether.influence import tasks

    enqueue_on_commit(tasks.run_analysis, run.pk)
    return run


def note_band_changes(*, organisation: Organisation | int, person_ids: Sequence[int]) -> None:
    """Leaders' readiness bands changed (a readiness cycle's results were released): the
    worker checks the network's version and recomputes the analytics if it moved. Queued
    after commit; not in the request that changed the bands."""
    if not person_ids:
        return
    from bellwether.influence import tasks

    organisation_id = org_id_of(organisation)
    selectors.forget_version(organisation_id)
    enqueue_on_commit(tasks.refresh_analysis, organisation_id)


# How many of a community's most central leaders are kept with it.
CENTRAL_PER_COMMUNITY = 5
Progress = Callable[[int, str], None]


def _no_progress(percent: int, stage: str) -> None:
    return None


def compute_analysis(
    inputs: selectors.NetworkInputs, progress: Progress = _no_progress
) -> dict[str, Any]:
    """The analytics as stored on a run (JSON; person ids as strings): ``leaders`` and
    ``messengers`` become one row per leader, ``community_rows`` one per community, the
    rest stays on the run."""
    nodes, edges = inputs.as_network()
    progress(20, "PageRank, betweenness and communities")
    analysis = network.analyse(nodes, edges)
    progress(55, "Grid")
    placement = {p.leader_id: p for p in network.grid(nodes).placements}
    progress(60, "Messengers")
    found = network.messengers(nodes, edges)
    progress(80, "Communities")
    rows = inputs.by_id()
    leaders = {
        str(row.id): {
            "index": analysis.influence_index[row.id],
            "pagerank": analysis.pagerank[row.id],
            "betweenness": analysis.betweenness[row.id],
            "in_degree": analysis.in_degree[row.id],
            "out_degree": analysis.out_degree[row.id],
            "community": analysis.community[row.id],
            "quadrant": placement[row.id].quadrant,
            "band": row.band_key,
        }
        for row in inputs.leaders
    }
    return {
        "leaders": leaders,
        "communities": len(analysis.communities),
        "community_rows": _community_rows(inputs, analysis),
        "brokers": [as_pk(b) for b in analysis.brokers],
        "messengers": {
            str(target): [
                {
                    "person_id": as_pk(m.messenger_id),
                    "name": rows[as_pk(m.messenger_id)].name,
                    "band_key": rows[as_pk(m.messenger_id)].band_key,
                    "via_id": None if m.via_id is None else as_pk(m.via_id),
                    "via_name": None if m.via_id is None else rows[as_pk(m.via_id)].name,
                    "strength": m.strength,
                    "peer_respect": m.peer_respect,
                    "reason": m.reason,
                }
                for m in chosen
            ]
            for target, chosen in found.items()
        },
        "counts": {
            "leaders": len(inputs.leaders),
            "ties": len(inputs.ties),
            "lines": len(inputs.lines),
        },
        "influential_threshold": network.INFLUENTIAL_THRESHOLD,
    }


def _community_rows(
    inputs: selectors.NetworkInputs, analysis: network.NetworkAnalysis
) -> list[dict[str, Any]]:
    """Each community: size, most central members, band mix, tie strength to the others."""
    rows = inputs.by_id()
    links: list[dict[str, int]] = [{} for _ in analysis.communities]
    for _, s, t, strength, _ in inputs.ties:
        a, b = analysis.community[s], analysis.community[t]
        if a != b:
            links[a][str(b)] = links[a].get(str(b), 0) + strength
            links[b][str(a)] = links[b].get(str(a), 0) + strength
    out = []
    for number, members in enumerate(analysis.communities):
        bands: dict[str, int] = {}
        for member in members:
            key = rows[as_pk(member)].band_key or ""
            bands[key] = bands.get(key, 0) + 1
        central = sorted(members, key=lambda m: (-analysis.pagerank[m], as_pk(m)))
        out.append(
            {
                "number": number,
                "size": len(members),
                "central": [as_pk(m) for m in central[:CENTRAL_PER_COMMUNITY]],
                "bands": bands,
                "links": links[number],
            }
        )
    return out


def store_analysis(run: AnalysisRun, computed: dict[str, Any]) -> None:
    """Keep a computed analysis: the summary on the run, one row per leader and per
    community (what the pages read, paged). The run is not yet marked done."""
    organisation_id = run.organisation_id
    brokers = {pk: rank for rank, pk in enumerate(computed["brokers"], start=1)}
    messengers = computed["messengers"]
    with transaction.atomic():
        LeaderFigures.objects.filter(run=run).delete()
        Community.objects.filter(run=run).delete()
        LeaderFigures.objects.bulk_create(
            [
                LeaderFigures(
                    organisation_id=organisation_id,
                    run=run,
                    person_id=int(pk),
                    band_key=figures["band"] or "",
                    influence_index=figures["index"],
                    pagerank=figures["pagerank"],
                    betweenness=figures["betweenness"],
                    in_degree=figures["in_degree"],
                    out_degree=figures["out_degree"],
                    community=figures["community"],
                    quadrant=figures["quadrant"] or "",
                    broker_rank=brokers.get(int(pk)),
                    messengers=messengers.get(pk, []),
                )
                for pk, figures in computed["leaders"].items()
            ],
            batch_size=1000,
        )
        Community.objects.bulk_create(
            [
                Community(organisation_id=organisation_id, run=run, **row)
                for row in computed["community_rows"]
            ],
            batch_size=1000,
        )
    run.results = {
        key: value
        for key, value in computed.items()
        if key not in {"leaders", "messengers", "community_rows"}
    }


def _finish(run: AnalysisRun | PlannerRun, results: dict[str, Any], started: float) -> None:
    run.results = results
    run.status = RunStatus.DONE
    run.computed_at = timezone.now()
    run.duration_ms = round(1000 * (time.perf_counter() - started))
    run.error = ""
    run.progress = 100
    run.stage = "Done"
    run.save(
        update_fields=[
            "results",
            "status",
            "computed_at",
            "duration_ms",
            "error",
            "updated_at",
            "version",
            "progress",
            "stage",
        ]
    )


def _fail(run: AnalysisRun | PlannerRun, exc: Exception) -> None:
    run.status = RunStatus.FAILED
    run.error = str(exc)[:2000]
    run.computed_at = timezone.now()
    run.save(update_fields=["status", "error", "computed_at", "updated_at"])


_Run = TypeVar("_Run", AnalysisRun, PlannerRun)


def _work(
    model: type[_Run],
    run_id: int,
    compute: Callable[[_Run, selectors.NetworkInputs, Progress], dict[str, Any]],
) -> _Run | None:
    """The worker's half of a run: compute and store, saying how far it has got. The
    network is read as it is now, and the run takes the version stamped just before
    the read (it may have moved on since the request; a change during the read leaves
    the run behind, so the next page asks again)."""
    run = model.objects.filter(pk=run_id).select_related("organisation").first()
    if run is None or run.status == RunStatus.DONE:
        return run
    started = time.perf_counter()

    def progress(percent: int, stage: str) -> None:
        model.objects.filter(pk=run.pk).update(
            status=RunStatus.RUNNING, progress=percent, stage=stage[:60]
        )

    progress(5, "Reading the network")
    run.version = selectors.network_version(run.organisation)
    inputs = selectors.network_inputs(run.organisation)
    try:
        results = compute(run, inputs, progress)
    except DomainError as exc:
        _fail(run, exc)
        return run
    _finish(run, results, started)
    return run


def _analyse(
    run: AnalysisRun, inputs: selectors.NetworkInputs, progress: Progress
) -> dict[str, Any]:
    computed = compute_analysis(inputs, progress)
    progress(90, "Storing")
    store_analysis(run, computed)
    return run.results


def run_analysis(*, run_id: int) -> AnalysisRun | None:
    """The worker's half of an analysis (see ``_work``)."""
    return _work(AnalysisRun, run_id, _analyse)


@transaction.atomic
def request_plan(
    *,
    organisation: Organisation,
    actor: User | None,
    k: int = planner.DEFAULT_PICKS,
    runs: int = planner.DEFAULT_RUNS,
    seed: int = 0,
) -> PlannerRun:
    """Queue a conversion plan for the worker."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_PICKS:
        raise refuse("k", f"Pick between 1 and {MAX_PICKS} leaders.")
    if isinstance(runs, bool) or not isinstance(runs, int) or not 100 <= runs <= 10_000:
        raise refuse("runs", "Use between 100 and 10,000 simulated runs.")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= 2**31 - 1:
        raise refuse("seed", "The seed must be a whole number from 0 to 2147483647.")
    run = PlannerRun.objects.create(
        organisation=organisation,
        version=selectors.network_version(organisation),
        requested_by=actor,
        k=k,
        runs=runs,
        seed=seed,
    )
    audit.record(
        action="influence.plan_requested",
        organisation=organisation,
        actor=actor,
        target=run,
        details={"k": k, "runs": runs, "seed": seed},
    )
    from bellwether.influence import tasks

    enqueue_on_commit(tasks.run_plan, run.pk)
    return run


def compute_plan(
    inputs: selectors.NetworkInputs, *, k: int, runs: int, seed: int
) -> dict[str, Any]:
    nodes, edges = inputs.as_network()
    plan = planner.plan_conversion(nodes, edges, k=min(k, len(nodes)), runs=runs, seed=seed)
    return {
        "picks": [
            {
                "person_id": as_pk(pick.leader_id),
                "marginal_gain": pick.marginal_gain,
                "expected_supporters": pick.expected_supporters,
            }
            for pick in plan.picks
        ],
        "baseline_supporters": plan.baseline_supporters,
        "expected_supporters": plan.expected_supporters,
        "leaders": len(nodes),
        "evaluations": plan.evaluations,
    }


def run_plan(*, run_id: int) -> PlannerRun | None:
    """The worker's half of a conversion plan (see ``_work``)."""
    return _work(
        PlannerRun,
        run_id,
        lambda run, inputs, _progress: compute_plan(inputs, k=run.k, runs=run.runs, seed=run.seed),
    )
