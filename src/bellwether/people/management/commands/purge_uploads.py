"""``bellwether purge-uploads``: delete the uploaded HR files whose retention has run out.

Run it from cron (hourly, say) when ``BELLWETHER_UPLOAD_RETENTION_HOURS`` keeps files
for a while; with the default (0) each file is deleted when its import finishes, and
this only closes imports abandoned at the column-mapping step.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from bellwether.people import retention


class Command(BaseCommand):
    help = (
        "Delete uploaded import files kept longer than BELLWETHER_UPLOAD_RETENTION_HOURS "
        "after their import finished, and close imports abandoned at the mapping step."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = retention.purge_uploads()
        hours = settings.BELLWETHER_UPLOAD_RETENTION_HOURS
        self.stdout.write(
            f"Deleted {deleted:,} uploaded file{'s' if deleted != 1 else ''} "
            f"(retention: {hours:,} hour{'s' if hours != 1 else ''} after the import finished)."
        )
