"""Forms only parse; services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from bellwether.core.forms import PersonField
from bellwether.framework.catalogue import CATALOGUE
from bellwether.influence import planner
from bellwether.influence.models import METRIC_FIELDS, RATING_CHOICES, TEXT_FIELDS
from bellwether.influence.selectors import leader_choices, metric_labels
from bellwether.people.models import LeaderLevel, Person

# The profile's text fields are the framework's engagement drivers and strategy fields
# (named by the catalogue), and coalition potential.
_FIELD_NAMES = {
    entry.key.split(".", 1)[1]: entry.name
    for entry in (*CATALOGUE.engagement_drivers, *CATALOGUE.strategy_fields)
}
TEXT_LABELS = {
    field: _FIELD_NAMES.get(field, field.replace("_", " ").capitalize()) for field in TEXT_FIELDS
}


class LeaderChoiceField(PersonField):
    """A leader of the organisation, by the shared type-ahead (``core.forms.PersonField``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Person.objects.none(), leaders=True, **kwargs)


class ProfileForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = metric_labels()
        for field in METRIC_FIELDS:
            self.fields[field] = forms.ChoiceField(
                label=labels[field],
                choices=[("", "Not rated"), *RATING_CHOICES],
                required=False,
            )
        for field in TEXT_FIELDS:
            self.fields[field] = forms.CharField(
                label=TEXT_LABELS[field],
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )


STRENGTH_CHOICES = [(1, "1 (weak)"), (2, "2 (moderate)"), (3, "3 (strong)")]


class TieForm(forms.Form):
    source = LeaderChoiceField(label="Who influences")
    target = LeaderChoiceField(label="Whom")
    strength = forms.TypedChoiceField(choices=STRENGTH_CHOICES, coerce=int, initial=2)
    note = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leaders = leader_choices(organisation_id)
        self.fields["source"].queryset = leaders  # type: ignore[attr-defined]
        self.fields["target"].queryset = leaders  # type: ignore[attr-defined]


class TieEditForm(forms.Form):
    strength = forms.TypedChoiceField(choices=STRENGTH_CHOICES, coerce=int)
    note = forms.CharField(required=False, max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV (UTF-8) or XLSX, at most 10 MB.")
    dry_run = forms.BooleanField(
        required=False, label="Dry run: check the file and report, import nothing"
    )


class PlannerForm(forms.Form):
    k = forms.IntegerField(
        label="Leaders to engage first", min_value=1, max_value=50, initial=planner.DEFAULT_PICKS
    )


class NetworkFilterForm(forms.Form):
    # A unit picker: the unit's code, or its id (links); the views find it in the
    # organisation (``people.selectors.unit_named``), never a menu of every unit.
    unit = forms.CharField(required=False, max_length=64, strip=True, label="Org unit")
    level = forms.ChoiceField(
        required=False, choices=[("", "All levels"), *LeaderLevel.choices], label="Level"
    )
    community = forms.IntegerField(
        required=False, min_value=1, max_value=1_000_000, label="Community"
    )
    q = forms.CharField(required=False, max_length=100, strip=True, label="Find a leader")
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
