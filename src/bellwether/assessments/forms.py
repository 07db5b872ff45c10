"""The readiness forms: launching a cycle."""

from __future__ import annotations

from typing import Any

from django import forms

from bellwether.accounts.models import Membership
from bellwether.assessments import selectors
from bellwether.assessments.models import RaterMode
from bellwether.core import forms as fields
from bellwether.people.models import LeaderLevel, OrgUnit, Person


class CycleForm(forms.Form):
    name = forms.CharField(max_length=200, initial="Readiness assessment")
    opens_at = fields.datetime_local_field("Opens")
    closes_at = fields.datetime_local_field("Closes")
    time_zone = fields.time_zone_field()
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
    org_units = fields.optional_rows_field(OrgUnit.objects.none(), "Leaders in these org units")
    leader_levels = fields.optional_checkboxes_field(LeaderLevel.choices, "Leaders at these levels")
    people = fields.PeopleField(
        Person.objects.none(),
        leaders=True,
        required=False,
        label="These leaders",
        help_text="Type a name and pick, or type their e-mails separated by commas.",
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
        fields.set_choices(self, "org_units", selectors.launch_units(org))
        fields.set_choices(self, "people", selectors.active_leaders(org))

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
        return fields.clean_time_zone(self.cleaned_data["time_zone"])


class BulkRuleForm(forms.Form):
    """Raters for many leaders of a cycle by rule (see ``bulk_raters.plan_by_rule``)."""

    manager = forms.BooleanField(required=False, initial=True, label="Their manager")
    peers = forms.IntegerField(
        min_value=0,
        max_value=8,
        initial=3,
        label="Peers from the same org unit",
        help_text="How many per leader (same leader level first), 0 for none.",
    )
    reports = forms.BooleanField(required=False, initial=True, label="Their direct reports")
    org_unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(),
        required=False,
        label="Leaders in",
        empty_label="Every leader of the cycle",
        help_text="A unit includes the units below it.",
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields.set_choices(self, "org_unit", selectors.launch_units(membership.organisation))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("manager") or data.get("peers") or data.get("reports")):
            self.add_error(None, "Choose at least one kind of rater: manager, peers or reports.")
        return data


class RaterFileForm(forms.Form):
    file = forms.FileField(
        label="Rater list (CSV or XLSX)",
        help_text="Columns leader_email, rater_email and kind (manager, peer or direct_report).",
    )
