"""The forms of the review pages that answer a refusal on a page of their own
(``core.forms.refused_form``): what was typed is kept and the reason is said in words."""

from __future__ import annotations

from django import forms


class CycleForm(forms.Form):
    quarter = forms.CharField(
        max_length=7, label="Quarter", help_text="Year and quarter, e.g. 2026-Q1."
    )
    due_on = forms.DateField(
        required=False,
        label="Due on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Give the due date as a date (YYYY-MM-DD)."},
    )


class AdjustForm(forms.Form):
    component = forms.CharField(widget=forms.HiddenInput)
    value = forms.CharField(max_length=10, label="Score")
    reason = forms.CharField(max_length=1000, required=False, label="Reason for the change")
