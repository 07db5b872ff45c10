"""Remind the reviewers of reviews not yet shared (run daily from cron; safe to rerun: a
review is reminded at most once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from bellwether.reviews import services


class Command(BaseCommand):
    help = "Email the reviewer of each review not yet shared, from 7 days before it is due."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.remind_all_reviewers()
        self.stdout.write(f"{sent} review reminder(s) sent")
