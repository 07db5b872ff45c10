"""Every write to the influence map: profiles (with revisions), ties, tie imports, and the
analytics and planner runs the worker computes. The computation itself is pure
(``network.py``, ``planner.py``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation
from bellwether.core.tabular import ImportResult, RowError, read_table
from bellwether.core.uploads import MB, UploadLimits
from bellwether.influence import importing, network, planner, selectors
from bellwether.influence.importing import TieValues
from bellwether.influence.models import (
    MAX_STRENGTH,
    METRIC_FIELDS,
    MIN_STRENGTH,
    PROFILE_FIELDS,
    TEXT_FIELDS,
    AnalysisRun,
    InfluenceProfile,
    PlannerRun,
    ProfileRevision,
    RunStatus,
    Tie,
)
from bellwether.influence.selectors import as_pk
from bellwether.people.models import Person

if TYPE_CHECKING:
    from bellwether.accounts.models import User

MAX_TEXT = 2000
MAX_NOTE = importing.MAX_NOTE
MAX_PICKS = 50
RATINGS = ("high", "medium", "low", "")


def _refuse(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, field_errors={field: [message]})


def _check_leader(organisation: Organisation, person: Person, field: str) -> None:
    if person.organisation_id != organisation.pk:
        raise _refuse(field, "Choose a leader of this organisation.", code="not_found")
    if not person.leader_level or not person.active:
        raise _refuse(field, f"{person.name} is not an active leader; only leaders are on the map.")


# --- profiles -------------------------------------------------------------------------------


@transaction.atomic
def update_profile(
    *,
    organisation: Organisation,
    actor: User | None,
    person: Person,
    values: Mapping[str, Any],
) -> InfluenceProfile:
    """Set some of a leader's profile fields; the change is kept as a revision.

    Fields left out keep their value; saving the same values records nothing.
    """
    _check_leader(organisation, person, "person")
    unknown = sorted(set(values) - set(PROFILE_FIELDS))
    if unknown:
        raise DomainError(f"Unknown profile field(s): {', '.join(unknown)}.", code="invalid")
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    for field, value in values.items():
        text = "" if value is None else str(value).strip()
        if field in METRIC_FIELDS:
            text = text.lower()
            if text not in RATINGS:
                errors[field] = ["Choose High, Medium or Low (or leave it unrated)."]
        elif len(text) > MAX_TEXT:
            errors[field] = [f"Keep it under {MAX_TEXT} characters."]
        elif "\x00" in text:
            errors[field] = ["This text contains a NUL character, which is not allowed."]
        clean[field] = text
    if errors:
        raise DomainError("Some fields need fixing.", field_errors=errors)
    profile = (
        InfluenceProfile.objects.select_for_update()
        .filter(organisation=organisation, person=person)
        .first()
    )
    if profile is None:
        profile = InfluenceProfile(organisation=organisation, person=person)
    changes = {
        field: [getattr(profile, field), text]
        for field, text in clean.items()
        if getattr(profile, field) != text
    }
    if profile.pk is not None and not changes:
        return profile
    for field, text in clean.items():
        setattr(profile, field, text)
    profile.save()
    if changes:
        ProfileRevision.objects.create(
            organisation=organisation,
            profile=profile,
            changed_by=actor,
            changed_by_label=actor.email if actor is not None else "system",
            changes=changes,
        )
        audit.record(
            action="influence.profile_updated",
            organisation=organisation,
            actor=actor,
            target=profile,
            target_label=person.name,
            details={"fields": sorted(changes)},
        )
    if any(field in METRIC_FIELDS for field in changes):
        request_analysis(organisation=organisation, actor=actor)
    return profile


# --- ties -----------------------------------------------------------------------------------


def _clean_tie(strength: Any, note: str) -> tuple[int, str]:
    if isinstance(strength, bool) or not isinstance(strength, int):
        try:
            strength = int(str(strength))
        except ValueError:
            raise _refuse("strength", "Strength must be 1, 2 or 3.") from None
    if not MIN_STRENGTH <= strength <= MAX_STRENGTH:
        raise _refuse("strength", "Strength must be 1, 2 or 3.")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise _refuse("note", f"Keep the note under {MAX_NOTE} characters.")
    if "\x00" in note:
        raise _refuse("note", "The note contains a NUL character, which is not allowed.")
    return strength, note


@transaction.atomic
def add_tie(
    *,
    organisation: Organisation,
    actor: User | None,
    source: Person,
    target: Person,
    strength: int = 2,
    note: str = "",
) -> Tie:
    """Record that ``source`` influences ``target``."""
    _check_leader(organisation, source, "source")
    _check_leader(organisation, target, "target")
    if source.pk == target.pk:
        raise _refuse("target", "A leader cannot influence themselves.")
    strength, note = _clean_tie(strength, note)
    if Tie.objects.filter(organisation=organisation, source=source, target=target).exists():
        raise _refuse(
            "target",
            f"{source.name} already influences {target.name}; change that tie instead.",
            code="duplicate",
        )
    tie = Tie.objects.create(
        organisation=organisation, source=source, target=target, strength=strength, note=note
    )
    audit.record(
        action="influence.tie_added",
        organisation=organisation,
        actor=actor,
        target=tie,
        details={"source": source.pk, "target": target.pk, "strength": strength},
    )
    request_analysis(organisation=organisation, actor=actor)
    return tie


@transaction.atomic
def update_tie(*, tie: Tie, actor: User | None, strength: int, note: str = "") -> Tie:
    strength, note = _clean_tie(strength, note)
    if (tie.strength, tie.note) == (strength, note):
        return tie
    before = tie.strength
    tie.strength, tie.note = strength, note
    tie.save(update_fields=["strength", "note", "updated_at"])
    audit.record_on(
        tie, "influence.tie_updated", actor=actor, details={"strength": [before, strength]}
    )
    if before != strength:
        request_analysis(organisation=tie.organisation, actor=actor)
    return tie


@transaction.atomic
def remove_tie(*, tie: Tie, actor: User | None) -> None:
    organisation = tie.organisation
    audit.record(
        action="influence.tie_removed",
        organisation=organisation,
        actor=actor,
        target=tie,
        details={"source": tie.source_id, "target": tie.target_id, "strength": tie.strength},
    )
    tie.delete()
    request_analysis(organisation=organisation, actor=actor)


# --- importing ties --------------------------------------------------------------------------


# Nothing written: every error, in order (core.tabular's all-or-nothing answer).
_refused = ImportResult.refused


def ties_upload_limits() -> UploadLimits:
    """A ties file is read inside the web request, so it gets tighter caps than the
    people import (which runs in the worker): still ample for 5,000 leaders' ties."""
    return UploadLimits.from_settings().at_most(
        max_bytes=10 * MB,
        max_rows=100_000,
        max_columns=50,
        xlsx_max_uncompressed=64 * MB,
        xlsx_max_part=48 * MB,
    )


