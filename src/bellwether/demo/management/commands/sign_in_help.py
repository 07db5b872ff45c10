"""``bellwether sign_in_help``: how to sign in to this installation."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from bellwether.accounts.models import Membership
from bellwether.core.models import Organisation
from bellwether.demo.accounts import DEMO_ACCOUNTS, DEMO_SLUG, sign_in_help


class Command(BaseCommand):
    help = "Print how to sign in: the demo accounts if the demo organisation exists, otherwise how to create an admin."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--slug", default=DEMO_SLUG, help=f"the demo organisation's slug (default {DEMO_SLUG})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"]
        base_url = settings.BELLWETHER_BASE_URL
        demo = Organisation.objects.filter(slug=slug).first()
        admin_email = DEMO_ACCOUNTS[0].email(slug)
        if (
            demo is not None
            and Membership.objects.filter(organisation=demo, user__email=admin_email).exists()
        ):
            for line in sign_in_help(base_url, slug):
                self.stdout.write(line)
            return
        self.stdout.write(f"Open {base_url}/ to sign in.")
        self.stdout.write("There is no demo organisation. Build one with:  bellwether demo")
        self.stdout.write(
            "Or create an admin for your organisation with:  "
            "bellwether create_admin --org-name 'Your Organisation' --email you@example.com"
        )
        self.stdout.write(
            "Sign-in links are emailed; without an SMTP server they are printed in the "
            "terminal running the web server (console email backend)."
        )
