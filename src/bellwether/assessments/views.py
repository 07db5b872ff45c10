"""Readiness: the home page per role, cycles, progress, raters and nominations."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bellwether.accounts.models import Assignment, Membership
from bellwether.accounts.roles import Role
from bellwether.assessments import access, release, selectors, services
from bellwether.assessments.models import (
    RATER_CATEGORIES,
    Category,
    Rater,
    RaterMode,
    ReadinessCycle,
)
from bellwether.core.access import refuse, require
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error
from bellwether.framework import catalogue
from bellwether.people.models import LeaderLevel, OrgUnit, Person
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Question

PAGE_SIZE = 100
CATEGORY_CHOICES = [(c, services.CATEGORY_LABELS[c]) for c in RATER_CATEGORIES]


def _membership(request: HttpRequest) -> Membership | None:
    return getattr(request, "membership", None)


def _manage(request: HttpRequest, membership: Membership | None) -> None:
    require(
        request,
        membership,
        access.can_manage_readiness(membership),
        rule="can_manage_readiness",
    )


def report_url(person_id: int) -> str | None:
    """A2's individual report page, when it is installed."""
    try:
        return reverse("assessments:report", args=[person_id])
    except NoReverseMatch:
        return None


# --- home -----------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    require(request, membership, access.can_view_readiness(membership), rule="can_view_readiness")
    assert membership is not None
    context: dict[str, Any] = {
        "manage": access.can_manage_readiness(membership),
        "organisation_view": access.can_view_readiness_organisation(membership),
        "cycles": None,
        "mine": None,
        "coachees": None,
    }
    if access.can_view_readiness_cycles(membership):
        cycles = list(selectors.cycles_for(membership.organisation)[:50])
        counts = selectors.cycle_counts(cycles)
        context["cycles"] = [(c, counts[c.pk]) for c in cycles]
    if membership.person_id is not None and membership.has_role(Role.LEADER):
        context["mine"] = _my_readiness(membership)
    if membership.has_role(Role.COACH):
        context["coachees"] = _coachees(membership)
    return render(request, "assessments/home.html", context)


def _my_readiness(membership: Membership) -> dict[str, Any]:
    person_id = membership.person_id
    assert person_id is not None
    rows = []
    for cycle in selectors.cycles_of_leader(membership.organisation, person_id):
        invitation = selectors.self_invitation(cycle, person_id)
        done = invitation is not None and hasattr(invitation, "completion")
        link = None
        if invitation is not None and not done and cycle.is_open:
            link = reverse("surveys:respond", args=[survey_services.invitation_token(invitation)])
        rows.append(
            {
                "cycle": cycle,
                "self_done": done,
                "self_link": link,
                "nominate": cycle.rater_mode == RaterMode.NOMINATED and not cycle.is_closed,
            }
        )
    band = selectors.current_bands(membership.organisation, person_ids=[person_id]).get(person_id)
    return {"cycles": rows, "band": band, "report": report_url(person_id)}


def _coachees(membership: Membership) -> list[dict[str, Any]]:
    people = list(
        Person.objects.filter(
            organisation=membership.organisation,
            pk__in=Assignment.objects.filter(
                membership=membership, kind=Assignment.Kind.COACHEE
            ).values("person_id"),
        ).order_by("name")
    )
    bands = selectors.current_bands(membership.organisation, person_ids=[p.pk for p in people])
    return [{"person": p, "band": bands.get(p.pk), "report": report_url(p.pk)} for p in people]


# --- launching a cycle ---------------------------------------------------------------------------


