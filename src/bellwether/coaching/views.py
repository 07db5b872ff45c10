"""Coaching pages: the coach's home, a programme, a session record, the leader's
pre-session form, the admin's overview (counts and dates only) and the calendar.
Thin: parse, ask ``access``, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.access import MemberRequest, page
from bellwether.accounts.roles import Role
from bellwether.coaching import access, forms, schedule, selectors, services
from bellwether.coaching.models import ItemDecision, ItemStatus, Milestone, Session
from bellwether.core import exports, ical
from bellwether.core.access import refuse
from bellwether.core.errors import DomainError
from bellwether.core.forms import announce, confirmation, form_status, refused_form, submit
from bellwether.core.pages import posted_form
from bellwether.framework.catalogue import CATALOGUE

PROGRAMME = CATALOGUE.coaching
FOCUS_NAMES = dict(forms.FOCUS_CHOICES)
METRIC_NAMES = dict(forms.METRIC_CHOICES)


@page(access.VIEW_HOME)
def home(request: MemberRequest) -> HttpResponse:
    """A coach's coachees (week, phase, next session, open items, off track) and open
    items; a leader's own programme; for admins, links to their screens."""
    membership = request.membership
    today = timezone.localdate()
    is_coach = membership.has_role(Role.COACH)
    rows = selectors.programmes_of_coach(membership, today) if is_coach else []
    return render(
        request,
        "coaching/home.html",
        {
            "rows": rows,
            "is_coach": is_coach,
            "off_track": [row for row in rows if row.off_track],
            "items": list(selectors.open_items_of_coach(membership)) if is_coach else [],
            "waiting": list(selectors.coachees_without_programme(membership)) if is_coach else [],
            "own": selectors.own_programme(membership),
            "is_admin": access.MANAGE_ASSIGNMENTS.allows(membership),
            "start_form": forms.StartForm(initial={"start_date": today}),
            "carry_limit": PROGRAMME.carries_before_decision,
        },
    )


@page(access.VIEW_OVERVIEW)
def overview(request: MemberRequest) -> HttpResponse:
    """Every programme's counts and dates and who is off track; never session content."""
    organisation, today = request.membership.organisation, timezone.localdate()
    return render(
        request,
        "coaching/overview.html",
        {
            "page": selectors.overview_page(organisation, today, request.GET.get("page")),
            "off_track": selectors.off_track_page(organisation, today, request.GET.get("opage")),
        },
    )


@page(access.VIEW_HOME, methods=["POST"])
def start(request: MemberRequest, pk: int) -> HttpResponse:
    """Start a coachee's programme (their coach only; anyone else: 404)."""
    person = selectors.coachees_without_programme(request.membership).filter(pk=pk).first()
    if person is None:
        refuse(
            request,
            request.membership,
            rule="coaching.start_programme",
            target=f"person {pk}",
            not_found=True,
        )
    assert person is not None
    form = forms.StartForm(request.POST)
    return posted_form(
        request,
        form,
        lambda: services.start_programme(
            actor=request.membership, person=person, start_date=form.cleaned_data["start_date"]
        ),
        title=f"Start {person.name}'s programme",
        back=reverse("coaching:home"),
        invalid="Give the programme's start date.",
        success=f"{person.name}'s programme has started.",
        to=lambda programme: reverse("coaching:programme", args=[programme.pk]),
    )


def _phases(start: Any, today: Any) -> list[dict[str, Any]]:
    week = schedule.week_of(start, today)
    return [
        {
            "name": phase.name,
            "weeks": f"{phase.first_week}–{phase.last_week}",
            "activities": phase.activities,
            "current": phase.first_week <= week <= phase.last_week,
            "ends": schedule.phase_end(start, phase),
        }
        for phase in PROGRAMME.phases
    ]


