from __future__ import annotations

import pytest

from bellwether.influence import selectors
from bellwether.influence.tests.factories import make_profile, make_tie
from bellwether.people.models import LeaderLevel
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _leader(org, name, **kw):
    return PersonFactory(organisation=org, name=name, leader_level=LeaderLevel.SENIOR, **kw)


def test_influencers_of_strongest_first_with_reporting_line(org):
    boss = _leader(org, "Boss")
    ann = _leader(org, "Ann", manager=boss)
    bob = _leader(org, "Bob")
    cid = _leader(org, "Cid")
    make_tie(organisation=org, source=bob, target=ann, strength=3)
    make_tie(organisation=org, source=cid, target=ann, strength=1)
    result = selectors.influencers_of(org, ann.pk)
    assert [(p.name, s) for p, s in result] == [("Bob", 3), ("Boss", 2), ("Cid", 1)]


def test_profile_for_and_other_org(org, other_org):
    ann = _leader(org, "Ann")
    make_profile(organisation=org, person=ann, peer_respect="high", motivated_by="growth")
    profile = selectors.profile_for(org, ann.pk)
    assert profile is not None
    assert profile.metrics() == {"influence.peer_respect": "high"}
    assert selectors.profile_for(other_org, ann.pk) is None


def test_network_version_changes_with_ties_and_profiles(org):
    ann, bob = _leader(org, "Ann"), _leader(org, "Bob")
    first = selectors.network_version(org)
    tie = make_tie(organisation=org, source=ann, target=bob)
    second = selectors.network_version(org)
    assert second != first
    make_profile(organisation=org, person=ann, formal_authority="low")
    third = selectors.network_version(org)
    assert third != second
    tie.delete()
    assert selectors.network_version(org) not in {second, third}


def test_messengers_for_names_engaged_influencers_with_reason(org):
    from bellwether.assessments.tests.factories import record_result

    skeptic, champion, supporter, via = (
        _leader(org, name) for name in ("Sam Skeptic", "Cleo Champion", "Sue Supporter", "Vic Via")
    )
    record_result(organisation=org, person=skeptic, total=45)
    record_result(organisation=org, person=champion, total=90)
    record_result(organisation=org, person=supporter, total=75)
    make_profile(organisation=org, person=champion, peer_respect="high")
    make_tie(organisation=org, source=champion, target=skeptic, strength=3)
    make_tie(organisation=org, source=via, target=skeptic, strength=2)
    make_tie(organisation=org, source=supporter, target=via, strength=3)
    found = selectors.messengers_for(org, skeptic.pk)
    assert [m.name for m in found] == ["Cleo Champion", "Sue Supporter"]
    assert found[0].reason == "influences Sam Skeptic directly, strength 3, peer respect High"
    assert found[0].band_key == "band.champion"
    assert found[1].via_person_id == via.pk
    assert found[1].via_name == "Vic Via"
    assert found[1].strength == 2
    assert selectors.messengers_for(org, champion.pk) == []


def test_network_version_changes_with_bands(org):
    from bellwether.assessments.tests.factories import record_result

    ann = _leader(org, "Ann")
    before = selectors.network_version(org)
    record_result(organisation=org, person=ann, total=60)
    assert selectors.network_version(org) != before
