"""The instrument builder: drafts, questions, ordering, publishing, and refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.surveys import services
from bellwether.surveys.models import Instrument, InstrumentVersion, Question


def _q(key: str, scale: str = "likert5", **extra) -> services.QuestionInput:
    return services.QuestionInput(key=key, text=f"Question {key}?", scale=scale, **extra)


@pytest.fixture
def instrument(org) -> Instrument:
    instrument = services.create_instrument(organisation=org, actor=None, name="Team AI health")
    services.save_question(instrument=instrument, actor=None, data=_q("first", favourable_min=4))
    services.save_question(instrument=instrument, actor=None, data=_q("second", "yes_no"))
    return instrument


def _keys(version: InstrumentVersion) -> list[str]:
    return list(version.questions.order_by("position").values_list("key", flat=True))


def test_create_and_publish_keeps_published_versions_unchanged(instrument) -> None:
    v1 = services.publish_draft(instrument=instrument, actor=None)
    assert (v1.number, v1.is_published, _keys(v1)) == (1, True, ["first", "second"])
    assert services.draft_of(instrument) is None
    yes_no = v1.questions.get(key="second")
    assert yes_no.labels == ["No", "Yes"]  # the usual labels when none are given
    # Editing starts version 2 as a copy; changing it leaves version 1 as it was.
    draft = services.start_new_version(instrument=instrument, actor=None)
    assert (draft.number, draft.is_published, _keys(draft)) == (2, False, ["first", "second"])
    q = draft.questions.get(key="first")
    services.save_question(
        instrument=instrument,
        actor=None,
        data=services.QuestionInput(key="first", text="Changed?", scale="zero_ten"),
        question_id=q.pk,
    )
    v1.refresh_from_db()
    assert v1.questions.get(key="first").text == "Question first?"
    v2 = services.publish_draft(instrument=instrument, actor=None)
    assert v2.number == 2
    assert v2.questions.get(key="first").scale == "zero_ten"
    assert InstrumentVersion.objects.filter(instrument=instrument).count() == 2


def test_reorder_and_remove(instrument) -> None:
    services.save_question(instrument=instrument, actor=None, data=_q("third", "text"))
    draft = services.draft_of(instrument)
    assert draft is not None
    third = draft.questions.get(key="third")
    services.move_question(instrument=instrument, actor=None, question_id=third.pk, direction="up")
    assert _keys(draft) == ["first", "third", "second"]
    first = draft.questions.get(key="first")
    services.move_question(instrument=instrument, actor=None, question_id=first.pk, direction="up")
    assert _keys(draft) == ["first", "third", "second"]  # already at the top: nothing moves
    services.remove_question(instrument=instrument, actor=None, question_id=first.pk)
    assert list(draft.questions.order_by("position").values_list("key", "position")) == [
        ("third", 1),
        ("second", 2),
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (services.QuestionInput(key="", text="x", scale="likert5"), "key"),
        (services.QuestionInput(key="Bad Key!", text="x", scale="likert5"), "key"),
        (services.QuestionInput(key="first", text="x", scale="likert5"), "key"),
        (services.QuestionInput(key="k", text="  ", scale="likert5"), "text"),
        (services.QuestionInput(key="k", text="x", scale="stars"), "scale"),
        (services.QuestionInput(key="k", text="x", scale="choice", labels=("Only",)), "labels"),
        (services.QuestionInput(key="k", text="x", scale="likert5", labels=("a", "b")), "labels"),
        (
            services.QuestionInput(key="k", text="x", scale="likert5", favourable_min=6),
            "favourable_min",
        ),
        (
            services.QuestionInput(key="k", text="x", scale="text", favourable_min=1),
            "favourable_min",
        ),
    ],
)
def test_bad_questions_are_refused_and_change_nothing(instrument, data, field) -> None:
    before = list(Question.objects.values_list("pk", "key", "text", "position"))
    with pytest.raises(DomainError) as caught:
        services.save_question(instrument=instrument, actor=None, data=data)
    assert field in caught.value.field_errors
    assert list(Question.objects.values_list("pk", "key", "text", "position")) == before


def test_an_empty_draft_cannot_be_published(org) -> None:
    instrument = services.create_instrument(organisation=org, actor=None, name="Empty")
    with pytest.raises(DomainError, match="at least one question"):
        services.publish_draft(instrument=instrument, actor=None)
    assert services.draft_of(instrument) is not None
    assert not InstrumentVersion.objects.filter(instrument=instrument, published_at__isnull=False)


def test_a_published_version_cannot_be_edited_without_a_draft(instrument) -> None:
    v1 = services.publish_draft(instrument=instrument, actor=None)
    q = v1.questions.get(key="first")
    with pytest.raises(DomainError, match="no draft"):
        services.save_question(
            instrument=instrument, actor=None, data=_q("first"), question_id=q.pk
        )
    with pytest.raises(DomainError):
        services.remove_question(instrument=instrument, actor=None, question_id=q.pk)
    assert v1.questions.count() == 2


def test_pages_build_an_instrument_end_to_end(org, client_for) -> None:
    admin = client_for("admin")
    page = admin.post(reverse("surveys:instruments"), {"name": "Manager check-in"})
    instrument = Instrument.objects.get(organisation=org, name="Manager check-in")
    assert page.status_code == 302
    assert AuditEvent.objects.filter(action="surveys.instrument_created").exists()
    url = reverse("surveys:instrument_question", args=[instrument.pk])
    ok = admin.post(
        url,
        {
            "text": "My manager explains AI decisions.",
            "key": "explains",
            "scale": "likert5",
            "required": "on",
            "dimension_name": "Communication",
            "favourable_min": "4",
        },
    )
    assert ok.status_code == 302
    bad = admin.post(url, {"text": "Pick", "key": "pick", "scale": "choice", "labels": "One"})
    assert bad.status_code == 400
    assert "2 to 20 options" in bad.content.decode()
    assert "not saved" in bad.content.decode()
    admin.post(url, {"text": "Pick", "key": "pick", "scale": "choice", "labels": "One\nTwo\nThree"})
    admin.post(reverse("surveys:instrument_action", args=[instrument.pk, "publish"]))
    version = InstrumentVersion.objects.get(instrument=instrument)
    assert version.is_published
    q = version.questions.get(key="explains")
    assert (q.dimension_key, q.favourable_min, q.required) == ("communication", 4, True)
    assert version.questions.get(key="pick").required is False
    detail = admin.get(reverse("surveys:instrument_detail", args=[instrument.pk]))
    assert "v1" in detail.content.decode()
    # The new version shows up in the campaign form; a draft never does.
    admin.post(reverse("surveys:instrument_action", args=[instrument.pk, "new-version"]))
    form = admin.get(reverse("surveys:campaign_new")).content.decode()
    assert form.count("Manager check-in v") == 1


def test_instrument_list_query_count(org, client_for, django_assert_max_num_queries) -> None:
    for i in range(8):
        instrument = services.create_instrument(organisation=org, actor=None, name=f"I {i}")
        services.save_question(instrument=instrument, actor=None, data=_q("a"))
        services.publish_draft(instrument=instrument, actor=None)
    admin = client_for("admin")
    with django_assert_max_num_queries(12):
        page = admin.get(reverse("surveys:instruments"))
    assert page.content.decode().count("v1 (1 version)") == 8


def test_unknown_action_is_404_and_other_org_instrument_is_404(instrument, client_for) -> None:
    admin = client_for("admin")
    assert (
        admin.post(
            reverse("surveys:instrument_action", args=[instrument.pk, "explode"])
        ).status_code
        == 404
    )
    outsider = client_for("outsider")
    assert (
        outsider.post(
            reverse("surveys:instrument_action", args=[instrument.pk, "publish"])
        ).status_code
        == 404
    )
    assert services.draft_of(instrument) is not None
