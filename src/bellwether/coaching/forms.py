"""Forms of the coaching pages. Choices come from the catalogue; the services check again."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from bellwether.coaching.models import AssignmentKind, ItemDecision
from bellwether.core.forms import PeopleField, set_choices
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import Person

PROGRAMME = CATALOGUE.coaching
FOCUS_CHOICES = [(f.key, f.name) for f in PROGRAMME.focus_areas]
METRIC_CHOICES = [(f.key, f.name) for f in PROGRAMME.success_metrics]
RATING_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, PROGRAMME.metric_scale + 1)]


class AssignForm(forms.Form):
    kind = forms.ChoiceField(choices=AssignmentKind.choices, initial=AssignmentKind.COACHEE)
    membership = forms.TypedChoiceField(coerce=int, label="Coach or reviewer")
    people = PeopleField(Person.objects.none(), leaders=True, label="Leaders")

    def __init__(
        self,
        *args: Any,
        assignees: list[tuple[int, str]],
        leaders: QuerySet[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["membership"]).choices = assignees
        set_choices(self, "people", leaders)


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV or XLSX file")


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(min_value=1, max_value=200)


class InviteCoachForm(forms.Form):
    email = forms.EmailField(label="Email address")
    capacity = forms.IntegerField(
        min_value=1, max_value=200, initial=PROGRAMME.default_coach_capacity
    )


class EndAssignmentForm(forms.Form):
    reason = forms.CharField(max_length=300)


class StartForm(forms.Form):
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class SessionDateForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class PlanForm(forms.Form):
    focus_areas = forms.MultipleChoiceField(
        choices=FOCUS_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    success_metrics = forms.MultipleChoiceField(
        choices=METRIC_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    milestones = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One per line: week number, then the milestone (e.g. “6 Runs the team's AI review”).",
    )


class SessionForm(forms.Form):
    focus_areas = forms.MultipleChoiceField(
        choices=FOCUS_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    notes_shared = forms.BooleanField(
        required=False, label="Share these notes with the leader's reviewer"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, PROGRAMME.action_items_per_session + 1):
            self.fields[f"item_{n}"] = forms.CharField(
                max_length=300, required=False, label=f"New action item {n}"
            )
        for n in range(1, PROGRAMME.next_session_goals + 1):
            self.fields[f"goal_{n}"] = forms.CharField(
                max_length=300, required=False, label=f"Next session goal {n}"
            )
        for key, name in METRIC_CHOICES:
            self.fields[f"metric_{key}"] = forms.ChoiceField(
                choices=RATING_CHOICES, required=False, label=name
            )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "focus_areas": data["focus_areas"],
            "notes": data["notes"],
            "notes_shared": data["notes_shared"],
            "next_session_goals": [
                data[f"goal_{n}"] for n in range(1, PROGRAMME.next_session_goals + 1)
            ],
            "new_items": [
                data[f"item_{n}"] for n in range(1, PROGRAMME.action_items_per_session + 1)
            ],
            "metrics": {
                key: int(data[f"metric_{key}"])
                for key, _ in METRIC_CHOICES
                if data.get(f"metric_{key}")
            },
        }


class PreSessionForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in PROGRAMME.pre_session_questions:
            self.fields[question.key] = forms.CharField(
                label=question.name,
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )


class ItemForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("done", "Done"), ("dropped", "Drop"), *ItemDecision.choices],
        label="What to do with the item",
    )
    reason = forms.CharField(max_length=300, required=False, label="Reason")
    text = forms.CharField(max_length=300, required=False, label="The item's new wording")
    session = forms.CharField(required=False, widget=forms.HiddenInput)  # where to go back
