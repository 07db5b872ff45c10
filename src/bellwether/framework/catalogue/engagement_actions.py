"""§1.3 / Template 1: the action catalogue a generated plan draws from, per strategy and
action period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bellwether.framework.catalogue._base import check
from bellwether.framework.catalogue.engagement import ENGAGEMENT_PLAN
from bellwether.framework.catalogue.engagement_rules import ENGAGEMENT_RULES, STRATEGY_PREFIX


@dataclass(frozen=True, slots=True)
class EngagementAction:
    """One action of the catalogue: for a strategy and an action period. ``{messengers}``
    in the text is replaced by the messengers named for the leader."""

    key: str
    strategy: str
    period: str
    text: str
    focus: str = ""


_P1, _P2, _P3, _P4 = (
    "action_period.weeks_1_2",
    "action_period.weeks_3_4",
    "action_period.month_2",
    "action_period.month_3",
)


def _actions(
    strategy: str, entries: Iterable[tuple[str, str, str, str]]
) -> tuple[EngagementAction, ...]:
    return tuple(
        EngagementAction(
            f"engagement_action.{strategy}.{slug}", STRATEGY_PREFIX + strategy, period, text, focus
        )
        for slug, period, text, focus in entries
    )


ENGAGEMENT_ACTIONS = (
    *_actions(
        "personal_education",
        [
            (
                "own_task",
                _P1,
                "Use an AI assistant on one task from this week's own work and note what worked and what didn't",
                "personal_involvement",
            ),
            ("fundamentals", _P1, "Complete the AI fundamentals module (Tier 1, month 1)", ""),
            (
                "hands_on",
                _P1,
                "One-hour hands-on session with the coach on the tools the team already has",
                "",
            ),
            (
                "domain_failure",
                _P2,
                "See AI fail at a task the leader knows well and discuss where human review is non-optional",
                "personal_involvement",
            ),
            (
                "weekly_use",
                _P2,
                "Use AI on one recurring task each week and keep a short log",
                "personal_involvement",
            ),
            (
                "strategy_module",
                _P2,
                "Complete the AI strategy and business applications module",
                "",
            ),
            (
                "share_learning",
                _P3,
                "Tell the team what surprised you using AI and what you changed",
                "personal_involvement",
            ),
            (
                "use_case_review",
                _P3,
                "Review two AI use cases in the leader's own area with the delivery team",
                "",
            ),
            ("peer_learning", _P3, "Join the monthly AI leadership learning session", ""),
            (
                "teach_back",
                _P4,
                "Lead a short teach-back on AI for the leader's own team",
                "personal_involvement",
            ),
            ("next_tier", _P4, "Agree the next learning tier and its dates", ""),
            ("demo_own", _P4, "Demonstrate personal AI use in a leadership meeting", ""),
        ],
    ),
    *_actions(
        "business_case",
        [
            ("goals", _P1, "Connect AI to two of the leader's own goals for the year", ""),
            (
                "baseline",
                _P1,
                "Agree the baseline figures an AI use case in the area would move",
                "",
            ),
            (
                "demo_vs_production",
                _P1,
                "Walk through the gap between demo results and production with real operational data and edge cases",
                "implementation_risks",
            ),
            (
                "case_studies",
                _P2,
                "Review two case studies from similar organisations with their figures",
                "",
            ),
            (
                "roi_model",
                _P2,
                "Draft an ROI estimate with the finance partner, with its assumptions written down",
                "",
            ),
            (
                "realistic_timeline",
                _P2,
                "Set expectations explicitly: how long until the system is reliable in operational use",
                "implementation_risks",
            ),
            ("pilot_case", _P3, "Present a pilot business case to the leadership team", ""),
            (
                "implementation_risks",
                _P3,
                "List the implementation risks of the favoured use case and who owns each",
                "implementation_risks",
            ),
            ("budget", _P3, "Agree a pilot budget and the decision it would inform", ""),
            (
                "results_review",
                _P4,
                "Review pilot results against the baseline, not against the demo",
                "implementation_risks",
            ),
            ("scale_decision", _P4, "Decide scale, adjust or stop on the evidence", ""),
            ("share_results", _P4, "Share the results, including what did not work", ""),
        ],
    ),
    *_actions(
        "peer_influence",
        [
            (
                "messenger_conversation",
                _P1,
                "Informal conversation with {messengers} about their AI experience",
                "",
            ),
            ("peer_story", _P1, "Share a success story from a peer in a similar role", ""),
            ("forum_invite", _P1, "Invitation to the next AI leadership peer forum", ""),
            ("shadow", _P2, "Shadow {messengers} for an hour of AI-assisted work", ""),
            ("peer_network", _P2, "Join a peer learning network of leaders at the same level", ""),
            ("industry_advocate", _P2, "Meet a respected industry leader who advocates AI", ""),
            ("co_present", _P3, "Co-present an AI topic with {messengers}", ""),
            ("forum_contribute", _P3, "Contribute a question or experience at the peer forum", ""),
            ("peer_review", _P3, "Peer review of an AI use case with a Champion", ""),
            ("buddy", _P4, "Become a learning buddy for another leader", ""),
            ("forum_lead", _P4, "Lead one topic at the peer forum", ""),
            ("peer_feedback", _P4, "Ask {messengers} for feedback on progress", ""),
        ],
    ),
    *_actions(
        "executive_coaching",
        [
            (
                "coach_kickoff",
                _P1,
                "First coaching session: concerns, goals and what support is needed",
                "",
            ),
            ("readiness_debrief", _P1, "Debrief the readiness report with the coach", ""),
            ("ownership", _P1, "Make explicit which AI decisions the leader owns", ""),
            ("weekly_coaching", _P2, "Weekly 30-minute coaching check-in", ""),
            (
                "setback_review",
                _P2,
                "Review a recent AI setback with the coach: technology, data, use case or adoption?",
                "",
            ),
            ("commitment", _P2, "Agree one visible AI commitment for the month", ""),
            ("biweekly_coaching", _P3, "Fortnightly coaching on progress against the plan", ""),
            ("behaviours", _P3, "Practise the weekly AI leadership behaviours with the coach", ""),
            ("stakeholder_map", _P3, "Map the leader's stakeholders and their stance on AI", ""),
            ("progress_review", _P4, "Coaching review of progress and next quarter's focus", ""),
            ("self_assessment", _P4, "Repeat the readiness self-assessment and compare", ""),
            ("plan_adjust", _P4, "Adjust the plan with the coach for the next quarter", ""),
        ],
    ),
    *_actions(
        "recognition",
        [
            (
                "acknowledge",
                _P1,
                "Acknowledge the leader's first AI experiment in the leadership team",
                "personal_involvement",
            ),
            ("advocate_role", _P1, "Offer a visible role as AI advocate for the area", ""),
            ("goals_link", _P1, "Link AI leadership to the leader's performance goals", ""),
            (
                "spotlight",
                _P2,
                "Spotlight the leader's AI learning in internal communication",
                "personal_involvement",
            ),
            ("sponsor_visibility", _P2, "Give the leader a speaking slot at the AI town hall", ""),
            ("celebrate", _P2, "Celebrate an incremental AI win from the leader's team", ""),
            ("award", _P3, "Nominate the leader for AI leadership recognition", ""),
            ("mentor", _P3, "Invite the leader to mentor a Cautious peer", ""),
            ("external", _P3, "Offer an external speaking or writing opportunity on AI", ""),
            ("career", _P4, "Discuss how AI leadership figures in career advancement", ""),
            ("succession", _P4, "Record AI leadership in the succession planning review", ""),
            ("champion_network", _P4, "Invite the leader into the Champion network", ""),
        ],
    ),
    *_actions(
        "risk_mitigation",
        [
            ("guardrails", _P1, "Agree the guardrails and human review for the first AI use", ""),
            ("safe_pilot", _P1, "Choose a small, reversible pilot with a clear stop rule", ""),
            (
                "cost_of_waiting",
                _P1,
                "Discuss the cost of waiting: what competitors learn meanwhile",
                "",
            ),
            ("risk_register", _P2, "Build the pilot's risk register with the owners named", ""),
            ("fallback", _P2, "Define the fallback if the AI system misbehaves", ""),
            ("escalation", _P2, "Agree how incidents are escalated and reported", ""),
            ("pilot_review", _P3, "Review the pilot's incidents and near misses", ""),
            ("quality_checks", _P3, "Set quality and reliability checks on AI outputs", ""),
            ("vendor", _P3, "Review vendor dependencies and exit options", ""),
            ("lessons", _P4, "Write down lessons learned and what changes", ""),
            ("expand_safely", _P4, "Agree the conditions to expand the pilot", ""),
            ("risk_signoff", _P4, "Risk sign-off for the next stage", ""),
        ],
    ),
)


_STRATEGY_KEYS = {s.key for s in ENGAGEMENT_PLAN.strategies}
_PERIOD_KEYS = [p.key for p in ENGAGEMENT_PLAN.action_periods]
for _r in ENGAGEMENT_RULES:
    check(_r.strategy in _STRATEGY_KEYS, f"{_r.key}: unknown strategy {_r.strategy}")
    check(_r.trigger != "driver" or bool(_r.field), f"{_r.key}: a driver rule names its field")
for _strategy in _STRATEGY_KEYS:
    for _period in _PERIOD_KEYS:
        check(
            sum(a.strategy == _strategy and a.period == _period for a in ENGAGEMENT_ACTIONS)
            >= ENGAGEMENT_PLAN.actions_per_period,
            f"{_strategy} needs {ENGAGEMENT_PLAN.actions_per_period} actions in {_period}",
        )
