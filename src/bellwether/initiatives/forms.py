"""Forms only parse; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from bellwether.framework.catalogue import CATALOGUE, OUTCOME_CHAIN_STEPS
from bellwether.initiatives.models import (
    ARCHETYPE_CHOICES,
    COMPARISON_CHOICES,
    ELEMENT_CHOICES,
    LAYER_CHOICES,
    STAGE_CHOICES,
    Horizon,
    Metric,
)
from bellwether.people.models import Person

CHAIN_ROWS = 6


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.title})" if obj.title else str(obj.name)


def _people(organisation_id: int) -> Any:
    return Person.objects.filter(organisation_id=organisation_id, active=True).only(
        "id", "name", "title"
    )


class InitiativeForm(forms.Form):
    name = forms.CharField(max_length=200)
    problem = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    archetype = forms.ChoiceField(choices=ARCHETYPE_CHOICES)
    horizon = forms.ChoiceField(choices=Horizon.choices)
    sponsor = PersonChoiceField(queryset=Person.objects.none())
    teams_involved = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = _people(organisation_id)
        self.fields["sponsor"].queryset = people.filter(leader_level__in=["executive", "senior"])  # type: ignore[attr-defined]


TEXT = {"rows": 3}


class PackageForm(forms.Form):
    """The operating model, change load and risk posture."""

    business_owner = PersonChoiceField(queryset=Person.objects.none(), required=False)
    model_owner = PersonChoiceField(
        queryset=Person.objects.none(), required=False, label="Model/platform owner"
    )
    operational_owner = PersonChoiceField(
        queryset=Person.objects.none(), required=False, label="Named operational owner"
    )
    incident_process = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))
    rollback_procedure = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))
    on_call = forms.CharField(required=False, label="On-call", widget=forms.Textarea(attrs=TEXT))
    new_work = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))
    training = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))
    incentives = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))
    controls = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))
    dependencies = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))
    risk_posture = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("business_owner", "model_owner", "operational_owner"):
            self.fields[name].queryset = _people(organisation_id)  # type: ignore[attr-defined]


class ChainForm(forms.Form):
    """Up to six links, in order; empty rows are ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((s.key, s.name) for s in OUTCOME_CHAIN_STEPS)]
        for n in range(1, CHAIN_ROWS + 1):
            self.fields[f"kind_{n}"] = forms.ChoiceField(
                choices=choices, required=False, label=f"Step {n}"
            )
            self.fields[f"text_{n}"] = forms.CharField(
                required=False, max_length=300, label=f"Step {n}: what happens"
            )

    def links(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data[f"kind_{n}"], data[f"text_{n}"])
            for n in range(1, CHAIN_ROWS + 1)
            if data.get(f"kind_{n}") or data.get(f"text_{n}")
        ]


class MetricForm(forms.Form):
    name = forms.CharField(max_length=200)
    layer = forms.ChoiceField(choices=LAYER_CHOICES)
    unit = forms.CharField(max_length=40, required=False)
    direction = forms.ChoiceField(choices=Metric.Direction.choices)
    target = forms.FloatField(required=False)
    baseline_value = forms.FloatField(required=False)
    baseline_period = forms.CharField(max_length=100, required=False)
    baseline_source = forms.CharField(max_length=200, required=False)
    comparison = forms.ChoiceField(choices=COMPARISON_CHOICES, initial="comparison.none")
    guardrail = forms.FloatField(
        required=False,
        help_text="Counter-metrics: the value past which the “win” is doing harm.",
    )


class MeasurementForm(forms.Form):
    metric = forms.IntegerField(widget=forms.HiddenInput)
    measured_at = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    value = forms.FloatField()


class MeasurementCsvForm(forms.Form):
    file = forms.FileField(
        label="CSV file", help_text="Columns: metric (its name), measured_at (ISO 8601), value."
    )


class EvidenceForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT), label="Evidence")
    link = forms.URLField(required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(required=False)


class WaiveForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs=TEXT), label="Why it is waived")


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=STAGE_CHOICES)


class AlignmentForm(forms.Form):
    """One agree/disagree and comment per element of the package."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, name in ELEMENT_CHOICES:
            slug = key.split(".", 1)[1]
            self.fields[f"{slug}_agrees"] = forms.ChoiceField(
                choices=[("yes", "I agree"), ("no", "I disagree")],
                widget=forms.RadioSelect,
                label=name,
            )
            self.fields[f"{slug}_comment"] = forms.CharField(
                required=False, label=f"{name}: comment", widget=forms.Textarea(attrs={"rows": 2})
            )

    def positions(self) -> list[tuple[str, bool, str]]:
        return [
            (
                key,
                self.cleaned_data[f"{key.split('.', 1)[1]}_agrees"] == "yes",
                self.cleaned_data[f"{key.split('.', 1)[1]}_comment"],
            )
            for key, _ in ELEMENT_CHOICES
        ]


class TeamStartForm(forms.Form):
    team = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only the sponsor may start beyond the team's cap, with a written reason.",
    )


class CapForm(forms.Form):
    team = forms.IntegerField(widget=forms.HiddenInput)
    cap = forms.IntegerField(min_value=0, max_value=1000)


IMPACT_TYPE_CHOICES = [(c.key, c.name) for c in CATALOGUE.change_impacts]