class CycleForm(forms.Form):
    name = forms.CharField(max_length=200, initial="Readiness assessment")
    opens_at = forms.DateTimeField(
        label="Opens", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label="Closes", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    time_zone = forms.CharField(max_length=64, initial="UTC", label="Time zone")
    rater_mode = forms.ChoiceField(
        choices=RaterMode.choices,
        initial=RaterMode.ASSIGNED,
        label="Raters",
        widget=forms.RadioSelect,
        help_text="Either you choose each leader's raters, or leaders nominate theirs and "
        "you approve them.",
    )
    all_leaders = forms.BooleanField(
        required=False,
        label="Every active leader",
        help_text="Or choose below: leaders by org unit, level or name (the choices add up).",
    )
    org_units = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.none(), required=False, label="Leaders in these org units"
    )
    leader_levels = forms.MultipleChoiceField(
        choices=LeaderLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Leaders at these levels",
    )
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="These leaders",
    )
    suggested_raters = forms.BooleanField(
        required=False,
        initial=True,
        label="Invite each leader's suggested raters at launch",
        help_text="The manager, same-level peers in the unit and direct reports, from the "
        "people records (assigned raters only). Raters are fixed when the cycle opens: "
        "anyone added, removed or sent a new link after that is shown on the leader's "
        "report and raises the minimum of that rater group by one.",
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = membership.organisation
        units = self.fields["org_units"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        units.queryset = OrgUnit.objects.filter(organisation=org, depth__lte=2)
        people = self.fields["people"]
        assert isinstance(people, forms.ModelMultipleChoiceField)
        people.queryset = (
            Person.objects.filter(organisation=org, active=True)
            .exclude(leader_level="")
            .order_by("name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = any(data.get(name) for name in ("org_units", "leader_levels", "people"))
        if data.get("all_leaders") and chosen:
            self.add_error(
                "all_leaders", "Either every active leader, or a choice below: not both."
            )
        elif not data.get("all_leaders") and not chosen:
            self.add_error(
                "all_leaders", "Say which leaders: every active leader, or choose some below."
            )
        return data

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
def cycle_new(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    _manage(request, membership)
    assert membership is not None
    now = timezone.localtime()
    initial = {
        "opens_at": now.replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=21)).strftime("%Y-%m-%dT17:00"),
        "time_zone": membership.organisation.time_zone,
    }
    form = CycleForm(request.POST or None, membership=membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        field_map = {"leaders": "all_leaders", "version": None}
        try:
            cycle = services.launch_cycle(
                organisation=membership.organisation,
                actor=membership.user,
                name=data["name"],
                leaders={
                    "all": data["all_leaders"],
                    "org_unit_ids": [u.pk for u in data["org_units"]],
                    "leader_levels": list(data["leader_levels"]),
                    "person_ids": [p.pk for p in data["people"]],
                },
                opens_at=_aware(data["opens_at"], data["time_zone"]),
                closes_at=_aware(data["closes_at"], data["time_zone"]),
                time_zone=data["time_zone"],
                rater_mode=data["rater_mode"],
                suggested_raters=bool(data.get("suggested_raters")),
            )
        except DomainError as exc:
            add_domain_error(form, exc, field_map=field_map)
        else:
            messages.success(
                request,
                f"“{cycle.name}” is launched: self-assessment invitations are on their way.",
            )
            return redirect("assessments:cycle", pk=cycle.pk)
    version = services.current_version(membership.organisation)
    return render(
        request,
        "assessments/cycle_new.html",
        {"form": form, "version": version},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def wording(request: HttpRequest) -> HttpResponse:
    """Adapt the scorecard's wording for the next cycles (a new instrument version)."""
    membership = _membership(request)
    _manage(request, membership)
    assert membership is not None
    current = services.current_version(membership.organisation)
    texts = (
        dict(Question.objects.filter(version=current).values_list("key", "text"))
        if current is not None
        else {}
    )
    if request.method == "POST":
        new_texts = {
            item.key: request.POST.get(item.key, "").strip()
            for item in catalogue.instrument_items()
        }
        changed = {k: v for k, v in new_texts.items() if v and v != texts.get(k, "")}
        if not changed and current is not None:
            messages.info(request, "Nothing changed: the wording stays as it is.")
            return redirect("assessments:wording")
        try:
            version = services.adapt_wording(
                organisation=membership.organisation, actor=membership.user, wording=changed
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Version {version.number} is published: new cycles use it, past cycles keep "
                "theirs.",
            )
            return redirect("assessments:wording")
    rows = [
        {
            "dimension": dimension,
            "items": [
                {"item": item, "text": texts.get(item.key, item.text)} for item in dimension.items
            ],
        }
        for dimension in catalogue.INSTRUMENT.dimensions
    ]
    return render(request, "assessments/wording.html", {"rows": rows, "version": current})


# --- a cycle's progress -----------------------------------------------------------------------


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    require(
        request,
        membership,
        access.can_view_readiness_cycles(membership),
        rule="can_view_readiness_cycles",
    )
    cycle = access.get_readiness_cycle_for(request, membership, pk)
    if cycle.is_closed and not cycle.is_released and release.request_release(cycle.organisation_id):
        cycle.refresh_from_db()
    query = request.GET.get("q", "").strip()
    person_ids = None
    if query:
        person_ids = list(
            cycle.leaders.filter(
                Q(person__name__icontains=query) | Q(person__employee_id__iexact=query)
            ).values_list("person_id", flat=True)
        )
    progress = selectors.cycle_progress(cycle, person_ids=person_ids)
    page = Paginator(progress.leaders, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.cycle_counts([cycle])[cycle.pk]
    categories = [
        (services.CATEGORY_LABELS[key], key, cell) for key, cell in progress.by_category.items()
    ]
    return render(
        request,
        "assessments/cycle_detail.html",
        {
            "cycle": cycle,
            "counts": counts,
            "categories": categories,
            "page": page,
            "query": query,
            "manage": access.can_manage_readiness(membership),
            "policy_minimum": cycle.campaign.min_360_group,
        },
    )


@login_required
@require_POST
def cycle_remind(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    _manage(request, membership)
    cycle = access.get_readiness_cycle_for(request, membership, pk)
    assert membership is not None
    leader = None
    if request.POST.get("leader"):
        leader = Person.objects.filter(
            organisation=cycle.organisation, pk=_int(request.POST["leader"])
        ).first()
        if leader is None:
            messages.error(request, "That leader is not in this cycle.")
            return redirect("assessments:cycle", pk=pk)
    category = request.POST.get("category") or None
    try:
        pending = services.send_reminders(
            cycle=cycle,
            actor=membership.user,
            leader=leader,
            everyone=request.POST.get("all") == "1",
            category=category,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        whom = f"{leader.name}'s raters" if leader else "everyone still due"
        if category:
            whom += f" ({services.CATEGORY_LABELS.get(category, category).lower()})"
        messages.success(request, f"Reminders are on their way to {pending} ({whom}).")
    target = request.POST.get("next") or ""
    if target.startswith("/readiness/"):
        return redirect(target)
    return redirect("assessments:cycle", pk=pk)


@login_required
@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    _manage(request, membership)
    cycle = access.get_readiness_cycle_for(request, membership, pk)
    assert membership is not None
    try:
        services.close_cycle(cycle=cycle, actor=membership.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        cycle.refresh_from_db()
        released = "are released" if cycle.is_released else "are being released"
        messages.success(
            request, f"The cycle is closed: no more ratings are taken, and its results {released}."
        )
    return redirect("assessments:cycle", pk=pk)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- raters --------------------------------------------------------------------------------------


def _leader_in(
    request: HttpRequest, membership: Membership | None, cycle: ReadinessCycle, person_id: int
) -> Person:
    person = (
        Person.objects.select_related("org_unit", "manager")
        .filter(organisation=cycle.organisation, pk=person_id)
        .first()
    )
    if person is None or not cycle.leaders.filter(person=person).exists():
        refuse(
            request,
            membership,
            rule="can_manage_readiness",
            target=f"readiness leader {person_id}",
            not_found=True,
        )
    assert person is not None
    return person


def _picked(request: HttpRequest, organisation_id: int) -> tuple[list[tuple[int, str]], str]:
    """Raters chosen on the form: ticked suggestions with their category, plus one person
    typed by employee ID or e-mail."""
    chosen: list[tuple[int, str]] = []
    for value in request.POST.getlist("pick"):
        pk = _int(value)
        chosen.append((pk, request.POST.get(f"category_{pk}", "")))
    extra = request.POST.get("other", "").strip()
    if extra:
        other = (
            Person.objects.filter(organisation_id=organisation_id, active=True)
            .filter(Q(employee_id__iexact=extra) | Q(email__iexact=extra))
            .first()
        )
        if other is None:
            return chosen, f"Nobody active has the employee ID or e-mail “{extra}”."
        chosen.append((other.pk, request.POST.get("other_category", "")))
    return chosen, ""


@login_required
@require_http_methods(["GET", "POST"])
def leader_raters(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    """An admin chooses a leader's raters (suggestions pre-ticked), removes them, and
    approves or rejects the leader's nominations."""
    membership = _membership(request)
    _manage(request, membership)
    cycle = access.get_readiness_cycle_for(request, membership, pk)
    leader = _leader_in(request, membership, cycle, person_id)
    assert membership is not None
    if request.method == "POST":
        action = request.POST.get("action", "assign")
        try:
            if action == "assign":
                chosen, problem = _picked(request, cycle.organisation_id)
                if problem:
                    raise DomainError(problem, code="unknown_person")
                if not chosen:
                    raise DomainError("Tick or type at least one rater.", code="no_raters")
                done = services.assign_raters(
                    cycle=cycle, actor=membership.user, leader=leader, raters=chosen
                )
                messages.success(request, f"{len(done)} raters invited.")
            elif action in {"approve", "reject"}:
                ids = [_int(v) for v in request.POST.getlist("rater")]
                if action == "approve":
                    n = len(
                        services.approve_nominations(
                            cycle=cycle, actor=membership.user, rater_ids=ids
                        )
                    )
                    messages.success(request, f"{n} nominations approved and invited.")
                else:
                    n = len(
                        services.reject_nominations(
                            cycle=cycle, actor=membership.user, rater_ids=ids
                        )
                    )
                    messages.success(request, f"{n} nominations rejected.")
            elif action == "remove":
                rater = access.get_readiness_rater_for(
                    request, membership, cycle, _int(request.POST.get("rater"))
                )
                services.remove_rater(rater=rater, actor=membership.user)
                messages.success(request, "The rater is removed and their link withdrawn.")
            elif action == "resend":
                rater = access.get_readiness_rater_for(
                    request, membership, cycle, _int(request.POST.get("rater"))
                )
                services.resend_link(rater=rater, actor=membership.user)
                messages.success(request, "A new link is on its way; the old one no longer works.")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("assessments:raters", pk=pk, person_id=person_id)
    raters = selectors.raters_for(cycle, leader.pk)
    suggestions = services.suggest_raters(cycle=cycle, leader=leader) if not cycle.is_closed else []
    return render(
        request,
        "assessments/raters.html",
        {
            "late": cycle.is_late(),
            "changes": selectors.rater_changes(cycle, leader.pk),
            "cycle": cycle,
            "leader": leader,
            "raters": raters,
            "proposed": [r for r in raters if r.status == Rater.Status.PROPOSED],
            "suggestions": suggestions,
            "category_choices": CATEGORY_CHOICES,
            "open": not cycle.is_closed,
            "admin": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader nominates raters for their own assessment (own cycle only)."""
    membership = _membership(request)
    cycle = access.get_readiness_cycle_for(request, membership, pk)
    require(
        request,
        membership,
        access.can_nominate_readiness_raters(membership, cycle),
        rule="can_nominate_readiness_raters",
    )
    assert membership is not None
    assert membership.person is not None
    leader = membership.person
    if request.method == "POST":
        action = request.POST.get("action", "nominate")
        try:
            if action == "withdraw":
                rater = access.get_readiness_rater_for(
                    request, membership, cycle, _int(request.POST.get("rater"))
                )
                services.withdraw_nomination(rater=rater, actor=membership.user)
                messages.success(request, "Nomination withdrawn.")
            else:
                chosen, problem = _picked(request, cycle.organisation_id)
                if problem:
                    raise DomainError(problem, code="unknown_person")
                if not chosen:
                    raise DomainError("Tick or type at least one rater.", code="no_raters")
                done = services.nominate_raters(
                    cycle=cycle, actor=membership.user, leader=leader, raters=chosen
                )
                messages.success(
                    request, f"{len(done)} nominations sent for approval by an administrator."
                )
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("assessments:nominate", pk=pk)
    raters = selectors.raters_for(cycle, leader.pk)
    suggestions = services.suggest_raters(cycle=cycle, leader=leader) if not cycle.is_closed else []
    return render(
        request,
        "assessments/nominate.html",
        {
            "cycle": cycle,
            "leader": leader,
            "raters": raters,
            "suggestions": suggestions,
            "category_choices": CATEGORY_CHOICES,
            "open": not cycle.is_closed,
            "late": cycle.is_late(),
            "self_category": Category.SELF,
        },
    )
