"""Accounts' invitation pages for the access matrix (tests/test_access_matrix.py).

The world's invitation is organisation A's, to an address that is nobody's account in
the world yet: no role may accept, decline or withdraw it by GET, and the outsider's
POST to any of them is a 404 that changes nothing.
"""

from __future__ import annotations

from bellwether.accounts import services_members
from bellwether.accounts.roles import Role
from bellwether.testing.access import Page, World, everyone


def build(world: World) -> None:
    world["invitation"] = services_members.invite_member(
        organisation=world["org"],
        actor=world["members"]["admin"],
        email="invited@acme.test",
        roles=[Role.LEADER],
    )


def _invitation(world: World) -> dict[str, int]:
    return {"invitation_id": world["invitation"].pk}


PAGES = [
    Page("accounts:invitations", everyone(200)),
    Page("accounts:accept_invitation", everyone(405), kwargs=_invitation, is_object_page=True),
    Page("accounts:decline_invitation", everyone(405), kwargs=_invitation, is_object_page=True),
    Page("accounts:withdraw_invitation", everyone(405), kwargs=_invitation, is_object_page=True),
    Page("accounts:resend_invitation", everyone(405), kwargs=_invitation, is_object_page=True),
    # The invitation email's link: its signed token is the check; a forged one is 404.
    Page(
        "accounts:join",
        everyone(404, anonymous=404),
        kwargs=lambda world: {"token": "forged-token-that-does-not-exist"},
    ),
]
