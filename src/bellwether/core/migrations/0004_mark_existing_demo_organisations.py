"""Mark the organisations `bellwether demo` built before organisations carried the mark.

`demo` records a `demo.built` audit event on every organisation it builds, and
nothing else does; an organisation with that event is a demo organisation.
"""

from django.db import migrations


def mark_demo_organisations(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    AuditEvent = apps.get_model("core", "AuditEvent")
    built = AuditEvent.objects.filter(action="demo.built", organisation__isnull=False).values(
        "organisation_id"
    )
    Organisation.objects.filter(pk__in=built).update(is_demo=True)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_organisation_is_demo"),
    ]

    operations = [
        # Going back drops the column (0003), so there is nothing to undo here.
        migrations.RunPython(mark_demo_organisations, migrations.RunPython.noop),
    ]