@page(access.VIEW_HOME)
def programme(request: MemberRequest, pk: int) -> HttpResponse:
    item = access.get_programme_for(request, request.membership, pk)
    today = timezone.localdate()
    can_edit = access.EDIT_PROGRAMME.allows(request.membership, item)
    milestones = list(selectors.milestones_of(item))
    plan_form = forms.PlanForm(
        initial={
            "focus_areas": item.focus_areas,
            "success_metrics": item.success_metrics,
            "milestones": "\n".join(f"{m.due_week} {m.text}" for m in milestones if not m.done_on),
        }
    )
    return render(
        request,
        "coaching/programme.html",
        {
            "programme": item,
            "week": schedule.week_of(item.start_date, today),
            "phases": _phases(item.start_date, today),
            "sessions": list(selectors.sessions_of(item)),
            "milestones": milestones,
            "focus_names": [FOCUS_NAMES.get(k, k) for k in item.focus_areas],
            "metric_names": [METRIC_NAMES.get(k, k) for k in item.success_metrics],
            "can_edit": can_edit,
            "plan_open": can_edit
            and schedule.week_of(item.start_date, today) <= PROGRAMME.plan_weeks,
            "plan_form": plan_form,
            "session_form": forms.SessionDateForm(initial={"date": today}),
            "waiting": services.waiting_for_decision(item) if can_edit else [],
            "today": today,
        },
    )


def _milestone_lines(text: str) -> list[services.MilestoneIn]:
    out = []
    for line in text.splitlines():
        week, _, rest = line.strip().partition(" ")
        if not line.strip():
            continue
        out.append(services.MilestoneIn(rest, int(week) if week.isdigit() else 0))
    return out


@page(access.VIEW_HOME, methods=["POST"])
def plan(request: MemberRequest, pk: int) -> HttpResponse:
    item = access.get_programme_for(request, request.membership, pk, edit=True)
    form = forms.PlanForm(request.POST)
    return posted_form(
        request,
        form,
        lambda: services.define_plan(
            actor=request.membership,
            programme=item,
            focus_areas=form.cleaned_data["focus_areas"],
            success_metrics=form.cleaned_data["success_metrics"],
            milestones=_milestone_lines(form.cleaned_data["milestones"]),
        ),
        title=f"The coaching plan of {item.person.name}",
        back=reverse("coaching:programme", args=[item.pk]),
        success="The plan is saved.",
    )


@page(access.VIEW_HOME, methods=["POST"])
def milestone_done(request: MemberRequest, pk: int) -> HttpResponse:
    milestone = Milestone.objects.filter(pk=pk).first()
    item = access.get_programme_for(
        request, request.membership, milestone.programme_id if milestone else 0, edit=True
    )
    assert milestone is not None
    milestone.programme = item
    announce(
        request,
        lambda: services.complete_milestone(actor=request.membership, milestone=milestone),
        "Milestone done.",
    )
    return redirect("coaching:programme", item.pk)


@page(access.VIEW_HOME, methods=["POST"])
def add_session(request: MemberRequest, pk: int) -> HttpResponse:
    item = access.get_programme_for(request, request.membership, pk, edit=True)
    form = forms.SessionDateForm(request.POST)
    return posted_form(
        request,
        form,
        lambda: services.add_session(
            actor=request.membership, programme=item, date=form.cleaned_data["date"]
        ),
        title=f"Add a session with {item.person.name}",
        back=reverse("coaching:programme", args=[item.pk]),
        invalid="Give the session's date.",
        success="Session added.",
        to=lambda created: reverse("coaching:session", args=[created.pk]),
    )


def _session_context(request: MemberRequest, item: Session, form: Any) -> dict[str, Any]:
    carried, raised = selectors.items_in_session(item)
    can_edit = access.EDIT_PROGRAMME.allows(request.membership, item.programme)
    return {
        "session": item,
        "programme": item.programme,
        "carried": carried,
        "raised": raised,
        "form": form,
        "can_edit": can_edit,
        "is_coachee": access.is_coachee(request.membership, item.programme),
        "questions": [
            (q.name, item.pre_session.get(q.key, "")) for q in PROGRAMME.pre_session_questions
        ],
        "focus_names": [FOCUS_NAMES.get(k, k) for k in item.focus_areas],
        "metrics": [(METRIC_NAMES.get(k, k), v) for k, v in item.metrics.items()],
        "carry_limit": PROGRAMME.carries_before_decision,
        "prepare_open": item.date >= timezone.localdate(),
        "open_status": ItemStatus.OPEN,
        "decisions": ItemDecision.choices,
    }


