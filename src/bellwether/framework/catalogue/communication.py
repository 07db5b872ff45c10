"""§2.3 Leadership Communication Standards and Template 2: core messages, each level's
cadences, and the communication plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bellwether.framework.catalogue._base import (
    Cadence,
    LeaderLevelKey,
    NamedField,
    cadence,
    named_fields,
)
from bellwether.framework.catalogue.barriers import LEVEL_EXECUTIVE, LEVEL_OPERATIONAL, LEVEL_SENIOR

# Keys code refers to by name: the secondary KPI "monthly external thought leadership"
# counts deliveries of this cadence or on this channel.
CADENCE_THOUGHT_LEADERSHIP: Final = "cadence.executive.thought_leadership"
CHANNEL_EXTERNAL: Final = "channel.external"


@dataclass(frozen=True, slots=True)
class CoreMessage:
    key: str
    number: int
    name: str
    statement: str


@dataclass(frozen=True, slots=True)
class LevelCommunication:
    key: str
    level: LeaderLevelKey
    name: str
    cadences: tuple[Cadence, ...]


@dataclass(frozen=True, slots=True)
class CalendarSlot:
    """Template 2's communication calendar: week 1, week 2, monthly, quarterly."""

    key: str
    name: str
    activities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AudienceFocus:
    key: str
    audience: str
    focus: str


@dataclass(frozen=True, slots=True)
class CommunicationPlanTemplate:
    """Template 2: Leadership AI Communication Plan."""

    key: str
    name: str
    supporting_messages: tuple[NamedField, ...]
    calendar: tuple[CalendarSlot, ...]
    audiences: tuple[AudienceFocus, ...]
    effectiveness_measures: tuple[NamedField, ...]
    channels: tuple[NamedField, ...] = ()


CORE_MESSAGES = tuple(
    CoreMessage(f"message.{slug}", number, name, statement)
    for number, (slug, name, statement) in enumerate(
        [
            (
                "imperative",
                "AI Imperative",
                "AI transformation is essential for competitive survival",
            ),
            ("opportunity", "AI Opportunity", "AI amplifies human potential and creates new value"),
            ("commitment", "AI Commitment", "We're investing significantly in AI and our people"),
            (
                "partnership",
                "AI Partnership",
                "Humans and AI work better together than either alone",
            ),
            ("future", "AI Future", "AI readiness positions us for long-term success"),
        ],
        start=1,
    )
)

COMMUNICATION = (
    LevelCommunication(
        f"communication.{LEVEL_EXECUTIVE}",
        LEVEL_EXECUTIVE,
        "CEO Communication",
        (
            cadence(
                "cadence.executive.progress_update",
                "Monthly company-wide AI progress updates",
                "monthly",
            ),
            cadence(
                "cadence.executive.results_presentation",
                "Quarterly AI strategy and results presentation",
                "quarterly",
            ),
            cadence(
                "cadence.executive.vision_address",
                "Annual AI vision and commitment address",
                "annual",
            ),
            # The secondary indicators ask for monthly thought-leadership contributions.
            cadence(
                CADENCE_THOUGHT_LEADERSHIP,
                "External AI thought leadership and speaking",
                "monthly",
            ),
        ),
    ),
    LevelCommunication(
        f"communication.{LEVEL_SENIOR}",
        LEVEL_SENIOR,
        "Senior Leadership Communication",
        (
            cadence(
                "cadence.senior.integration_update",
                "Bi-weekly department AI integration updates",
                "biweekly",
            ),
            cadence(
                "cadence.senior.collaboration_report",
                "Monthly cross-functional AI collaboration reports",
                "monthly",
            ),
            cadence(
                "cadence.senior.success_stories", "Quarterly AI success story sharing", "quarterly"
            ),
            cadence(
                "cadence.senior.development_conversations",
                "Regular one-on-one AI development conversations",
                "regular",
            ),
        ),
    ),
    LevelCommunication(
        f"communication.{LEVEL_OPERATIONAL}",
        LEVEL_OPERATIONAL,
        "Operational Leadership Communication",
        (
            cadence(
                "cadence.operational.tool_usage", "Weekly team AI tool usage and benefits", "weekly"
            ),
            cadence(
                "cadence.operational.experimentation",
                "Daily AI experimentation and learning sharing",
                "daily",
            ),
            cadence(
                "cadence.operational.peer_coaching",
                "Regular AI peer coaching and mentoring",
                "regular",
            ),
            cadence(
                "cadence.operational.culture_modeling",
                "Continuous AI culture modeling and reinforcement",
                "continuous",
            ),
        ),
    ),
)

COMMUNICATION_PLAN = CommunicationPlanTemplate(
    key="template.communication_plan",
    name="Leadership AI Communication Strategy",
    supporting_messages=named_fields(
        "supporting_message",
        [
            ("necessity", "AI Necessity"),
            ("opportunity", "AI Opportunity"),
            ("security", "AI Security"),
            ("partnership", "AI Partnership"),
            ("future", "AI Future"),
        ],
    ),
    calendar=(
        CalendarSlot(
            "calendar.week_1",
            "Week 1",
            (
                "All-hands AI vision presentation",
                "Executive team AI strategy alignment",
                "Department head AI briefings",
                "Employee Q&A session",
            ),
        ),
        CalendarSlot(
            "calendar.week_2",
            "Week 2",
            (
                "AI success story sharing",
                "Personal AI usage demonstration",
                "Cross-functional AI collaboration showcase",
                "AI learning and development announcement",
            ),
        ),
        CalendarSlot(
            "calendar.monthly",
            "Monthly",
            (
                "AI progress update presentation",
                "AI challenge and solution discussion",
                "AI innovation recognition ceremony",
                "AI future planning and preparation",
            ),
        ),
        CalendarSlot(
            "calendar.quarterly",
            "Quarterly",
            (
                "AI transformation results review",
                "AI strategy adjustment and refinement",
                "AI competitive positioning update",
                "AI culture and engagement assessment",
            ),
        ),
    ),
    audiences=(
        AudienceFocus("audience.employees", "Employees", "Focus on empowerment and opportunity"),
        AudienceFocus("audience.customers", "Customers", "Emphasize service improvement and value"),
        AudienceFocus("audience.investors", "Investors", "Highlight ROI and competitive advantage"),
        AudienceFocus("audience.partners", "Partners", "Stress collaboration and mutual benefit"),
    ),
    effectiveness_measures=named_fields(
        "communication_measure",
        [
            ("comprehension", "Message comprehension"),
            ("engagement", "Audience engagement"),
            ("behaviour_change", "Behavior change"),
            ("business_impact", "Business impact"),
        ],
    ),
    # The template leaves "Communication Channels" blank; these are the ones a delivery
    # is logged against (the framework's own: all-hands, briefings, Q&A, one-on-ones …).
    channels=named_fields(
        "channel",
        [
            ("all_hands", "All-hands meeting"),
            ("team_meeting", "Team meeting or briefing"),
            ("one_on_one", "One-on-one conversation"),
            ("email", "Email or newsletter"),
            ("intranet", "Intranet or blog post"),
            ("chat", "Chat channel (Slack, Teams)"),
            ("video", "Video message"),
            ("presentation", "Presentation or town hall"),
            ("external", "External event or publication"),  # CHANNEL_EXTERNAL
        ],
    ),
)


def communication_for(level: str) -> LevelCommunication:
    for candidate in COMMUNICATION:
        if candidate.level == level:
            return candidate
    raise KeyError(level)
