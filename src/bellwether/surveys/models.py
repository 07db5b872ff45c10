"""The survey engine: versioned instruments, campaigns, invitations and responses.

Storage that keeps answers apart from people (see the README, "What is stored"):

* while a campaign is open, each submission is a sealed ``Ballot`` (encrypted with a key
  that is not in the database) beside a ``Completion`` that says only that the invitee
  answered; drafts are sealed on the invitation with a key bound to its link;
* when the campaign closes, ``release_campaign`` opens the ballots and stores them as
  ``Response`` and ``Answer`` rows in random order, in one transaction, with no link to
  an invitation, a person or a time, and with segment values cut back so that every
  stored combination is shared by at least the minimum number of respondents; the
  released figures are decided once and kept in ``Release``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from bellwether.core.confidentiality import (
    DEFAULT_MIN_360_GROUP,
    DEFAULT_MIN_COMMENTS,
    DEFAULT_MIN_GROUP,
    Policy,
)
from bellwether.core.models import Organisation, TenantModel


class ConfidentialitySettings(TenantModel):
    """An organisation's minimum group sizes (never below 3, checked by the service)."""

    min_group = models.PositiveSmallIntegerField(default=DEFAULT_MIN_GROUP)
    min_360_group = models.PositiveSmallIntegerField(default=DEFAULT_MIN_360_GROUP)
    min_comments = models.PositiveSmallIntegerField(default=DEFAULT_MIN_COMMENTS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_survey_policy_per_org"),
            models.CheckConstraint(
                condition=models.Q(min_group__gte=3, min_360_group__gte=3, min_comments__gte=3),
                name="survey_minimums_at_least_three",
            ),
        ]

    def policy(self) -> Policy:
        return Policy(
            min_group=self.min_group,
            min_360_group=self.min_360_group,
            min_comments=self.min_comments,
        )


class Instrument(TenantModel):
    """A questionnaire, by name; its content lives in immutable versions."""

    class Kind(models.TextChoices):
        PULSE = "pulse", "Employee pulse"
        ASSESSMENT = "assessment", "360 assessment"
        CUSTOM = "custom", "Custom"
        # Run and shown by the module that asks it (e.g. a communication's audience
        # rating): not listed among the organisation's pulses and instruments.
        EMBEDDED = "embedded", "Asked by another module"

    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    # The framework KPI this instrument feeds (catalogue key), if any.
    kpi_key = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="unique_instrument_key_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class InstrumentVersion(TenantModel):
    """One version of an instrument. Once published it never changes."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    introduction = models.TextField(blank=True)

    class Meta:
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="unique_instrument_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Scale(models.TextChoices):
    LIKERT5 = "likert5", "Likert 1–5"
    YES_NO = "yes_no", "Yes / no"
    ZERO_TEN = "zero_ten", "0–10"
    CHOICE = "choice", "Multiple choice"
    TEXT = "text", "Open text"


class Question(TenantModel):
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField()
    dimension_key = models.CharField(max_length=80, blank=True)
    dimension_name = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    scale = models.CharField(max_length=20, choices=Scale.choices)
    # The label of each point, lowest value first (Likert, 0–10 ends, choices).
    labels = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)
    # Answers at or above this value count as favourable (4 on a 1–5 scale).
    favourable_min = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_question_key"),
            models.UniqueConstraint(fields=["version", "position"], name="unique_question_pos"),
        ]

    def __str__(self) -> str:
        return self.text


class Schedule(TenantModel):
    """A recurring pulse: one campaign per period."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    open_days = models.PositiveSmallIntegerField(default=14)
    audience = models.JSONField(default=dict, blank=True)
    segments = models.JSONField(default=list, blank=True)
    org_unit_depth = models.PositiveSmallIntegerField(default=1)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.instrument.name} ({self.get_frequency_display().lower()})"


