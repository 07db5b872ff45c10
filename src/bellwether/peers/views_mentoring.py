"""Pages for mentorship: the admin's matching page (run, review with reasons, publish),
my mentoring (published pairs) and a pair with its check-ins and end."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.forms import announce, confirmation, refused_form
from bellwether.framework.catalogue import MENTORSHIP
from bellwether.peers import access, selectors, services
from bellwether.peers.forms import CheckInForm, EndForm, MatchingForm
from bellwether.peers.models import PairStatus, RunStatus


@page(access.MANAGE)
def matching(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    run = selectors.latest_run(organisation)
    rows = list(selectors.proposals(run)) if run is not None else []
    return render(
        request,
        "peers/matching.html",
        {
            "run": run,
            "rows": rows,
            "proposed": run is not None and run.status == RunStatus.PROPOSED,
            "form": MatchingForm(initial={"capacity": MENTORSHIP.default_capacity}),
        },
    )


@page(access.MANAGE, methods=["POST"])
def matching_run(request: MemberRequest) -> HttpResponse:
    form = MatchingForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"A mentor's capacity is 1 to {MENTORSHIP.max_capacity} mentees.")
        return redirect("peers:matching")
    announce(
        request,
        lambda: services.run_matching(
            organisation=request.membership.organisation,
            actor=request.membership.user,
            capacity=form.cleaned_data["capacity"],
        ),
        lambda run: f"{run.pairings.count()} pairs are proposed. Review them, then publish.",
        every_problem=True,
    )
    return redirect("peers:matching")


@page(access.MANAGE, methods=["POST"])
def matching_publish(request: MemberRequest, pk: int) -> HttpResponse:
    run = access.get_run_for(request, request.membership, pk)
    keep = {int(v) for v in request.POST.getlist("keep") if v.isdigit()}
    withdraw = [
        p.pk
        for p in selectors.proposals(run)
        if p.status == PairStatus.PROPOSED and p.pk not in keep
    ]
    announce(
        request,
        lambda: services.publish_run(run=run, actor=request.membership.user, withdraw=withdraw),
        lambda published: f"{len(published)} pairs are published; both people are told by email.",
        every_problem=True,
    )
    return redirect("peers:matching")


@page(access.VIEW)
def mentoring(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    rows = list(selectors.pairs_for(membership))
    return render(
        request,
        "peers/mentoring.html",
        {
            "rows": rows,
            "me": access.own_person_id(membership),
            "can_manage": access.MANAGE.allows(membership),
        },
    )


@page(access.VIEW)
def pair(request: MemberRequest, pk: int) -> HttpResponse:
    item = access.get_pair_for(request, request.membership, pk)
    names = selectors.question_names()
    return render(
        request,
        "peers/pair.html",
        {
            "pair": item,
            "check_ins": [
                (c, [(names.get(k, k), v) for k, v in c.answers.items()])
                for c in selectors.check_ins(item)
            ],
            "check_in_form": CheckInForm(),
            "end_form": EndForm(),
            "active": item.status == PairStatus.ACTIVE,
            "outcome": selectors.outcome_name(item.outcome_key),
            "frequency": MENTORSHIP.check_in_frequency,
        },
    )


@page(access.VIEW, methods=["POST"])
def pair_check_in(request: MemberRequest, pk: int) -> HttpResponse:
    item = access.get_pair_for(request, request.membership, pk, edit=True)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Give the date of the check-in (answers of at most 2,000 characters)."
        )
        return redirect("peers:pair", pk=item.pk)
    announce(
        request,
        lambda: services.record_check_in(
            pairing=item,
            actor=request.membership.user,
            held_on=form.cleaned_data["held_on"],
            answers=form.answers(),
        ),
        "The check-in is recorded.",
        every_problem=True,
    )
    return redirect("peers:pair", pk=item.pk)


@page(access.VIEW, methods=["POST"])
def pair_end(request: MemberRequest, pk: int) -> HttpResponse:
    item = access.get_pair_for(request, request.membership, pk, edit=True)
    form = EndForm(request.POST)
    back = reverse("peers:pair", args=[item.pk])
    if not form.is_valid():
        return refused_form(request, form, title="End the pairing", back=back)
    asked = confirmation(
        request,
        question="End this mentoring pairing?",
        consequence="Check-ins stop and the outcome is recorded; an ended pairing cannot "
        "be restarted (a new match can be made).",
        back=back,
        confirm_label="End the pairing",
    )
    if asked is not None:
        return asked
    announce(
        request,
        lambda: services.end_pairing(
            pairing=item,
            actor=request.membership.user,
            outcome_key=form.cleaned_data["outcome_key"],
            note=form.cleaned_data["note"],
        ),
        "The pairing is ended.",
        every_problem=True,
    )
    return redirect("peers:pair", pk=item.pk)