def import_ties(
    *,
    organisation: Organisation,
    actor: User | None,
    content: bytes,
    filename: str,
    dry_run: bool = False,
) -> ImportResult:
    """Create or update ties from a CSV or XLSX file (source employee id, target employee
    id, strength, note). A file with any error imports nothing; ties not in the file stay."""
    table = read_table(content, filename, limits=ties_upload_limits())
    if not table.header:
        return _refused(table.errors, total=0, dry_run=dry_run)
    columns, column_errors = importing.resolve_columns(table.header)
    if table.errors or column_errors:
        return _refused(table.errors + column_errors, total=len(table.rows), dry_run=dry_run)
    return _import_rows(
        organisation=organisation,
        actor=actor,
        columns=columns,
        rows=table.rows,
        early_errors=[],
        dry_run=dry_run,
        source=filename,
    )


def upsert_ties(
    *,
    organisation: Organisation,
    actor: User | None,
    records: Sequence[Mapping[str, Any]],
    dry_run: bool = False,
) -> ImportResult:
    """The API's bulk upsert: records {source, target, strength, note} by employee id;
    error lines are 1-based record numbers."""
    columns, rows, errors = importing.rows_from_records(records)
    return _import_rows(
        organisation=organisation,
        actor=actor,
        columns=columns,
        rows=rows,
        early_errors=errors,
        dry_run=dry_run,
        source="api",
    )


