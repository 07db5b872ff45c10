"""Forms of the peer-network pages: parse and bound the input; the services decide."""

from __future__ import annotations

from django import forms

from bellwether.core.forms import PeopleField, datetime_local_field
from bellwether.framework.catalogue import MENTORSHIP
from bellwether.peers.models import EventKind
from bellwether.people.models import Person


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=EventKind.choices, label="Kind")
    topic = forms.CharField(max_length=200, label="Topic")
    starts_at = datetime_local_field("Starts")
    ends_at = datetime_local_field("Ends")
    location = forms.CharField(max_length=200, required=False, label="Location or link")
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    speakers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Speakers (one a line; external experts too)",
    )
    invitees = PeopleField(
        Person.objects.none(),
        leaders=True,
        label="Invite",
        help_text="Type a name and pick, once per leader, or type e-mails separated by commas.",
    )


class MatchingForm(forms.Form):
    capacity = forms.IntegerField(
        min_value=1,
        max_value=MENTORSHIP.max_capacity,
        initial=MENTORSHIP.default_capacity,
        label="Mentees per mentor",
    )


class CheckInForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for question in MENTORSHIP.check_in_questions:
            self.fields[question.key] = forms.CharField(
                label=question.name,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data.get(q.key, "") for q in MENTORSHIP.check_in_questions}


class EndForm(forms.Form):
    outcome_key = forms.ChoiceField(
        choices=[(o.key, o.name) for o in MENTORSHIP.outcomes], label="Outcome"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
