"""The influence panel on a leader's page: index, ratings, quadrant, network figures,
who influences them and the best messengers. Admins and sponsors see it for every
leader, a coach for their coachees, nobody else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bellwether.core.panels import Panel
from bellwether.influence import access, network, selectors
from bellwether.influence.models import METRIC_FIELDS

if TYPE_CHECKING:
    from django.http import HttpRequest

    from bellwether.accounts.models import Membership
    from bellwether.people.models import Person


# How many influencers the panel names; the rest are counted and open on the map.
SHOWN = 5


def person_panel(*, request: HttpRequest, membership: Membership, person: Person) -> Panel | None:
    if not person.leader_level or not person.active:
        return None
    if not access.VIEW_PROFILE.allows(membership, person):
        return None
    organisation = membership.organisation
    profile = selectors.profile_for(organisation, person.pk)
    metrics = profile.metrics() if profile is not None else {}
    index = network.influence_index(metrics)
    bands = selectors.bands_for(organisation, [person.pk])
    band = bands.get(person.pk)
    run = selectors.latest_analysis(organisation)
    figures = selectors.figures_of(run, person.pk)
    influencers = selectors.influencers_of(organisation, person.pk)
    labels = selectors.metric_labels()
    context = {
        "person_id": person.pk,
        "name": person.name,
        "index": index,
        "metrics": [
            (labels[field], getattr(profile, field) if profile else "") for field in METRIC_FIELDS
        ],
        "quadrant": network.quadrant_for(band, index),
        "figures": figures,
        "is_broker": figures is not None and figures.broker_rank is not None,
        "influencers": influencers[:SHOWN],
        "more_influencers": max(0, len(influencers) - SHOWN),
        "more_messengers": max(0, len(figures.messengers) - 3) if figures is not None else 0,
        # As the last analysis found them: the page never rebuilds the network.
        "messengers": figures.messengers[:3]
        if figures is not None and band in network.NOT_YET_ENGAGED_BANDS
        else [],
        "can_edit": access.EDIT_PROFILE.allows(membership, person),
        "can_view_map": access.VIEW_MAP.allows(membership),
    }
    return Panel(
        title="Influence", template="influence/panel.html", context=context, key="influence"
    )
