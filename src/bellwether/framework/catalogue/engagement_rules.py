"""§1.3 / Template 1: the rules that choose a leader's engagement strategies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EngagementTrigger = Literal[
    "barrier", "concern", "band", "failure_mode", "influencer", "sponsor", "driver", "default"
]


@dataclass(frozen=True, slots=True)
class EngagementRule:
    """When ``trigger`` matches one of ``matches``, choose ``strategy`` with ``weight``.

    Triggers: ``barrier`` (a barrier key marked primary or secondary; primary counts
    double), ``concern`` (a level concern key), ``band`` (the current band key, or
    ``none`` when not assessed), ``failure_mode`` (a failure-mode key), ``influencer``
    (``resistance``: someone who influences the leader is Skeptical or Resistant),
    ``sponsor`` (``yes``), ``driver`` (a word in the named driver's text, see ``field``),
    ``default`` (no other rule chose anything). ``focus`` names actions to prefer."""

    key: str
    trigger: EngagementTrigger
    matches: tuple[str, ...]
    strategy: str
    weight: int
    text: str
    focus: str = ""
    field: str = ""


STRATEGY_PREFIX = "engagement_strategy."


def _rule(
    slug: str,
    trigger: EngagementTrigger,
    matches: tuple[str, ...],
    strategy: str,
    weight: int,
    text: str,
    focus: str = "",
    field: str = "",
) -> EngagementRule:
    return EngagementRule(
        f"engagement_rule.{slug}",
        trigger,
        matches,
        STRATEGY_PREFIX + strategy,
        weight,
        text,
        focus,
        field,
    )


ENGAGEMENT_RULES = (
    _rule(
        "skill_gap_education",
        "barrier",
        ("barrier.skill_gap_anxiety", "barrier.complexity_overwhelm"),
        "personal_education",
        2,
        "Skill gap anxiety or complexity overwhelm → personal AI education: start with "
        "education before expecting commitment.",
    ),
    _rule(
        "investment_business_case",
        "barrier",
        ("barrier.investment_uncertainty", "barrier.competing_priorities"),
        "business_case",
        2,
        "Investment uncertainty or competing priorities → an AI business case and ROI "
        "demonstration tied to the leader's own goals.",
    ),
    _rule(
        "risk_aversion_safety_nets",
        "barrier",
        ("barrier.risk_aversion",),
        "risk_mitigation",
        2,
        "Risk aversion → risk mitigation and safety nets: small, reversible pilots with "
        "explicit guardrails.",
    ),
    _rule(
        "responsibility_coaching",
        "barrier",
        ("barrier.responsibility_diffusion",),
        "executive_coaching",
        2,
        "Responsibility diffusion → executive coaching to make ownership and accountability "
        "explicit.",
    ),
    _rule(
        "culture_peer_proof",
        "barrier",
        ("barrier.cultural_misalignment", "barrier.change_fatigue"),
        "peer_influence",
        2,
        "Cultural misalignment or change fatigue → peer influence and social proof from "
        "respected colleagues who have made AI work.",
    ),
    _rule(
        "knowledge_concerns_education",
        "concern",
        ("concern.executive.knowledge_gaps", "concern.senior.training_investment"),
        "personal_education",
        1,
        "A knowledge-gap or training concern → personal AI education.",
    ),
    _rule(
        "roi_concerns_business_case",
        "concern",
        (
            "concern.executive.investor_skepticism",
            "concern.executive.resource_conflicts",
            "concern.senior.budget_competition",
            "concern.senior.department_impact",
        ),
        "business_case",
        1,
        "An ROI, budget or impact concern → a business case with the department's own figures.",
    ),
    _rule(
        "timeline_concerns_business_case",
        "concern",
        ("concern.executive.pressure_for_results", "concern.operational.timeline_pressure"),
        "business_case",
        1,
        "Pressure for immediate results → a business case with realistic timelines, set "
        "explicitly rather than implicitly.",
        focus="implementation_risks",
    ),
    _rule(
        "reliability_concerns_safety_nets",
        "concern",
        (
            "concern.executive.reputation_risk",
            "concern.senior.integration_complexity",
            "concern.operational.business_disruption",
            "concern.operational.customer_impact",
            "concern.operational.quality_reliability",
            "concern.operational.vendor_dependency",
        ),
        "risk_mitigation",
        1,
        "A reputation, reliability, disruption or dependency concern → risk mitigation and "
        "safety nets.",
    ),
    _rule(
        "change_burden_peers",
        "concern",
        ("concern.senior.change_burden",),
        "peer_influence",
        1,
        "Employee resistance and change burden → peer learning with leaders who have led the "
        "same change.",
    ),
    _rule(
        "resistant_band_peers",
        "band",
        ("band.skeptical", "band.resistant"),
        "peer_influence",
        3,
        "A Skeptical or Resistant band → peer influence, delivered by the messengers best "
        "placed to reach this leader.",
    ),
    _rule(
        "resistant_band_coaching",
        "band",
        ("band.skeptical", "band.resistant"),
        "executive_coaching",
        2,
        "A Skeptical or Resistant band → intensive executive coaching and support.",
    ),
    _rule(
        "cautious_band_education",
        "band",
        ("band.cautious",),
        "personal_education",
        2,
        "A Cautious band → personal AI education and development with visible early wins.",
    ),
    _rule(
        "supporter_band_recognition",
        "band",
        ("band.supporter", "band.champion"),
        "recognition",
        2,
        "A Supporter or Champion band → recognition and advancement opportunities as a "
        "visible AI advocate.",
    ),
    _rule(
        "not_assessed_education",
        "band",
        ("none",),
        "personal_education",
        1,
        "Not assessed yet → start with AI education before expecting commitment; set the "
        "target once the readiness assessment is in.",
    ),
    _rule(
        "influencer_resistance_peers",
        "influencer",
        ("resistance",),
        "peer_influence",
        3,
        "Someone who influences this leader is Skeptical or Resistant → peer influence from "
        "Champions and Supporters, to counter the resistant influence.",
    ),
    _rule(
        "fearful_coaching",
        "failure_mode",
        ("failure.fearful",),
        "executive_coaching",
        3,
        "Fearful failure mode → executive coaching: every setback is read as proof AI isn't "
        "ready; coach through setbacks.",
    ),
    _rule(
        "fearful_safety_nets",
        "failure_mode",
        ("failure.fearful",),
        "risk_mitigation",
        2,
        "Fearful failure mode → risk mitigation and safety nets, and the cost of waiting "
        "made explicit.",
    ),
    _rule(
        "enthusiastic_implementation_risks",
        "failure_mode",
        ("failure.uncritically_enthusiastic",),
        "business_case",
        3,
        "Uncritically enthusiastic failure mode → a business case that focuses on "
        "implementation risks and the gap between demo and production.",
        focus="implementation_risks",
    ),
    _rule(
        "disengaged_involvement",
        "failure_mode",
        ("failure.disengaged",),
        "personal_education",
        3,
        "Disengaged failure mode → personal involvement: the leader uses AI themselves on "
        "work they actually need to do.",
        focus="personal_involvement",
    ),
    _rule(
        "disengaged_recognition",
        "failure_mode",
        ("failure.disengaged",),
        "recognition",
        1,
        "Disengaged failure mode → recognition of visible personal AI learning.",
        focus="personal_involvement",
    ),
    _rule(
        "sponsor_recognition",
        "sponsor",
        ("yes",),
        "recognition",
        2,
        "An executive sponsor → recognition and a platform as the AI champion their "
        "initiatives need (target: Champion).",
    ),
    _rule(
        "motivated_by_advancement",
        "driver",
        ("career", "advancement", "promotion", "recognition", "visibility", "legacy"),
        "recognition",
        1,
        "Motivated by career, recognition or visibility → recognition and advancement "
        "opportunities.",
        field="driver.motivated_by",
    ),
    _rule(
        "motivated_by_results",
        "driver",
        ("results", "roi", "growth", "revenue", "cost", "efficiency", "numbers", "margin"),
        "business_case",
        1,
        "Motivated by results, growth or efficiency → the AI business case and ROI.",
        field="driver.motivated_by",
    ),
    _rule(
        "concerned_about_risk",
        "driver",
        ("risk", "safety", "compliance", "failure", "reputation", "security", "privacy"),
        "risk_mitigation",
        1,
        "Concerned about risk, compliance or reputation → risk mitigation and safety nets.",
        field="driver.concerned_about",
    ),
    _rule(
        "concerned_about_skills",
        "driver",
        ("skill", "learn", "understand", "knowledge", "complex", "time"),
        "personal_education",
        1,
        "Concerned about skills, understanding or time → short personal AI education.",
        field="driver.concerned_about",
    ),
    _rule(
        "values_peers",
        "driver",
        ("people", "team", "culture", "tradition", "employees"),
        "peer_influence",
        1,
        "Values centred on people, team or culture → peer influence and social proof.",
        field="driver.values_alignment",
    ),
    _rule(
        "default_education_coaching",
        "default",
        (),
        "personal_education",
        1,
        "Nothing else known → gradual and supported development: AI education first.",
    ),
    _rule(
        "default_coaching",
        "default",
        (),
        "executive_coaching",
        1,
        "Nothing else known → continuous coaching and support throughout the journey.",
    ),
)
