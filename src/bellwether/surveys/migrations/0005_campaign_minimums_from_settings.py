"""Campaigns launched before minimums were kept per campaign take their organisation's
minimums as they stand at this upgrade (the defaults where none were set)."""

from django.db import migrations


def copy_minimums(apps, schema_editor):
    Campaign = apps.get_model("surveys", "Campaign")
    Settings = apps.get_model("surveys", "ConfidentialitySettings")
    for row in Settings.objects.all():
        Campaign.objects.filter(organisation_id=row.organisation_id).update(
            min_group=row.min_group,
            min_360_group=row.min_360_group,
            min_comments=row.min_comments,
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0004_sealed_ballots_and_releases")]

    operations = [migrations.RunPython(copy_minimums, migrations.RunPython.noop)]
