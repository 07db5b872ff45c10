"""§3.1 Executive AI Coaching Program and §3.2 Peer Learning and Support Networks."""

from __future__ import annotations

from dataclasses import dataclass

from bellwether.framework.catalogue._base import Frequency, NamedField, check, named_fields


@dataclass(frozen=True, slots=True)
class CoachingPhase:
    key: str
    name: str
    first_week: int
    last_week: int
    activities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CoachingProgramme:
    key: str
    name: str
    weeks: int
    phases: tuple[CoachingPhase, ...]
    pre_session_questions: tuple[NamedField, ...]
    focus_areas: tuple[NamedField, ...]
    action_items_per_session: int
    next_session_goals: int
    success_metrics: tuple[NamedField, ...]
    # Operating thresholds of the programme (Bellwether's, where the framework is silent):
    # a coachee is off track after this many weeks without a session; an action item
    # carried this many times needs the coach's decision (keep, change or drop); a coach
    # takes at most this many coachees unless their own capacity says otherwise.
    off_track_weeks_without_session: int = 3
    carries_before_decision: int = 2
    default_coach_capacity: int = 8
    # The weeks in which the coachee's plan (focus areas, metrics, milestones) is defined.
    plan_weeks: int = 2
    # Success metrics are rated 1..metric_scale in each session.
    metric_scale: int = 5

    def __post_init__(self) -> None:
        # The phases tile weeks 1..weeks with no gap or overlap.
        week = 1
        for phase in self.phases:
            check(phase.first_week == week, f"{phase.key}: starts at week {week}")
            week = phase.last_week + 1
        check(week == self.weeks + 1, f"{self.key}: phases cover {self.weeks} weeks")
        check(self.plan_weeks == self.phases[0].last_week, f"{self.key}: plan in phase one")


@dataclass(frozen=True, slots=True)
class PeerForum:
    key: str
    name: str
    frequency: Frequency | None
    activities: tuple[str, ...]


COACHING = CoachingProgramme(
    key="coaching.programme",
    name="Individual Executive Coaching Structure",
    weeks=12,
    phases=(
        CoachingPhase(
            "coaching.assessment_planning",
            "Assessment and Planning",
            1,
            2,
            (
                "Personal AI leadership strengths and gaps",
                "Individual AI transformation challenges",
                "Customized AI development plan creation",
                "Success metrics and milestone definition",
            ),
        ),
        CoachingPhase(
            "coaching.skill_development",
            "Skill Development",
            3,
            8,
            (
                "AI tool usage and personal productivity",
                "AI-informed decision making techniques",
                "AI communication and influence strategies",
                "AI risk assessment and management",
            ),
        ),
        CoachingPhase(
            "coaching.application_integration",
            "Application and Integration",
            9,
            12,
            (
                "Real-world AI leadership challenges",
                "Team AI engagement and development",
                "AI transformation obstacle navigation",
                "AI success measurement and optimization",
            ),
        ),
    ),
    pre_session_questions=named_fields(
        "coaching.pre_session",
        [
            ("tool_usage", "AI tool usage since last session"),
            ("challenges", "AI leadership challenges encountered"),
            ("wins", "AI wins and successes"),
            ("employee_feedback", "Employee feedback on AI leadership"),
        ],
    ),
    focus_areas=named_fields(
        "coaching.focus",
        [
            ("personal_skill", "Personal AI skill development"),
            ("communication", "AI communication and messaging"),
            ("decision_making", "AI decision-making processes"),
            ("team_development", "AI team development and support"),
            ("obstacle_management", "AI transformation obstacle management"),
        ],
    ),
    action_items_per_session=3,
    next_session_goals=3,
    success_metrics=named_fields(
        "coaching.metric",
        [
            ("tool_usage_frequency", "Personal AI tool usage frequency"),
            ("employee_engagement", "Employee AI engagement scores"),
            ("decision_confidence", "AI decision-making confidence"),
            ("communication_effectiveness", "AI communication effectiveness"),
        ],
    ),
)

PEER_FORUMS = (
    PeerForum(
        "peer.roundtable",
        "Monthly AI Leadership Roundtables",
        "monthly",
        (
            "Cross-functional AI challenge sharing",
            "Best practice exchange and learning",
            "AI vendor and solution evaluation",
            "AI industry trend discussion and analysis",
        ),
    ),
    PeerForum(
        "peer.summit",
        "Quarterly AI Leadership Summits",
        "quarterly",
        (
            "External AI expert presentations",
            "AI transformation success story sharing",
            "AI competitive intelligence updates",
            "AI strategic planning and alignment",
        ),
    ),
    PeerForum(
        "peer.mentorship",
        "AI Executive Mentorship Program",
        None,
        (
            "Pair experienced AI leaders with developing leaders",
            "Cross-industry AI leadership exchange",
            "External AI expert advisory relationships",
            "Board-level AI governance and oversight",
        ),
    ),
)
