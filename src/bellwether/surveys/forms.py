"""The survey pages' forms: launching a campaign, the confidentiality minimums, and the
instrument builder. Choices come from ``selectors``; checks that matter live in the
services, whose errors ``apply_errors`` puts back on the form."""

from __future__ import annotations

from typing import Any

from django import forms

from bellwether.accounts.models import Membership
from bellwether.core import forms as fields
from bellwether.people.models import LeaderLevel, OrgUnit
from bellwether.surveys import selectors, services
from bellwether.surveys.models import (
    Campaign,
    Instrument,
    InstrumentVersion,
    Question,
    Scale,
    Schedule,
)


class CampaignForm(forms.Form):
    version = forms.ModelChoiceField(queryset=InstrumentVersion.objects.none(), label="Instrument")
    name = forms.CharField(max_length=200)
    opens_at = fields.datetime_local_field("Opens")
    closes_at = fields.datetime_local_field("Closes")
    time_zone = fields.time_zone_field()
    segments = forms.MultipleChoiceField(
        choices=Campaign.Segment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="What results may be broken down by. Declared now, before anyone answers.",
    )
    org_unit_depth = forms.IntegerField(
        min_value=0, max_value=10, initial=1, label="Org unit depth"
    )
    org_units = fields.optional_rows_field(OrgUnit.objects.none(), "Audience: org units")
    leader_levels = fields.optional_checkboxes_field(LeaderLevel.choices, "Audience: leader levels")
    not_leaders = forms.BooleanField(
        required=False,
        label="Audience: people who are not leaders",
        help_text="Leave the audience empty to invite everyone active.",
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = membership.organisation
        fields.set_choices(self, "version", selectors.published_versions(org))
        fields.set_choices(self, "org_units", selectors.audience_units(org))

    def clean_time_zone(self) -> str:
        return fields.clean_time_zone(self.cleaned_data["time_zone"])


class ScheduleForm(forms.Form):
    """A recurring pulse: which instrument, how often, how long each stays open."""

    instrument = forms.ModelChoiceField(queryset=Instrument.objects.none())
    frequency = forms.ChoiceField(choices=Schedule.Frequency.choices)
    open_days = forms.IntegerField(
        min_value=1,
        max_value=90,
        initial=14,
        label="Days open",
        help_text="Each period's pulse opens on its first day at 09:00 and stays open this long.",
    )
    segments = forms.MultipleChoiceField(
        choices=Campaign.Segment.choices,
        required=False,
        initial=list(Campaign.Segment.values),
        widget=forms.CheckboxSelectMultiple,
        help_text="What each period's results may be broken down by.",
    )
    org_unit_depth = forms.IntegerField(
        min_value=0, max_value=10, initial=1, label="Org unit depth"
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields.set_choices(
            self, "instrument", selectors.schedulable_instruments(membership.organisation)
        )


class MinimumsForm(forms.Form):
    min_group = forms.IntegerField(min_value=0, max_value=1000, label="Minimum group")
    min_360_group = forms.IntegerField(min_value=0, max_value=1000, label="360 category minimum")
    min_comments = forms.IntegerField(min_value=0, max_value=1000, label="Comment minimum")


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
