"""``bellwether create_admin``: the first admin of a real organisation."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser, RawDescriptionHelpFormatter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bellwether.accounts.models import User
from bellwether.core.errors import DomainError
from bellwether.demo import services


class Command(BaseCommand):
    help = (
        "Create an organisation (if none has that name's slug) and make EMAIL its admin.\n\n"
        "  bellwether create_admin --org-name 'Acme Ltd' --email ada@acme.example\n\n"
        "asks for the new user's password twice (at least 12 characters, not a common "
        "password); pass --password to give it on the command line instead (it then "
        "ends up in your shell history). An existing user keeps their password unless "
        "--password is given, and is added as admin. Safe to run again."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--org-name", required=True, help="the organisation's name")
        parser.add_argument(
            "--email", required=True, help="the admin's email address (their sign-in)"
        )
        parser.add_argument(
            "--slug", default="", help="the organisation's slug (default: from its name)"
        )
        parser.add_argument("--password", default=None, help="the password (default: ask)")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        password = options["password"]
        if password is None and not User.objects.filter(email__iexact=email).exists():
            password = self._ask_password()
        try:
            membership = services.create_admin(
                organisation_name=options["org_name"],
                email=email,
                password=password,
                slug=options["slug"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{membership.user.email} is an admin of {membership.organisation.name} "
                f"(slug {membership.organisation.slug})."
            )
        )

    def _ask_password(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return first
