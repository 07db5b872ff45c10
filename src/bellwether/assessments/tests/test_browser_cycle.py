"""A readiness cycle in a real Chromium: the admin launches it with the suggested raters,
sees that raters are fixed once it has opened, and sends reminders; the leader completes
the self-assessment on a phone; a peer rates the leader through the personal link;
nothing shows until the admin closes the cycle, and then the results do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from bellwether.accounts.roles import Role
from bellwether.assessments.models import LeaderResult, Rater, ReadinessCycle
from bellwether.core.models import AuditEvent
from bellwether.framework import catalogue
from bellwether.people.models import LeaderLevel
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Completion, Invitation
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import OrgUnitFactory, PersonFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(org):
    unit = OrgUnitFactory(organisation=org, code="OPS", name="Operations")
    boss = PersonFactory(
        organisation=org, name="Bo Boss", org_unit=unit, leader_level=LeaderLevel.EXECUTIVE
    )
    lena = PersonFactory(
        organisation=org,
        name="Lena Leader",
        title="Head of Operations",
        org_unit=unit,
        manager=boss,
        leader_level=LeaderLevel.SENIOR,
    )
    peers = [
        PersonFactory(
            organisation=org,
            name=f"Pat Peer {i}",
            org_unit=unit,
            manager=boss,
            leader_level=LeaderLevel.SENIOR,
        )
        for i in range(3)
    ]
    reports = [
        PersonFactory(organisation=org, name=f"Rae Report {i}", org_unit=unit, manager=lena)
        for i in range(2)
    ]
    make_member(org, Role.ADMIN, email="admin@acme.test")
    make_member(org, Role.LEADER, email="lena@acme.test", person=lena)
    return {"org": org, "boss": boss, "lena": lena, "peers": peers, "reports": reports}


def answer_all(page, value: int) -> None:
    for item in catalogue.instrument_items():
        page.locator(f'input[name="{item.key}"][value="{value}"]').check()


def test_launch_remind_self_assess_on_a_phone_and_rate_a_peer(page_at, live_server, world):
    base = live_server.url
    lena = world["lena"]

    # The admin launches a cycle for the senior leaders.
    admin = page_at(DESKTOP)
    sign_in(admin, base, "admin@acme.test")
    admin.goto(f"{base}/readiness/")
    admin.get_by_role("link", name="Launch a cycle").click()
    admin.get_by_label("Name").fill("Spring readiness")
    opens = timezone.localtime() - dt.timedelta(hours=1)
    admin.get_by_label("Opens").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    admin.get_by_label("Closes").fill((opens + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"))
    admin.get_by_label("Senior").check()
    screenshot(admin, "readiness-launch")
    admin.get_by_role("button", name="Launch and invite the leaders").click()
    admin.wait_for_url("**/readiness/cycles/*/")
    cycle = ReadinessCycle.objects.get()
    assert cycle.leaders.count() == 4

    # Lena's raters came with the launch (the suggestions from the org data).
    assert Rater.objects.filter(cycle=cycle, leader=lena, status="approved").count() == 6
    admin.goto(f"{base}/readiness/cycles/{cycle.pk}/leaders/{lena.pk}/raters/")
    # The cycle has opened: the page says a change from now on is recorded and shown.
    assert admin.locator("#late-notice").is_visible()
    assert admin.locator('input[name="pick"]').count() == 0  # nobody left to suggest
    screenshot(admin, "readiness-raters")

    # One-click reminders: everyone still due.
    due = (
        Invitation.objects.filter(campaign=cycle.campaign, completion=None, revoked_at=None)
        .exclude(person__email="")
        .count()
    )
    admin.goto(f"{base}/readiness/cycles/{cycle.pk}/")
    admin.get_by_role("button", name="Remind everyone still due").click()
    admin.wait_for_url(f"**/readiness/cycles/{cycle.pk}/")
    assert f"Reminders are on their way to {due}" in admin.content()
    screenshot(admin, "readiness-progress")
    assert AuditEvent.objects.filter(action="readiness.reminders_sent").exists()
    reminded = [m for m in mail.outbox if m.subject.startswith("Reminder:")]
    assert len(reminded) == due

    # Lena completes her self-assessment on a phone: sealed until the cycle closes.
    phone = page_at(PHONE)
    sign_in(phone, base, "lena@acme.test")
    phone.goto(f"{base}/readiness/")
    screenshot(phone, "readiness-leader-home-phone")
    phone.get_by_role("link", name="Complete my self-assessment").click()
    phone.wait_for_url("**/surveys/r/**")
    assert "Your self-assessment" in phone.content()
    answer_all(phone, 4)
    screenshot(phone, "readiness-self-assessment-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # nothing overflows sideways
    phone.get_by_role("button", name="Submit my answers").click()
    phone.wait_for_url("**/surveys/r/thanks/")
    assert not LeaderResult.objects.filter(cycle=cycle).exists()
    phone.goto(f"{base}/readiness/leaders/{lena.pk}/report/")
    assert "Results come when the cycle closes" in phone.content()
    screenshot(phone, "readiness-report-pending-phone")

    # A peer rates Lena through the personal link (no account needed).
    peer = world["peers"][0]
    invitation = Invitation.objects.get(campaign=cycle.campaign, person=peer, subject=lena)
    page = page_at(PHONE)
    page.goto(f"{base}/surveys/r/{survey_services.invitation_token(invitation)}/")
    content = page.content()
    assert "You are rating Lena Leader" in content
    assert "at least 3 people" in content
    assert "sealed until the cycle closes" in content
    screenshot(page, "readiness-peer-rating")
    answer_all(page, 3)
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url("**/surveys/r/thanks/")
    assert Completion.objects.filter(invitation=invitation).exists()
    assert not LeaderResult.objects.filter(cycle=cycle).exists()

    # The admin closes the cycle: the results are released, once.
    admin.goto(f"{base}/readiness/cycles/{cycle.pk}/")
    admin.once("dialog", lambda dialog: dialog.accept())  # the data-confirm question
    admin.get_by_role("button", name="Close the cycle").click()
    admin.wait_for_url(f"**/readiness/cycles/{cycle.pk}/")
    assert "its results are released" in admin.content()
    result = LeaderResult.objects.get(cycle=cycle, person=lena)
    assert result.total == 80
    assert result.self_reported
    assert result.others_count == 1
    phone.goto(f"{base}/readiness/leaders/{lena.pk}/report/")
    assert phone.locator("#self-reported").is_visible()

    admin.goto(f"{base}/readiness/cycles/{cycle.pk}/")
    screenshot(admin, "readiness-progress-after")
    assert admin.js_errors == []
    assert phone.js_errors == []
