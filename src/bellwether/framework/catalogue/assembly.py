"""The whole catalogue: every section in one versioned, JSON-serialisable object, and
the lookup of any entry by its key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bellwether.framework.catalogue import initiatives
from bellwether.framework.catalogue._base import FRAMEWORK_VERSION, NamedField, check, jsonable
from bellwether.framework.catalogue.accountability import (
    CONTINUOUS_DEVELOPMENT,
    DEVELOPMENT_PATHWAYS,
    QUARTERLY_REVIEW,
    ContinuousDevelopment,
    DevelopmentPathway,
    QuarterlyReview,
)
from bellwether.framework.catalogue.barriers import (
    BARRIERS,
    LEADER_LEVELS,
    LEADER_PROFILE,
    Barrier,
    LeaderLevel,
    ProfileBehaviour,
)
from bellwether.framework.catalogue.behaviours import BEHAVIOURS, REINFORCEMENT, Behaviour
from bellwether.framework.catalogue.coaching import (
    COACHING,
    PEER_FORUMS,
    CoachingProgramme,
    PeerForum,
)
from bellwether.framework.catalogue.communication import (
    COMMUNICATION,
    COMMUNICATION_PLAN,
    CORE_MESSAGES,
    CommunicationPlanTemplate,
    CoreMessage,
    LevelCommunication,
)
from bellwether.framework.catalogue.engagement import (
    ENGAGEMENT_DRIVERS,
    ENGAGEMENT_PLAN,
    STRATEGY_FIELDS,
    EngagementPlanTemplate,
)
from bellwether.framework.catalogue.engagement_actions import ENGAGEMENT_ACTIONS, EngagementAction
from bellwether.framework.catalogue.engagement_rules import ENGAGEMENT_RULES, EngagementRule
from bellwether.framework.catalogue.failure_modes import FAILURE_MODES, FailureMode
from bellwether.framework.catalogue.influence import INFLUENCE_METRICS, InfluenceMetric
from bellwether.framework.catalogue.kpis import (
    DASHBOARD,
    KEY_OUTCOMES,
    PRIMARY_KPIS,
    SECONDARY_KPIS,
    DashboardCadence,
    KeyOutcome,
    Kpi,
)
from bellwether.framework.catalogue.learning import (
    DEVELOPMENT_PLAN,
    LEARNING_TIERS,
    DevelopmentPlanTemplate,
    LearningTier,
)
from bellwether.framework.catalogue.readiness import INSTRUMENT, Instrument
from bellwether.framework.catalogue.vision import VISIONING_SESSIONS, VisioningSession


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: str
    key_outcomes: tuple[KeyOutcome, ...]
    instrument: Instrument
    influence_metrics: tuple[InfluenceMetric, ...]
    engagement_drivers: tuple[NamedField, ...]
    strategy_fields: tuple[NamedField, ...]
    barriers: tuple[Barrier, ...]
    leader_levels: tuple[LeaderLevel, ...]
    leader_profile: tuple[ProfileBehaviour, ...]
    failure_modes: tuple[FailureMode, ...]
    engagement_plan: EngagementPlanTemplate
    visioning_sessions: tuple[VisioningSession, ...]
    learning_tiers: tuple[LearningTier, ...]
    development_plan: DevelopmentPlanTemplate
    core_messages: tuple[CoreMessage, ...]
    communication: tuple[LevelCommunication, ...]
    communication_plan: CommunicationPlanTemplate
    coaching: CoachingProgramme
    peer_forums: tuple[PeerForum, ...]
    behaviours: tuple[Behaviour, ...]
    reinforcement: tuple[str, ...]
    quarterly_review: QuarterlyReview
    development_pathways: tuple[DevelopmentPathway, ...]
    continuous_development: ContinuousDevelopment
    primary_kpis: tuple[Kpi, ...]
    secondary_kpis: tuple[Kpi, ...]
    dashboard: tuple[DashboardCadence, ...]
    # §2.4 and §4.2: ten sections of one module, named through it (the package's
    # __init__ re-exports them one by one).
    alignment_elements: tuple[initiatives.AlignmentElement, ...]
    metric_layers: tuple[initiatives.MetricLayer, ...]
    comparison_methods: tuple[initiatives.ComparisonMethod, ...]
    initiative_stages: tuple[initiatives.InitiativeStage, ...]
    archetypes: tuple[initiatives.Archetype, ...]
    gates: tuple[initiatives.Gate, ...]
    non_negotiables: tuple[initiatives.NonNegotiable, ...]
    change_impacts: tuple[initiatives.ChangeImpactType, ...]
    before_after: tuple[initiatives.BeforeAfterDimension, ...]
    bottleneck_teams: tuple[initiatives.BottleneckTeam, ...]
    # Engagement plan generation (issue 5): rules and the action catalogue, defined at the
    # end of the data. No defaults: the API schema lists every catalogue field as required.
    engagement_rules: tuple[EngagementRule, ...]
    engagement_actions: tuple[EngagementAction, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable data (tuples become lists), the same shape the API serves."""
        result = jsonable(self)
        assert isinstance(result, dict)
        return result


