"""§3.2 AI Executive Mentorship Program: who mentors whom, and how a pairing is followed.

The framework says "pair experienced AI leaders with developing leaders" and gives no
weights. Bellwether reads *experienced* as the Champion and Supporter bands and
*developing* as Cautious, Skeptical and Resistant; the weights below are its choice,
noted beside the data: a pair scores the mentee's need (harder cases first when mentors
are scarce), the mentor's strength (Champions before Supporters), a bonus when the two
work in different units (the framework's "cross-functional" exchange), and a bonus per
step of influence the mentor already has over the mentee (an existing tie of strength
1–3, or the reporting line) — the strongest single reason, as a mentee listens first
to someone who already influences them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bellwether.framework.catalogue._base import Frequency, NamedField, check, named_fields
from bellwether.framework.catalogue.readiness import (
    BAND_CAUTIOUS,
    BAND_CHAMPION,
    BAND_RESISTANT,
    BAND_SKEPTICAL,
    BAND_SUPPORTER,
)


@dataclass(frozen=True, slots=True)
class MentorshipRules:
    key: str
    mentor_bands: tuple[str, ...]
    mentee_bands: tuple[str, ...]
    # Mentees a mentor takes when the admin sets no capacity, and the most they may set.
    default_capacity: int
    max_capacity: int
    mentor_strength: dict[str, float]
    mentee_need: dict[str, float]
    cross_functional_bonus: float
    influence_bonus_per_step: float
    # Taken off each further slot of one mentor, so mentees spread over mentors before
    # anyone's second slot is used when the rest of the score is equal.
    extra_slot_penalty: float
    check_in_frequency: Frequency
    check_in_questions: tuple[NamedField, ...]
    outcomes: tuple[NamedField, ...]

    def __post_init__(self) -> None:
        check(not set(self.mentor_bands) & set(self.mentee_bands), "mentor and mentee bands")
        check(set(self.mentor_strength) == set(self.mentor_bands), "mentor strengths")
        check(set(self.mentee_need) == set(self.mentee_bands), "mentee needs")
        check(1 <= self.default_capacity <= self.max_capacity, "mentor capacity")


MENTORSHIP = MentorshipRules(
    key="peer.mentorship_rules",
    mentor_bands=(BAND_CHAMPION, BAND_SUPPORTER),
    mentee_bands=(BAND_CAUTIOUS, BAND_SKEPTICAL, BAND_RESISTANT),
    default_capacity=2,
    max_capacity=5,
    mentor_strength={BAND_CHAMPION: 1.0, BAND_SUPPORTER: 0.6},
    mentee_need={BAND_RESISTANT: 1.0, BAND_SKEPTICAL: 0.8, BAND_CAUTIOUS: 0.6},
    cross_functional_bonus=1.0,
    influence_bonus_per_step=0.5,
    extra_slot_penalty=0.05,
    check_in_frequency="monthly",
    check_in_questions=named_fields(
        "peer.check_in",
        [
            ("tried", "What has the mentee tried with AI since the last check-in?"),
            ("obstacles", "What got in the way?"),
            ("next_steps", "What will the mentee try before the next check-in?"),
        ],
    ),
    outcomes=named_fields(
        "peer.outcome",
        [
            ("goals_met", "Goals met"),
            ("partly_met", "Goals partly met"),
            ("not_met", "Goals not met"),
            ("ended_early", "Ended early"),
        ],
    ),
)


def mentorship_outcome(key: str) -> NamedField:
    for outcome in MENTORSHIP.outcomes:
        if outcome.key == key:
            return outcome
    raise KeyError(key)
