"""The admin's page for Slack and Teams (connections and the delivery log) and each
member's choice of channel per kind of message."""

from __future__ import annotations

from django import forms
from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect, render

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error
from bellwether.integrations.chat import messages, selectors, services
from bellwether.integrations.chat.access import CHOOSE_CHANNELS, MANAGE_CHAT


class SlackForm(forms.Form):
    token = forms.CharField(
        label="Bot User OAuth Token",
        max_length=300,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="Starts with xoxb-. In your Slack app: “OAuth & Permissions” → "
        "“Bot User OAuth Token”. Kept encrypted; never shown again.",
    )


class TeamsForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        required=False,
        help_text="Which team or channel it posts to, e.g. “Leadership programme”.",
    )
    url = forms.CharField(
        label="Webhook URL",
        max_length=2000,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="The HTTP POST URL of a Teams Workflow “When a Teams webhook request is "
        "received” (or an incoming webhook). Kept encrypted; never shown again.",
    )


def _admin_context(
    request: MemberRequest,
    *,
    slack_form: SlackForm | None = None,
    teams_form: TeamsForm | None = None,
) -> dict[str, object]:
    organisation = request.membership.organisation
    return {
        "slack": selectors.slack_workspace(organisation),
        "teams": selectors.teams_webhook(organisation),
        "slack_form": slack_form or SlackForm(),
        "teams_form": teams_form or TeamsForm(),
        "page": selectors.deliveries_page(organisation, request.GET.get("page")),
    }


@page(MANAGE_CHAT)
def admin(request: MemberRequest) -> HttpResponse:
    return render(request, "chat/admin.html", _admin_context(request))


@page(MANAGE_CHAT, methods=["POST"])
def connect_slack(request: MemberRequest) -> HttpResponse:
    form = SlackForm(request.POST)
    if form.is_valid():
        try:
            workspace = services.connect_slack(
                membership=request.membership, token=form.cleaned_data["token"]
            )
        except DomainError as exc:
            add_domain_error(form, exc, fallback="token")
        else:
            flash.success(request, f"Slack workspace “{workspace.team_name}” connected.")
            return redirect("chat:admin")
    return render(request, "chat/admin.html", _admin_context(request, slack_form=form), status=400)


@page(MANAGE_CHAT, methods=["POST"])
def disconnect_slack(request: MemberRequest) -> HttpResponse:
    if services.disconnect_slack(membership=request.membership):
        flash.success(request, "Slack disconnected. Members who chose Slack get email again.")
    return redirect("chat:admin")


@page(MANAGE_CHAT, methods=["POST"])
def connect_teams(request: MemberRequest) -> HttpResponse:
    form = TeamsForm(request.POST)
    if form.is_valid():
        try:
            webhook = services.connect_teams(
                membership=request.membership,
                url=form.cleaned_data["url"],
                name=form.cleaned_data["name"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, fallback="url")
        else:
            flash.success(
                request, f"Microsoft Teams “{webhook.name}” connected: a test card was posted."
            )
            return redirect("chat:admin")
    return render(request, "chat/admin.html", _admin_context(request, teams_form=form), status=400)


@page(MANAGE_CHAT, methods=["POST"])
def disconnect_teams(request: MemberRequest) -> HttpResponse:
    if services.disconnect_teams(membership=request.membership):
        flash.success(
            request, "Microsoft Teams disconnected. Members who chose Teams get email again."
        )
    return redirect("chat:admin")


def _preferences_form(
    available: list[tuple[str, str]], current: dict[str, str], data: object = None
) -> forms.Form:
    form = forms.Form(data)  # type: ignore[arg-type]
    offered = {value for value, _label in available}
    for kind, label in messages.KINDS:
        form.fields[kind] = forms.ChoiceField(
            label=label,
            choices=available,
            initial=current[kind] if current[kind] in offered else messages.EMAIL,
            error_messages={
                "invalid_choice": "Choose email or a chat app your organisation has connected."
            },
        )
    return form


@page(CHOOSE_CHANNELS, methods=["GET", "POST"])
def preferences(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    available = selectors.available_channels(membership.organisation)
    current = selectors.channels_of(membership)
    if request.method == "POST":
        form = _preferences_form(available, current, request.POST)
        if form.is_valid():
            try:
                services.set_channels(membership=membership, choices=form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                flash.success(request, "Your choices are saved.")
                return redirect("chat:preferences")
        status = 400
    else:
        form = _preferences_form(available, current)
        status = 200
    return render(
        request,
        "chat/preferences.html",
        {"form": form, "available": available, "organisation": membership.organisation},
        status=status,
    )
