"""The demo organisation's sign-in accounts, and how to tell people about them.

``DEMO_PASSWORD`` is public on purpose: it exists only for local demos of a
generated organisation. It passes the password validators (12+ characters, not a
common password), so the accounts behave like real ones.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "lantern-harbour-demo"  # noqa: S105 (public on purpose: local demos only)
DEMO_SLUG = "northwind"
DEMO_NAME = "Northwind Group"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    local_part: str
    roles: tuple[str, ...]
    who: str

    def email(self, slug: str = DEMO_SLUG) -> str:
        return f"{self.local_part}@{slug}.example"


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", ("admin",), "programme admin: sees and configures everything"),
    DemoAccount("ceo", ("sponsor", "leader"), "executive sponsor, signed in as the CEO"),
    DemoAccount("leader", ("leader",), "a functional head (senior leader)"),
    DemoAccount("coach", ("coach",), "a coach with a few coachees"),
    DemoAccount("reviewer", ("reviewer",), "a reviewer with a few reviewees"),
)


def sign_in_help(base_url: str, slug: str = DEMO_SLUG) -> list[str]:
    """Lines telling someone how to sign in to the demo organisation."""
    first = DEMO_ACCOUNTS[0]
    lines = [
        f"Open {base_url}/ and sign in as {first.email(slug)} / password: {DEMO_PASSWORD}",
        "Other demo accounts (same password):",
    ]
    width = max(len(account.email(slug)) for account in DEMO_ACCOUNTS)
    lines += [f"  {a.email(slug):<{width}}  {a.who}" for a in DEMO_ACCOUNTS[1:]]
    lines.append(
        "Or choose 'email me a sign-in link': without an SMTP server the link is printed "
        "in the terminal running the web server (console email backend)."
    )
    return lines
