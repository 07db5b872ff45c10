"""The confirmation dialog (data-confirm) in a real browser: dismissed, nothing changes;
accepted, the action happens at once (no second step). Without JavaScript the server's
own confirmation page asks (core/tests/test_confirmation.py); it is shown here at 375 px."""

from __future__ import annotations

from typing import Any

import pytest

from bellwether.accounts import services_members
from bellwether.accounts.models import MembershipInvitation
from bellwether.accounts.roles import Role
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_withdrawing_an_invitation_asks_first(page_at, live_server, org) -> None:
    admin = make_member(org, Role.ADMIN, email="confirm-admin@acme.test")
    invitation = services_members.invite_member(
        organisation=org, actor=admin, email="maybe@acme.test", roles=[Role.LEADER]
    )
    base = live_server.url
    desk = page_at(DESKTOP)
    sign_in(desk, base, "confirm-admin@acme.test")
    desk.goto(f"{base}/accounts/members/")
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    desk.once("dialog", dismiss)
    desk.get_by_role("button", name="Withdraw").click()
    assert asked == ["Withdraw the invitation to maybe@acme.test?"]
    invitation.refresh_from_db()
    assert invitation.status == MembershipInvitation.Status.PENDING
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="Withdraw").click()
    desk.get_by_text("has been withdrawn").wait_for()
    invitation.refresh_from_db()
    assert invitation.status == MembershipInvitation.Status.WITHDRAWN

    # Without the dialog's answer (no JavaScript), the server asks on a page of its own.
    again = services_members.invite_member(
        organisation=org, actor=admin, email="later@acme.test", roles=[Role.LEADER]
    )
    phone = page_at(PHONE)
    sign_in(phone, base, "confirm-admin@acme.test")
    phone.goto(f"{base}/accounts/members/")
    # As without JavaScript: the buttons lose their listeners.
    phone.evaluate(
        "document.querySelectorAll('[data-confirm]').forEach(b => b.replaceWith(b.cloneNode(true)))"
    )
    phone.get_by_role("button", name="Withdraw").click()
    phone.get_by_role("heading", name="Withdraw the invitation to later@acme.test?").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "confirm-step-phone")
    again.refresh_from_db()
    assert again.status == MembershipInvitation.Status.PENDING
    phone.get_by_role("button", name="Withdraw the invitation").click()
    phone.get_by_text("has been withdrawn").wait_for()
    again.refresh_from_db()
    assert again.status == MembershipInvitation.Status.WITHDRAWN
