"""The ``bellwether`` command: Django's management commands under Bellwether's settings.

``bellwether demo``, ``bellwether worker``, ``bellwether import-people`` … see
``bellwether help``.
"""

from __future__ import annotations

import os
import sys

PUBLIC_OUTPUT_COMMANDS = {"collectstatic"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bellwether.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    # Friendlier names for our own commands: `import-people` runs `import_people`.
    if args and "-" in args[0] and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    # Everything a command creates (the SQLite database, exports, uploads, backups) is
    # owner-only. Not static files: they are public, and a proxy may serve them.
    if not args or args[0] not in PUBLIC_OUTPUT_COMMANDS:
        from bellwether.core.security import restrict_file_modes

        restrict_file_modes()
    execute_from_command_line(["bellwether", *args])


if __name__ == "__main__":
    main()
