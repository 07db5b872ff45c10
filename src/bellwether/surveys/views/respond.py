"""The respondent's pages: the personal link, its draft saves and the thank-you page.

Not member pages: no sign-in, the token is the key. Their own checks: a dead link
answers with its state (410, or 200 before it opens); a browser signed in as someone
other than the invitee is refused (403, audited through ``access.record_link_refusal``).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bellwether.core.errors import DomainError
from bellwether.surveys import access, selectors, services
from bellwether.surveys.models import Campaign, Invitation
from bellwether.surveys.services import LINK_MESSAGES, LinkState

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
    for q in selectors.questions_of(version_id):
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


def _answers(request: HttpRequest) -> dict[str, list[str]]:
    return {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}


def _refused(request: HttpRequest, exc: DomainError) -> None:
    """Audit the refusal of a link opened in someone else's browser."""
    if isinstance(exc, services.SignedInAsSomeoneElse):
        access.record_link_refusal(request, exc.campaign_id)


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
    viewer = access.viewer_id(request)
    try:
        services.check_respondent(invitation, viewer_id=viewer)
    except DomainError as exc:
        _refused(request, exc)
        return render(
            request,
            "surveys/link_state.html",
            {"title": "This link is someone else's", "message": exc.message},
            status=403,
        )
    if request.method == "POST":
        answers = _answers(request)
        if request.POST.get("action") == "save":
            try:
                services.save_draft(token=token, answers=answers, viewer_id=viewer)
            except DomainError as exc:
                _refused(request, exc)
                messages.error(request, exc.message)
            else:
                messages.success(request, "Your answers are saved. Come back with the same link.")
            return redirect("surveys:respond", token=token)
        try:
            services.submit_response(token=token, answers=answers, viewer_id=viewer)
        except DomainError as exc:
            _refused(request, exc)
            if exc.code != "incomplete":
                return redirect("surveys:respond", token=token)
            errors = exc.field_errors
            values = {k: (v[-1] if v else "") for k, v in answers.items()}
        else:
            return redirect("surveys:thanks")
    zone = ZoneInfo(campaign.time_zone)
    anonymous = campaign.mode == Campaign.Mode.ANONYMOUS
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
            "anonymous": anonymous,
            # The campaign's own minimum (fixed at launch): what the page promises.
            "min_group": campaign.min_group,
            "token": token,
            **_rating_context(campaign, invitation),
        },
        status=400 if errors else 200,
    )


def _rating_context(campaign: Campaign, invitation: Invitation) -> dict[str, Any]:
    """A 360 rating (confidential, about a leader): whom it is about and how the answers
    are shown, worded by the readiness module that runs such campaigns."""
    if campaign.mode != Campaign.Mode.CONFIDENTIAL or invitation.subject_id is None:
        return {}
    from bellwether.assessments.services import rating_context

    return rating_context(invitation)


@require_POST
def save_draft(request: HttpRequest, token: str) -> HttpResponse:
    """htmx: keep the answers so far; answers with a short status line."""
    try:
        services.save_draft(
            token=token, answers=_answers(request), viewer_id=access.viewer_id(request)
        )
    except DomainError as exc:
        _refused(request, exc)
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
