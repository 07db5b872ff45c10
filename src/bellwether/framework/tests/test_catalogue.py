"""The catalogue's arithmetic and wording, checked against the framework seeds."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from bellwether.framework import catalogue
from bellwether.framework.catalogue import CATALOGUE, CatalogueError, LearningBlock, LearningModule


def test_the_instrument_has_four_dimensions_of_five_items():
    dimensions = CATALOGUE.instrument.dimensions
    assert [d.key for d in dimensions] == ["knowledge", "attitude", "behaviours", "strategy"]
    assert [len(d.items) for d in dimensions] == [5, 5, 5, 5]
    assert len(catalogue.instrument_items()) == 20
    assert catalogue.instrument_items()[0].key == "knowledge.fundamentals"
    assert catalogue.instrument_items()[0].text == "AI technology fundamentals"


def test_totals_run_from_20_to_100_on_a_1_to_5_scale():
    instrument = CATALOGUE.instrument
    assert (instrument.scale_min, instrument.scale_max) == (1, 5)
    assert [p.value for p in instrument.scale] == [1, 2, 3, 4, 5]
    assert (instrument.min_total, instrument.max_total) == (20, 100)
    assert all((d.min_score, d.max_score) == (5, 25) for d in instrument.dimensions)


def test_bands_partition_every_possible_total_without_gaps_or_overlaps():
    bands = CATALOGUE.instrument.bands
    for total in range(20, 101):
        assert sum(band.contains(total) for band in bands) == 1, total
    assert [(b.name, b.min_score, b.max_score) for b in bands] == [
        ("Champion", 85, 100),
        ("Supporter", 70, 84),
        ("Cautious", 55, 69),
        ("Skeptical", 40, 54),
        ("Resistant", 20, 39),
    ]


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (100, "band.champion"),
        (85, "band.champion"),
        (84, "band.supporter"),
        (70, "band.supporter"),
        (69, "band.cautious"),
        (55, "band.cautious"),
        (54, "band.skeptical"),
        (40, "band.skeptical"),
        (39, "band.resistant"),
        (20, "band.resistant"),
    ],
)
def test_band_boundaries_are_inclusive_as_written(total, band):
    assert catalogue.band_for_score(total).key == band


@pytest.mark.parametrize("total", [19, 101, 0, -5])
def test_a_total_outside_20_to_100_has_no_band(total):
    with pytest.raises(ValueError, match="between 20 and 100"):
        catalogue.band_for_score(total)


def test_quarterly_review_weights_are_25_35_40_out_of_100():
    assert catalogue.review_weights() == {
        "review.personal_development": 25,
        "review.team_leadership": 35,
        "review.organisational_impact": 40,
    }
    assert sum(catalogue.review_weights().values()) == CATALOGUE.quarterly_review.total == 100


def test_learning_tier_hours_are_as_in_the_seed():
    literacy = catalogue.learning_tier("tier.literacy")
    assert [(b.month, b.name, b.total_hours) for b in literacy.blocks] == [
        (1, "Foundation", 14),
        (2, "Application", 15),
    ]
    assert literacy.total_hours == 29
    assert catalogue.learning_tier("tier.leadership").total_hours == 20
    assert catalogue.learning_tier("tier.championship").total_hours == 26
    assert [t.audience for t in CATALOGUE.learning_tiers] == [
        "All Executives",
        "Senior Executives",
        "AI Sponsors",
    ]


def test_template_3_months_have_the_seeds_hours():
    plan = CATALOGUE.development_plan
    assert [(m.month, m.name, m.total_hours) for m in plan.months] == [
        (1, "Foundation Building", 14),
        (2, "Application Development", 14),
        (3, "Integration and Mastery", 19),
    ]
    assert plan.total_hours == 47
    assert [r.day for r in plan.milestone_reviews] == [30, 60, 90]
    assert plan.months[2].modules[3].title == "AI leadership project"
    assert plan.months[2].modules[3].hours == 8


def test_hours_that_do_not_add_up_are_refused():
    with pytest.raises(CatalogueError):
        LearningBlock("x", "X", 1, (LearningModule("x.a", "A", 2),), total_hours=3)


def test_fifteen_behaviours_five_per_frequency():
    grouped = catalogue.behaviours_by_frequency()
    assert list(grouped) == ["daily", "weekly", "monthly"]
    assert [len(v) for v in grouped.values()] == [5, 5, 5]
    assert grouped["daily"][0].text == "Used AI tools for executive tasks"
    assert grouped["monthly"][4].text == "Advanced AI culture and transformation"


@pytest.mark.parametrize(
    ("part", "count"),
    [
        ("barriers", 8),
        ("core_messages", 5),
        ("primary_kpis", 5),
        ("secondary_kpis", 5),
        ("gates", 5),
        ("non_negotiables", 3),
        ("change_impacts", 4),
        ("before_after", 5),
        ("metric_layers", 4),
        ("comparison_methods", 4),
        ("initiative_stages", 5),
        ("influence_metrics", 5),
        ("leader_levels", 3),
        ("key_outcomes", 5),
        ("development_pathways", 3),
        ("dashboard", 3),
        ("visioning_sessions", 3),
        ("failure_modes", 3),
    ],
)
def test_each_list_has_the_frameworks_count(part, count):
    assert len(getattr(CATALOGUE, part)) == count


def test_template_1_has_six_engagement_strategies():
    strategies = CATALOGUE.engagement_plan.strategies
    assert len(strategies) == 6
    assert strategies[0].name == "Personal AI education and development"
    assert strategies[5].name == "Risk mitigation and safety nets"


def test_barriers_are_numbered_in_the_seeds_order():
    assert [(b.number, b.name) for b in CATALOGUE.barriers][:2] == [
        (1, "Complexity Overwhelm"),
        (2, "Investment Uncertainty"),
    ]
    assert catalogue.entry("barrier.change_fatigue").number == 8


def test_leader_levels_match_the_people_model():
    from bellwether.people.models import LeaderLevel

    assert [level.level for level in CATALOGUE.leader_levels] == [v.value for v in LeaderLevel]
    assert catalogue.leader_level("executive").concerns_heading == "CEO/President Level Concerns"
    assert all(len(level.concerns) == 5 for level in CATALOGUE.leader_levels)
    assert catalogue.communication_for("senior").cadences[0].frequency == "biweekly"


def test_coaching_programme_is_twelve_weeks_in_three_phases():
    coaching = CATALOGUE.coaching
    assert coaching.weeks == 12
    assert [(p.first_week, p.last_week) for p in coaching.phases] == [(1, 2), (3, 8), (9, 12)]
    assert len(coaching.focus_areas) == 5
    assert len(coaching.success_metrics) == 4


def test_kpis_carry_machine_checkable_targets():
    fluency = catalogue.kpi("kpi.executive_fluency")
    assert (fluency.target_value, fluency.comparison, fluency.qualifying_score) == (90, ">=", 70)
    assert fluency.meets_target(90) is True
    assert fluency.meets_target(89.9) is False
    time_to_decision = catalogue.kpi("kpi.time_to_decision")
    assert time_to_decision.meets_target(-50) is True
    assert time_to_decision.meets_target(-20) is False
    assert [k.target_value for k in CATALOGUE.primary_kpis] == [90, 85, 80, 100, 75]


def test_initiative_stages_run_from_idea_to_retired():
    assert [s.key for s in CATALOGUE.initiative_stages] == [
        "stage.idea",
        "stage.learning_only_pilot",
        "stage.scale_ready",
        "stage.scaling",
        "stage.retired",
    ]
    assert [m.gives_measurement_integrity for m in CATALOGUE.comparison_methods] == [
        True,
        True,
        True,
        False,
    ]


def test_every_key_is_unique():
    keys = [entry.key for entry in catalogue.all_keyed_entries()]
    assert len(keys) == len(set(keys))
    assert "band.champion" in keys
    assert "barrier.complexity_overwhelm" in keys


def test_the_catalogue_survives_a_json_round_trip():
    data = CATALOGUE.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["version"] == catalogue.FRAMEWORK_VERSION == "2026.1"
    assert data["learning_tiers"][0]["total_hours"] == 29


def test_the_catalogue_package_does_not_import_django():
    package = Path(catalogue.__file__).parent
    for module in sorted(package.glob("*.py")):
        tree = ast.parse(module.read_text())
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        outside = {
            name for name in imported if not name.startswith("bellwether.framework.catalogue")
        }
        assert not any(name.startswith(("django", "bellwether")) for name in outside), module.name


def test_no_catalogue_module_is_over_600_lines():
    package = Path(catalogue.__file__).parent
    for module in package.glob("*.py"):
        assert len(module.read_text().splitlines()) <= 600, module.name


def test_every_key_constant_names_an_entry_of_the_catalogue():
    """The keys code refers to by name (``catalogue.BAND_CHAMPION``...) are the data's own."""
    constants = {
        name: getattr(catalogue, name)
        for name in catalogue.__all__
        if name.isupper() and isinstance(getattr(catalogue, name), str)
    }
    constants.pop("FRAMEWORK_VERSION")
    assert len(constants) > 40
    for name, value in constants.items():
        if name.startswith("DIMENSION_"):
            assert catalogue.dimension(value).key == value
        elif name.startswith("LEVEL_"):
            assert catalogue.leader_level(value).level == value
        elif name.startswith("CHAIN_"):
            assert value in {step.key for step in catalogue.OUTCOME_CHAIN_STEPS}
        else:
            assert catalogue.entry(value).key == value, name