class Campaign(TenantModel):
    """An instrument version sent to an audience in a window."""

    class Mode(models.TextChoices):
        ANONYMOUS = "anonymous", "Anonymous (pulse)"
        CONFIDENTIAL = "confidential", "Confidential (360)"

    class Segment(models.TextChoices):
        ORG_UNIT = "org_unit", "Org unit"
        LEADER_LEVEL = "leader_level", "Leader level"
        TENURE_BAND = "tenure_band", "Tenure"

    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.ANONYMOUS)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC")
    # What respondents' answers may be broken down by, declared before anyone answers.
    segments = models.JSONField(default=list, blank=True)
    org_unit_depth = models.PositiveSmallIntegerField(default=1)
    audience = models.JSONField(default=dict, blank=True)
    # The organisation's minimums when the campaign was launched: a minimum applies from
    # the campaign it was set on, so lowering it later never re-shows a launched one.
    min_group = models.PositiveSmallIntegerField(default=DEFAULT_MIN_GROUP)
    min_360_group = models.PositiveSmallIntegerField(default=DEFAULT_MIN_360_GROUP)
    min_comments = models.PositiveSmallIntegerField(default=DEFAULT_MIN_COMMENTS)
    schedule = models.ForeignKey(
        Schedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaigns"
    )
    period = models.CharField(max_length=20, blank=True)  # "2026-05" for a monthly pulse
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="campaign_closes_after_it_opens",
            ),
            models.UniqueConstraint(
                fields=["schedule", "period"],
                condition=models.Q(schedule__isnull=False),
                name="one_campaign_per_schedule_period",
            ),
            models.CheckConstraint(
                condition=models.Q(min_group__gte=3, min_360_group__gte=3, min_comments__gte=3),
                name="campaign_minimums_at_least_three",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-opens_at"])]

    def __str__(self) -> str:
        return self.name


class Invitation(TenantModel):
    """One invitee's personal link. The link is a signature over (id, nonce):
    reissuing draws a new nonce, which kills the old link."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=32)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # When a new link was sent after launch: whoever holds it may not be the invitee, so
    # each one raises the campaign's minimum by one (see release_campaign).
    reissued_at = models.DateTimeField(null=True, blank=True)
    # The respondent's unsubmitted answers, sealed with a key bound to this link's nonce
    # (a reissued link can never open the previous holder's draft); emptied on submission.
    sealed_draft = models.TextField(blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # 360 only: the invitation said that this rating is shown as "self"/"manager".
    category = models.CharField(max_length=20, blank=True)
    category_disclosed = models.BooleanField(default=False)
    # 360 only: the leader this invitation asks about (a peer rates several leaders in
    # one cycle, so a confidential campaign may invite one person once per subject).
    subject = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=models.Q(subject__isnull=True),
                name="one_invitation_per_person",
            ),
            models.UniqueConstraint(
                fields=["campaign", "person", "subject"],
                condition=models.Q(subject__isnull=False),
                name="one_invitation_per_person_and_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk}"


# The rows written by every submission (responses, answers, completions) keep their
# references to the organisation, campaign and question without a database constraint.
# A constraint makes each insert lock those parent rows (KEY SHARE), and with every
# respondent of a pulse locking the same three rows at once, PostgreSQL records each
# lock as a multixact: measured, 20% of the submission's database time. Only services
# write these rows, from rows they have just read, and Django still applies CASCADE and
# PROTECT when a parent is deleted.
def _unchecked(to: Any, **extra: Any) -> Any:
    return models.ForeignKey(
        to, on_delete=extra.pop("on_delete", models.CASCADE), db_constraint=False, **extra
    )


class Completion(TenantModel):
    """That an invitee finished, kept apart from what they answered: no link to a ballot
    or a response, in either mode.

    The unique invitation makes submission happen once, whatever the race. The segment
    values are the invitee's (from the people records, as on their ballot); at release
    they are cut back exactly as the stored responses' are, and they let a release be
    compared with earlier ones by who answered.
    """

    organisation = _unchecked(Organisation, related_name="+")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="completion"
    )
    campaign = _unchecked(Campaign, related_name="completions")
    org_unit_path = models.CharField(max_length=1000, blank=True)
    leader_level = models.CharField(max_length=20, blank=True)
    tenure_band = models.CharField(max_length=20, blank=True)


class Ballot(models.Model):
    """A submission waiting for its campaign to close, sealed (AES-GCM, see sealing.py).

    No timestamps and a random key: nothing in the row says when it came or from whom;
    its content cannot be read without the sealing key, which is not in the database.
    Deleted when the campaign is released.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = _unchecked(Organisation, related_name="+")
    campaign = _unchecked(Campaign, related_name="ballots")
    sealed = models.TextField()

    def __str__(self) -> str:
        return "sealed ballot"


class Release(TenantModel):
    """A campaign's results, decided once when it closed and read as stored afterwards:
    later changes (a lower minimum, people moving units) never re-show a hidden cell."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="release")
    released_at = models.DateTimeField()
    minimum = models.PositiveSmallIntegerField()
    respondents = models.PositiveIntegerField(default=0)
    payload = models.JSONField(default=dict, blank=True)


class Response(TenantModel):
    """A submitted questionnaire: only the declared segment values, copied at submission."""

    # Random, so that neither insertion order nor key says who answered when.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = None  # type: ignore[assignment]
    updated_at = None  # type: ignore[assignment]
    organisation = _unchecked(Organisation, related_name="+")
    # Indexed as the first column of the indexes below.
    campaign = _unchecked(Campaign, related_name="responses", db_index=False)
    org_unit_path = models.CharField(max_length=1000, blank=True)
    leader_level = models.CharField(max_length=20, blank=True)
    tenure_band = models.CharField(max_length=20, blank=True)
    category = models.CharField(max_length=20, blank=True)  # 360 rater category
    # 360 only (confidential campaigns): the leader rated. Always empty when anonymous.
    subject = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "org_unit_path"]),
            models.Index(fields=["campaign", "subject", "category"]),
        ]


class Answer(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = None  # type: ignore[assignment]
    updated_at = None  # type: ignore[assignment]
    organisation = _unchecked(Organisation, related_name="+")
    # Both indexed as the first column of the constraint and the index below.
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = _unchecked(Question, on_delete=models.PROTECT, related_name="+", db_index=False)
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_item")
        ]
        indexes = [models.Index(fields=["question", "value"])]
