"""The siblings of the first nine: actions inside larger forms that remove, reject,
withdraw or waive are confirmed first (a POST without the confirmation changes nothing and
answers the step), and the cheap ones can be undone from the page (a removed engagement
action is reinstated, a development plan item put back), audited."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.urls import reverse

from bellwether.assessments import services as assessment_services
from bellwether.assessments.models import Rater
from bellwether.assessments.tests.helpers import launch, make_team
from bellwether.core.models import AuditEvent
from bellwether.core.tests.test_confirmation import CONFIRMED, asks
from bellwether.development import services as development_services
from bellwether.development.models import LearningPlan, PlanItem
from bellwether.engagement import services as engagement_services
from bellwether.engagement.models import EngagementPlan
from bellwether.influence.models import Tie
from bellwether.influence.tests.factories import make_tie

pytestmark = pytest.mark.django_db


def test_removing_an_engagement_action_is_confirmed_and_can_be_reinstated(client_for, coachee):
    engagement_services.generate_plan(person=coachee, actor=None)
    plan = EngagementPlan.objects.get(person=coachee)
    first = plan.content["actions"][0]
    client = client_for("admin")
    page = client.get(reverse("engagement:plan", args=[coachee.pk])).content.decode()
    assert "data-confirm=" in page
    url = reverse("engagement:action", args=[coachee.pk])
    body = {"op": "remove", "action_id": first["id"]}
    asks(client.post(url, body), "Remove this action from the plan?")
    assert client_for("sponsor").post(url, {**body, **CONFIRMED}).status_code == 403
    plan.refresh_from_db()
    assert first["id"] in [a["id"] for a in plan.content["actions"]]

    assert client.post(url, {**body, **CONFIRMED}).status_code == 302
    plan.refresh_from_db()
    assert first["id"] not in [a["id"] for a in plan.content["actions"]]
    page = unescape(client.get(reverse("engagement:plan", args=[coachee.pk])).content.decode())
    assert "Removed actions (1)" in page
    assert 'value="reinstate"' in page

    client.post(url, {"op": "reinstate", "action_id": first["id"]})  # no confirmation needed
    plan.refresh_from_db()
    assert first["id"] in [a["id"] for a in plan.content["actions"]]
    assert plan.content["removed_actions"] == []
    assert plan.revisions.filter(diff__actions__reinstated=[first["text"]]).exists()
    response = client.post(url, {"op": "reinstate", "action_id": first["id"]}, follow=True)
    assert "There is no such removed action" in response.content.decode()


def test_a_new_action_never_takes_the_id_of_a_removed_one(coachee):
    plan = engagement_services.generate_plan(person=coachee, actor=None)
    plan = engagement_services.edit_plan(
        plan=plan, actor=None, add_actions=[("action_period.month_3", "One")]
    )
    added = plan.content["actions"][-1]["id"]
    plan = engagement_services.edit_plan(plan=plan, actor=None, remove_actions=[added])
    plan = engagement_services.edit_plan(
        plan=plan, actor=None, add_actions=[("action_period.month_3", "Two")]
    )
    assert plan.content["actions"][-1]["id"] != added
    plan = engagement_services.edit_plan(plan=plan, actor=None, reinstate_actions=[added])
    ids = [a["id"] for a in plan.content["actions"]]
    assert len(ids) == len(set(ids))


def test_taking_an_item_off_a_learning_plan_is_confirmed_and_can_be_put_back(client_for, coachee):
    plan = development_services.generate_plan(
        person=coachee, actor=None, start=datetime.date(2026, 1, 5)
    )
    item = plan.items.first()
    assert item is not None
    client = client_for("admin")
    page = client.get(reverse("development:plan", args=[plan.pk])).content.decode()
    assert "data-confirm=" in page
    url = reverse("development:act", args=[plan.pk])
    asks(client.post(url, {"op": "remove", "item": item.pk}), "Take this item off the plan?")
    item.refresh_from_db()
    assert item.removed_at is None

    assert client.post(url, {"op": "remove", "item": item.pk, **CONFIRMED}).status_code == 302
    item.refresh_from_db()
    assert item.removed_at is not None
    page = unescape(client.get(reverse("development:plan", args=[plan.pk])).content.decode())
    assert "Taken off the plan" in page
    assert "Put back" in page

    response = client.post(url, {"op": "restore", "item": item.pk}, follow=True)
    assert "The item is back on the plan." in response.content.decode()
    item.refresh_from_db()
    assert item.removed_at is None
    assert AuditEvent.objects.filter(action="development.plan_item_restored").count() == 1
    response = client.post(url, {"op": "restore", "item": item.pk}, follow=True)
    assert "already on the plan" in response.content.decode()


def test_a_swapped_item_or_a_closed_plan_is_not_put_back(coachee):
    plan = development_services.generate_plan(
        person=coachee, actor=None, start=datetime.date(2026, 1, 5)
    )
    item = plan.items.first()
    assert item is not None
    other = next(k for k, _ in development_services.module_choices(plan.organisation_id))
    development_services.swap_item(plan=plan, item_id=item.pk, module_key=other, actor=None)
    from bellwether.core.errors import DomainError

    with pytest.raises(DomainError, match="swapped"):
        development_services.restore_item(plan=plan, item_id=item.pk, actor=None)
    second = plan.items.filter(removed_at__isnull=True).first()
    assert second is not None
    development_services.remove_item(plan=plan, item_id=second.pk, actor=None)
    LearningPlan.objects.filter(pk=plan.pk).update(status="withdrawn")
    with pytest.raises(DomainError, match="closed"):
        development_services.restore_item(plan=plan, item_id=second.pk, actor=None)
    assert PlanItem.objects.get(pk=second.pk).removed_at is not None


def test_removing_and_rejecting_raters_and_withdrawing_a_nomination_are_confirmed(
    client_for, org, unit, members, leader_person
):
    team = make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person], rater_mode="nominated")
    nominated = assessment_services.nominate_raters(
        cycle=cycle,
        actor=None,
        leader=leader_person,
        raters=[(team.boss.pk, "manager"), (team.reports[0].pk, "direct_report")],
    )
    leader = client_for("leader")
    url = reverse("assessments:nominate", args=[cycle.pk])
    assert "data-confirm=" in leader.get(url).content.decode()
    body = {"action": "withdraw", "rater": nominated[0].pk}
    asks(leader.post(url, body), "Withdraw this nomination?")
    assert Rater.objects.filter(pk=nominated[0].pk).exists()
    leader.post(url, {**body, **CONFIRMED})
    assert not Rater.objects.filter(pk=nominated[0].pk).exists()

    admin = client_for("admin")
    raters_url = reverse("assessments:raters", args=[cycle.pk, leader_person.pk])
    assert admin.get(raters_url).content.decode().count("data-confirm=") >= 2
    reject = {"action": "reject", "rater": [nominated[1].pk]}
    asks(admin.post(raters_url, reject), f"Reject the ticked nominations for {leader_person.name}?")
    assert Rater.objects.get(pk=nominated[1].pk).status == "proposed"
    admin.post(raters_url, {**reject, **CONFIRMED})
    assert Rater.objects.get(pk=nominated[1].pk).status == "rejected"

    admin.post(
        raters_url,
        {"action": "assign", "pick": [team.boss.pk], f"category_{team.boss.pk}": "manager"},
    )
    rater = Rater.objects.get(cycle=cycle, person=team.boss)
    remove = {"action": "remove", "rater": rater.pk}
    asks(admin.post(raters_url, remove), "Remove this rater from")
    assert Rater.objects.filter(pk=rater.pk).exists()
    admin.post(raters_url, {**remove, **CONFIRMED})
    assert not Rater.objects.filter(pk=rater.pk).exists()


def test_removing_a_tie_is_confirmed_first(client_for, org, leader_person, coachee):
    tie = make_tie(organisation=org, source=leader_person, target=coachee)
    client = client_for("admin")
    url = reverse("influence:tie_edit", args=[tie.pk])
    assert "data-confirm=" in client.get(url).content.decode()
    asks(client.post(url, {"action": "delete", "strength": 2}), "Remove the tie")
    assert Tie.objects.filter(pk=tie.pk).exists()
    assert client_for("sponsor").post(url, {"action": "delete", **CONFIRMED}).status_code == 403
    assert client.post(url, {"action": "delete", "strength": 2, **CONFIRMED}).status_code == 302
    assert not Tie.objects.filter(pk=tie.pk).exists()
