"""Every write to the influence map: profiles (with revisions), ties, tie imports, and the
analytics and planner runs the worker computes. The computation itself is pure
(``network.py``, ``planner.py``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.core.tabular import ImportResult, RowError, read_table
from bellwether.core.uploads import MB, UploadLimits
from bellwether.influence import importing, selectors
from bellwether.influence.importing import TieValues
from bellwether.influence.models import (
    MAX_STRENGTH,
    METRIC_FIELDS,
    MIN_STRENGTH,
    PROFILE_FIELDS,
    TEXT_FIELDS,
    InfluenceProfile,
    ProfileRevision,
    Tie,
)
from bellwether.influence.services_runs import (
    MAX_PICKS,
    compute_analysis,
    compute_plan,
    note_band_changes,
    request_analysis,
    request_plan,
    run_analysis,
    run_plan,
    store_analysis,
)
from bellwether.influence.services_runs import (
    refuse as _refuse,
)
from bellwether.people.models import Person

if TYPE_CHECKING:
    from bellwether.accounts.models import User

MAX_TEXT = 2000
MAX_NOTE = importing.MAX_NOTE
RATINGS = ("high", "medium", "low", "")


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


__all__ = [
    "MAX_PICKS",
    "TEXT_FIELDS",
    "add_tie",
    "compute_analysis",
    "compute_plan",
    "import_ties",
    "note_band_changes",
    "remove_tie",
    "request_analysis",
    "request_plan",
    "run_analysis",
    "run_plan",
    "store_analysis",
    "update_profile",
    "update_tie",
    "upsert_ties",
]