def _import_rows(
    *,
    organisation: Organisation,
    actor: User | None,
    columns: dict[str, int],
    rows: Sequence[tuple[int, Sequence[str | None]]],
    early_errors: list[RowError],
    dry_run: bool,
    source: str,
) -> ImportResult:
    with transaction.atomic():
        people = dict(
            Person.objects.filter(organisation=organisation).values_list("employee_id", "id")
        )
        leaders = dict(selectors.leaders(organisation).values_list("employee_id", "id"))
        stored = {
            (s, t): (pk, TieValues(strength, note))
            for pk, s, t, strength, note in Tie.objects.select_for_update()
            .filter(organisation=organisation)
            .values_list("id", "source_id", "target_id", "strength", "note")
        }
        plan = importing.plan_ties(
            columns=columns,
            rows=rows,
            leaders=leaders,
            people=people,
            existing={pair: values for pair, (_, values) in stored.items()},
        )
        if early_errors or plan.errors:
            return _refused(early_errors + plan.errors, total=len(rows), dry_run=dry_run)
        result = ImportResult(
            ok=True,
            total=plan.total,
            created=len(plan.create),
            updated=len(plan.update),
            unchanged=plan.unchanged,
            dry_run=dry_run,
        )
        if dry_run:
            return result
        Tie.objects.bulk_create(
            [
                Tie(
                    organisation=organisation,
                    source_id=s,
                    target_id=t,
                    strength=values.strength,
                    note=values.note,
                )
                for (s, t), values in plan.create.items()
            ]
        )
        if plan.update:
            changed = []
            for pair, values in plan.update.items():
                tie = Tie(pk=stored[pair][0], strength=values.strength, note=values.note)
                tie.updated_at = timezone.now()
                changed.append(tie)
            Tie.objects.bulk_update(changed, ["strength", "note", "updated_at"], batch_size=1000)
        audit.record(
            action="influence.ties_imported",
            organisation=organisation,
            actor=actor,
            target_label=source[:300],
            details={"source": source, **result.counts()},
        )
        if plan.create or plan.update:
            request_analysis(organisation=organisation, actor=actor)
    return result


# --- analytics and planner runs ------------------------------------------------------------------


def request_analysis(
    *, organisation: Organisation, actor: User | None = None, force: bool = False
) -> AnalysisRun:
    """Make sure the analytics for the network as it is now exist or are on their way.

    Returns the finished run for the current version if there is one (unless ``force``),
    else the pending one, else a new pending run queued for the worker after commit.
    """
    version = selectors.network_version(organisation)
    if not force:
        done = AnalysisRun.objects.filter(
            organisation=organisation, version=version, status=RunStatus.DONE
        ).first()
        if done is not None:
            return done
    pending = selectors.pending_analysis(organisation, version)
    if pending is not None:
        return pending
    run = AnalysisRun.objects.create(organisation=organisation, version=version, requested_by=actor)
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

    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    enqueue_on_commit(tasks.refresh_analysis, organisation_id)


def compute_analysis(inputs: selectors.NetworkInputs) -> dict[str, Any]:
    """The analytics as stored on a run (JSON; person ids as strings)."""
    nodes, edges = inputs.as_network()
    analysis = network.analyse(nodes, edges)
    placement = {p.leader_id: p for p in network.grid(nodes).placements}
    found = network.messengers(nodes, edges)
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
        "brokers": [as_pk(b) for b in analysis.brokers],
        "messengers": {
            str(target): [
                {
                    "person_id": as_pk(m.messenger_id),
                    "via_id": None if m.via_id is None else as_pk(m.via_id),
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


def _finish(run: AnalysisRun | PlannerRun, results: dict[str, Any], started: float) -> None:
    run.results = results
    run.status = RunStatus.DONE
    run.computed_at = timezone.now()
    run.duration_ms = round(1000 * (time.perf_counter() - started))
    run.error = ""
    run.save(
        update_fields=[
            "results",
            "status",
            "computed_at",
            "duration_ms",
            "error",
            "updated_at",
            "version",
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
    compute: Callable[[_Run, selectors.NetworkInputs], dict[str, Any]],
) -> _Run | None:
    """The worker's half of a run: compute and store. The network is read as it is now,
    and the run takes that version (it may have moved on since the request)."""
    run = model.objects.filter(pk=run_id).select_related("organisation").first()
    if run is None or run.status == RunStatus.DONE:
        return run
    started = time.perf_counter()
    model.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    inputs = selectors.network_inputs(run.organisation)
    run.version = inputs.version()
    try:
        results = compute(run, inputs)
    except DomainError as exc:
        _fail(run, exc)
        return run
    _finish(run, results, started)
    return run


def run_analysis(*, run_id: int) -> AnalysisRun | None:
    """The worker's half of an analysis (see ``_work``)."""
    return _work(AnalysisRun, run_id, lambda _run, inputs: compute_analysis(inputs))


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
        raise _refuse("k", f"Pick between 1 and {MAX_PICKS} leaders.")
    if isinstance(runs, bool) or not isinstance(runs, int) or not 100 <= runs <= 10_000:
        raise _refuse("runs", "Use between 100 and 10,000 simulated runs.")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= 2**31 - 1:
        raise _refuse("seed", "The seed must be a whole number from 0 to 2147483647.")
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
        lambda run, inputs: compute_plan(inputs, k=run.k, runs=run.runs, seed=run.seed),
    )


__all__ = [
    "TEXT_FIELDS",
    "add_tie",
    "compute_analysis",
    "compute_plan",
    "import_ties",
    "remove_tie",
    "request_analysis",
    "request_plan",
    "run_analysis",
    "run_plan",
    "update_profile",
    "update_tie",
    "upsert_ties",
]