@page(access.VIEW_HOME, methods=["GET", "POST"])
def session(request: MemberRequest, pk: int) -> HttpResponse:
    """The §3.1 session record: the coach fills it; the coachee reads it."""
    edit = request.method == "POST"
    item = access.get_session_for(request, request.membership, pk, edit=edit)
    initial: dict[str, Any] = {
        "focus_areas": item.focus_areas,
        "notes": item.notes,
        "notes_shared": item.notes_shared,
    }
    initial |= {f"goal_{n}": g for n, g in enumerate(item.next_session_goals, start=1)}
    initial |= {f"metric_{k}": str(v) for k, v in item.metrics.items()}
    form = forms.SessionForm(request.POST if edit else None, initial=initial)
    if edit and form.is_valid():
        done = submit(
            form,
            lambda: services.record_session(
                actor=request.membership, session=item, **form.values()
            ),
            field_map={"action_items": "item_1", "next_session_goals": "goal_1"},
        )
        if done is not None:
            messages.success(request, f"Session {item.number} is saved.")
            return redirect("coaching:session", item.pk)
    return render(
        request,
        "coaching/session.html",
        _session_context(request, item, form),
        status=form_status(form),
    )


@page(access.VIEW_HOME, methods=["GET", "POST"])
def prepare(request: MemberRequest, pk: int) -> HttpResponse:
    """The leader's pre-session assessment, filled before the session."""
    item = access.get_session_for(request, request.membership, pk, prepare=True)
    form = forms.PreSessionForm(request.POST or None, initial=item.pre_session)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            lambda: services.submit_pre_session(
                actor=request.membership, session=item, answers=form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, "Thank you: your coach will see this before the session.")
            return redirect("coaching:session", item.pk)
    return render(
        request,
        "coaching/prepare.html",
        {"session": item, "form": form, "open": item.date >= timezone.localdate()},
        status=form_status(form),
    )


@page(access.VIEW_HOME, methods=["POST"])
def item(request: MemberRequest, pk: int) -> HttpResponse:
    """Close an action item (done, dropped) or decide on one carried too often."""
    action_item = access.get_item_for(request, request.membership, pk)
    form = forms.ItemForm(request.POST)
    session_pk = request.POST.get("session", "")
    if (
        session_pk.isdigit()
        and Session.objects.filter(
            pk=int(session_pk), programme_id=action_item.programme_id
        ).exists()
    ):
        back = reverse("coaching:session", args=[int(session_pk)])
    else:
        back = reverse("coaching:programme", args=[action_item.programme_id])
    title = f"Action item: {action_item.text}"
    if not form.is_valid():
        return refused_form(
            request, form, title=title, back=back, error="Choose what to do with the item."
        )
    data = form.cleaned_data
    if data["action"] in (ItemStatus.DROPPED, ItemDecision.DROP):
        asked = confirmation(
            request,
            question=f"Drop “{action_item.text}”?",
            consequence="The item is closed as dropped and is no longer carried into later "
            "sessions; it cannot be reopened (agree a new item instead).",
            back=back,
            confirm_label="Drop the item",
        )
        if asked is not None:
            return asked
    try:
        if data["action"] in (ItemStatus.DONE, ItemStatus.DROPPED):
            services.close_item(actor=request.membership, item=action_item, status=data["action"])
            done = "Item closed."
        else:
            services.decide_item(
                actor=request.membership,
                item=action_item,
                decision=data["action"],
                reason=data["reason"],
                text=data["text"],
            )
            done = "Decision recorded."
    except DomainError as error:
        return refused_form(request, form, title=title, back=back, error=error)
    messages.success(request, done)
    return redirect(back)


@page(access.VIEW_HOME)
def calendar(request: MemberRequest, pk: int) -> HttpResponse:
    """The programme's sessions as an .ics file to add to a calendar."""
    item = access.get_programme_for(request, request.membership, pk)
    org = item.organisation
    events = [
        ical.CalendarEvent(
            uid=f"coaching-session-{s.pk}@{org.slug}",
            summary=f"Coaching session {s.number}: {item.person.name}",
            start=s.date,
            url=request.build_absolute_uri(reverse("coaching:session", args=[s.pk])),
        )
        for s in selectors.calendar_sessions([item.pk])
    ]
    content = ical.calendar_bytes(events, name=f"Coaching: {item.person.name}")
    return exports.download(
        request,
        content,
        fmt="ics",
        filename=f"coaching-{item.pk}.ics",
        audit=exports.Audit(
            action="coaching.calendar_downloaded",
            organisation=org,
            actor=request.membership.user,
            target=item,
            rows=len(events),
        ),
    )
