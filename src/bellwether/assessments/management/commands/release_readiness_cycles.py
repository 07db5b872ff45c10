"""Release the results of every readiness cycle whose window has passed (run daily, or
let the worker do it as pages ask; safe to rerun: a released cycle is never released
again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from bellwether.assessments import release


class Command(BaseCommand):
    help = "Open, score and publish the ratings of every closed, unreleased readiness cycle."

    def handle(self, *args: Any, **options: Any) -> None:
        done = release.release_due_cycles()
        self.stdout.write(f"{done} readiness cycle(s) released")
