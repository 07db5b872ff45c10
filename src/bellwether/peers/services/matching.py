"""Mentorship matching: run the matcher (proposals), publish a run (pairs become active
and both people are told by email)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from bellwether.accounts.models import User
from bellwether.core import audit, mail
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.framework.catalogue import MENTORSHIP
from bellwether.influence import selectors as influence_selectors
from bellwether.peers import matching, selectors
from bellwether.peers.models import MatchRun, Pairing, PairStatus, RunStatus


def _band_names(keys: Iterable[str]) -> str:
    return " or ".join(catalogue.band(key).name for key in keys)


def _leaders(organisation: Organisation, capacity: int) -> list[matching.Leader]:
    """Every active leader with their band of record (the latest released readiness),
    unit and free mentor slots; mentees already in an active pair are left out."""
    inputs = influence_selectors.network_inputs(organisation)
    load, paired = selectors.active_load(organisation)
    return [
        matching.Leader(
            row.id,
            row.band_key,
            row.unit_id,
            row.unit_name,
            capacity=max(0, capacity - load.get(row.id, 0)),
        )
        for row in inputs.leaders
        if row.id not in paired
    ]


def run_matching(
    *, organisation: Organisation, actor: User | None, capacity: int | None = None
) -> MatchRun:
    """Propose mentor–mentee pairs for everyone not yet mentored. An earlier run that was
    never published is superseded. Refused, saving nothing, when no leader can mentor
    or no one needs a mentor."""
    capacity = MENTORSHIP.default_capacity if capacity is None else capacity
    if not 1 <= capacity <= MENTORSHIP.max_capacity:
        message = f"A mentor's capacity is 1 to {MENTORSHIP.max_capacity} mentees."
        raise DomainError(message, code="capacity", field_errors={"capacity": [message]})
    inputs = influence_selectors.network_inputs(organisation)
    leaders = _leaders(organisation, capacity)
    mentors, mentees = matching.split(leaders)
    if not mentors:
        if any(leader.band_key in MENTORSHIP.mentor_bands for leader in leaders):
            raise DomainError(
                f"There are no eligible mentors: every {_band_names(MENTORSHIP.mentor_bands)} "
                f"leader already mentors {capacity} people. Raise the capacity or end some "
                "pairings first.",
                code="no_mentors",
            )
        raise DomainError(
            "There are no eligible mentors: no leader's latest released readiness puts them "
            f"in the {_band_names(MENTORSHIP.mentor_bands)} band. Release a readiness cycle "
            "first.",
            code="no_mentors",
        )
    if not mentees:
        raise DomainError(
            "No one needs a mentor: every "
            f"{_band_names(MENTORSHIP.mentee_bands)} leader is already paired, or none is "
            "assessed.",
            code="no_mentees",
        )
    strengths = influence_selectors.influence_strengths(inputs)
    proposals = matching.match(leaders, strengths)
    bands = {leader.id: leader.band_key or "" for leader in leaders}
    with transaction.atomic():
        stale = MatchRun.objects.filter(organisation=organisation, status=RunStatus.PROPOSED)
        Pairing.objects.filter(run__in=stale, status=PairStatus.PROPOSED).update(
            status=PairStatus.WITHDRAWN
        )
        stale.update(status=RunStatus.SUPERSEDED)
        run = MatchRun.objects.create(
            organisation=organisation,
            capacity=capacity,
            mentors=len(mentors),
            mentees=len(mentees),
            total_score=matching.total_score(proposals),
            created_by=actor,
        )
        Pairing.objects.bulk_create(
            Pairing(
                organisation=organisation,
                run=run,
                mentor_id=p.mentor_id,
                mentee_id=p.mentee_id,
                score=p.score,
                reasons=list(p.reasons),
                mentor_band_key=bands[p.mentor_id],
                mentee_band_key=bands[p.mentee_id],
            )
            for p in proposals
        )
        audit.record_on(
            run,
            "peers.matching_run",
            actor=actor,
            details={
                "capacity": capacity,
                "mentors": len(mentors),
                "mentees": len(mentees),
                "proposals": len(proposals),
            },
        )
    return run


def publish_run(
    *,
    run: MatchRun,
    actor: User | None,
    withdraw: Iterable[int] = (),
    today: datetime.date | None = None,
) -> list[Pairing]:
    """Make the run's proposals active pairs (less those in ``withdraw``) and tell both
    people by email once the change is committed."""
    today = today or timezone.localdate()
    withdraw_ids = set(withdraw)
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.PROPOSED:
            raise DomainError(
                f"This run is {run.get_status_display().lower()}: only a proposed run can be "
                "published.",
                code="not_proposed",
            )
        proposals = list(Pairing.objects.filter(run=run, status=PairStatus.PROPOSED))
        unknown = withdraw_ids - {p.pk for p in proposals}
        if unknown:
            raise DomainError(
                "Some proposals to leave out are not in this run: "
                + ", ".join(str(pk) for pk in sorted(unknown))
                + ".",
                code="unknown_proposal",
            )
        kept = [p for p in proposals if p.pk not in withdraw_ids]
        if not kept:
            raise DomainError("Keep at least one proposal to publish.", code="nothing_to_publish")
        already = selectors.actively_mentored(run.organisation_id, [p.mentee_id for p in kept])
        if already:
            raise DomainError(
                "Some mentees were paired since this run: run the matcher again.",
                code="stale_run",
            )
        now = timezone.now()
        Pairing.objects.filter(pk__in=withdraw_ids).update(status=PairStatus.WITHDRAWN)
        Pairing.objects.filter(pk__in=[p.pk for p in kept]).update(
            status=PairStatus.ACTIVE, started_on=today
        )
        run.status = RunStatus.PUBLISHED
        run.published_at = now
        run.published_by = actor
        run.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        audit.record_on(
            run,
            "peers.matching_published",
            actor=actor,
            details={"published": len(kept), "withdrawn": len(withdraw_ids)},
        )
        from bellwether.peers import tasks  # the task module imports the services

        enqueue_on_commit(tasks.send_pairing_emails, run.pk)
    return list(
        Pairing.objects.filter(pk__in=[p.pk for p in kept]).select_related("mentor", "mentee")
    )


def deliver_pairing_emails(*, run_id: int) -> int:
    """Tell the mentor and the mentee of each published pair of the run (once: a rerun
    skips the pairs already told). Answers how many pairs were told."""
    told = 0
    deferred = 0
    pairings = selectors.pairs_to_notify(run_id)
    with mail.Connection() as connection:
        for pairing in pairings:
            refused = False
            for person, role, other in (
                (pairing.mentor, "mentor", pairing.mentee),
                (pairing.mentee, "mentee", pairing.mentor),
            ):
                if not person.email:
                    continue
                context = {"person": person, "other": other, "role": role, "pairing": pairing}
                refusal = connection.send(
                    mail.message(
                        subject="Your AI leadership mentoring pair",
                        to=person.email,
                        text=render_to_string("peers/email/paired.txt", context),
                    )
                )
                if refusal is not None:
                    # A refusal for now is tried again; a permanent one is only logged.
                    refused = refused or refusal.transient
                    deferred += refusal.transient
                    mail.logger.warning(
                        "The pairing mail for pair %s was refused: %s", pairing.pk, refusal.reason
                    )
            if not refused:
                Pairing.objects.filter(pk=pairing.pk).update(notified_at=timezone.now())
                told += 1
    if deferred:
        raise mail.MailDeferred(sent=told, deferred=deferred)
    return told
