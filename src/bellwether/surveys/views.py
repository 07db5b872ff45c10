"""Survey pages: the respondent's token link, and the admin's campaigns and results.

Thin views: parse, ask ``permissions``/``selectors``, call ``services``, render.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bellwether.accounts.models import Membership
from bellwether.core import exports
from bellwether.core.access import require
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error
from bellwether.people.models import LeaderLevel, OrgUnit
from bellwether.surveys import access, releases, selectors, services
from bellwether.surveys.models import Campaign, Instrument, InstrumentVersion, Question, Scale
from bellwether.surveys.services import LINK_MESSAGES, LinkState


def _membership(request: HttpRequest) -> Membership | None:
    return getattr(request, "membership", None)


def _require_manage(request: HttpRequest, membership: Membership | None) -> None:
    require(request, membership, access.can_manage_surveys(membership), rule="can_manage_surveys")


# --- respondents (no sign-in: the token is the key) ---------------------------------------

LINK_TITLES = {
    LinkState.FORGED: "This link does not work",
    LinkState.REVOKED: "This link has been withdrawn",
    LinkState.EXPIRED: "This survey has closed",
    LinkState.NOT_OPEN: "This survey has not opened yet",
    LinkState.USED: "Thank you: your answers are in",
}


def _questions_with_values(
    version_id: int, values: dict[str, Any], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    rows = []
    for q in Question.objects.filter(version_id=version_id).order_by("position"):
        options: list[tuple[int, str]] = []
        if q.scale == "likert5":
            options = [(i, q.labels[i - 1] if len(q.labels) >= i else str(i)) for i in range(1, 6)]
        elif q.scale in {"yes_no", "choice"}:
            options = list(enumerate(q.labels))
        elif q.scale == "zero_ten":
            options = [(i, str(i)) for i in range(11)]
        current = values.get(q.key)
        rows.append(
            {
                "q": q,
                "options": options,
                "current": str(current) if current is not None else "",
                "errors": errors.get(q.key, []),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    check = services.check_link(token)
    if check.state is not LinkState.OK or check.invitation is None:
        status = 200 if check.state is LinkState.NOT_OPEN else 410
        return render(
            request,
            "surveys/link_state.html",
            {"title": LINK_TITLES[check.state], "message": LINK_MESSAGES[check.state]},
            status=status,
        )
    invitation = check.invitation
    campaign = invitation.campaign
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = services.open_draft(invitation)
    viewer = _viewer(request)
    try:
        services.check_respondent(invitation, viewer_id=viewer)
    except DomainError as exc:
        return render(
            request,
            "surveys/link_state.html",
            {"title": "This link is someone else's", "message": exc.message},
            status=403,
        )
    if request.method == "POST":
        answers = {
            key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"
        }
        if request.POST.get("action") == "save":
            try:
                services.save_draft(token=token, answers=answers, viewer_id=viewer)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "Your answers are saved. Come back with the same link.")
            return redirect("surveys:respond", token=token)
        try:
            services.submit_response(token=token, answers=answers, viewer_id=viewer)
        except DomainError as exc:
            if exc.code != "incomplete":
                return redirect("surveys:respond", token=token)
            errors = exc.field_errors
            values = {k: (v[-1] if v else "") for k, v in answers.items()}
        else:
            return redirect("surveys:thanks")
    zone = ZoneInfo(campaign.time_zone)
    return render(
        request,
        "surveys/respond.html",
        {
            "campaign": campaign,
            "organisation": invitation.organisation,
            "version": campaign.version,
            "rows": _questions_with_values(campaign.version_id, values, errors),
            "errors": errors,
            "closes": timezone.localtime(campaign.closes_at, zone),
            "anonymous": campaign.mode == Campaign.Mode.ANONYMOUS,
            "token": token,
            **_rating_context(campaign, invitation),
        },
        status=400 if errors else 200,
    )


def _viewer(request: HttpRequest) -> int | None:
    """The user this browser is signed in as, if any (a respondent needs no account)."""
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def _rating_context(campaign: Campaign, invitation: Any) -> dict[str, Any]:
    """A 360 rating (confidential, about a leader): whom it is about and how the answers
    are shown, worded by the readiness module that runs such campaigns."""
    if campaign.mode != Campaign.Mode.CONFIDENTIAL or invitation.subject_id is None:
        return {}
    from bellwether.assessments.services import rating_context

    return rating_context(invitation)


@require_POST
def save_draft(request: HttpRequest, token: str) -> HttpResponse:
    """htmx: keep the answers so far; answers with a short status line."""
    answers = {
        key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"
    }
    try:
        services.save_draft(token=token, answers=answers, viewer_id=_viewer(request))
    except DomainError as exc:
        status = 403 if exc.code == "not_the_invitee" else 410
        return render(request, "surveys/_draft_status.html", {"error": exc.message}, status=status)
    return render(
        request, "surveys/_draft_status.html", {"saved_at": timezone.localtime(timezone.now())}
    )


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/link_state.html",
        {"title": "Thank you", "message": LINK_MESSAGES[LinkState.USED]},
    )


# --- admins: campaigns ---------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    require(
        request,
        membership,
        access.can_view_survey_results_page(membership),
        rule="can_view_survey_results_page",
    )
    assert membership is not None
    campaigns = selectors.campaigns_for(membership.organisation)
    manage = access.can_manage_surveys(membership)
    if not manage:
        campaigns = campaigns.filter(closes_at__lte=timezone.now())
    return render(
        request,
        "surveys/campaign_list.html",
        {"campaigns": list(campaigns[:200]), "manage": manage, "now": timezone.now()},
    )


class CampaignForm(forms.Form):
    version = forms.ModelChoiceField(queryset=InstrumentVersion.objects.none(), label="Instrument")
    name = forms.CharField(max_length=200)
    opens_at = forms.DateTimeField(
        label="Opens", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label="Closes", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    time_zone = forms.CharField(max_length=64, initial="UTC", label="Time zone")
    segments = forms.MultipleChoiceField(
        choices=Campaign.Segment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="What results may be broken down by. Declared now, before anyone answers.",
    )
    org_unit_depth = forms.IntegerField(
        min_value=0, max_value=10, initial=1, label="Org unit depth"
    )
    org_units = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.none(), required=False, label="Audience: org units"
    )
    leader_levels = forms.MultipleChoiceField(
        choices=LeaderLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Audience: leader levels",
    )
    not_leaders = forms.BooleanField(
        required=False,
        label="Audience: people who are not leaders",
        help_text="Leave the audience empty to invite everyone active.",
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = membership.organisation
        version_field = self.fields["version"]
        assert isinstance(version_field, forms.ModelChoiceField)
        version_field.queryset = InstrumentVersion.objects.filter(
            organisation=org, published_at__isnull=False
        ).select_related("instrument")
        units_field = self.fields["org_units"]
        assert isinstance(units_field, forms.ModelMultipleChoiceField)
        units_field.queryset = OrgUnit.objects.filter(organisation=org, depth__lte=2)

    def clean_time_zone(self) -> str:
        value: str = self.cleaned_data["time_zone"]
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise forms.ValidationError("Choose a time zone such as Europe/London.") from exc
        return value


def _aware(value: dt.datetime, zone_name: str) -> dt.datetime:
    if timezone.is_aware(value):
        return value
    return value.replace(tzinfo=ZoneInfo(zone_name))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    require(request, membership, access.can_manage_surveys(membership), rule="can_manage_surveys")
    assert membership is not None
    form = CampaignForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.launch_campaign(
                organisation=membership.organisation,
                actor=membership.user,
                version=data["version"],
                name=data["name"],
                opens_at=_aware(data["opens_at"], data["time_zone"]),
                closes_at=_aware(data["closes_at"], data["time_zone"]),
                time_zone=data["time_zone"],
                segments=data["segments"],
                org_unit_depth=data["org_unit_depth"],
                audience={
                    "org_unit_ids": [u.pk for u in data["org_units"]],
                    "leader_levels": list(data["leader_levels"]),
                    "not_leaders": data["not_leaders"],
                },
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"“{campaign.name}” is launched.")
            return redirect("surveys:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "surveys/campaign_new.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def install_pulses(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    require(request, membership, access.can_manage_surveys(membership), rule="can_manage_surveys")
    assert membership is not None
    services.install_ready_pulses(organisation=membership.organisation, actor=membership.user)
    messages.success(request, "The three framework pulses are ready to launch.")
    return redirect("surveys:campaign_new")


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    _require_manage(request, membership)
    campaign = access.get_campaign_for(request, membership, pk)
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "participation": selectors.participation(campaign),
            "mailing": selectors.mailing(campaign),
            "closed": selectors.is_closed(campaign),
        },
    )


@login_required
@require_POST
def campaign_remind(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    _require_manage(request, membership)
    campaign = access.get_campaign_for(request, membership, pk)
    assert membership is not None
    try:
        pending = services.send_reminders(campaign=campaign, actor=membership.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Reminders are on their way to {pending} people.")
    return redirect("surveys:campaign_detail", pk=pk)


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    _require_manage(request, membership)
    campaign = access.get_campaign_for(request, membership, pk)
    assert membership is not None
    try:
        services.close_campaign(campaign=campaign, actor=membership.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The campaign is closed.")
    return redirect("surveys:campaign_detail", pk=pk)


# --- results ----------------------------------------------------------------------------------


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    require(
        request,
        membership,
        access.can_view_survey_results_page(membership),
        rule="can_view_survey_results_page",
    )
    campaign = access.get_campaign_for(request, membership, pk, results=True)
    _release_if_due(campaign)
    outcome = selectors.campaign_results(campaign)
    # A filter selects one released cell by its identity: ?org_unit=/1/5/ or
    # ?leader_level=senior. Anything else was not released and is refused.
    filters = {s: request.GET[s][:1000] for s in selectors.SEGMENT_FIELDS if request.GET.get(s)}
    segment = ", ".join(filters)
    value = ""
    filtered: dict[str, float | None] | None = None
    filter_refused = False
    if filters and outcome.total_shown:
        filtered = selectors.filtered_favourable(campaign, filters=filters)
        filter_refused = filtered is None
    chart: dict[str, Any] = {
        "questions": [
            {
                "text": q.text,
                "labels": [d[0] for d in q.distribution],
                "counts": [d[1] for d in q.distribution],
            }
            for q in outcome.questions
            if q.shown
        ],
    }
    trend = []
    scored_keys = [q.key for q in outcome.scored_questions]
    if scored_keys and membership is not None:
        trend = selectors.trend(
            membership.organisation,
            instrument_key=campaign.version.instrument.key,
            question_key=scored_keys[0],
        )
    chart["trend"] = {
        "labels": [p.label for p in trend],
        "favourable": [p.favourable for p in trend],
        "rate": [p.rate for p in trend],
    }
    return render(
        request,
        "surveys/results.html",
        {
            "campaign": campaign,
            "r": outcome,
            "chart": chart,
            "trend": trend,
            "filtered": filtered,
            "filter_refused": filter_refused,
            "segment": segment,
            "value": value,
            "can_export": outcome.total_shown,
        },
    )


def _release_if_due(campaign: Campaign) -> None:
    """A closed pulse whose results are not released yet is queued for release (the
    worker does it; tests and the immediate backend do it before the page is read)."""
    if selectors.is_closed(campaign) and not selectors.is_released(campaign):
        releases.request_releases(campaign.organisation)


def _result_rows(outcome: selectors.CampaignResults) -> list[list[Any]]:
    rows: list[list[Any]] = [["section", "group", "question", "answer", "value"]]
    for q in outcome.questions:
        for label, count in q.distribution:
            rows.append(["distribution", "All respondents", q.text, label, count])
        if q.favourable is not None:
            rows.append(["favourable %", "All respondents", q.text, "", q.favourable])
    for breakdown in outcome.breakdowns:
        for cell in breakdown.cells:
            for key, share in cell.favourable.items():
                rows.append(
                    [
                        f"favourable % by {breakdown.label.lower()}",
                        cell.label,
                        key,
                        "",
                        share if cell.shown and share is not None else "suppressed",
                    ]
                )
            if not cell.shown:
                rows.append([f"by {breakdown.label.lower()}", cell.label, "", "", "suppressed"])
    return rows


@login_required
@require_GET
def results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    membership = _membership(request)
    require(
        request,
        membership,
        access.can_view_survey_results_page(membership),
        rule="can_view_survey_results_page",
    )
    campaign = access.get_campaign_for(request, membership, pk, results=True)
    if fmt not in {"csv", "xlsx"}:
        raise Http404("No such format")
    _release_if_due(campaign)
    outcome = selectors.campaign_results(campaign)
    rows = _result_rows(outcome) if outcome.total_shown else [["results"], [outcome.reason]]
    return exports.download(
        request,
        exports.table_bytes(rows, fmt=fmt, title="Results"),
        fmt=fmt,
        filename=f"campaign-{campaign.pk}-results.{fmt}",
        audit=exports.Audit(
            "surveys.results_exported",
            campaign.organisation,
            membership.user if membership is not None else None,
            target=campaign,
            rows=max(0, len(rows) - 1),
        ),
    )


def results_url(campaign: Campaign) -> str:
    return reverse("surveys:results", args=[campaign.pk])


# --- admins: invitations ----------------------------------------------------------------------

INVITATIONS_PER_PAGE = 100


@login_required
@require_GET
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    """Who was invited and whether each answered. For an anonymous campaign: answered or
    not, nothing else (no draft state, no time), listed by name so that neither the order
    nor any figure on the page can be joined to a response."""
    membership = _membership(request)
    _require_manage(request, membership)
    campaign = access.get_campaign_for(request, membership, pk)
    query = request.GET.get("q", "")[:200].strip()
    rows = selectors.invitation_rows(campaign, query=query)
    paginator = Paginator(rows, INVITATIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/invitations.html",
        {
            "campaign": campaign,
            "participation": selectors.participation(campaign),
            "mailing": selectors.mailing(campaign),
            "anonymous": campaign.mode == Campaign.Mode.ANONYMOUS,
            "closed": selectors.is_closed(campaign),
            "page": page,
            "rows": selectors.invitation_statuses(campaign, list(page.object_list)),
            "q": query,
        },
    )


def _invitation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    membership = _membership(request)
    _require_manage(request, membership)
    invitation = access.get_invitation_for(request, membership, pk)
    assert membership is not None
    try:
        if action == "revoke":
            services.revoke_invitation(invitation=invitation, actor=membership.user)
            messages.success(request, "The link is withdrawn: it no longer opens the survey.")
        else:
            services.reissue_invitation(invitation=invitation, actor=membership.user)
            messages.success(request, "A new link is on its way by email; the old one is void.")
    except DomainError as exc:
        messages.error(request, exc.message)
    target = reverse("surveys:invitations", args=[invitation.campaign_id])
    back = request.POST.get("q", "")[:200]
    return redirect(f"{target}?q={back}" if back else target)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(request, pk, "revoke")


@login_required
@require_POST
def invitation_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(request, pk, "reissue")


# --- admins: confidentiality minimums -----------------------------------------------------------


class MinimumsForm(forms.Form):
    min_group = forms.IntegerField(min_value=0, max_value=1000, label="Minimum group")
    min_360_group = forms.IntegerField(min_value=0, max_value=1000, label="360 category minimum")
    min_comments = forms.IntegerField(min_value=0, max_value=1000, label="Comment minimum")


@login_required
@require_http_methods(["GET", "POST"])
def confidentiality(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    _require_manage(request, membership)
    assert membership is not None
    policy = selectors.policy_for(membership.organisation)
    initial = {
        "min_group": policy.min_group,
        "min_360_group": policy.min_360_group,
        "min_comments": policy.min_comments,
    }
    form = MinimumsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_confidentiality(
                organisation=membership.organisation, actor=membership.user, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "The minimums are saved; every report uses them now.")
            return redirect("surveys:confidentiality")
    return render(
        request,
        "surveys/confidentiality.html",
        {"form": form, "policy": policy},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- admins: the instrument builder ---------------------------------------------------------


class InstrumentForm(forms.Form):
    name = forms.CharField(max_length=200)
    introduction = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to respondents above the questions.",
    )


class QuestionForm(forms.Form):
    text = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    key = forms.CharField(
        max_length=80,
        help_text="Short and stable, e.g. “clarity”: exports and trends use it.",
    )
    scale = forms.ChoiceField(choices=[(s.value, s.label) for s in Scale])
    labels = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "One per line, lowest first. 1–5: five labels (empty: Strongly disagree … "
            "Strongly agree); yes/no: No, Yes; 0–10: the two ends or nothing; "
            "multiple choice: the options."
        ),
    )
    required = forms.BooleanField(required=False, initial=True)
    dimension_name = forms.CharField(
        max_length=200, required=False, label="Dimension", help_text="Groups items in results."
    )
    favourable_min = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10,
        label="Favourable from",
        help_text="Answers at or above this value count as favourable (e.g. 4 on 1–5).",
    )

    def to_input(self) -> services.QuestionInput:
        data = self.cleaned_data
        return services.QuestionInput(
            key=data["key"],
            text=data["text"],
            scale=data["scale"],
            labels=tuple(data["labels"].splitlines()),
            required=data["required"],
            favourable_min=data["favourable_min"],
            dimension_name=data["dimension_name"],
        )

    @classmethod
    def initial_for(cls, q: Question) -> dict[str, Any]:
        return {
            "text": q.text,
            "key": q.key,
            "scale": q.scale,
            "labels": "\n".join(q.labels),
            "required": q.required,
            "dimension_name": q.dimension_name,
            "favourable_min": q.favourable_min,
        }


@login_required
@require_http_methods(["GET", "POST"])
def instrument_list(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    _require_manage(request, membership)
    assert membership is not None
    form = InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instrument = services.create_instrument(
                organisation=membership.organisation,
                actor=membership.user,
                name=form.cleaned_data["name"],
                introduction=form.cleaned_data["introduction"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"“{instrument.name}” is created: add its questions.")
            return redirect("surveys:instrument_detail", pk=instrument.pk)
    return render(
        request,
        "surveys/instrument_list.html",
        {"instruments": selectors.instrument_summaries(membership.organisation), "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _instrument_page(
    request: HttpRequest,
    instrument: Instrument,
    *,
    question_form: QuestionForm | None = None,
    editing: Question | None = None,
    status: int = 200,
) -> HttpResponse:
    draft = services.draft_of(instrument)
    versions = list(
        instrument.versions.filter(published_at__isnull=False)
        .annotate(question_count=Count("questions"))
        .order_by("-number")
    )
    latest = versions[0] if versions else None
    return render(
        request,
        "surveys/instrument_detail.html",
        {
            "instrument": instrument,
            "draft": draft,
            "draft_questions": list(draft.questions.order_by("position")) if draft else [],
            "versions": versions,
            "latest_questions": list(latest.questions.order_by("position")) if latest else [],
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


@login_required
@require_GET
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    _require_manage(request, membership)
    instrument = access.get_instrument_for(request, membership, pk)
    editing = None
    form = None
    edit_id = request.GET.get("edit", "")
    if edit_id.isdigit():
        draft = services.draft_of(instrument)
        editing = draft.questions.filter(pk=int(edit_id)).first() if draft else None
        if editing is not None:
            form = QuestionForm(initial=QuestionForm.initial_for(editing))
    return _instrument_page(request, instrument, question_form=form, editing=editing)


@login_required
@require_POST
def instrument_question(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a question to the draft, or (with ``question``) change one."""
    membership = _membership(request)
    _require_manage(request, membership)
    instrument = access.get_instrument_for(request, membership, pk)
    assert membership is not None
    raw_id = request.POST.get("question", "")
    question_id = int(raw_id) if raw_id.isdigit() else None
    draft = services.draft_of(instrument)
    editing = draft.questions.filter(pk=question_id).first() if draft and question_id else None
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.save_question(
                instrument=instrument,
                actor=membership.user,
                data=form.to_input(),
                question_id=question_id,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "The question is saved in the draft.")
            return redirect("surveys:instrument_detail", pk=pk)
    return _instrument_page(request, instrument, question_form=form, editing=editing, status=400)


@login_required
@require_POST
def instrument_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The draft's buttons: move a question up/down, remove it, start a new version,
    save the introduction, publish."""
    membership = _membership(request)
    _require_manage(request, membership)
    instrument = access.get_instrument_for(request, membership, pk)
    assert membership is not None
    actor = membership.user
    raw_id = request.POST.get("question", "")
    question_id = int(raw_id) if raw_id.isdigit() else -1
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
