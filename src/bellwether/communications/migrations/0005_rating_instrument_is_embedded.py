"""The audience-rating instrument is run and shown by communications: mark existing ones
embedded so they leave the organisation's pulse and instrument lists."""

from django.db import migrations

RATING_KEY = "communication-rating"


def mark_embedded(apps, schema_editor):
    Instrument = apps.get_model("surveys", "Instrument")
    Instrument.objects.filter(key=RATING_KEY).update(kind="embedded")


def mark_custom(apps, schema_editor):
    Instrument = apps.get_model("surveys", "Instrument")
    Instrument.objects.filter(key=RATING_KEY).update(kind="custom")


class Migration(migrations.Migration):
    dependencies = [
        ("communications", "0004_quarter_measures"),
        ("surveys", "0006_embedded_instruments"),
    ]

    operations = [migrations.RunPython(mark_embedded, mark_custom)]
