"""Forms only parse; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from bellwether.core.forms import PersonField
from bellwether.core.links import LinkField
from bellwether.framework.catalogue import CATALOGUE, OUTCOME_CHAIN_STEPS
from bellwether.initiatives.alignment import COMPARISON_NONE
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


class PersonChoiceField(PersonField):
    """A person of the organisation, by the shared type-ahead (``core.forms.PersonField``):
    the page never lists the organisation's people."""


def _people(organisation_id: int) -> Any:
    return Person.objects.filter(organisation_id=organisation_id, active=True).only(
        "id", "name", "title", "email", "employee_id"
    )


class InitiativeForm(forms.Form):
    name = forms.CharField(max_length=200)
    problem = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    archetype = forms.ChoiceField(choices=ARCHETYPE_CHOICES)
    horizon = forms.ChoiceField(choices=Horizon.choices)
    sponsor = PersonChoiceField(queryset=Person.objects.none(), leaders=True)
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
    comparison = forms.ChoiceField(choices=COMPARISON_CHOICES, initial=COMPARISON_NONE)
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
    link = LinkField(required=False)
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


class SignatoriesForm(forms.Form):
    """The executives who must sign the package (an organisation has few)."""

    signatories = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Required signatories",
        help_text="Alignment is measured over these executives; one who stays silent counts "
        "against it.",
    )

    def __init__(self, *args: Any, executives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signatories"].queryset = executives  # type: ignore[attr-defined]


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


class ChangeImpactForm(forms.Form):
    impact_type = forms.ChoiceField(choices=IMPACT_TYPE_CHOICES, label="Predictable impact")
    affected_group = forms.CharField(max_length=200)
    # Every impact has both (seed 003); the services say the same to the API.
    owner = PersonChoiceField(
        queryset=Person.objects.none(),
        error_messages={"required": "Name who owns this impact: every change impact needs one."},
    )
    mitigation = forms.CharField(
        widget=forms.Textarea(attrs=TEXT),
        error_messages={
            "required": "Say how this impact is mitigated: every change impact needs a mitigation."
        },
    )
    status = forms.ChoiceField(
        choices=[
            ("open", "Open"),
            ("mitigating", "Mitigation under way"),
            ("mitigated", "Mitigated (closed)"),
        ],
        initial="open",
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(organisation_id)  # type: ignore[attr-defined]


class DecisionRightForm(forms.Form):
    decision = forms.CharField(max_length=300, label="Decision the initiative changes")
    decided_by_before = forms.CharField(max_length=200, label="Who decides before")
    decided_by_after = forms.CharField(max_length=200, label="Who decides after")
    mode = forms.ChoiceField(
        choices=[("advisory", "Advisory"), ("binding", "Binding")], label="The AI is"
    )
    accountable = forms.CharField(max_length=200, label="Who is accountable")
    override_handling = forms.CharField(
        required=False,
        label="How overrides are handled and logged",
        widget=forms.Textarea(attrs=TEXT),
    )


class RaciForm(forms.Form):
    """Responsible, accountable, consulted, informed for each operating activity."""

    def __init__(self, *args: Any, activities: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activities = activities
        for key, name in activities.items():
            for role in ("responsible", "accountable", "consulted", "informed"):
                self.fields[f"{key}__{role}"] = forms.CharField(
                    required=False, max_length=200, label=f"{name}: {role}"
                )

    def raci(self) -> dict[str, dict[str, str]]:
        return {
            key: {
                role: self.cleaned_data[f"{key}__{role}"]
                for role in ("responsible", "accountable", "consulted", "informed")
            }
            for key in self.activities
        }


class BeforeAfterForm(forms.Form):
    """The before/after view across the catalogue's dimensions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for d in CATALOGUE.before_after:
            slug = d.key.replace(".", "_")
            self.fields[f"{slug}__before"] = forms.CharField(
                required=False,
                max_length=2000,
                label=f"{d.name}: before AI",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{slug}__after"] = forms.CharField(
                required=False,
                max_length=2000,
                label=f"{d.name}: after AI",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def dimensions(self) -> dict[str, dict[str, str]]:
        out = {}
        for d in CATALOGUE.before_after:
            slug = d.key.replace(".", "_")
            before = self.cleaned_data[f"{slug}__before"].strip()
            after = self.cleaned_data[f"{slug}__after"].strip()
            if before or after:
                out[d.key] = {"before": before, "after": after}
        return out


class AdoptionForm(forms.Form):
    cohort = forms.ChoiceField(
        choices=[("early_adopters", "Early adopters"), ("majority", "Majority")]
    )
    week = forms.IntegerField(min_value=1, max_value=520, help_text="Weeks since launch, from 1.")
    active_users = forms.IntegerField(min_value=0, max_value=10_000_000, initial=0)
    suggestions = forms.IntegerField(
        min_value=0, max_value=1_000_000_000, help_text="AI suggestions shown that week."
    )
    accepted = forms.IntegerField(min_value=0, max_value=1_000_000_000)
    overridden = forms.IntegerField(min_value=0, max_value=1_000_000_000, initial=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"suggestions", "accepted", "overridden"} <= set(data) and (
            data["accepted"] + data["overridden"] > data["suggestions"]
        ):
            self.add_error("accepted", "Accepted and overridden can't exceed the suggestions.")
        return data


class DecisionRequestForm(forms.Form):
    title = forms.CharField(max_length=300, label="Decision to take")
    initiative: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No initiative in particular",
    )

    def __init__(self, *args: Any, initiatives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives  # type: ignore[attr-defined]


class DecisionOutcomeForm(forms.Form):
    outcome = forms.CharField(widget=forms.Textarea(attrs=TEXT))
    decided_by = PersonChoiceField(queryset=Person.objects.none(), label="Decided by", leaders=True)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = _people(organisation_id).filter(  # type: ignore[attr-defined]
            leader_level__in=["executive", "senior"]
        )


class DecisionFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "All"), ("open", "Waiting"), ("decided", "Decided")], required=False
    )
    initiative = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    q = forms.CharField(required=False, max_length=100, label="Search")

    def __init__(self, *args: Any, initiatives: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initiative"].choices = [("", "All initiatives"), *initiatives]  # type: ignore[attr-defined]