CATALOGUE = Catalogue(
    version=FRAMEWORK_VERSION,
    key_outcomes=KEY_OUTCOMES,
    instrument=INSTRUMENT,
    influence_metrics=INFLUENCE_METRICS,
    engagement_drivers=ENGAGEMENT_DRIVERS,
    strategy_fields=STRATEGY_FIELDS,
    barriers=BARRIERS,
    leader_levels=LEADER_LEVELS,
    leader_profile=LEADER_PROFILE,
    failure_modes=FAILURE_MODES,
    engagement_plan=ENGAGEMENT_PLAN,
    visioning_sessions=VISIONING_SESSIONS,
    learning_tiers=LEARNING_TIERS,
    development_plan=DEVELOPMENT_PLAN,
    core_messages=CORE_MESSAGES,
    communication=COMMUNICATION,
    communication_plan=COMMUNICATION_PLAN,
    coaching=COACHING,
    peer_forums=PEER_FORUMS,
    behaviours=BEHAVIOURS,
    reinforcement=REINFORCEMENT,
    quarterly_review=QUARTERLY_REVIEW,
    development_pathways=DEVELOPMENT_PATHWAYS,
    continuous_development=CONTINUOUS_DEVELOPMENT,
    primary_kpis=PRIMARY_KPIS,
    secondary_kpis=SECONDARY_KPIS,
    dashboard=DASHBOARD,
    alignment_elements=initiatives.ALIGNMENT_ELEMENTS,
    metric_layers=initiatives.METRIC_LAYERS,
    comparison_methods=initiatives.COMPARISON_METHODS,
    initiative_stages=initiatives.INITIATIVE_STAGES,
    archetypes=initiatives.ARCHETYPES,
    gates=initiatives.GATES,
    non_negotiables=initiatives.NON_NEGOTIABLES,
    change_impacts=initiatives.CHANGE_IMPACTS,
    before_after=initiatives.BEFORE_AFTER,
    bottleneck_teams=initiatives.BOTTLENECK_TEAMS,
    engagement_rules=ENGAGEMENT_RULES,
    engagement_actions=ENGAGEMENT_ACTIONS,
)


# --- Lookups later modules use ------------------------------------------------------------


def _walk_keyed(value: Any) -> Iterator[Any]:
    """Every catalogue entry that has a ``key``, depth first."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "key"):
            yield value
        for f in dataclasses.fields(value):
            yield from _walk_keyed(getattr(value, f.name))
    elif isinstance(value, tuple):
        for v in value:
            yield from _walk_keyed(v)


def all_keyed_entries(catalogue: Catalogue = CATALOGUE) -> list[Any]:
    return list(_walk_keyed(catalogue))


_BY_KEY: dict[str, Any] = {entry.key: entry for entry in _walk_keyed(CATALOGUE)}
check(len(_BY_KEY) == len(all_keyed_entries()), "catalogue keys are not unique")


def entry(key: str) -> Any:
    """Any catalogue entry by its key; KeyError if there is none."""
    return _BY_KEY[key]
