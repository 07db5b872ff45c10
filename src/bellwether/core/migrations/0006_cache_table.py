"""The shared cache's table (core/cache.py), made where migrations run, so a deployment
needs no separate ``createcachetable`` step. Nothing when the cache is Redis."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_scheduled_runs")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
