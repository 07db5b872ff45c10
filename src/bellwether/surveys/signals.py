"""Signals other modules listen to."""

from django.dispatch import Signal

# Sent inside the submitting transaction of a confidential (360) campaign, with
# ``campaign``, ``invitation`` and ``response``. Never sent for anonymous campaigns.
confidential_response_submitted = Signal()
