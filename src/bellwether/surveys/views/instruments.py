"""The instrument builder: the list, one instrument with its draft version, saving a
question and the draft's buttons (move, remove, new version, introduction, publish)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error, form_status, submit
from bellwether.surveys import access, selectors, services
from bellwether.surveys.access import MANAGE_SURVEYS
from bellwether.surveys.forms import InstrumentForm, QuestionForm
from bellwether.surveys.models import Instrument, Question


@page(MANAGE_SURVEYS, methods=["GET", "POST"])
def instrument_list(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        instrument = submit(
            form,
            lambda: services.create_instrument(
                organisation=membership.organisation,
                actor=membership.user,
                name=form.cleaned_data["name"],
                introduction=form.cleaned_data["introduction"],
            ),
        )
        if instrument is not None:
            messages.success(request, f"“{instrument.name}” is created: add its questions.")
            return redirect("surveys:instrument_detail", pk=instrument.pk)
    instruments = selectors.instrument_summaries(membership.organisation)
    return render(
        request,
        "surveys/instrument_list.html",
        {"instruments": instruments, "form": form},
        status=form_status(form),
    )


def _instrument_page(
    request: MemberRequest,
    instrument: Instrument,
    *,
    question_form: QuestionForm | None = None,
    editing: Question | None = None,
    status: int = 200,
) -> HttpResponse:
    draft = services.draft_of(instrument)
    versions = selectors.published_versions_of(instrument)
    latest = versions[0] if versions else None
    return render(
        request,
        "surveys/instrument_detail.html",
        {
            "instrument": instrument,
            "draft": draft,
            "draft_questions": selectors.questions_of(draft.pk) if draft else [],
            "versions": versions,
            "latest_questions": selectors.questions_of(latest.pk) if latest else [],
            "latest": latest,
            "question_form": question_form or QuestionForm(),
            "editing": editing,
            "intro_form": InstrumentForm(
                initial={"name": instrument.name, "introduction": draft.introduction}
            )
            if draft
            else None,
        },
        status=status,
    )


def _question_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


@page(MANAGE_SURVEYS, methods=["GET"])
def instrument_detail(request: MemberRequest, pk: int) -> HttpResponse:
    instrument = access.get_instrument_for(request, request.membership, pk)
    edit_id = _question_id(request.GET.get("edit", ""))
    editing = None
    if edit_id is not None:
        editing = selectors.draft_question(services.draft_of(instrument), edit_id)
    form = QuestionForm(initial=QuestionForm.initial_for(editing)) if editing else None
    return _instrument_page(request, instrument, question_form=form, editing=editing)


@page(MANAGE_SURVEYS, methods=["POST"])
def instrument_question(request: MemberRequest, pk: int) -> HttpResponse:
    """Add a question to the draft, or (with ``question``) change one."""
    instrument = access.get_instrument_for(request, request.membership, pk)
    question_id = _question_id(request.POST.get("question", ""))
    editing = selectors.draft_question(services.draft_of(instrument), question_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.save_question(
                instrument=instrument,
                actor=request.membership.user,
                data=form.to_input(),
                question_id=question_id,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "The question is saved in the draft.")
            return redirect("surveys:instrument_detail", pk=pk)
    return _instrument_page(request, instrument, question_form=form, editing=editing, status=400)


@page(MANAGE_SURVEYS, methods=["POST"])
def instrument_action(request: MemberRequest, pk: int, action: str) -> HttpResponse:
    """The draft's buttons: move a question up/down, remove it, start a new version,
    save the introduction, publish."""
    instrument = access.get_instrument_for(request, request.membership, pk)
    actor = request.membership.user
    question_id = _question_id(request.POST.get("question", ""))
    question_id = -1 if question_id is None else question_id
    try:
        if action in {"up", "down"}:
            services.move_question(
                instrument=instrument, actor=actor, question_id=question_id, direction=action
            )
        elif action == "remove":
            services.remove_question(instrument=instrument, actor=actor, question_id=question_id)
            messages.success(request, "The question is removed from the draft.")
        elif action == "new-version":
            draft = services.start_new_version(instrument=instrument, actor=actor)
            messages.success(request, f"Version {draft.number} is a draft: edit, then publish.")
        elif action == "introduction":
            services.update_draft_introduction(
                instrument=instrument,
                actor=actor,
                introduction=request.POST.get("introduction", "")[:10000],
            )
            messages.success(request, "The introduction is saved in the draft.")
        elif action == "publish":
            version = services.publish_draft(instrument=instrument, actor=actor)
            messages.success(
                request,
                f"Version {version.number} is published: it can be launched and never changes.",
            )
        else:
            raise Http404("No such action")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:instrument_detail", pk=pk)
