"""Instruments, campaigns, links, drafts and exactly-once anonymous submission."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.surveys import definitions, sealing, services
from bellwether.surveys.models import (
    Answer,
    Ballot,
    Campaign,
    Completion,
    Instrument,
    InstrumentVersion,
    Invitation,
    Question,
    Response,
)
from bellwether.surveys.services import LinkState
from bellwether.surveys.tests.helpers import (
    answer,
    close,
    confidence_version,
    launch,
    people_in,
    person,
    token_for,
    two_units,
)
from bellwether.testing.concurrency import at_once


def test_the_three_framework_pulses_are_installed_once(org) -> None:
    first = services.install_ready_pulses(organisation=org)
    again = services.install_ready_pulses(organisation=org)
    assert [v.pk for v in first] == [v.pk for v in again]
    assert sorted(Instrument.objects.filter(organisation=org).values_list("key", flat=True)) == [
        "pulse-communication",
        "pulse-confidence",
        "pulse-own-use",
    ]
    confidence = Question.objects.get(version=first[0], key="confidence")
    assert (confidence.scale, confidence.favourable_min) == ("likert5", 4)
    assert Instrument.objects.get(organisation=org, key="pulse-confidence").kpi_key == (
        "kpi.employee_confidence"
    )


def test_editing_an_instrument_publishes_a_new_version_and_leaves_the_old_one(org) -> None:
    v1 = confidence_version(org)
    v2 = services.publish_instrument_version(
        organisation=org,
        actor=None,
        key="pulse-confidence",
        name="Pulse: confidence",
        questions=[definitions.QuestionSpec("only", "One question", "yes_no", ("No", "Yes"))],
    )
    assert (v1.number, v2.number) == (1, 2)
    assert Question.objects.filter(version=v1).count() == 3
    assert list(Question.objects.filter(version=v2).values_list("key", flat=True)) == ["only"]


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([], "at least one question"),
        ([definitions.QuestionSpec("a", "A", "likert5")] * 2, "its own key"),
        ([definitions.QuestionSpec("a", "A", "stars")], "Unknown scale"),
        ([definitions.QuestionSpec("a", "A", "choice", ("x",))], "two options"),
    ],
)
def test_a_bad_instrument_is_refused_with_a_reason(org, questions, message) -> None:
    with pytest.raises(DomainError, match=message):
        services.publish_instrument_version(
            organisation=org, actor=None, key="x", name="X", questions=questions
        )
    assert InstrumentVersion.objects.count() == 0


def test_a_campaign_invites_its_audience_by_unit_and_level(org) -> None:
    _root, sales, legal = two_units(org)
    in_sales = people_in(org, sales, 3)
    execs = people_in(org, legal, 2, leader_level="executive")
    people_in(org, legal, 2)
    person(org, org_unit=sales, active=False)
    campaign = services.launch_campaign(
        organisation=org,
        actor=None,
        version=confidence_version(org),
        name="Pulse",
        opens_at=timezone.now(),
        closes_at=timezone.now() + dt.timedelta(days=3),
        audience={"org_unit_ids": [sales.pk], "leader_levels": ["executive"]},
        send_email=False,
    )
    invited = set(Invitation.objects.filter(campaign=campaign).values_list("person_id", flat=True))
    assert invited == {p.pk for p in in_sales + execs}
    assert AuditEvent.objects.filter(action="surveys.campaign_launched").count() == 1


def test_a_campaign_that_closes_before_it_opens_is_refused(org, unit) -> None:
    people_in(org, unit, 2)
    with pytest.raises(DomainError) as info:
        services.launch_campaign(
            organisation=org,
            actor=None,
            version=confidence_version(org),
            name="x",
            opens_at=timezone.now() + dt.timedelta(days=2),
            closes_at=timezone.now() + dt.timedelta(days=1),
            segments=["shoe_size"],
            send_email=False,
        )
    assert set(info.value.field_errors) == {"closes_at", "segments"}
    assert Campaign.objects.count() == 0


# --- links ---------------------------------------------------------------------------------


def test_each_bad_link_has_its_own_state(org, unit) -> None:
    person = people_in(org, unit, 1)[0]
    campaign = launch(org, people=[person])
    invitation = Invitation.objects.get(campaign=campaign)
    token = services.invitation_token(invitation)
    assert services.check_link(token).state is LinkState.OK
    assert services.check_link(token + "x").state is LinkState.FORGED
    assert services.check_link("nonsense").state is LinkState.FORGED
    assert services.check_link(token, now=campaign.closes_at).state is LinkState.EXPIRED
    assert (
        services.check_link(token, now=campaign.opens_at - dt.timedelta(seconds=1)).state
        is LinkState.NOT_OPEN
    )
    services.reissue_invitation(invitation=invitation, actor=None, send_email=False)
    assert services.check_link(token).state is LinkState.REVOKED
    fresh = services.invitation_token(Invitation.objects.get(pk=invitation.pk))
    assert services.check_link(fresh).state is LinkState.OK
    services.revoke_invitation(invitation=Invitation.objects.get(pk=invitation.pk), actor=None)
    assert services.check_link(fresh).state is LinkState.REVOKED


def test_a_link_of_another_invitation_with_the_right_shape_is_forged(org, unit) -> None:
    person = people_in(org, unit, 1)[0]
    campaign = launch(org, people=[person])
    invitation = Invitation.objects.get(campaign=campaign)
    guessed = f"{invitation.pk}.{invitation.nonce}~AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    assert services.check_link(guessed).state is LinkState.FORGED


# --- drafts and submission -----------------------------------------------------------------


def test_a_draft_keeps_partial_answers_and_ignores_bad_ones(org, unit) -> None:
    person = people_in(org, unit, 1)[0]
    campaign = launch(org, people=[person])
    token = token_for(campaign, person)
    saved = services.save_draft(token=token, answers={"confidence": "4", "clarity": "9", "x": 1})
    assert saved == {"confidence": 4}
    assert services.open_draft(Invitation.objects.get(campaign=campaign)) == {"confidence": 4}
    assert Response.objects.count() == 0


def test_an_incomplete_submission_is_refused_and_keeps_the_answers(org, unit) -> None:
    person = people_in(org, unit, 1)[0]
    campaign = launch(org, people=[person])
    with pytest.raises(DomainError) as info:
        services.submit_response(token=token_for(campaign, person), answers={"confidence": "5"})
    assert info.value.field_errors == {"clarity": ["Please answer this question."]}
    assert services.open_draft(Invitation.objects.get(campaign=campaign)) == {"confidence": 5}
    assert Ballot.objects.count() == Completion.objects.count() == 0


def test_submitting_twice_gives_one_response(org, unit) -> None:
    person = people_in(org, unit, 1)[0]
    campaign = launch(org, people=[person])
    token = token_for(campaign, person)
    services.save_draft(token=token, answers={"confidence": "2"})
    services.submit_response(token=token, answers={"confidence": "4", "clarity": "5"})
    with pytest.raises(DomainError, match="answers were received"):
        services.submit_response(token=token, answers={"confidence": "1", "clarity": "1"})
    assert Ballot.objects.count() == 1
    assert Response.objects.count() == 0  # sealed until the campaign closes
    assert services.open_draft(Invitation.objects.get(campaign=campaign)) == {}
    sealed = Ballot.objects.get().sealed
    opened = sealing.open_sealed(sealed, purpose=sealing.ballot_purpose(campaign.pk))
    assert opened["answers"] == {"confidence": 4, "clarity": 5}
    close(campaign)
    assert Ballot.objects.count() == 0
    # One respondent is below the minimum: whoever knows who answered would know whose
    # answers they are, so nothing is stored.
    assert Response.objects.count() == Answer.objects.count() == 0


def test_an_anonymous_response_carries_only_the_declared_segments(org) -> None:
    root, sales, _legal = two_units(org)
    seniors = [
        person(org, org_unit=sales, leader_level="senior", start_date=dt.date(2020, 1, 1))
        for _ in range(5)
    ]
    senior = seniors[0]
    campaign = launch(org, people=seniors, segments=("org_unit",), org_unit_depth=0)
    for p in seniors:
        answer(campaign, p, 5, 4, "More demos")
    completion = Completion.objects.get(invitation__person=senior)
    assert (completion.org_unit_path, completion.leader_level) == (root.path, "")
    assert not hasattr(completion, "response_id")
    close(campaign)
    rows = set(Response.objects.values_list("org_unit_path", "leader_level", "tenure_band"))
    assert rows == {(root.path, "", "")}
    events = AuditEvent.objects.filter(action="surveys.response_submitted")
    assert {(e.details == {}, e.target_type) for e in events} == {(True, "surveys.campaign")}


def test_the_response_tables_have_no_link_to_a_person_or_a_time() -> None:
    for model in (Response, Answer):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"invitation", "person", "created_at", "updated_at", "submitted_at"}
        assert model._meta.pk is not None
        assert model._meta.pk.get_internal_type() == "UUIDField"
    # Only confidential (360) completions point at their response.
    relations = {
        f.related_model for f in Response._meta.get_fields() if f.is_relation and f.concrete
    }
    assert Invitation not in relations


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_draft", [False, True], ids=["one statement", "with a draft"])
def test_two_tabs_submitting_at_once_give_one_response(org, unit, with_draft) -> None:
    # Without a draft the answer is one self-committing statement; with one, a
    # transaction that also empties the draft. Either way the unique completion decides.
    person = people_in(org, unit, 1)[0]
    campaign = launch(org, people=[person])
    token = token_for(campaign, person)
    if with_draft:
        services.save_draft(token=token, answers={"confidence": "2"})

    def submit() -> str:
        services.submit_response(token=token, answers={"confidence": "5", "clarity": "4"})
        return "ok"

    submitted, refused = at_once([submit] * 4)
    assert all(isinstance(exc, DomainError) for exc in refused), refused
    outcomes = submitted + [exc.code for exc in refused if isinstance(exc, DomainError)]
    assert sorted(outcomes) == ["link_used", "link_used", "link_used", "ok"]
    assert Ballot.objects.count() == 1
    assert Completion.objects.count() == 1
    opened = sealing.open_sealed(
        Ballot.objects.get().sealed, purpose=sealing.ballot_purpose(campaign.pk)
    )
    assert len(opened["answers"]) == 2
    assert AuditEvent.objects.filter(action="surveys.response_submitted").count() == 1
    assert services.open_draft(Invitation.objects.get(campaign=campaign)) == {}
    assert connection.vendor == "postgresql"


def test_a_closed_campaign_takes_no_answers(org, unit) -> None:
    person = people_in(org, unit, 1)[0]
    campaign = close(launch(org, people=[person]))
    with pytest.raises(DomainError, match="has closed"):
        services.submit_response(
            token=token_for(campaign, person), answers={"confidence": 5, "clarity": 5}
        )
    assert Response.objects.count() == 0


def test_the_schedule_creates_one_campaign_per_period(org, unit) -> None:
    people_in(org, unit, 3)
    version = confidence_version(org)
    schedule = services.create_schedule(
        organisation=org, actor=None, instrument=version.instrument, open_days=40
    )
    now = timezone.now()
    first = services.run_schedules(now=now)
    again = services.run_schedules(now=now + dt.timedelta(hours=1))
    assert len(first) == 1
    assert again == []
    assert first[0].period == f"{now.year}-{now.month:02d}"
    assert first[0].schedule_id == schedule.pk
    assert Invitation.objects.filter(campaign=first[0]).count() == 3


def test_period_labels() -> None:
    assert services.period_of(dt.date(2026, 5, 17), "monthly") == ("2026-05", dt.date(2026, 5, 1))
    assert services.period_of(dt.date(2026, 5, 17), "quarterly") == ("2026-Q2", dt.date(2026, 4, 1))


def test_the_schedule_command_launches_once_and_reports(org, unit) -> None:
    from io import StringIO

    from django.core.management import call_command

    people_in(org, unit, 2)
    version = confidence_version(org)
    services.create_schedule(
        organisation=org, actor=None, instrument=version.instrument, open_days=40
    )
    out = StringIO()
    call_command("run_pulse_schedules", stdout=out)
    call_command("run_pulse_schedules", stdout=out)
    assert out.getvalue().splitlines()[-2] == "0 campaign(s) launched"
    assert out.getvalue().splitlines()[-1] == "0 campaign(s) released"
    assert "1 campaign(s) launched" in out.getvalue()
    assert Campaign.objects.filter(organisation=org).count() == 1


def test_parents_still_cascade_and_protect_without_database_constraints(org, unit) -> None:
    # Responses, answers and completions reference their campaign, organisation and
    # question without a database constraint; Django's own CASCADE and PROTECT apply.
    from django.db.models import ProtectedError

    people = people_in(org, unit, 5)
    campaign = launch(org, people=people)
    for p in people:
        services.submit_response(
            token=token_for(campaign, p), answers={"confidence": 4, "clarity": 3}
        )
    close(campaign)
    question = Question.objects.get(version=campaign.version, key="confidence")
    with pytest.raises(ProtectedError):
        question.delete()
    assert Answer.objects.filter(question=question).count() == 5
    campaign.delete()
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0
    assert Completion.objects.count() == 0
